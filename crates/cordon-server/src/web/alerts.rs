//! The command's alert pages: the alerts of a node's subtree, newest period
//! first and filtered by status, and one alert with its series drawn
//! ([`super::alert_chart`]), its review history and the review forms.
//!
//! Reading and deciding go through the API's own functions
//! ([`crate::api::alerts::alert_detail`], [`crate::actions::alerts::decide`]):
//! the same subtree scope, the same policy (`Action::ReviewAlert`), the same
//! note rule and the same store transition with its audit record and live
//! event, so a page can never do what the API would refuse.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::alert::{Alert, AlertDecision, AlertStatus, ReviewInput};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_store::alerts::AlertFilter;
use serde::Deserialize;

use super::form::Note;
use super::widgets::alert_chart;
use super::widgets::names::Names;
use super::{
    Chrome, Crumb, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, breadcrumbs, local_time, page_node, render, render_with,
    see_other,
};
use crate::actions::alerts::decide as decide_alert;
use crate::actions::alerts::{AlertDetail, alert_detail};
use crate::detection::SeriesPoint;
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(list))
        .route("/alerts/{id}", get(alert_page))
        .route("/alerts/{id}/review", post(review))
        .route("/alerts/{id}/verify", post(verify))
        .route("/alerts/{id}/discard", post(discard))
}

/// The CSS class of an alert status.
#[must_use]
pub fn status_class(status: AlertStatus) -> &'static str {
    match status {
        AlertStatus::New => "status-overdue",
        AlertStatus::UnderReview => "status-on-way",
        AlertStatus::Verified => "status-case",
        AlertStatus::Discarded => "status-closed",
    }
}

/// A count as shown: whole numbers without decimals, others with one.
#[must_use]
#[expect(clippy::cast_possible_truncation, reason = "a whole count of reports or cases, far inside i64")]
pub fn count(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 { format!("{}", value.round() as i64) } else { format!("{value:.1}") }
}

fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), count)
}

/// An alert as the list shows it.
#[derive(Debug, Clone)]
pub struct AlertRow {
    /// Link to the alert's page.
    pub href: String,
    /// The node's code.
    pub code: String,
    /// The node's name.
    pub name: String,
    /// The syndrome.
    pub syndrome: &'static str,
    /// The method.
    pub method: &'static str,
    /// The period (a day, or first – last day).
    pub period: String,
    /// The count observed.
    pub observed: String,
    /// The threshold exceeded.
    pub bound: String,
    /// The status text.
    pub status: &'static str,
    /// The status's CSS class.
    pub class: &'static str,
}

fn period_text(alert_start: jiff::civil::Date, alert_end: jiff::civil::Date) -> String {
    if alert_start == alert_end { alert_end.to_string() } else { format!("{alert_start} – {alert_end}") }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    new_count: i64,
    rows: Vec<AlertRow>,
    filtered: bool,
}

/// The status filter of the list: empty or `all` for every status.
fn status_filter(raw: Option<&str>) -> Result<Option<AlertStatus>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty() && *s != "all") {
        None => Ok(None),
        Some(s) => AlertStatus::parse(s).map(Some).ok_or_else(|| {
            let known = AlertStatus::ALL.map(AlertStatus::as_str).join(", ");
            ApiError::bad_field("status", Reason::OneOf { choices: known })
        }),
    }
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let status = status_filter(q.status.as_deref())?;
    let filter = AlertFilter { status, syndrome: None, since: None };
    let alerts = state.store.alerts_under(&node.path, &filter, 300).await?;
    let places = Names::of(&state, alerts.iter().map(|a| a.node_id)).await?;
    let rows = alerts
        .iter()
        .map(|alert| AlertRow {
            href: format!("/alerts/{}", alert.id),
            code: alert.node_path.code().to_owned(),
            name: places.get(alert.node_id),
            syndrome: t.syndrome(alert.syndrome),
            method: t.detection_method(alert.method),
            period: period_text(alert.period_start, alert.period_end),
            observed: count(alert.observed),
            bound: optional(alert.upper_bound),
            status: t.alert_status(alert.status),
            class: status_class(alert.status),
        })
        .collect();
    let chosen = status.map_or("all", AlertStatus::as_str);
    let statuses = std::iter::once(("all", t.get("alerts_filter_all"), chosen == "all"))
        .chain(AlertStatus::ALL.into_iter().map(|s| (s.as_str(), t.alert_status(s), s.as_str() == chosen)))
        .collect();
    let page = AlertsPage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(&state, &viewer, &node).await?,
        new_count: state.store.count_alerts_under(&node.path, AlertStatus::New).await?,
        node,
        statuses,
        rows,
        filtered: status.is_some(),
    };
    render(&page)
}

