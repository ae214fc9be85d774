//! Directives: issuing, amending, revoking and acknowledging are each decided
//! by the core inside the store's transaction; reading one checks that the
//! caller oversees it or is addressed by it.

use cordon_core::delivery::Coverage;
use cordon_core::directive::{Amendment, Directive, DirectiveInput};
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use cordon_store::directives::Issued;
use jiff::civil::Date;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Issues a directive for the command officer `user`.
pub async fn issue(state: &AppState, user: &User, input: &DirectiveInput) -> ApiResult<Issued> {
    Ok(state.store.issue_directive(user, input, state.now()).await?)
}

/// Amends a directive.
pub async fn amend(state: &AppState, user: &User, id: Uuid, amendment: &Amendment) -> ApiResult<Directive> {
    Ok(state.store.amend_directive(user, id, amendment, state.now()).await?)
}

/// Revokes a directive from `from`.
pub async fn revoke(state: &AppState, user: &User, id: Uuid, from: Date, reason: &str) -> ApiResult<Directive> {
    Ok(state.store.revoke_directive(user, id, from, reason, state.now()).await?)
}

/// Acknowledges a directive addressed to `user`'s area; true the first time.
pub async fn acknowledge(state: &AppState, user: &User, id: Uuid) -> ApiResult<bool> {
    Ok(state.store.acknowledge_directive(user, id, state.now()).await?)
}

/// The directive `id` when `user` oversees it (its scope lies in their
/// subtree) or is addressed by it (their node lies in its scope); else 404,
/// so that a directive elsewhere is not revealed.
pub async fn visible(state: &AppState, user: &User, id: Uuid) -> ApiResult<Directive> {
    let directive = state.store.directive(id).await?.ok_or_else(|| ApiError::not_found(Record::Directive, &id))?;
    let oversees = policy::authorise(user, Action::Read, &directive.scope_path).is_ok();
    if oversees || (user.active && directive.scope_path.contains(&user.node_path)) {
        Ok(directive)
    } else {
        Err(ApiError::not_found(Record::Directive, &id))
    }
}

/// Coverage of a directive the user oversees: units acknowledged and not yet,
/// for the scope and each of its children.
pub async fn coverage(state: &AppState, user: &User, id: Uuid) -> ApiResult<Vec<Coverage>> {
    let directive = visible(state, user, id).await?;
    policy::authorise(user, Action::Read, &directive.scope_path)?;
    Ok(state.store.directive_coverage(&directive).await?)
}
