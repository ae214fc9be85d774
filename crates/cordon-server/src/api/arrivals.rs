//! Points of entry: registering and listing arrivals.

use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use cordon_core::arrival::{Arrival, ArrivalInput};
use cordon_store::arrivals::Registered;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, Paged, page_request};
use super::scope;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Register an arrival at your point of entry. A symptomatic arrival becomes
/// a report (and a suspected case when it meets the definition); every arrival
/// is quarantined by the rule for its origin country. A closed point of entry
/// refuses arrivals (409).
#[utoipa::path(post, path = "/arrivals", tag = "quarantine", request_body = ArrivalInput, responses((status = 201, body = Registered), (status = 200, body = Registered), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn register(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<ArrivalInput>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let registered = crate::actions::arrivals::register(&state, &user, &input).await?;
    Ok((if registered.created { StatusCode::CREATED } else { StatusCode::OK }, Json(registered)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ArrivalQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Arrivals per page, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` (or `X-Next-Cursor`, or `Link`) of the previous
    /// page; the first page without it.
    pub cursor: Option<String>,
}

/// Arrivals at points of entry in your subtree, newest first, one page at a
/// time. The whole list's size is in `X-Total-Count`; the next page is at the
/// cursor in `X-Next-Cursor` (and `Link: <…>; rel="next"`), absent on the
/// last page.
#[utoipa::path(get, path = "/arrivals", tag = "quarantine", params(ArrivalQuery), responses(
    (status = 200, body = ListPage<Arrival>, headers(
        ("x-total-count" = i64, description = "How many arrivals the whole list holds"),
        ("x-next-cursor" = String, description = "The `cursor` of the next page; absent on the last page"),
        ("link" = String, description = "The next and previous pages (rel=\"next\", rel=\"prev\"), with the same parameters"),
    )),
    (status = 400, body = crate::error::Problem, description = "A parameter is wrong (e.g. `limit` out of range, an unknown `cursor`); the problem names it"),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    AppQuery(q): AppQuery<ArrivalQuery>,
) -> ApiResult<Paged<Arrival, i64>> {
    let request = page_request(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Paged { page: state.store.arrivals_page(&path, &request).await?, uri })
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register, list))
}
