//! Symptom reports: the start of the spine.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::report::ReportInput;
use cordon_store::reports::{Intake, ReportWithStatus};
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

/// File a symptom report. In the same request a report that meets the case
/// definition opens (or joins) the person's suspected case and assigns an
/// investigation task to the worker on call. The same `id` sent again answers
/// 200 with `created: false` and the first result.
#[utoipa::path(post, path = "/reports", tag = "reports", request_body = ReportInput, responses((status = 201, body = Intake), (status = 200, body = Intake), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<Intake>)> {
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let draft = input.parse(today)?;
    let intake = crate::actions::reports::file(&state, &user, &draft, &input.unit_code).await?;
    let status = if intake.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(intake)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Reports in your subtree, newest first, with where each stands.
#[utoipa::path(get, path = "/reports", tag = "reports", params(ReportQuery), responses((status = 200, body = ListPage<ReportWithStatus>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ReportQuery>,
) -> ApiResult<Json<ListPage<ReportWithStatus>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.reports_in_window(&path, probe(window)).await?, window)))
}

/// One report.
#[utoipa::path(get, path = "/reports/{id}", tag = "reports", params(("id" = Uuid, Path)), responses((status = 200, body = ReportWithStatus), (status = 403, body = crate::error::Problem)))]
async fn get_report(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<ReportWithStatus>> {
    let report = state.store.report(id).await?.ok_or_else(|| ApiError::not_found(Record::Report, &id))?;
    authorise(&user, Action::Read, &report.report.unit_path)?;
    Ok(Json(report))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submit, list)).routes(routes!(get_report))
}
