//! Lectures: scheduling and attendance are decided by `lecture::schedule` and
//! `lecture::attend` inside the store's transaction.

use cordon_core::lecture::{Attendance, AttendanceInput, Lecture, LectureInput};
use cordon_core::user::User;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// Schedules a lecture for a health worker or command officer.
pub async fn schedule(state: &AppState, user: &User, input: &LectureInput) -> ApiResult<Lecture> {
    Ok(state.store.schedule_lecture(user, input, state.now()).await?)
}

/// Records a unit's attendance at lecture `id`.
pub async fn attend(state: &AppState, user: &User, id: Uuid, input: &AttendanceInput) -> ApiResult<Attendance> {
    Ok(state.store.record_attendance(user, id, input, state.now()).await?)
}
