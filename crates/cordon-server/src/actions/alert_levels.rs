//! Alert levels: the signals of a node read from the maintained figures, the
//! core's recommendation, and the level a command officer sets.

use cordon_core::alert_level::{self, LevelInput, LevelSet, Recommendation, Signals};
use cordon_core::jurisdiction::Node;
use cordon_core::user::User;

use crate::error::ApiResult;
use crate::state::AppState;

/// The signals the rules read for `node` now ([`cordon_store::Store::alert_signals`]).
pub async fn signals(state: &AppState, node: &Node) -> ApiResult<Signals> {
    Ok(state.store.alert_signals(node, state.now()).await?)
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
