//! The summaries of a node as figures that say what they are (never a bare
//! number): the board's counts, the epidemic curve, the map, Rt, and
//! response times with daily-report completeness. Anyone who may read the node may read
//! them; labels are in English, or in Korean with `lang=ko`.

use axum::Json;
use axum::extract::State;
use cordon_core::figure::{Figure, Labelled, Language, Period};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::refusal::{Reason, Record, Unit};
use cordon_core::user::User;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::node_in_scope;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::AppQuery;
use crate::state::AppState;
use crate::summary::{self, Scope};

/// The language of the labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean.
    Ko,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Language {
        match lang {
            Lang::En => Language::English,
            Lang::Ko => Language::Korean,
        }
    }
}

/// Which node, which day, which language.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The node's code (default: your own node).
    pub node: Option<String>,
    /// The day the summary holds on (default: today; a later day means today).
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// The first day of the curve (default 27 days before `date`; at most 366 days before it).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// The labels' language (`en`, `ko`).
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// The node named by `code`, checked, or the user's own.
///
/// # Errors
/// An unknown node (422) or one outside the user's subtree (403).
pub async fn summary_node(state: &AppState, user: &User, code: Option<&str>) -> ApiResult<Node> {
    if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
        return node_in_scope(state, user, code, "node", Action::Read).await;
    }
    let own = user.node_path.code();
    state.store.node_by_code(own).await?.ok_or_else(|| ApiError::not_found(Record::Jurisdiction, &own))
}

async fn scope_of(state: &AppState, user: &User, q: &SummaryQuery) -> ApiResult<Scope> {
    let node = summary_node(state, user, q.node.as_deref()).await?;
    Scope::of(state, node, q.date).await
}

fn labelled(figures: Vec<Figure>, lang: Option<Lang>) -> Vec<Labelled> {
    let language = Language::from(lang.unwrap_or_default());
    figures.into_iter().map(|f| Labelled::new(f, language)).collect()
}

/// The board's counts for a node: symptom reports today and since counting
/// began, open and overdue tasks, escalations in 24 hours, new alerts, cases
/// by classification (new today and cumulative), deaths, people under
/// isolation and quarantine.
#[utoipa::path(get, path = "/summary/board", tag = "summaries", params(SummaryQuery),
    responses((status = 200, body = Vec<Labelled>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn board(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SummaryQuery>,
) -> ApiResult<Json<Vec<Labelled>>> {
    let scope = scope_of(&state, &user, &q).await?;
    Ok(Json(labelled(summary::board::figures(&state, &scope).await?, q.lang)))
}

/// One day of the curve, labelled.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LabelledCurveDay)]
pub struct CurveDay {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Symptom reports received, and cases by onset: suspected, probable, confirmed.
    pub figures: Vec<Labelled>,
}

/// The epidemic curve of a node: for each day from `from` to `date`, the
/// symptom reports received and the cases by day of onset, by classification.
#[utoipa::path(get, path = "/summary/curve", tag = "summaries", params(SummaryQuery),
    responses((status = 200, body = Vec<CurveDay>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn curve(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SummaryQuery>,
) -> ApiResult<Json<Vec<CurveDay>>> {
    let scope = scope_of(&state, &user, &q).await?;
    let from = q.from.unwrap_or_else(|| scope.days_back(27));
    if from > scope.day || from < scope.days_back(366) {
        return Err(ApiError::bad_field("from", Reason::Between { min: 0.0, max: 366.0, unit: Unit::Days }));
    }
    let days = summary::curve::days(&state, &scope, from).await?;
    Ok(Json(days.into_iter().map(|d| CurveDay { date: d.date, figures: labelled(d.figures, q.lang) }).collect()))
}

/// Rt of a node over the last 90 days: one estimate per window with enough
/// cases (at least 12), with its 95% credible interval; the source names the
/// method, serial interval and window.
#[utoipa::path(get, path = "/summary/rt", tag = "summaries", params(SummaryQuery),
    responses((status = 200, body = Vec<Labelled>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn rt(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SummaryQuery>,
) -> ApiResult<Json<Vec<Labelled>>> {
    let scope = scope_of(&state, &user, &q).await?;
    Ok(Json(labelled(summary::rt::figures(&state, &scope).await?, q.lang)))
}

/// Figures over one period, labelled.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpanFigures {
    /// The node or child's code.
    pub code: String,
    /// The days.
    pub period: Period,
    /// The figures (none when nothing was measured).
    pub figures: Vec<Labelled>,
}

/// How fast a node answers, labelled.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseTimes {
    /// Investigations opened in the last 7 days.
    pub last_7_days: SpanFigures,
    /// The 7 days before, for the trend.
    pub previous_7_days: SpanFigures,
    /// Each of the last four weeks, oldest first.
    pub weeks: Vec<SpanFigures>,
    /// Each child over the last 7 days.
    pub children: Vec<SpanFigures>,
    /// Daily unit reports: the last 7 days, the 7 before, the last 28 days, the 28 before.
    pub filing: Vec<SpanFigures>,
}

/// A span with its figures labelled.
#[must_use]
pub fn span_figures(span: summary::response::Span, lang: Option<Lang>) -> SpanFigures {
    SpanFigures { code: span.code, period: span.period, figures: labelled(span.figures, lang) }
}

/// Response times of a node: hours from report to acknowledgement and to
/// the first visit (median, 90th percentile), the share acknowledged in
/// time, by week and by child; completeness and timeliness of the daily
/// unit reports over 7 and 28 days beside the periods before.
#[utoipa::path(get, path = "/summary/response-times", tag = "summaries", params(SummaryQuery),
    responses((status = 200, body = ResponseTimes), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn response_times(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SummaryQuery>,
) -> ApiResult<Json<ResponseTimes>> {
    let scope = scope_of(&state, &user, &q).await?;
    let r = summary::response::responses(&state, &scope).await?;
    let all = |spans: Vec<summary::response::Span>| spans.into_iter().map(|s| span_figures(s, q.lang)).collect();
    Ok(Json(ResponseTimes {
        last_7_days: span_figures(r.last_7_days, q.lang),
        previous_7_days: span_figures(r.previous_7_days, q.lang),
        weeks: all(r.weeks),
        children: all(r.children),
        filing: all(r.filing),
    }))
}

/// An area below the node with the map's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct Area {
    /// The area's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Symptom reports in the 7 days to the day (and per 100,000 where the
    /// population is known), cases by classification and deaths so far,
    /// the alert level in force.
    pub figures: Vec<Labelled>,
}

/// The map of a node: each area one level below it with its figures on the day.
#[utoipa::path(get, path = "/summary/map", tag = "summaries", params(SummaryQuery),
    responses((status = 200, body = Vec<Area>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn map(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SummaryQuery>,
) -> ApiResult<Json<Vec<Area>>> {
    let scope = scope_of(&state, &user, &q).await?;
    let areas = state.store.map_figures(&scope.node, 1, scope.day).await?;
    Ok(Json(areas.into_iter().map(|a| Area { figures: labelled(a.all(), q.lang), code: a.node.code, name: a.node.name }).collect()))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(curve))
        .routes(routes!(rt))
        .routes(routes!(response_times))
        .routes(routes!(map))
}
