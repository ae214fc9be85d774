//! Case definitions and settings.

use super::paging::{ListPage, PageQuery, window};
use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use cordon_core::definition::CaseDefinition;
use cordon_core::settings::Settings;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// The settings in force.
#[utoipa::path(get, path = "/settings", tag = "configuration", responses((status = 200, body = Settings)))]
async fn get_settings(State(state): State<AppState>, CurrentUser(_user): CurrentUser) -> ApiResult<Json<Settings>> {
    Ok(Json(state.store.settings().await?))
}

/// Replace the settings (administrators).
#[utoipa::path(put, path = "/settings", tag = "configuration", request_body = Settings, responses((status = 200, body = Settings), (status = 422, body = crate::error::Problem)))]
async fn put_settings(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(settings): AppJson<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(crate::actions::settings::save(&state, &user, &settings).await?))
}

/// The case definitions.
#[utoipa::path(get, path = "/case-definitions", tag = "configuration", params(PageQuery), responses((status = 200, body = ListPage<CaseDefinition>)))]
async fn list_definitions(
    State(state): State<AppState>,
    CurrentUser(_user): CurrentUser,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<CaseDefinition>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::cut(state.store.definitions().await?, window)))
}

/// Create or replace a case definition (administrators).
#[utoipa::path(put, path = "/case-definitions/{code}", tag = "configuration", params(("code" = String, Path)), request_body = CaseDefinition, responses((status = 200, body = CaseDefinition), (status = 422, body = crate::error::Problem)))]
async fn put_definition(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(code): AppPath<String>,
    AppJson(definition): AppJson<CaseDefinition>,
) -> ApiResult<Json<CaseDefinition>> {
    Ok(Json(crate::actions::settings::save_definition(&state, &user, &code, &definition).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings)).routes(routes!(list_definitions)).routes(routes!(put_definition))
}
