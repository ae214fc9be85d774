//! Registering a planned gathering: the unit, the fields and the limits in
//! force are decided by `gathering::decide` inside the store's transaction.

use cordon_core::gathering::GatheringInput;
use cordon_core::user::User;
use cordon_store::gatherings::Registered;

use crate::error::ApiResult;
use crate::state::AppState;

/// Registers a gathering for `user` (a unit head, a worker or a command officer).
pub async fn register(state: &AppState, user: &User, input: &GatheringInput) -> ApiResult<Registered> {
    Ok(state.store.register_gathering(user, input, state.now()).await?)
}
