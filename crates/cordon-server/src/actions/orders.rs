//! Command decisions on orders and handovers: extending an order, releasing
//! it early and taking on a handover. The order is loaded, the officer's
//! right checked and the core (`order::extend`, `order::release_early`)
//! decides inside the store's transaction.

use cordon_core::contact::Handover;
use cordon_core::jurisdiction::NodePath;
use cordon_core::order::Order;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::user::User;
use cordon_store::orders::OrderFilter;
use cordon_store::paging::{Page, PageRequest};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::authorise;
use crate::error::{ApiError, ApiResult};
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

/// A page of the orders `filter` selects: those at its status when given,
/// else those in force when asked, else all. Shared by the API and the
/// orders page.
pub async fn orders_in(state: &AppState, filter: &OrderFilter, request: &PageRequest<Date>) -> ApiResult<Page<Order, Date>> {
    Ok(state.store.orders_page(filter, request).await?)
}

/// The order `id`, if `user` may perform `action` on it (a 404 when it does
/// not exist, a 403 outside the user's jurisdiction or role).
pub async fn order_for(state: &AppState, user: &User, id: Uuid, action: Action) -> ApiResult<Order> {
    let order = state.store.order(id).await?.ok_or_else(|| ApiError::not_found(Record::Order, &id))?;
    authorise(user, action, &order.area_path)?;
    Ok(order)
}

/// A page of the handovers received at or below `path`, newest first; the
/// caller has checked `path` is in the user's subtree. Shared by the API and
/// the handovers page.
pub async fn handovers_in(state: &AppState, path: &NodePath, request: &PageRequest<i64>) -> ApiResult<Page<Handover, i64>> {
    Ok(state.store.handovers_page(path, request).await?)
}
