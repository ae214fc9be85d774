//! Daily unit reports and the completeness board.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::daily::{Completeness, DailyReportInput};
use cordon_store::daily::{DailyFiling, UnitDay};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::scope;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// File a unit's daily report (`ill_count: 0` is a zero report). A second
/// report for the same unit and day answers 200 with the first.
#[utoipa::path(post, path = "/daily-reports", tag = "reports", request_body = DailyReportInput, responses((status = 201, body = DailyFiling), (status = 200, body = DailyFiling), (status = 422, body = crate::error::Problem)))]
async fn file(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<DailyReportInput>,
) -> ApiResult<(StatusCode, Json<DailyFiling>)> {
    let filing = crate::actions::daily::file(&state, &user, &input).await?;
    Ok((if filing.created { StatusCode::CREATED } else { StatusCode::OK }, Json(filing)))
}

/// Which node and day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompletenessQuery {
    /// Code of the node (default: your anchor).
    pub node: Option<String>,
    /// The day (default: today in the authority's time zone).
    pub date: Option<Date>,
}

/// Completeness and timeliness for a node and day.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletenessView {
    /// The day.
    pub date: Date,
    /// Totals.
    pub totals: Completeness,
    /// Every unit with its standing.
    pub units: Vec<UnitDay>,
}

/// Which units reported (on time, late), which are pending and which silent.
#[utoipa::path(get, path = "/completeness", tag = "reports", params(CompletenessQuery), responses((status = 200, body = CompletenessView)))]
async fn completeness(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CompletenessQuery>,
) -> ApiResult<Json<CompletenessView>> {
    let path = scope(&state, &user, q.node.as_deref()).await?;
    let now = state.now();
    let date = match q.date {
        Some(d) => d,
        None => state.store.settings().await?.local_date(now),
    };
    let (totals, units) = state.store.completeness(&path, date, now).await?;
    Ok(Json(CompletenessView { date, totals, units }))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(file)).routes(routes!(completeness))
}
