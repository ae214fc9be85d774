//! Lectures: scheduled by health workers and commands, attendance recorded per
//! unit, and the coverage of a topic over an area.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::lecture::{Attendance, AttendanceInput, Coverage, Lecture, LectureInput, window_start};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, probe, window};
use super::scope;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Schedule a lecture serving an area (health workers and command officers over it).
#[utoipa::path(post, path = "/lectures", tag = "measures", request_body = LectureInput, responses(
    (status = 201, body = Lecture), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
))]
async fn schedule(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<LectureInput>,
) -> ApiResult<(StatusCode, Json<Lecture>)> {
    Ok((StatusCode::CREATED, Json(crate::actions::lectures::schedule(&state, &user, &input).await?)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LectureQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The lectures serving your subtree, latest first.
#[utoipa::path(get, path = "/lectures", tag = "measures", params(LectureQuery), responses(
    (status = 200, body = ListPage<Lecture>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<LectureQuery>,
) -> ApiResult<Json<ListPage<Lecture>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.lectures_in_window(&path, probe(window)).await?, window)))
}

/// Record how many from a unit attended (replacing the unit's earlier figure);
/// all units together stay within the capacity.
#[utoipa::path(post, path = "/lectures/{id}/attendance", tag = "measures", params(("id" = Uuid, Path)), request_body = AttendanceInput, responses(
    (status = 200, body = Attendance), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn attend(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(input): AppJson<AttendanceInput>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(crate::actions::lectures::attend(&state, &user, id, &input).await?))
}

/// Coverage parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// The topic.
    pub topic: String,
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// The window in days, ending today (default 30).
    pub days: Option<u16>,
}

/// The share of units in your subtree with attendance at a lecture on the topic in the last days.
#[utoipa::path(get, path = "/lectures/coverage", tag = "measures", params(CoverageQuery), responses(
    (status = 200, body = Coverage), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn coverage(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CoverageQuery>,
) -> ApiResult<Json<Coverage>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let today = state.store.settings().await?.local_date(state.now());
    Ok(Json(state.store.lecture_coverage(&path, &q.topic, window_start(today, q.days.unwrap_or(30))).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(schedule, list)).routes(routes!(attend)).routes(routes!(coverage))
}
