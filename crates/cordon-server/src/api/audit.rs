//! The audit log and the state of its chain, for administrators.

use axum::Json;
use axum::extract::State;
use cordon_core::audit::AuditRecord;
use cordon_core::audit_chain::ChainReport;
use cordon_core::policy::Action;
use cordon_store::audit::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::authorise;
use super::paging::{ListPage, sequence};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::AppQuery;
use crate::state::AppState;

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entity kind (`report`, `case`, `task`, ...).
    pub entity: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Actor (user id).
    pub actor_id: Option<Uuid>,
    /// Only records before this sequence number.
    pub before: Option<i64>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page (wins over
    /// `before`); the first page without it.
    pub cursor: Option<String>,
}

/// The newest audit records.
#[utoipa::path(get, path = "/audit", tag = "command", params(AuditQuery), responses((status = 200, body = ListPage<AuditRecord>), (status = 403, body = crate::error::Problem)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<AuditQuery>,
) -> ApiResult<Json<ListPage<AuditRecord>>> {
    authorise(&user, Action::ReadAudit, &user.node_path)?;
    let (limit, cursor) = sequence(q.limit, q.cursor.as_deref())?;
    let filter = AuditFilter { entity: q.entity, entity_id: q.entity_id, actor_id: q.actor_id, before_seq: cursor.or(q.before) };
    let rows = state.store.audit_log(&filter, limit + 1).await?;
    Ok(Json(ListPage::by_sequence(rows, limit, |r| r.seq)))
}

/// The audit chain's state: walks every record (in one snapshot) and says
/// whether the chain is intact up to its head, or names its first broken
/// record and what is wrong with it. Administrators only.
#[utoipa::path(
    get,
    path = "/audit/verify",
    tag = "command",
    responses(
        (status = 200, description = "The chain's state (`intact` false names the first broken record)", body = ChainReport),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an administrator", body = crate::error::Problem)
    )
)]
async fn verify(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> ApiResult<Json<ChainReport>> {
    authorise(&user, Action::ReadAudit, &user.node_path)?;
    Ok(Json(state.store.verify_audit_chain().await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(verify))
}
