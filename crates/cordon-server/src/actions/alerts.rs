//! An officer's decision on an alert (review, verify, discard): the alert's
//! scope, the officer's right, the note and the transition are checked and
//! decided (`alert::decide`) inside the store's transaction.

use cordon_core::alert::{Alert, AlertDecision, ReviewInput};
use cordon_core::user::User;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The alert id in a request path; anything but a UUID is a 400 naming `id`.
pub fn parse_id(raw: &str) -> ApiResult<Uuid> {
    raw.parse().map_err(|_| ApiError::bad_field("id", format!("{raw:?} is not a UUID")))
}

/// Applies `user`'s decision on the alert `raw_id` with the note of `input`.
pub async fn decide(state: &AppState, user: &User, raw_id: &str, decision: AlertDecision, input: &ReviewInput) -> ApiResult<Alert> {
    let id = parse_id(raw_id)?;
    Ok(state.store.decide_alert(user, id, decision, input, state.now()).await?)
}
