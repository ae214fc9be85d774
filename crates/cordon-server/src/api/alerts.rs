//! Outbreak alerts and detection: list and read alerts in your subtree,
//! review / verify / discard them with a note, draw a node's series with its
//! bound and alarms, run detection now, and read or edit the detection
//! configuration.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::FieldError;
use cordon_core::alert::{Alert, AlertDecision, AlertError, AlertStatus, ReviewInput};
use cordon_core::detection::{DetectionConfig, DetectionMethod, Syndrome};
use cordon_core::policy::Action;
use cordon_core::refusal::{Reason, Unit};
use cordon_core::user::User;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, probe, window};
use super::{authorise, node_in_scope, scope};
use crate::actions::alerts::{AlertDetail, alert_detail};
use crate::auth::CurrentUser;
use crate::detection::{RunSummary, SeriesPoint, node_series, run_now};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

impl From<AlertError> for ApiError {
    fn from(e: AlertError) -> Self {
        let reason = Reason::from(&e);
        ApiError::Conflict { reason: reason.clone(), errors: vec![FieldError::new("status", reason)], existing: None }
    }
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Only alerts in this status.
    pub status: Option<AlertStatus>,
    /// Only this syndrome.
    pub syndrome: Option<Syndrome>,
    /// Only periods ending on or after this day.
    pub since: Option<Date>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Series parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SeriesQuery {
    /// Code of the node.
    pub node: String,
    /// The syndrome.
    pub syndrome: Syndrome,
    /// The method (one of the configured methods).
    pub method: DetectionMethod,
    /// Last day shown (default: today).
    pub to: Option<Date>,
    /// Periods shown: days, or ISO weeks for weekly methods (1-730, default 56 days or 104 weeks).
    pub periods: Option<usize>,
}

/// A node's series under one method.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeSeries {
    /// The node's code.
    pub node: String,
    /// The syndrome.
    pub syndrome: Syndrome,
    /// The method.
    pub method: DetectionMethod,
    /// `day` or `iso_week`.
    pub period: &'static str,
    /// The periods, oldest first.
    pub points: Vec<SeriesPoint>,
}

/// An on-demand detection run.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    /// The day to evaluate (default: today, with today's counts so far); at most a year back.
    #[serde(default)]
    pub date: Option<Date>,
    /// Code of the subtree to run on (default: your anchor).
    #[serde(default)]
    pub under: Option<String>,
}

/// The authority's local day now.
async fn today(state: &AppState) -> ApiResult<Date> {
    Ok(state.store.settings().await?.local_date(state.now()))
}

/// Alerts in your subtree, newest period first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertQuery), responses((status = 200, body = ListPage<Alert>), (status = 400, body = Problem)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<AlertQuery>,
) -> ApiResult<Json<ListPage<Alert>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let filter = cordon_store::alerts::AlertFilter { status: q.status, syndrome: q.syndrome, since: q.since };
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.alerts_in_window(&path, &filter, probe(window)).await?, window)))
}

/// One alert with its review steps and its series (the 28 days, or 52 weeks, up to its period).
#[utoipa::path(get, path = "/alerts/{id}", tag = "alerts", params(("id" = Uuid, Path)), responses((status = 200, body = AlertDetail), (status = 404, body = Problem)))]
async fn get_alert(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<String>,
) -> ApiResult<Json<AlertDetail>> {
    Ok(Json(alert_detail(&state, &user, &id).await?))
}

async fn decide(state: &AppState, user: &User, id: &str, decision: AlertDecision, input: &ReviewInput) -> ApiResult<Json<Alert>> {
    Ok(Json(crate::actions::alerts::decide(state, user, id, decision, input).await?))
}

/// Take a new alert under review (command officers), with a note.
#[utoipa::path(post, path = "/alerts/{id}/review", tag = "alerts", params(("id" = Uuid, Path)), request_body = ReviewInput, responses((status = 200, body = Alert), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn review(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<String>,
    AppJson(input): AppJson<ReviewInput>,
) -> ApiResult<Json<Alert>> {
    decide(&state, &user, &id, AlertDecision::Review, &input).await
}

