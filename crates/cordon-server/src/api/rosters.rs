//! Rosters: on-call shifts and the gaps in 24/7 coverage.

use super::paging::{ListPage, window};
use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::refusal::Reason;
use cordon_core::roster::{Shift, ShiftInput, coverage_gaps};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::scope;
use crate::actions::rosters;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Which area and interval.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ShiftQuery {
    /// Code of the area (default: your anchor).
    pub node: Option<String>,
    /// Start (default: now).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// End (default: 7 days after the start).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
    /// At most this many shifts, 1 to 500 (default 100; `GET /shifts` only).
    pub limit: Option<i64>,
    /// The page of shifts to read: the `next_cursor` of the previous page
    /// (`GET /shifts` only).
    pub cursor: Option<String>,
}

impl ShiftQuery {
    fn interval(&self, now: Timestamp) -> ApiResult<(Timestamp, Timestamp)> {
        let from = self.from.unwrap_or(now);
        let to = self.to.unwrap_or_else(|| from.saturating_add(SignedDuration::from_hours(24 * 7)).unwrap_or(from));
        if to <= from || to.duration_since(from) > SignedDuration::from_hours(24 * 62) {
            return Err(ApiError::bad_field("to", Reason::RosterPeriod { days: 62 }));
        }
        Ok((from, to))
    }
}

/// Shifts in an area's subtree overlapping the interval.
#[utoipa::path(get, path = "/shifts", tag = "rosters", params(ShiftQuery), responses((status = 200, body = ListPage<Shift>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ShiftQuery>,
) -> ApiResult<Json<ListPage<Shift>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.node.as_deref()).await?;
    let (from, to) = q.interval(state.now())?;
    Ok(Json(ListPage::cut(state.store.shifts(&path, from, to).await?, window)))
}

/// Put a health worker on call for an area (command officers).
#[utoipa::path(post, path = "/shifts", tag = "rosters", request_body = ShiftInput, responses((status = 201, body = Shift), (status = 422, body = crate::error::Problem)))]
async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<ShiftInput>,
) -> ApiResult<(StatusCode, Json<Shift>)> {
    Ok((StatusCode::CREATED, Json(rosters::put_on_call(&state, &user, &input).await?)))
}

/// Remove a shift (command officers).
#[utoipa::path(delete, path = "/shifts/{id}", tag = "rosters", params(("id" = Uuid, Path)), responses((status = 204)))]
async fn remove(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<StatusCode> {
    rosters::remove(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A gap in coverage.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gap {
    /// Start.
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    /// End.
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
}

/// Coverage of an area: when nobody at or above it is on call.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShiftCoverage)]
pub struct Coverage {
    /// The area's code.
    pub node: String,
    /// Intervals with nobody on call for the area (counting shifts of its ancestors).
    pub gaps: Vec<Gap>,
}

/// The gaps in 24/7 coverage of an area.
#[utoipa::path(get, path = "/coverage", tag = "rosters", params(ShiftQuery), responses((status = 200, body = Coverage)))]
async fn coverage(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ShiftQuery>,
) -> ApiResult<Json<Coverage>> {
    let path = scope(&state, &user, q.node.as_deref()).await?;
    let (from, to) = q.interval(state.now())?;
    let root = path.self_and_ancestors().pop().unwrap_or_else(|| path.clone());
    let ancestors = path.self_and_ancestors();
    let shifts: Vec<Shift> = state.store.shifts(&root, from, to).await?.into_iter().filter(|s| ancestors.contains(&s.node_path)).collect();
    let gaps = coverage_gaps(&shifts, from, to).into_iter().map(|(from, to)| Gap { from, to }).collect();
    Ok(Json(Coverage { node: path.code().to_owned(), gaps }))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(remove)).routes(routes!(coverage))
}
