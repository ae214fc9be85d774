//! Alert levels: per node, 0 (normal) to 3 (emergency); the rules'
//! recommendation with its reasons, the level set by a command officer, and
//! each node's history.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::alert_level::{LevelInput, LevelSet, Recommendation, Signals};
use cordon_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, probe, window};
use super::{node_in_scope, scope};
use crate::actions::alert_levels as action;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LevelQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The level in force at each node of your subtree that has one, by path.
#[utoipa::path(get, path = "/alert-levels", tag = "measures", params(LevelQuery), responses(
    (status = 200, body = ListPage<LevelSet>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<LevelQuery>,
) -> ApiResult<Json<ListPage<LevelSet>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(ListPage::cut(state.store.alert_levels_under(&path).await?, window)))
}

/// What the rules recommend now, and the signals they read.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recommended {
    /// The signals.
    pub signals: Signals,
    /// The level recommended and why.
    pub recommendation: Recommendation,
}

/// The rules' recommendation for a node now, with its reasons and the figures behind them.
#[utoipa::path(get, path = "/alert-levels/{code}/recommendation", tag = "measures", params(("code" = String, Path, description = "The node's code")), responses(
    (status = 200, body = Recommended), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
))]
async fn recommendation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(code): AppPath<String>,
) -> ApiResult<Json<Recommended>> {
    let node = node_in_scope(&state, &user, &code, "code", Action::Read).await?;
    let (signals, recommendation) = action::recommendation(&state, &node).await?;
    Ok(Json(Recommended { signals, recommendation }))
}

/// History parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The levels set for a node, latest first.
#[utoipa::path(get, path = "/alert-levels/{code}/history", tag = "measures", params(("code" = String, Path, description = "The node's code"), HistoryQuery), responses(
    (status = 200, body = ListPage<LevelSet>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
))]
async fn history(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(code): AppPath<String>,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> ApiResult<Json<ListPage<LevelSet>>> {
    let node = node_in_scope(&state, &user, &code, "code", Action::Read).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.alert_levels_in_window(&node.path, probe(window)).await?, window)))
}

/// Set a node's alert level (command officers at or above it). The rules'
/// recommendation at that moment is kept beside the decision.
#[utoipa::path(post, path = "/alert-levels", tag = "measures", request_body = LevelInput, responses(
    (status = 201, body = LevelSet), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn set(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<LevelInput>,
) -> ApiResult<(StatusCode, Json<LevelSet>)> {
    Ok((StatusCode::CREATED, Json(action::set(&state, &user, &input).await?)))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, set)).routes(routes!(recommendation)).routes(routes!(history))
}
