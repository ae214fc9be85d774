//! The use-cases the JSON API and the HTML pages share, one file per
//! workflow. Each takes the signed-in user and parsed input, hands it to one
//! store method (which loads what the rule needs, lets the core decide and
//! persists the decision with its audit records and events in one
//! transaction) and returns the result; the API handlers (`api/*`) and the
//! page POST handlers (`web/*`) only translate their input and output.
//!
//! The helpers here resolve the jurisdiction nodes named in reads and apply
//! the access policy, for both callers.

pub mod abroad;
pub mod account;
pub mod alert_levels;
pub mod alerts;
pub mod arrivals;
pub mod cases;
pub mod contacts;
pub mod daily;
pub mod directives;
pub mod exports;
pub mod gatherings;
pub mod investigations;
pub mod jurisdictions;
pub mod lectures;
pub mod orders;
pub mod reports;
pub mod rosters;
pub mod rumours;
pub mod settings;
pub mod tasks;
pub mod users;

use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::policy::{self, Action};
use cordon_core::user::User;

use crate::error::ApiResult;
use crate::state::AppState;

/// Applies the access policy.
pub fn authorise(user: &User, action: Action, target: &NodePath) -> ApiResult<()> {
    Ok(policy::authorise(user, action, target)?)
}

/// Finds a node and checks that `user` may perform `action` there
/// ([`policy::named_node`]); an unknown code is a 422 and a node outside the
/// user's subtree a 403, each naming the field. For reads and list scopes
/// only: a change loads and checks the node it names inside its own
/// transaction instead.
pub async fn node_in_scope(state: &AppState, user: &User, code: &str, field: &'static str, action: Action) -> ApiResult<Node> {
    let found = state.store.node_by_code(code.trim()).await?;
    Ok(policy::named_node(user, action, (field, code), found.as_ref())?.clone())
}

/// The node a list is scoped to: the named one (checked) or the user's anchor.
pub async fn scope(state: &AppState, user: &User, code: Option<&str>) -> ApiResult<NodePath> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Ok(node_in_scope(state, user, code, "node", Action::Read).await?.path),
        None => Ok(user.node_path.clone()),
    }
}
