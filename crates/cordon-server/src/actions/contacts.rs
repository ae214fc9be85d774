//! Listing a contact of a case: the right to work on the case, the person
//! named and the quarantine are checked and decided by `contact::admit` and
//! `contact::decide` inside the store's transaction.

use cordon_core::contact::ContactInput;
use cordon_core::user::User;
use cordon_store::contacts::Listed;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// Lists a contact of the case `case_id` for `user`.
pub async fn list(state: &AppState, user: &User, case_id: Uuid, input: &ContactInput) -> ApiResult<Listed> {
    Ok(state.store.list_contact(user, case_id, input, state.now()).await?)
}
