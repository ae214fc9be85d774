//! Filing a symptom report; the report intake (`intake::check_person`,
//! `intake::decide`) decides inside the store's transaction.

use cordon_core::jurisdiction::Node;
use cordon_core::report::ReportDraft;
use cordon_core::user::User;
use cordon_store::reports::Intake;

use crate::error::ApiResult;
use crate::state::AppState;

/// Files `draft` for the unit `unit` (already checked to be in `user`'s reach).
pub async fn file(state: &AppState, user: &User, draft: &ReportDraft, unit: &Node) -> ApiResult<Intake> {
    Ok(state.store.submit_report(user, draft, unit, state.now()).await?)
}
