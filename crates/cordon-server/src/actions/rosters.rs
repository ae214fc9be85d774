//! Putting a health worker on call and taking a shift off the roster
//! (command officers). The store loads the area and the worker named, or the
//! shift, and the core decides (`roster::put_on_call`, `roster::remove_by`),
//! in one transaction.

use cordon_core::roster::{Shift, ShiftInput};
use cordon_core::user::User;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// `officer` puts a health worker on call as `input` asks.
pub async fn put_on_call(state: &AppState, officer: &User, input: &ShiftInput) -> ApiResult<Shift> {
    Ok(state.store.put_on_call(officer, input, state.now()).await?)
}

/// `officer` removes the shift `id`; returns the shift removed.
pub async fn remove(state: &AppState, officer: &User, id: Uuid) -> ApiResult<Shift> {
    Ok(state.store.remove_shift(officer, id, state.now()).await?)
}
