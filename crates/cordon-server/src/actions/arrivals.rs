//! Registering an arrival at a point of entry: every check (the point of
//! entry, the officer's right, the places named, the closure, the quarantine
//! centre) is made by `arrival::decide` inside the store's transaction.

use cordon_core::arrival::ArrivalInput;
use cordon_core::user::User;
use cordon_store::arrivals::Registered;

use crate::error::ApiResult;
use crate::state::AppState;

/// Registers an arrival for the border officer `user`.
pub async fn register(state: &AppState, user: &User, input: &ArrivalInput) -> ApiResult<Registered> {
    Ok(state.store.register_arrival(user, input, state.now()).await?)
}
