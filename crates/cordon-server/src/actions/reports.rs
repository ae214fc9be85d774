//! Filing a symptom report, about a known resident or about a new one
//! registered in the same transaction; the report intake
//! (`intake::check_person`, `intake::decide`) decides inside it.

use cordon_core::jurisdiction::Node;
use cordon_core::person::PersonDraft;
use cordon_core::report::ReportDraft;
use cordon_core::user::User;
use cordon_store::reports::{Intake, NewResidentReport};

use crate::error::ApiResult;
use crate::state::AppState;

/// Files `draft` for the unit `unit` (already checked to be in `user`'s reach).
pub async fn file(state: &AppState, user: &User, draft: &ReportDraft, unit: &Node) -> ApiResult<Intake> {
    Ok(state.store.submit_report(user, draft, unit, state.now()).await?)
}

/// Registers the new resident `(person, confirm_new)` of `unit` and files
/// `draft` about them, together or not at all.
pub async fn file_for_new_resident(
    state: &AppState,
    user: &User,
    resident: (&PersonDraft, bool),
    draft: &ReportDraft,
    unit: &Node,
) -> ApiResult<NewResidentReport> {
    Ok(state.store.submit_report_for_new_resident(user, resident, draft, unit, state.now()).await?)
}
