//! Working on tasks: acknowledging and completing one's own, recording a
//! follow-up visit, and handing a task to another worker (command
//! officers). The store loads the task (and the worker named) and the core
//! decides (`task::acknowledge_by`, `task::complete_by`,
//! `task::reassign_by`, `visit::record_by`), in one transaction.

use cordon_core::task::Task;
use cordon_core::user::User;
use cordon_core::visit::VisitInput;
use cordon_store::followups::VisitOutcome;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::state::AppState;

/// `worker` acknowledges the task `id`: they are on the way.
pub async fn acknowledge(state: &AppState, worker: &User, id: Uuid) -> ApiResult<Task> {
    Ok(state.store.acknowledge_task(worker, id, state.now()).await?)
}

/// `worker` completes the task `id`, with a note as given.
pub async fn complete(state: &AppState, worker: &User, id: Uuid, note: Option<&str>) -> ApiResult<Task> {
    Ok(state.store.complete_task(worker, id, note, state.now()).await?)
}

/// `officer` hands the task `id` to the health worker `worker_id`.
pub async fn reassign(state: &AppState, officer: &User, id: Uuid, worker_id: Uuid) -> ApiResult<Task> {
    Ok(state.store.reassign_task(officer, id, worker_id, state.now()).await?)
}

/// `worker` records the follow-up visit of the task `id`.
pub async fn visit(state: &AppState, worker: &User, id: Uuid, input: &VisitInput) -> ApiResult<VisitOutcome> {
    Ok(state.store.record_visit(worker, id, input, state.now()).await?)
}
