//! Situation reports as JSON and CSV: the full report for anyone who may read
//! the node, and the public variant (no sign-in; aggregates only, counts of
//! people below the `public_suppression_below` setting suppressed).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cordon_core::figure::Language;
use cordon_core::publication::Published;
use cordon_core::refusal::Record;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::summary::{Lang, summary_node};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::AppQuery;
use crate::state::AppState;
use crate::summary::Scope;
use crate::summary::sitrep::{Making, SituationReport, report};

/// Which node, which day, which language.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SitrepQuery {
    /// The node's code (default: your own node; required for the public variant).
    pub node: Option<String>,
    /// The day it holds on (default today; a later day means today).
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// The labels' language (`en`, `ko`).
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// The full report, for a signed-in reader of the node.
///
/// # Errors
/// The node is unknown or outside the user's subtree; the store fails.
pub async fn full(state: &AppState, user: &cordon_core::user::User, q: &SitrepQuery) -> ApiResult<SituationReport> {
    let node = summary_node(state, user, q.node.as_deref()).await?;
    let scope = Scope::of(state, node, q.date).await?;
    report(state, &scope, Making { language: Language::from(q.lang.unwrap_or_default()), suppress_below: None }).await
}

/// The public variant, for anyone.
///
/// # Errors
/// No or an unknown node (404); the store fails.
pub async fn public(state: &AppState, q: &SitrepQuery) -> ApiResult<SituationReport> {
    let code = q.node.as_deref().map(str::trim).unwrap_or_default();
    let node = state.store.node_by_code(code).await?.ok_or_else(|| ApiError::not_found(Record::Jurisdiction, &code))?;
    let scope = Scope::of(state, node, q.date).await?;
    let below = scope.settings.public_suppression_below;
    report(state, &scope, Making { language: Language::from(q.lang.unwrap_or_default()), suppress_below: Some(below) }).await
}

/// The CSV layout: one line per figure.
pub const CSV_HEADER: [&str; 15] = [
    "section",
    "about",
    "measure",
    "counted",
    "period_from",
    "period_to",
    "place",
    "source",
    "as_of",
    "value",
    "interval_lower",
    "interval_upper",
    "suppressed_below",
    "label",
    "note",
];

/// The report as CSV text: one line per figure (and per note), each with
/// what it is.
///
/// # Errors
/// Writing fails (never, into memory).
pub fn csv_text(report: &SituationReport) -> Result<String, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER).map_err(ApiError::internal)?;
    let text = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for section in &report.sections {
        for row in &section.rows {
            for figure in &row.figures {
                let line = match figure {
                    Published::Shown(l) => {
                        let f = &l.figure;
                        let i = f.interval;
                        [
                            section.key.to_owned(),
                            row.about.clone(),
                            <&str>::from(f.measure).to_owned(),
                            <&str>::from(f.counted).to_owned(),
                            f.period.from.to_string(),
                            f.period.to.to_string(),
                            f.place.clone(),
                            f.source.clone(),
                            f.as_of.to_string(),
                            f.value.to_string(),
                            text(i.map(|i| i.lower)),
                            text(i.map(|i| i.upper)),
                            String::new(),
                            l.label.clone(),
                            String::new(),
                        ]
                    }
                    Published::Suppressed(s) => [
                        section.key.to_owned(),
                        row.about.clone(),
                        <&str>::from(s.measure).to_owned(),
                        <&str>::from(s.counted).to_owned(),
                        s.period.from.to_string(),
                        s.period.to.to_string(),
                        s.place.clone(),
                        s.source.clone(),
                        s.as_of.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                        s.suppressed_below.to_string(),
                        s.label.clone(),
                        String::new(),
                    ],
                };
                out.write_record(&line).map_err(ApiError::internal)?;
            }
            for note in &row.notes {
                let mut line: [String; 15] = Default::default();
                section.key.clone_into(&mut line[0]);
                line[1].clone_from(&row.about);
                line[14].clone_from(note);
                out.write_record(&line).map_err(ApiError::internal)?;
            }
        }
    }
    String::from_utf8(out.into_inner().map_err(ApiError::internal)?).map_err(ApiError::internal)
}

/// A CSV answer with a file name.
#[must_use]
pub fn csv_response(report: &SituationReport, text: String) -> Response {
    let name = format!("attachment; filename=\"sitrep-{}-{}{}.csv\"", report.code, report.date, if report.public { "-public" } else { "" });
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)], text).into_response()
}

/// A node's situation report on a day: at home, isolation and quarantine,
/// Rt, completeness, response times, alerts, measures, the curve and the
/// areas below, every number a figure with its label.
#[utoipa::path(get, path = "/sitrep", tag = "summaries", params(SitrepQuery),
    responses((status = 200, body = SituationReport), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn sitrep(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SitrepQuery>,
) -> ApiResult<Json<SituationReport>> {
    Ok(Json(full(&state, &user, &q).await?))
}

/// The same report as CSV, one line per figure.
#[utoipa::path(get, path = "/sitrep.csv", tag = "summaries", params(SitrepQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn sitrep_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<SitrepQuery>,
) -> ApiResult<Response> {
    let report = full(&state, &user, &q).await?;
    let text = csv_text(&report)?;
    Ok(csv_response(&report, text))
}

/// The public variant of a node's situation report (no sign-in): aggregates
/// only, counts of people below the suppression threshold given as "fewer than N".
#[utoipa::path(get, path = "/public/sitrep", tag = "summaries", params(SitrepQuery), security(()),
    responses((status = 200, body = SituationReport), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn public_sitrep(State(state): State<AppState>, AppQuery(q): AppQuery<SitrepQuery>) -> ApiResult<Json<SituationReport>> {
    Ok(Json(public(&state, &q).await?))
}

/// The public variant as CSV.
#[utoipa::path(get, path = "/public/sitrep.csv", tag = "summaries", params(SitrepQuery), security(()),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn public_sitrep_csv(State(state): State<AppState>, AppQuery(q): AppQuery<SitrepQuery>) -> ApiResult<Response> {
    let report = public(&state, &q).await?;
    let text = csv_text(&report)?;
    Ok(csv_response(&report, text))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sitrep))
        .routes(routes!(sitrep_csv))
        .routes(routes!(public_sitrep))
        .routes(routes!(public_sitrep_csv))
}
