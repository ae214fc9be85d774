//! Changing the jurisdiction tree (administrators): creating nodes and
//! facilities, naming the levels. The store loads the node named (or the
//! depth of the tree) and the core decides (`jurisdiction::place_node_by`,
//! `jurisdiction::facility_by`, `jurisdiction::relevel_by`), in one
//! transaction.

use cordon_core::jurisdiction::{Facility, FacilityInput, Node, NodeInput};
use cordon_core::user::User;

use crate::error::ApiResult;
use crate::state::AppState;

/// `admin` creates the node `input` describes.
pub async fn create_node(state: &AppState, admin: &User, input: &NodeInput) -> ApiResult<Node> {
    Ok(state.store.create_node_by(admin, input, state.now()).await?)
}

/// `admin` creates the facility `input` describes.
pub async fn create_facility(state: &AppState, admin: &User, input: &FacilityInput) -> ApiResult<Facility> {
    Ok(state.store.create_facility_by(admin, input, state.now()).await?)
}

/// `admin` names the levels of the tree, root first; returns them as stored.
pub async fn set_levels(state: &AppState, admin: &User, names: &[String]) -> ApiResult<Vec<String>> {
    Ok(state.store.set_levels(admin, names, state.now()).await?)
}
