//! The administrator's audit page (`/admin/audit`): the state of the audit
//! chain (intact up to its head, with the head's hash to note elsewhere, or
//! the first broken record and what is wrong with it), walked on each view
//! as `GET /api/v1/audit/verify` and `cordon audit verify` walk it, and the
//! newest records, paged back by sequence number.
//!
//! Authorised as `ReadAudit` (administrators) at the viewer's anchor.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use cordon_core::audit_chain::{Breach, ChainReport};
use cordon_core::policy::Action;
use cordon_store::audit::AuditFilter;
use serde::Deserialize;

use super::{Chrome, Lang, Viewer, WebResult, local_time, render};
use crate::state::AppState;

/// How many records one page lists.
const PAGE: i64 = 50;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(page))
}

/// One record as the list shows it.
#[derive(Debug, Clone)]
pub struct RecordLine {
    /// Sequence number.
    pub seq: i64,
    /// When, in the operation's time zone.
    pub at: String,
    /// Who (a user id), or empty for the system.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// The entity's id.
    pub entity_id: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    t: Lang,
    c: Chrome,
    chain: ChainReport,
    breach: &'static str,
    records: Vec<RecordLine>,
    older: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct AuditPageQuery {
    before: Option<i64>,
}

/// The catalogue key that says what is wrong, by kind.
fn breach_key(breach: &Breach) -> &'static str {
    match breach {
        Breach::ContentChanged => "audit_breach_content_changed",
        Breach::Unsealed => "audit_breach_unsealed",
        Breach::LinkBroken { .. } => "audit_breach_link_broken",
        Breach::RecordMissing { .. } => "audit_breach_record_missing",
        Breach::Inserted { .. } => "audit_breach_inserted",
        Breach::BeyondHead { .. } => "audit_breach_beyond_head",
        Breach::TailTruncated { .. } => "audit_breach_tail_truncated",
        Breach::HeadMismatch => "audit_breach_head_mismatch",
    }
}

async fn page(State(state): State<AppState>, viewer: Viewer, Query(q): Query<AuditPageQuery>) -> WebResult<Response> {
    viewer.may(Action::ReadAudit, &viewer.user.node_path)?;
    let chain = state.store.verify_audit_chain().await?;
    let breach = chain.fault.as_ref().map_or("", |f| viewer.lang.get(breach_key(&f.breach)));
    let zone = state.store.settings().await?.zone();
    let filter = AuditFilter { before_seq: q.before, ..AuditFilter::default() };
    let found = state.store.audit_log(&filter, PAGE).await?;
    let older = (found.len() == usize::try_from(PAGE).unwrap_or(usize::MAX)).then(|| found.last().map(|r| r.seq)).flatten();
    let records = found
        .into_iter()
        .map(|r| RecordLine {
            seq: r.seq,
            at: local_time(r.at, &zone),
            actor: r.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            action: r.action,
            entity_id: r.entity_id,
        })
        .collect();
    render(&AuditPage { t: viewer.lang, c: viewer.chrome(), chain, breach, records, older })
}
