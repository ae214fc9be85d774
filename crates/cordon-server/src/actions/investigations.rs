//! Recording the investigation of a case: the right to classify the case,
//! the facility, the source case, the classification and the isolation order
//! are checked and decided by `investigation::decide` inside the store's
//! transaction.

use cordon_core::investigation::InvestigationInput;
use cordon_core::user::User;
use cordon_store::investigations::Recorded;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// Records the investigation of the case `case_id` for `user`.
pub async fn record(state: &AppState, user: &User, case_id: Uuid, input: &InvestigationInput) -> ApiResult<Recorded> {
    Ok(state.store.record_investigation(user, case_id, input, state.now()).await?)
}
