//! Cases: list, read, classify.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use cordon_core::case::{Case, CaseStatus, Classification};
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, probe, window};
use super::{authorise, scope};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Only this classification.
    pub status: Option<CaseStatus>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Cases in your subtree, newest first.
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseQuery), responses((status = 200, body = ListPage<Case>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CaseQuery>,
) -> ApiResult<Json<ListPage<Case>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(ListPage::read(state.store.cases_in_window(&path, q.status, probe(window)).await?, window)))
}

async fn case_in_scope(state: &AppState, user: &cordon_core::user::User, id: Uuid, action: Action) -> ApiResult<Case> {
    let case = state.store.case(id).await?.ok_or_else(|| ApiError::not_found(Record::Case, &id))?;
    authorise(user, action, &case.unit_path)?;
    Ok(case)
}

/// One case.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Case), (status = 403, body = crate::error::Problem)))]
async fn get_case(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Case>> {
    Ok(Json(case_in_scope(&state, &user, id, Action::Read).await?))
}

/// Classify a case (suspected → probable → confirmed | discarded) or record
/// its outcome. An impossible move is a 409 naming the field.
#[utoipa::path(post, path = "/cases/{id}/classification", tag = "cases", params(("id" = Uuid, Path)), request_body = Classification, responses((status = 200, body = Case), (status = 409, body = crate::error::Problem)))]
async fn classify(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(change): AppJson<Classification>,
) -> ApiResult<Json<Case>> {
    Ok(Json(crate::actions::cases::classify(&state, &user, id, change).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(get_case)).routes(routes!(classify))
}
