//! Planned gatherings: registered by unit heads (or organisers through them),
//! answered allowed or refused against the gathering limits in force.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::gathering::{Gathering, GatheringInput};
use cordon_store::gatherings::Registered;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, probe, window};
use super::scope;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Register a planned gathering. The answer says whether it is allowed and
/// cites the directive version whose gathering limit decided it; a refused
/// gathering is kept too (201 either way).
#[utoipa::path(post, path = "/gatherings", tag = "measures", request_body = GatheringInput, responses(
    (status = 201, body = Registered), (status = 200, body = Registered, description = "The same registration sent again"),
    (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
))]
async fn register(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<GatheringInput>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let registered = crate::actions::gatherings::register(&state, &user, &input).await?;
    Ok((if registered.created { StatusCode::CREATED } else { StatusCode::OK }, Json(registered)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GatheringQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The gatherings registered in your subtree, latest start first.
#[utoipa::path(get, path = "/gatherings", tag = "measures", params(GatheringQuery), responses(
    (status = 200, body = ListPage<Gathering>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<GatheringQuery>,
) -> ApiResult<Json<ListPage<Gathering>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.gatherings_in_window(&path, probe(window)).await?, window)))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register, list))
}
