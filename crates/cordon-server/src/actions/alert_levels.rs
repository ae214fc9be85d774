//! Alert levels: the signals of a node read from the maintained figures, the
//! core's recommendation, and the level a command officer sets.

use cordon_core::alert::AlertStatus;
use cordon_core::alert_level::{self, LevelInput, LevelSet, Recommendation, Signals};
use cordon_core::case::CaseStatus;
use cordon_core::jurisdiction::Node;
use cordon_core::user::User;
use jiff::Span;

use crate::error::ApiResult;
use crate::state::AppState;

/// The signals the rules read for `node` now: open alerts, 7-day incidence
/// per 100,000 and its week-on-week growth (cases not discarded), the share
/// of units silent yesterday, overdue tasks, and the level in force.
pub async fn signals(state: &AppState, node: &Node) -> ApiResult<Signals> {
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let days = |n: i64| today.checked_sub(Span::new().days(n)).unwrap_or(today);
    let cases = state.store.cases_by_day(&node.path, days(13), today).await?;
    let counted = |from, to| -> i64 {
        cases.iter().filter(|c| c.status != Some(CaseStatus::Discarded) && from <= c.date && c.date <= to).map(|c| c.count).sum()
    };
    let (this_week, last_week) = (counted(days(6), today), counted(days(13), days(7)));
    let open = state.store.count_alerts_under(&node.path, AlertStatus::New).await?
        + state.store.count_alerts_under(&node.path, AlertStatus::UnderReview).await?;
    let (completeness, _) = state.store.completeness(&node.path, days(1), now).await?;
    let board = state.store.board_counts(&node.path, today, now, now).await?;
    let current = state.store.alert_level_history(&node.path, 1).await?.first().map_or(0, |l| l.level);
    let signals = Signals {
        current,
        incidence_7d_per_100k: (node.population > 0).then(|| this_week as f64 * 100_000.0 / node.population as f64),
        growth_week_on_week: (last_week > 0).then(|| this_week as f64 / last_week as f64),
        open_alerts: u32::try_from(open).unwrap_or(u32::MAX),
        silent_share: if completeness.units > 0 { completeness.silent as f64 / completeness.units as f64 } else { 0.0 },
        overdue_tasks: u32::try_from(board.overdue_tasks).unwrap_or(u32::MAX),
        neighbours_7d_per_100k: None,
    };
    Ok(signals)
}

/// What the rules recommend for `node` now, with the signals they read.
pub async fn recommendation(state: &AppState, node: &Node) -> ApiResult<(Signals, Recommendation)> {
    let signals = signals(state, node).await?;
    Ok((signals, alert_level::recommend(&signals)))
}

/// Sets a node's level for the command officer `user`, keeping the
/// recommendation the rules give now beside it.
pub async fn set(state: &AppState, user: &User, input: &LevelInput) -> ApiResult<LevelSet> {
    let node = state.store.node_by_code(input.node_code.trim()).await?;
    // The signals are read for the recommendation kept beside the decision;
    // whether the officer may set the level is decided in the transaction.
    let signals = match &node {
        Some(node) => signals(state, node).await?,
        None => Signals::default(),
    };
    Ok(state.store.set_alert_level(user, input, signals, state.now()).await?)
}