/// One step of an alert's review as the page lists it.
#[derive(Debug, Clone)]
pub struct ReviewLine {
    /// When (local time).
    pub at: String,
    /// The officer's name.
    pub officer: String,
    /// From which status to which.
    pub change: String,
    /// The officer's note.
    pub note: String,
}

/// One period of the series as the table under the chart lists it.
#[derive(Debug, Clone)]
pub struct SeriesRow {
    /// The period.
    pub period: String,
    /// The count observed.
    pub observed: String,
    /// The count expected.
    pub expected: String,
    /// The upper bound.
    pub bound: String,
    /// Whether the period alarmed.
    pub alarm: bool,
}

/// One review form: the decision it posts, its texts and what was typed.
#[derive(Debug, Clone)]
pub struct DecisionForm {
    /// The decision's path segment and field prefix (`review`, `verify`, `discard`).
    pub name: &'static str,
    /// The form's heading.
    pub heading: &'static str,
    /// The button's text.
    pub button: &'static str,
    /// The note typed, kept after an error.
    pub note: String,
    /// Why the note was refused, if it was.
    pub error: Option<Notes>,
}

#[derive(Template)]
#[template(path = "alert.html")]
struct AlertPage {
    t: Lang,
    c: Chrome,
    id: String,
    node_code: String,
    place: String,
    syndrome: &'static str,
    method: &'static str,
    period: String,
    observed: String,
    expected: String,
    bound: String,
    status: &'static str,
    class: &'static str,
    raised: String,
    svg: String,
    caption: String,
    series: Vec<SeriesRow>,
    reviews: Vec<ReviewLine>,
    forms: Vec<DecisionForm>,
    problems: Vec<Notes>,
    flash: Option<&'static str>,
}

fn decision_name(decision: AlertDecision) -> &'static str {
    match decision {
        AlertDecision::Review => "review",
        AlertDecision::Verify => "verify",
        AlertDecision::Discard => "discard",
    }
}

/// What was posted, to show again with its errors.
struct Posted {
    decision: AlertDecision,
    note: String,
    errors: FieldErrors,
}

/// The alert page: the alert, its chart and series, its reviews and the
/// forms its status allows (with what was posted, if a form came back).
async fn alert_view(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    posted: Option<Posted>,
    flash: Option<&'static str>,
) -> WebResult<AlertPage> {
    let t = viewer.lang;
    let detail = alert_detail(state, &viewer.user, id).await?;
    let alert: &Alert = &detail.alert;
    let zone = state.store.settings().await?.zone();
    let names = Names::of(state, std::iter::once(alert.node_id).chain(detail.reviews.iter().map(|r| r.officer_id))).await?;
    let place = names.get(alert.node_id);
    let (svg, caption) = chart(t, &detail, &place)?;
    let series = detail
        .series
        .iter()
        .map(|p: &SeriesPoint| SeriesRow {
            period: period_text(p.period_start, p.period_end),
            observed: count(p.observed),
            expected: optional(p.expected),
            bound: optional(p.upper_bound),
            alarm: p.alarm == Some(true),
        })
        .collect();
    let reviews = detail
        .reviews
        .iter()
        .map(|r| ReviewLine {
            at: local_time(r.at, &zone),
            officer: names.get(r.officer_id),
            change: format!("{} → {}", t.alert_status(r.from), t.alert_status(r.to)),
            note: r.note.clone(),
        })
        .collect();
    let may_review = viewer.may(Action::ReviewAlert, &alert.node_path).is_ok();
    let decisions = if may_review { alert.status.allowed_decisions() } else { &[] };
    let (forms, problems) = decision_forms(t, decisions, posted.as_ref());
    Ok(AlertPage {
        t,
        c: viewer.chrome(),
        id: alert.id.to_string(),
        node_code: alert.node_path.code().to_owned(),
        place,
        syndrome: t.syndrome(alert.syndrome),
        method: t.detection_method(alert.method),
        period: period_text(alert.period_start, alert.period_end),
        observed: count(alert.observed),
        expected: optional(alert.expected),
        bound: optional(alert.upper_bound),
        status: t.alert_status(alert.status),
        class: status_class(alert.status),
        raised: local_time(alert.raised_at, &zone),
        svg,
        caption,
        series,
        reviews,
        forms,
        problems,
        flash,
    })
}

