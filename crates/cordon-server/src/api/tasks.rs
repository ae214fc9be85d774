//! Tasks: my list, acknowledge, complete, reassign.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::task::{Task, TaskStatus};
use cordon_core::user::User;
use cordon_store::tasks::TaskFilter;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, probe, window};
use super::{authorise, scope};
use crate::actions::tasks;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only tasks assigned to me.
    #[serde(default)]
    pub mine: bool,
    /// Only open tasks (assigned, acknowledged, overdue, escalated).
    #[serde(default)]
    pub open: bool,
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Tasks, soonest deadline first: mine, or those in a subtree.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskQuery), responses((status = 200, body = ListPage<Task>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<TaskQuery>,
) -> ApiResult<Json<ListPage<Task>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let statuses =
        if q.open { vec![TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Overdue, TaskStatus::Escalated] } else { Vec::new() };
    let filter = TaskFilter { assignee: q.mine.then_some(user.id), statuses };
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.tasks_in_window(&path, &filter, probe(window)).await?, window)))
}

async fn task_visible(state: &AppState, user: &User, id: Uuid) -> ApiResult<Task> {
    let task = state.store.task(id).await?.ok_or_else(|| ApiError::not_found(Record::Task, &id))?;
    if task.assignee_id != Some(user.id) {
        authorise(user, Action::Read, &task.subject_path)?;
    }
    Ok(task)
}

/// One task.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = Uuid, Path)), responses((status = 200, body = Task), (status = 403, body = crate::error::Problem)))]
async fn get_task(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Task>> {
    Ok(Json(task_visible(&state, &user, id).await?))
}

/// Acknowledge a task assigned to me: I am on the way.
#[utoipa::path(post, path = "/tasks/{id}/acknowledge", tag = "tasks", params(("id" = Uuid, Path)), responses((status = 200, body = Task), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn acknowledge(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Task>> {
    Ok(Json(tasks::acknowledge(&state, &user, id).await?))
}

/// Completion.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    /// What was found or done.
    #[serde(default)]
    pub note: Option<String>,
}

/// Complete an acknowledged task assigned to me.
#[utoipa::path(post, path = "/tasks/{id}/complete", tag = "tasks", params(("id" = Uuid, Path)), request_body = Completion, responses((status = 200, body = Task), (status = 409, body = crate::error::Problem)))]
async fn complete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<Completion>,
) -> ApiResult<Json<Task>> {
    Ok(Json(tasks::complete(&state, &user, id, body.note.as_deref()).await?))
}

/// Reassignment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassignment {
    /// The health worker who takes the task.
    pub worker_id: Uuid,
}

/// Hand a task to another health worker (command officers).
#[utoipa::path(post, path = "/tasks/{id}/reassign", tag = "tasks", params(("id" = Uuid, Path)), request_body = Reassignment, responses((status = 200, body = Task), (status = 422, body = crate::error::Problem)))]
async fn reassign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<Reassignment>,
) -> ApiResult<Json<Task>> {
    Ok(Json(tasks::reassign(&state, &user, id, body.worker_id).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_task))
        .routes(routes!(acknowledge))
        .routes(routes!(complete))
        .routes(routes!(reassign))
}
