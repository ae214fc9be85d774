//! What residents say: logged by unit heads and workers, counted by area,
//! category and week, answered by the command with a counter-message.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::directive::Texts;
use cordon_core::rumour::{Rumour, RumourInput, week_of};
use cordon_store::rumours::WeekCount;
use jiff::civil::Date;
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

/// Log what residents said in a unit.
#[utoipa::path(post, path = "/rumours", tag = "measures", request_body = RumourInput, responses(
    (status = 201, body = Rumour), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
))]
async fn log(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<RumourInput>,
) -> ApiResult<(StatusCode, Json<Rumour>)> {
    Ok((StatusCode::CREATED, Json(crate::actions::rumours::log(&state, &user, &input).await?)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RumourQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// A day of the week to list (default: this week).
    pub week: Option<Date>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The rumours heard in your subtree in a week, most people first.
#[utoipa::path(get, path = "/rumours", tag = "measures", params(RumourQuery), responses(
    (status = 200, body = ListPage<Rumour>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<RumourQuery>,
) -> ApiResult<Json<ListPage<Rumour>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let today = state.store.settings().await?.local_date(state.now());
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.rumours_in_window(&path, week_of(q.week.unwrap_or(today)), probe(window)).await?, window)))
}

/// Count parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Count the weeks from the one holding this day (default: 8 weeks back).
    pub from: Option<Date>,
}

/// Rumours and people per week and category in your subtree.
#[utoipa::path(get, path = "/rumours/counts", tag = "measures", params(CountQuery), responses(
    (status = 200, body = Vec<WeekCount>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn counts(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CountQuery>,
) -> ApiResult<Json<Vec<WeekCount>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let today = state.store.settings().await?.local_date(state.now());
    let from = q.from.unwrap_or_else(|| today.checked_sub(jiff::Span::new().weeks(7)).unwrap_or(today));
    Ok(Json(state.store.rumour_counts(&path, week_of(from)).await?))
}

/// Attach the command's counter-message to a rumour (in each language).
#[utoipa::path(post, path = "/rumours/{id}/answer", tag = "measures", params(("id" = Uuid, Path)), request_body = Texts, responses(
    (status = 200, body = Rumour), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn answer(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(texts): AppJson<Texts>,
) -> ApiResult<Json<Rumour>> {
    Ok(Json(crate::actions::rumours::answer(&state, &user, id, &texts).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log, list)).routes(routes!(counts)).routes(routes!(answer))
}
