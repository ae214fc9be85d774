//! Response times and daily-report filing of a node as figures: the last 7
//! days beside the 7 before (the trend), each of the last four weeks, each
//! child over the last 7 days, and the units' daily reports over 7 and 28
//! days beside the periods before.

use cordon_core::figure::{Figure, Period};
use cordon_core::response::{About, DailyTally, ResponseTally, filing_figures, response_figures};
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{SOURCE, Scope};
use crate::error::ApiError;
use crate::state::AppState;

/// A node's or a child's figures over one period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Span {
    /// The place (a child's code, or the node's own).
    pub code: String,
    /// Its name.
    #[serde(skip)]
    pub name: String,
    /// The days.
    pub period: Period,
    /// The figures (none when nothing was measured).
    pub figures: Vec<Figure>,
}

/// Everything about how fast a node answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Responses {
    /// Investigations opened in the last 7 days: hours to acknowledgement
    /// and to the first visit, share acknowledged in time.
    pub last_7_days: Span,
    /// The same for the 7 days before, to show the trend.
    pub previous_7_days: Span,
    /// The same for each of the last four 7-day weeks, oldest first.
    pub weeks: Vec<Span>,
    /// The same for each child over the last 7 days.
    pub children: Vec<Span>,
    /// Daily unit reports over 7 and 28 days and the periods before them:
    /// completeness and timeliness.
    pub filing: Vec<Span>,
}

fn about(place: &str, from: Date, to: Date) -> About {
    About { period: Period { from, to }, place: place.to_owned(), source: SOURCE.into() }
}

fn figures_span(scope: &Scope, code: &str, place: &str, tally: &ResponseTally, (from, to): (Date, Date)) -> Span {
    let mut figures = response_figures(tally, &about(place, from, to));
    for f in &mut figures {
        f.as_of = scope.day;
    }
    Span { code: code.to_owned(), name: place.to_owned(), period: Period { from, to }, figures }
}

/// The periods the filing figures cover: the last 7 days, the 7 before,
/// the last 28 days and the 28 before.
fn filing_periods(scope: &Scope) -> Vec<(Date, Date)> {
    [(7, 0), (7, 7), (28, 0), (28, 28)].into_iter().map(|(days, back)| (scope.days_back(back + days - 1), scope.days_back(back))).collect()
}

/// The filing figures of the scope's node for `periods` from their tallies.
fn filing_spans(scope: &Scope, periods: Vec<(Date, Date)>, tallies: Vec<DailyTally>) -> Vec<Span> {
    let node = &scope.node;
    periods
        .into_iter()
        .zip(tallies)
        .map(|((from, to), tally)| {
            let mut figures = filing_figures(tally, &about(&node.name, from, to));
            for f in &mut figures {
                f.as_of = scope.day;
            }
            Span { code: node.code.clone(), name: node.name.clone(), period: Period { from, to }, figures }
        })
        .collect()
}

/// The 7-day week ending `back` days before the scope's day.
fn week(scope: &Scope, back: i64) -> (Date, Date) {
    (scope.days_back(back + 6), scope.days_back(back))
}

/// The response times and filing of the scope's node, from the response
/// read model (the investigations of each of the last four weeks, and the
/// children's last 7 days, summed by the database) and the daily reports'
/// tallies.
///
/// # Errors
/// The store fails.
pub async fn responses(state: &AppState, scope: &Scope) -> Result<Responses, ApiError> {
    let node = &scope.node;
    let periods = filing_periods(scope);
    // Independent reads, each on a reading connection of its own.
    let weeks: Vec<(Date, Date)> = [21, 14, 7, 0].into_iter().map(|back| week(scope, back)).collect();
    let (by_week, by_child, children, tallies) = tokio::try_join!(
        state.store.response_spans(&node.path, &weeks),
        state.store.response_by_child(&node.path, scope.days_back(6), scope.day),
        state.store.children(node.id),
        state.store.daily_tallies(&node.path, &periods, scope.now),
    )?;
    let weeks: Vec<Span> =
        weeks.into_iter().zip(&by_week).map(|(w, tally)| figures_span(scope, &node.code, &node.name, tally, w)).collect();
    let children = children
        .into_iter()
        .map(|child| {
            let tally = by_child.get(&child.path).cloned().unwrap_or_default();
            figures_span(scope, &child.code, &child.name, &tally, week(scope, 0))
        })
        .collect();
    Ok(Responses {
        last_7_days: weeks[3].clone(),
        previous_7_days: weeks[2].clone(),
        weeks,
        children,
        filing: filing_spans(scope, periods, tallies),
    })
}

/// What the board shows of [`responses`]: the node's last 7 days, the 7
/// before, and the filing (without the weeks before nor the children).
///
/// # Errors
/// The store fails.
pub async fn recent_responses(state: &AppState, scope: &Scope) -> Result<(Span, Span, Vec<Span>), ApiError> {
    let node = &scope.node;
    let periods = filing_periods(scope);
    let weeks = [week(scope, 0), week(scope, 7)];
    let (by_week, tallies) =
        tokio::try_join!(state.store.response_spans(&node.path, &weeks), state.store.daily_tallies(&node.path, &periods, scope.now))?;
    let span = |i: usize| figures_span(scope, &node.code, &node.name, &by_week[i], weeks[i]);
    Ok((span(0), span(1), filing_spans(scope, periods, tallies)))
}
