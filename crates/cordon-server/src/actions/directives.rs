//! Directives: issuing, amending, revoking, reminding and acknowledging are
//! each decided by the core inside the store's transaction; reading one
//! checks that the caller oversees it or is addressed by it.

use cordon_core::delivery::Coverage;
use cordon_core::directive::{Amendment, Directive, DirectiveInput, Measure};
use cordon_core::lecture;
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use cordon_store::directives::Issued;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;
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

/// Sends a directive again to the users of the units that have not
/// acknowledged it; how many users that was.
pub async fn remind(state: &AppState, user: &User, id: Uuid) -> ApiResult<usize> {
    Ok(state.store.remind_directive(user, id, state.now()).await?)
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

/// How far a directive has reached its scope.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reach {
    /// Units that acknowledged it and not yet: for the scope, then each child.
    pub acknowledged: Vec<Coverage>,
    /// For a lecture order: the share of units with attendance at a lecture
    /// on its topic since it took effect, against its target.
    pub lectures: Option<LectureReach>,
}

/// A lecture order's coverage against its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct LectureReach {
    /// Units reached, out of the scope's units.
    pub coverage: lecture::Coverage,
    /// The share to reach.
    pub target: f64,
    /// Whether it is reached.
    pub met: bool,
}

/// How far a directive the user oversees has reached: acknowledgement for the
/// scope and each of its children, and for a lecture order its lectures'
/// coverage against the target.
pub async fn coverage(state: &AppState, user: &User, id: Uuid) -> ApiResult<Reach> {
    let directive = visible(state, user, id).await?;
    policy::authorise(user, Action::Read, &directive.scope_path)?;
    let acknowledged = state.store.directive_coverage(&directive).await?;
    let lectures = match directive.current().map(|v| (&v.terms.measure, v.terms.starts_on)) {
        Some((Measure::LectureOrder { topic, coverage_target, .. }, since)) => {
            let coverage = state.store.lecture_coverage(&directive.scope_path, topic, since).await?;
            Some(LectureReach { coverage, target: *coverage_target, met: coverage.meets(*coverage_target) })
        }
        _ => None,
    };
    Ok(Reach { acknowledged, lectures })
}
