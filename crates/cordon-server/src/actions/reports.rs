//! Filing a symptom report, about a known resident or about a new one
//! registered in the same transaction; the unit named is loaded and checked
//! (`intake::unit_for`) and the report intake (`intake::resent`,
//! `intake::check_person`, `intake::decide`) decides, inside it.

use cordon_core::person::PersonDraft;
use cordon_core::report::ReportDraft;
use cordon_core::user::User;
use cordon_store::reports::{Intake, NewResidentReport};

use crate::error::ApiResult;
use crate::state::AppState;

/// Files `draft` for the unit whose code is `unit_code`.
pub async fn file(state: &AppState, user: &User, draft: &ReportDraft, unit_code: &str) -> ApiResult<Intake> {
    Ok(state.store.submit_report(user, draft, unit_code, state.now()).await?)
}

/// Registers the new resident `(person, confirm_new)` of the unit whose code
/// is `unit_code` and files `draft` about them, together or not at all.
pub async fn file_for_new_resident(
    state: &AppState,
    user: &User,
    resident: (&PersonDraft, bool),
    draft: &ReportDraft,
    unit_code: &str,
) -> ApiResult<NewResidentReport> {
    Ok(state.store.submit_report_for_new_resident(user, resident, draft, unit_code, state.now()).await?)
}
