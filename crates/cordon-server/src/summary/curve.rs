//! The epidemic curve as figures: for every day of the window, the symptom
//! reports received and the cases by day of onset, by classification (zero
//! days included, discarded cases left out).

use std::collections::HashMap;

use cordon_core::figure::{Counted, Figure, Measure};
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::board::counted_as;
use super::{Scope, count};
use crate::error::ApiError;
use crate::state::AppState;

/// One day of the curve.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CurveDay {
    /// The day.
    pub date: Date,
    /// Its figures: reports, then suspected, probable and confirmed cases.
    pub figures: Vec<Figure>,
}

/// The curve of the scope's node for the days `from..=` its day.
///
/// # Errors
/// The store fails.
pub async fn days(state: &AppState, scope: &Scope, from: Date) -> Result<Vec<CurveDay>, ApiError> {
    let to = scope.day;
    let reports = state.store.reports_by_day(&scope.node.path, from, to).await?;
    let cases = state.store.cases_by_day(&scope.node.path, from, to).await?;
    let mut by_day: HashMap<Date, i64> = HashMap::new();
    for r in &reports {
        *by_day.entry(r.date).or_default() += r.count;
    }
    let mut by_status: HashMap<(Date, Counted), i64> = HashMap::new();
    for c in &cases {
        if let Some(counted) = c.status.and_then(counted_as) {
            *by_status.entry((c.date, counted)).or_default() += c.count;
        }
    }
    let mut curve = Vec::new();
    let mut day = from;
    while day <= to {
        let mut figures =
            vec![scope.figure(count(by_day.get(&day).copied().unwrap_or(0)), Measure::New, Counted::SymptomReports, (day, day))];
        for counted in [Counted::SuspectedCases, Counted::ProbableCases, Counted::ConfirmedCases] {
            let n = by_status.get(&(day, counted)).copied().unwrap_or(0);
            figures.push(scope.figure(count(n), Measure::New, counted, (day, day)));
        }
        curve.push(CurveDay { date: day, figures });
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    Ok(curve)
}

/// Cases by day of onset (not discarded), `from..=to`, one number a day:
/// the incidence Rt is estimated from.
///
/// # Errors
/// The store fails.
pub async fn incidence(state: &AppState, scope: &Scope, from: Date) -> Result<Vec<f64>, ApiError> {
    let cases = state.store.cases_by_day(&scope.node.path, from, scope.day).await?;
    let mut by_day: HashMap<Date, i64> = HashMap::new();
    for c in cases.iter().filter(|c| c.status.and_then(counted_as).is_some()) {
        *by_day.entry(c.date).or_default() += c.count;
    }
    let mut out = Vec::new();
    let mut day = from;
    while day <= scope.day {
        out.push(count(by_day.get(&day).copied().unwrap_or(0)));
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    Ok(out)
}