/// Verify an alert under review: a real signal that needs a response.
#[utoipa::path(post, path = "/alerts/{id}/verify", tag = "alerts", params(("id" = Uuid, Path)), request_body = ReviewInput, responses((status = 200, body = Alert), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn verify(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<String>,
    AppJson(input): AppJson<ReviewInput>,
) -> ApiResult<Json<Alert>> {
    decide(&state, &user, &id, AlertDecision::Verify, &input).await
}

/// Discard an alert under review as noise.
#[utoipa::path(post, path = "/alerts/{id}/discard", tag = "alerts", params(("id" = Uuid, Path)), request_body = ReviewInput, responses((status = 200, body = Alert), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn discard(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<String>,
    AppJson(input): AppJson<ReviewInput>,
) -> ApiResult<Json<Alert>> {
    decide(&state, &user, &id, AlertDecision::Discard, &input).await
}

/// A node's series under one configured method: observed, expected, upper
/// bound and alarm per day (or ISO week), for drawing.
#[utoipa::path(get, path = "/alerts/series", tag = "alerts", params(SeriesQuery), responses((status = 200, body = NodeSeries), (status = 400, body = Problem), (status = 422, body = Problem)))]
async fn series(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SeriesQuery>,
) -> ApiResult<Json<NodeSeries>> {
    let node = node_in_scope(&state, &user, &q.node, "node", Action::Read).await?;
    let config = state.store.detection_config().await?;
    let settings = config
        .method(q.method)
        .ok_or_else(|| cordon_core::Invalid::field("method", Reason::NotConfigured { method: q.method.as_str().to_owned() }))?;
    let periods = q.periods.unwrap_or(if q.method.is_weekly() { 104 } else { 56 });
    if !(1..=730).contains(&periods) {
        return Err(ApiError::bad_field("periods", Reason::Between { min: 1.0, max: 730.0, unit: Unit::Number }));
    }
    let to = match q.to {
        Some(day) => day,
        None => today(&state).await?,
    };
    let points = node_series(&state, &node, q.syndrome, settings, to, periods).await?;
    let period = if q.method.is_weekly() { "iso_week" } else { "day" };
    Ok(Json(NodeSeries { node: node.code, syndrome: q.syndrome, method: q.method, period, points }))
}

/// Run detection now over the watched nodes in your subtree (command
/// officers, administrators); new alarms become alerts.
#[utoipa::path(post, path = "/detection/runs", tag = "alerts", request_body = RunInput, responses((status = 201, body = RunSummary), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn run(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<RunInput>,
) -> ApiResult<(StatusCode, Json<RunSummary>)> {
    let path = if let Some(code) = input.under.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        node_in_scope(&state, &user, code, "under", Action::RunDetection).await?.path
    } else {
        authorise(&user, Action::RunDetection, &user.node_path)?;
        user.node_path.clone()
    };
    let today = today(&state).await?;
    let day = input.date.unwrap_or(today);
    if day > today || day < today.saturating_sub(jiff::Span::new().days(366)) {
        return Err(cordon_core::Invalid::field("date", Reason::WithinAYear { today }).into());
    }
    Ok((StatusCode::CREATED, Json(run_now(&state, &path, day).await?)))
}

/// The detection configuration in force.
#[utoipa::path(get, path = "/detection/config", tag = "alerts", responses((status = 200, body = DetectionConfig)))]
async fn get_config(State(state): State<AppState>, CurrentUser(_user): CurrentUser) -> ApiResult<Json<DetectionConfig>> {
    Ok(Json(state.store.detection_config().await?))
}

/// Replace the detection configuration (administrators).
#[utoipa::path(put, path = "/detection/config", tag = "alerts", request_body = DetectionConfig, responses((status = 200, body = DetectionConfig), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_config(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(config): AppJson<DetectionConfig>,
) -> ApiResult<Json<DetectionConfig>> {
    authorise(&user, Action::ManageConfiguration, &user.node_path)?;
    Ok(Json(state.store.save_detection_config(user.id, &config, state.now()).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(series))
        .routes(routes!(get_alert))
        .routes(routes!(review))
        .routes(routes!(verify))
        .routes(routes!(discard))
        .routes(routes!(run))
        .routes(routes!(get_config, put_config))
}
