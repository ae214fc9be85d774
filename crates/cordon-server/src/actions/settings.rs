//! Replacing the settings and the case definitions (administrators); the
//! settings and definitions check themselves in the core before the store
//! writes them with their audit record.

use cordon_core::definition::CaseDefinition;
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::settings::Settings;
use cordon_core::user::User;

use super::authorise;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Replaces the settings if `user` may manage the configuration.
pub async fn save(state: &AppState, user: &User, settings: &Settings) -> ApiResult<Settings> {
    authorise(user, Action::ManageConfiguration, &user.node_path)?;
    Ok(state.store.save_settings(Some(user.id), settings, state.now()).await?)
}

/// Creates or replaces the case definition `code` if `user` may manage the
/// configuration; the definition must carry that code.
pub async fn save_definition(state: &AppState, user: &User, code: &str, definition: &CaseDefinition) -> ApiResult<CaseDefinition> {
    authorise(user, Action::ManageConfiguration, &user.node_path)?;
    if definition.code != code {
        return Err(ApiError::bad_field("code", Reason::PathMismatch));
    }
    Ok(state.store.save_definition(Some(user.id), definition, state.now()).await?)
}