/// The alert's chart and its caption (both empty without a series).
fn chart(t: Lang, detail: &AlertDetail, place: &str) -> WebResult<(String, String)> {
    let alert = &detail.alert;
    let (Some(first), Some(last)) = (detail.series.first(), detail.series.last()) else { return Ok((String::new(), String::new())) };
    let svg = alert_chart::svg(t, &detail.series, alert.method.is_weekly()).map_err(ApiError::internal)?;
    let caption = t.fill(
        "alert_chart_caption",
        format!("{} · {place} ({}), {} – {}", t.syndrome(alert.syndrome), alert.node_path.code(), first.period_start, last.period_end),
    );
    Ok((svg, caption))
}

/// The forms of the decisions offered, with what was posted on the one that
/// came back, and the problems to show above them.
fn decision_forms(t: Lang, decisions: &[AlertDecision], posted: Option<&Posted>) -> (Vec<DecisionForm>, Vec<Notes>) {
    let forms = decisions
        .iter()
        .map(|d| {
            let mine = posted.filter(|p| p.decision == *d);
            DecisionForm {
                name: decision_name(*d),
                heading: t.get(match d {
                    AlertDecision::Review => "alert_review_heading",
                    AlertDecision::Verify => "alert_verify_heading",
                    AlertDecision::Discard => "alert_discard_heading",
                }),
                button: t.get(match d {
                    AlertDecision::Review => "alert_review_button",
                    AlertDecision::Verify => "alert_verify_button",
                    AlertDecision::Discard => "alert_discard_button",
                }),
                note: mine.map(|p| p.note.clone()).unwrap_or_default(),
                error: mine.and_then(|p| p.errors.get("note")),
            }
        })
        .collect::<Vec<_>>();
    let mut problems = Vec::new();
    if let Some(p) = posted {
        problems = p.errors.other(&["note"]);
        // A note refused on a form no longer shown (the alert moved on) is still said.
        if !forms.iter().any(|f| f.name == decision_name(p.decision))
            && let Some(e) = p.errors.get("note")
        {
            problems.push(Notes(
                e.0.into_iter().map(|n| Note { part: Some(n.part.unwrap_or_else(|| "note".into())), shown: n.shown }).collect(),
            ));
        }
    }
    (forms, problems)
}

#[derive(Debug, Deserialize)]
struct AlertQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn alert_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<AlertQuery>,
) -> WebResult<Response> {
    let flash = match q.done.as_deref() {
        Some("review") => Some(viewer.lang.get("alert_flash_review")),
        Some("verify") => Some(viewer.lang.get("alert_flash_verify")),
        Some("discard") => Some(viewer.lang.get("alert_flash_discard")),
        _ => None,
    };
    render(&alert_view(&state, &viewer, &id, None, flash).await?)
}

/// Posts a decision through the API's function; a refused note or an
/// illegal move shows the page again with the error and changes nothing.
async fn decide(state: &AppState, viewer: &Viewer, id: &str, decision: AlertDecision, form: &FormData) -> WebResult<Response> {
    let input = ReviewInput { note: form.get("note").to_owned() };
    let status = match decide_alert(state, &viewer.user, id, decision, &input).await {
        Ok(alert) => return Ok(see_other(&format!("/alerts/{}?done={}", alert.id, decision_name(decision)))),
        Err(e @ ApiError::Invalid(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e),
        Err(e @ ApiError::Conflict { .. }) => (StatusCode::CONFLICT, e),
        Err(e) => return Err(e.into()),
    };
    let (code, error) = status;
    let mut errors = FieldErrors::none();
    errors.absorb(error)?;
    let posted = Posted { decision, note: form.get("note").to_owned(), errors };
    let page = alert_view(state, viewer, id, Some(posted), None).await?;
    render_with(code, &page)
}

async fn review(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>, form: FormData) -> WebResult<Response> {
    decide(&state, &viewer, &id, AlertDecision::Review, &form).await
}

async fn verify(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>, form: FormData) -> WebResult<Response> {
    decide(&state, &viewer, &id, AlertDecision::Verify, &form).await
}

async fn discard(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>, form: FormData) -> WebResult<Response> {
    decide(&state, &viewer, &id, AlertDecision::Discard, &form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_drop_needless_decimals() {
        assert_eq!(count(13.0), "13");
        assert_eq!(count(4.5678), "4.6");
        assert_eq!(optional(None), "–");
    }

    #[test]
    fn the_status_filter_takes_all_or_a_known_status() {
        assert_eq!(status_filter(Some("all")).unwrap(), None);
        assert_eq!(status_filter(Some("")).unwrap(), None);
        assert_eq!(status_filter(Some("under_review")).unwrap(), Some(AlertStatus::UnderReview));
        assert!(matches!(status_filter(Some("open")), Err(ApiError::BadRequest { .. })));
    }
}
