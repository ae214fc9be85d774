//! The board's counts as figures: symptom reports today, tasks open and
//! overdue, escalations in the last 24 hours, new detection alerts, cases by
//! classification since counting began, deaths, and the people under
//! isolation and quarantine.

use cordon_core::alert::AlertStatus;
use cordon_core::case::CaseStatus;
use cordon_core::figure::{Counted, Figure, Measure};
use jiff::SignedDuration;

use super::{Scope, count};
use crate::error::ApiError;
use crate::state::AppState;

/// What a case status is counted as (`None`: discarded cases are not cases).
#[must_use]
pub fn counted_as(status: CaseStatus) -> Option<Counted> {
    match status {
        CaseStatus::Suspected => Some(Counted::SuspectedCases),
        CaseStatus::Probable => Some(Counted::ProbableCases),
        CaseStatus::Confirmed => Some(Counted::ConfirmedCases),
        CaseStatus::Discarded => None,
    }
}

/// The board's figures for the scope's node.
///
/// # Errors
/// The store fails.
pub async fn figures(state: &AppState, scope: &Scope) -> Result<Vec<Figure>, ApiError> {
    let (day, now) = (scope.day, scope.now);
    let since = now.checked_sub(SignedDuration::from_hours(24)).unwrap_or(now);
    let board = state.store.board_counts(&scope.node.path, day, now, since).await?;
    let bounds = cordon_store::response::day_bounds(&scope.settings, day, day);
    let home = state.store.home_counts(&scope.node.path, (day, day), bounds).await?;
    let new_alerts = state.store.count_alerts_under(&scope.node.path, AlertStatus::New).await?;
    let began = home.counting_since.unwrap_or(day);
    let today = (day, day);
    let mut figures = vec![
        scope.figure(count(board.reports_today), Measure::New, Counted::SymptomReports, today),
        scope.figure(count(home.reports.total), Measure::Cumulative, Counted::SymptomReports, (began, day)),
        scope.figure(count(board.open_tasks), Measure::Current, Counted::OpenTasks, today),
        scope.figure(count(board.overdue_tasks), Measure::Current, Counted::OverdueTasks, today),
        scope.figure(count(board.recent_escalations), Measure::New, Counted::Escalations, (scope.days_back(1), day)),
        scope.figure(count(new_alerts), Measure::Current, Counted::Alerts, today),
    ];
    for (status, n) in &home.cases {
        if let Some(counted) = counted_as(*status) {
            figures.push(scope.figure(count(n.new), Measure::New, counted, today));
            figures.push(scope.figure(count(n.total), Measure::Cumulative, counted, (began, day)));
        }
    }
    figures.push(scope.figure(count(home.deaths.total), Measure::Cumulative, Counted::Deaths, (began, day)));
    figures.push(scope.figure(count(home.isolated), Measure::Current, Counted::Isolated, today));
    figures.push(scope.figure(count(home.quarantined), Measure::Current, Counted::Quarantined, today));
    Ok(figures)
}
