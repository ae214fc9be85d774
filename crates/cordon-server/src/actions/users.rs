//! Creating users and changing their standing (administrators). Creating: the
//! policy and the fields are checked, the password hashed off the runtime,
//! and the store loads the anchor node named, lets the core decide
//! (`user::enrol_by`) and writes the user with its audit record, in one
//! transaction. Activating or deactivating: the store loads the user and the
//! core decides (`user::set_active`), in one transaction.

use cordon_core::policy::Action;
use cordon_core::user::{User, UserInput};
use uuid::Uuid;

use super::authorise;
use crate::auth::hash_password;
use crate::error::ApiResult;
use crate::state::AppState;

/// Creates a user as `admin`.
pub async fn create(state: &AppState, admin: &User, input: &UserInput) -> ApiResult<User> {
    authorise(admin, Action::ManageUsers, &admin.node_path)?;
    input.check()?;
    let hash = hash_password(input.password.clone()).await?;
    Ok(state.store.enrol_user(admin, input, Uuid::now_v7(), &hash, state.now()).await?)
}

/// `admin` activates (`active`) or deactivates the user `id`.
pub async fn set_active(state: &AppState, admin: &User, id: Uuid, active: bool) -> ApiResult<User> {
    Ok(state.store.set_user_active(admin, id, active, state.now()).await?)
}
