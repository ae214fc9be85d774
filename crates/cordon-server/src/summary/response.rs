//! Response times and daily-report filing of a node as figures: the last 7
//! days beside the 7 before (the trend), each of the last four weeks, each
//! child over the last 7 days, and the units' daily reports over 7 and 28
//! days beside the periods before.

use std::collections::BTreeMap;

use cordon_core::figure::{Figure, Period};
use cordon_core::response::{About, ResponseTally, filing_figures, response_figures};
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

fn span_of(scope: &Scope, code: &str, place: &str, days: &BTreeMap<Date, ResponseTally>, (from, to): (Date, Date)) -> Span {
    let mut tally = ResponseTally::default();
    for (_, day) in days.range(from..=to) {
        tally.add(day);
    }
    figures_span(scope, code, place, &tally, (from, to))
}

fn figures_span(scope: &Scope, code: &str, place: &str, tally: &ResponseTally, (from, to): (Date, Date)) -> Span {
    let mut figures = response_figures(tally, &about(place, from, to));
    for f in &mut figures {
        f.as_of = scope.day;
    }
    Span { code: code.to_owned(), name: place.to_owned(), period: Period { from, to }, figures }
}

/// The response times and filing of the scope's node, from the response
/// read model (the investigations of the last 28 days as counts per day, and
/// the children's last 7 days) and the daily reports' tallies.
///
/// # Errors
/// The store fails.
pub async fn responses(state: &AppState, scope: &Scope) -> Result<Responses, ApiError> {
    let node = &scope.node;
    let days = state.store.response_days(&node.path, scope.days_back(27), scope.day).await?;
    let week = |back: i64| (scope.days_back(back + 6), scope.days_back(back));
    let weeks = [21, 14, 7, 0].into_iter().map(|back| span_of(scope, &node.code, &node.name, &days, week(back))).collect();
    let by_child = state.store.response_by_child(&node.path, scope.days_back(6), scope.day).await?;
    let children = state
        .store
        .children(node.id)
        .await?
        .into_iter()
        .map(|child| {
            let tally = by_child.get(&child.path).cloned().unwrap_or_default();
            figures_span(scope, &child.code, &child.name, &tally, week(0))
        })
        .collect();
    let mut filing = Vec::new();
    for (days, back) in [(7, 0), (7, 7), (28, 0), (28, 28)] {
        let (from, to) = (scope.days_back(back + days - 1), scope.days_back(back));
        let tally = state.store.daily_tally(&node.path, from, to, scope.now).await?;
        let mut figures = filing_figures(tally, &about(&node.name, from, to));
        for f in &mut figures {
            f.as_of = scope.day;
        }
        filing.push(Span { code: node.code.clone(), name: node.name.clone(), period: Period { from, to }, figures });
    }
    Ok(Responses {
        last_7_days: span_of(scope, &node.code, &node.name, &days, week(0)),
        previous_7_days: span_of(scope, &node.code, &node.name, &days, week(7)),
        weeks,
        children,
        filing,
    })
}
