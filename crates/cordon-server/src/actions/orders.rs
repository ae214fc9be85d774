//! Command decisions on orders and handovers: extending an order, releasing
//! it early and taking on a handover. The order is loaded, the officer's
//! right checked and the core (`order::extend`, `order::release_early`)
//! decides inside the store's transaction.

use cordon_core::contact::Handover;
use cordon_core::order::Order;
use cordon_core::policy::Action;
use cordon_core::user::User;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::authorise;
use crate::error::ApiResult;
use crate::state::AppState;

/// Extension of an order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The new last day, after the current one.
    pub ends_on: Date,
    /// Why.
    pub reason: String,
}

/// Early release of an order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Why the order ends before its last day.
    pub reason: String,
}

/// Extends the order `id` for the command officer `user`.
pub async fn extend(state: &AppState, user: &User, id: Uuid, body: &Extension) -> ApiResult<Order> {
    Ok(state.store.extend_order(user, id, body.ends_on, &body.reason, state.now()).await?)
}

/// Releases the order `id` early for the command officer `user`.
pub async fn release(state: &AppState, user: &User, id: Uuid, body: &Release) -> ApiResult<Order> {
    Ok(state.store.release_order_early(user, id, &body.reason, state.now()).await?)
}

/// Takes on the handover `id` for `user`'s jurisdiction, if their role may
/// direct orders.
pub async fn accept_handover(state: &AppState, user: &User, id: Uuid) -> ApiResult<Handover> {
    authorise(user, Action::DirectOrders, &user.node_path)?;
    Ok(state.store.accept_handover(user, id, state.now()).await?)
}
