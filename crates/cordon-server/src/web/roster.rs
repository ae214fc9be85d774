//! The roster editor: the shifts of an area over the next week, a form to put
//! a health worker on call, a button to remove a shift, and the gaps in 24/7
//! coverage (`cordon_core::roster::coverage_gaps` over the shifts of the area
//! and its ancestors, as `GET /api/v1/coverage` computes them).
//!
//! Times are entered and shown in the authority's time zone.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::roster::{Shift, ShiftInput, coverage_gaps};
use cordon_core::user::Role;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use uuid::Uuid;

use super::widgets::names::Names;
use super::{
    Chrome, Crumb, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, breadcrumbs, local_time, page_node, render, render_with,
    see_other,
};
use crate::actions::rosters;
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roster", get(roster))
        .route("/roster/shifts", post(add_shift))
        .route("/roster/shifts/{id}/remove", post(remove_shift))
}

/// A shift as listed.
#[derive(Debug, Clone)]
pub struct ShiftRow {
    /// Id (for the remove button).
    pub id: String,
    /// The worker's name.
    pub worker: String,
    /// The area's code.
    pub area: String,
    /// Start (local).
    pub starts: String,
    /// End (local).
    pub ends: String,
}

/// A gap in coverage.
#[derive(Debug, Clone)]
pub struct GapRow {
    /// Start (local).
    pub from: String,
    /// End (local).
    pub to: String,
    /// Length in hours.
    pub hours: String,
}

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    children: Vec<(String, String)>,
    shifts: Vec<ShiftRow>,
    gaps: Vec<GapRow>,
    workers: Vec<(String, String, bool)>,
    can_edit: bool,
    v: FormData,
    errors: FieldErrors,
    zone: String,
}

impl RosterPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["worker_id", "starts_at", "ends_at"])
    }
}

#[derive(Debug, Deserialize)]
struct RosterQuery {
    #[serde(default)]
    node: Option<String>,
}

/// The week shown: from now, 7 days.
fn week(now: Timestamp) -> (Timestamp, Timestamp) {
    (now, now.saturating_add(SignedDuration::from_hours(24 * 7)).unwrap_or(now))
}

async fn roster_page(state: &AppState, viewer: &Viewer, node: Node, mut v: FormData, errors: FieldErrors) -> WebResult<RosterPage> {
    let t = viewer.lang;
    let settings = state.store.settings().await?;
    let zone = settings.zone();
    let (from, to) = week(state.now());
    let shifts = state.store.shifts(&node.path, from, to).await?;
    // Coverage counts shifts of the area and of its ancestors (as the API does).
    let root = node.path.self_and_ancestors().pop().unwrap_or_else(|| node.path.clone());
    let ancestors = node.path.self_and_ancestors();
    let covering: Vec<Shift> =
        state.store.shifts(&root, from, to).await?.into_iter().filter(|s| ancestors.contains(&s.node_path)).collect();
    let gaps = coverage_gaps(&covering, from, to)
        .into_iter()
        .map(|(a, b)| GapRow {
            from: local_time(a, &zone),
            to: local_time(b, &zone),
            hours: format!("{:.1}", b.duration_since(a).as_secs_f64() / 3600.0),
        })
        .collect();
    let workers_all = state.store.users_under(&viewer.user.node_path, Some(Role::HealthWorker)).await?;
    // Workers of the roster from elsewhere (above the viewer's subtree) are named in one more query.
    let elsewhere = shifts.iter().map(|s| s.worker_id).filter(|id| !workers_all.iter().any(|w| w.id == *id));
    let mut names = Names::of(state, elsewhere).await?;
    names.extend(workers_all.iter().map(|w| (w.id, w.display_name.clone())));
    let mut rows = Vec::with_capacity(shifts.len());
    for s in &shifts {
        let worker = names.get(s.worker_id);
        rows.push(ShiftRow {
            id: s.id.to_string(),
            worker,
            area: s.node_path.code().to_owned(),
            starts: local_time(s.starts_at, &zone),
            ends: local_time(s.ends_at, &zone),
        });
    }
    if v.opt("starts_at").is_none() {
        let start = from.to_zoned(zone.clone()).datetime();
        v.set("starts_at", start.strftime("%Y-%m-%dT%H:00").to_string());
        let end = from.saturating_add(SignedDuration::from_hours(12)).unwrap_or(from).to_zoned(zone.clone()).datetime();
        v.set("ends_at", end.strftime("%Y-%m-%dT%H:00").to_string());
    }
    let chosen = v.get("worker_id").to_owned();
    let workers = workers_all
        .iter()
        .filter(|w| w.active && w.node_path.contains(&node.path))
        .map(|w| (w.id.to_string(), format!("{} ({})", w.display_name, w.node_path.code()), chosen == w.id.to_string()))
        .collect();
    let children = state.store.children(node.id).await?.into_iter().map(|n| (n.code, n.name)).collect();
    Ok(RosterPage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(state, viewer, &node).await?,
        can_edit: viewer.may(Action::ManageRoster, &node.path).is_ok(),
        node,
        children,
        shifts: rows,
        gaps,
        workers,
        v,
        errors,
        zone: settings.time_zone.clone(),
    })
}

async fn roster(State(state): State<AppState>, viewer: Viewer, Query(q): Query<RosterQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    render(&roster_page(&state, &viewer, node, FormData::default(), FieldErrors::none()).await?)
}

/// Reads a `datetime-local` value in the authority's time zone.
fn local_instant(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    let dt: DateTime = text.trim().parse().ok()?;
    dt.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}

async fn add_shift(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let node = page_node(&state, &viewer, Some(v.get("node_code"))).await?;
    let zone = state.store.settings().await?.zone();
    let mut errors = FieldErrors::none();
    let worker_id = v.get("worker_id").parse::<Uuid>().ok();
    if worker_id.is_none() {
        errors.key("worker_id", "reason_choose");
    }
    let starts_at = local_instant(v.get("starts_at"), &zone);
    if starts_at.is_none() {
        errors.key("starts_at", "reason_datetime");
    }
    let ends_at = local_instant(v.get("ends_at"), &zone);
    if ends_at.is_none() {
        errors.key("ends_at", "reason_datetime");
    }
    if let (Some(worker_id), Some(starts_at), Some(ends_at)) = (worker_id, starts_at, ends_at) {
        let input = ShiftInput { worker_id, node_code: node.code.clone(), starts_at, ends_at };
        match create(&state, &viewer, &input).await {
            Ok(()) => return Ok(see_other(&format!("/roster?node={}", super::form::url_encode(&node.code)))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = roster_page(&state, &viewer, node, v, errors).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Adds a shift through the action the API uses. The form picks the worker
/// for the area shown, so a worker who cannot cover it is told at the
/// worker's field.
async fn create(state: &AppState, viewer: &Viewer, input: &ShiftInput) -> Result<(), ApiError> {
    match rosters::put_on_call(state, &viewer.user, input).await {
        Ok(_) => Ok(()),
        Err(ApiError::Invalid(mut invalid)) => {
            for e in &mut invalid.errors {
                if matches!(e.reason, Reason::CannotCover { .. }) {
                    e.field = "worker_id".into();
                }
            }
            Err(ApiError::Invalid(invalid))
        }
        Err(e) => Err(e),
    }
}

async fn remove_shift(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let shift = rosters::remove(&state, &viewer.user, id).await?;
    Ok(see_other(&format!("/roster?node={}", super::form::url_encode(shift.node_path.code()))))
}
