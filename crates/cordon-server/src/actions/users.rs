//! Creating a user (administrators): the policy, the fields and the anchor
//! node are checked, the password hashed off the runtime, and the store
//! writes the user with its audit record.

use cordon_core::policy::Action;
use cordon_core::user::{User, UserInput};
use uuid::Uuid;

use super::{authorise, node_in_scope};
use crate::auth::hash_password;
use crate::error::ApiResult;
use crate::state::AppState;

/// Creates a user as `admin`.
pub async fn create(state: &AppState, admin: &User, input: &UserInput) -> ApiResult<User> {
    authorise(admin, Action::ManageUsers, &admin.node_path)?;
    input.check()?;
    let node = node_in_scope(state, admin, &input.node_code, "node_code", Action::ManageUsers).await?;
    let user = input.enrol(Uuid::now_v7(), &node);
    let hash = hash_password(input.password.clone()).await?;
    Ok(state.store.create_user(Some(admin.id), &user, &hash, state.now()).await?)
}
