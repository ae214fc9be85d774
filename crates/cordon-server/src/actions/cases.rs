//! Classifying a case or recording its outcome. A change that asks for
//! nothing is refused at once; otherwise the store loads the case and the
//! core decides (`case::classify_by`), in one transaction.

use cordon_core::case::{Case, Classification};
use cordon_core::refusal::Reason;
use cordon_core::user::User;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `user` classifies the case `id` as `change` asks.
pub async fn classify(state: &AppState, user: &User, id: Uuid, change: Classification) -> ApiResult<Case> {
    if change.status.is_none() && change.outcome.is_none() {
        return Err(ApiError::bad_field("status", Reason::StatusOrOutcome));
    }
    Ok(state.store.classify_case(user, id, change, state.now()).await?)
}
