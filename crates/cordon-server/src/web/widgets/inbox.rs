//! The panel of directives to acknowledge, on every home page (the unit
//! head's report form, the worker's tasks, the border officer's arrivals,
//! the command's board): the directives addressed to the viewer's area that
//! their unit (their node) has not acknowledged yet, newest first, each with
//! its text in the viewer's language and an "Acknowledge" button that posts
//! to `/directives/{id}/acknowledge` and comes back to the page.
//!
//! The panel is a live section: it reloads its fragment
//! (`/directives/inbox/live?back=...`) when the event stream reports a
//! directive issued, changed or acknowledged, so a new directive shows up
//! without a reload. Two reads: the directives over the viewer's node, and
//! which of them the node acknowledged.

use askama::Template;
use cordon_core::directive::Directive;
use cordon_core::jurisdiction::NodePath;

use super::directive_text::{Standing, kind_label, period, summary, text_of};
use super::names::Names;
use crate::state::AppState;
use crate::web::form::{local_path, url_encode};
use crate::web::{Lang, Viewer, WebResult};

/// A directive waiting for the viewer's acknowledgement.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// The directive's id.
    pub id: String,
    /// Its kind's name.
    pub kind: &'static str,
    /// The measure in one line.
    pub summary: String,
    /// Its text in the viewer's language.
    pub text: String,
    /// Its days in force.
    pub period: String,
    /// The area it is addressed to.
    pub scope: String,
    /// Whether it is in force today (else it is to come).
    pub in_force: bool,
}

/// The panel's content, reloaded live.
#[derive(Template)]
#[template(path = "inbox_live.html")]
pub struct InboxLive {
    t: Lang,
    items: Vec<Waiting>,
    back: String,
}

/// The panel with its live section around it, for a home page.
#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPanel {
    live_url: String,
    live: String,
}

/// The page to come back to after acknowledging: a local path, else the
/// viewer's home page.
#[must_use]
pub fn back_to(viewer: &Viewer, back: Option<&str>) -> String {
    back.and_then(local_path).map_or_else(|| crate::web::home_of(viewer.user.role).to_owned(), str::to_owned)
}

/// The directives addressed to `path`, not yet acknowledged by the node
/// there, still in force or to come, and not issued by the viewer
/// themselves (who knows them).
async fn waiting(state: &AppState, viewer: &Viewer) -> WebResult<Vec<Waiting>> {
    let t = viewer.lang;
    let user = &viewer.user;
    let today = state.store.settings().await?.local_date(state.now());
    let over: Vec<Directive> = state.store.directives_over(&user.node_path).await?;
    let open: Vec<Directive> = over
        .into_iter()
        .filter(|d| matches!(Standing::of(d, today), Standing::InForce | Standing::Upcoming))
        .filter(|d| d.versions.first().is_none_or(|v| v.issued_by != user.id))
        .collect();
    let ids: Vec<uuid::Uuid> = open.iter().map(|d| d.id).collect();
    let done = state.store.acknowledged_at(user.node_id, &ids).await?;
    let pending: Vec<&Directive> = open.iter().rev().filter(|d| !done.contains_key(&d.id)).collect();
    let places = Names::of(state, pending.iter().map(|d| d.scope_id)).await?;
    Ok(pending
        .into_iter()
        .filter_map(|d| {
            let version = d.version_on(today).or_else(|| d.current())?;
            Some(Waiting {
                id: d.id.to_string(),
                kind: kind_label(t, version.terms.measure.kind()),
                summary: summary(t, &version.terms.measure),
                text: text_of(t, version).to_owned(),
                period: period(t, version),
                scope: scope_label(&places, d),
                in_force: d.version_on(today).is_some(),
            })
        })
        .collect())
}

/// An area as `Name (CODE)`, or its code when its name is unknown.
fn scope_label(places: &Names, d: &Directive) -> String {
    let name = places.get(d.scope_id);
    let code = NodePath::code(&d.scope_path);
    if name.is_empty() { code.to_owned() } else { format!("{name} ({code})") }
}

/// The panel's content for the viewer, its buttons coming back to `back`.
pub async fn inbox_live(state: &AppState, viewer: &Viewer, back: &str) -> WebResult<InboxLive> {
    Ok(InboxLive { t: viewer.lang, items: waiting(state, viewer).await?, back: back.to_owned() })
}

/// The panel as a home page shows it (rendered), its buttons coming back to `back`.
pub async fn inbox(state: &AppState, viewer: &Viewer, back: &str) -> WebResult<String> {
    let live = inbox_live(state, viewer, back).await?.render()?;
    let panel = InboxPanel { live_url: format!("/directives/inbox/live?back={}", url_encode(back)), live };
    Ok(panel.render()?)
}
