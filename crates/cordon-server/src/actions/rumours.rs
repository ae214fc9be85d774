//! What residents say: logging and the command's answer are decided by
//! `rumour::decide` and `rumour::answer` inside the store's transaction.

use cordon_core::directive::Texts;
use cordon_core::rumour::{Rumour, RumourInput};
use cordon_core::user::User;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// Logs a rumour heard in a unit.
pub async fn log(state: &AppState, user: &User, input: &RumourInput) -> ApiResult<Rumour> {
    Ok(state.store.log_rumour(user, input, state.now()).await?)
}

/// Attaches the command's counter-message to rumour `id`.
pub async fn answer(state: &AppState, user: &User, id: Uuid, texts: &Texts) -> ApiResult<Rumour> {
    Ok(state.store.answer_rumour(user, id, texts, state.now()).await?)
}
