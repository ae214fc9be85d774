//! Filing a unit's daily report: the input is checked against today, then the
//! store loads the unit it names and the report already filed, and the core
//! (`daily::unit_for`, `daily::decide`) decides, in one transaction.

use cordon_core::daily::DailyReportInput;
use cordon_core::user::User;
use cordon_store::daily::DailyFiling;

use crate::error::ApiResult;
use crate::state::AppState;

/// Files `input` as `user`.
pub async fn file(state: &AppState, user: &User, input: &DailyReportInput) -> ApiResult<DailyFiling> {
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let note = input.check(today)?;
    Ok(state.store.file_daily_report(user, input, note, now).await?)
}
