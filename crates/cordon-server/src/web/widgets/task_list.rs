//! The health worker's task list, shown by the task page and again, with
//! the problem on the task's card, by any form that acts on a task (the
//! worker's acknowledge and complete buttons, the follow-up visit form).
//!
//! The cards are one task query and one query for the persons they name;
//! the page also shows the directives waiting for acknowledgement
//! ([`super::inbox`]).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use cordon_core::task::{TaskKind, TaskStatus};
use cordon_store::tasks::TaskFilter;
use uuid::Uuid;

use super::inbox::inbox;
use super::{SymptomBox, visit_symptoms};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{Chrome, FieldErrors, Lang, Viewer, WebResult, local_time, render_with};

/// One task as the list shows it.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags the template tests one by one: the overdue badge, two buttons, the visit form"
)]
pub struct TaskCard {
    /// The task's id.
    pub id: String,
    /// What to do.
    pub kind: &'static str,
    /// The person's name.
    pub person: String,
    /// Address within the unit, if known.
    pub address: String,
    /// The place's code.
    pub place: String,
    /// Deadline (local time).
    pub deadline: String,
    /// Status text.
    pub status: &'static str,
    /// Whether the deadline passed without an acknowledgement.
    pub overdue: bool,
    /// Whether the acknowledge button applies.
    pub can_acknowledge: bool,
    /// Whether the complete form applies.
    pub can_complete: bool,
    /// The case, if any.
    pub case_id: Option<String>,
    /// A problem with the last action on this task.
    pub problem: Option<String>,
    /// Whether it is a follow-up visit (recorded with the visit form).
    pub is_visit: bool,
}

/// The task page: the frame, a flash after an action, the directives to
/// acknowledge and the live list.
#[derive(Template)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    t: Lang,
    c: Chrome,
    flash: Option<&'static str>,
    live: String,
    inbox: String,
}

/// The live part of the task page: the cards and how many are overdue.
#[derive(Template)]
#[template(path = "tasks_live.html")]
pub struct TasksLive {
    t: Lang,
    cards: Vec<TaskCard>,
    overdue: usize,
    symptoms: Vec<SymptomBox>,
}

async fn cards(state: &AppState, viewer: &Viewer, problem: Option<(Uuid, String)>) -> WebResult<Vec<TaskCard>> {
    let t = viewer.lang;
    let open = vec![TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Overdue, TaskStatus::Escalated];
    let filter = TaskFilter { assignee: Some(viewer.user.id), statuses: open };
    let tasks = state.store.tasks_under(&viewer.user.node_path, &filter, 200).await?;
    let zone = state.store.settings().await?.zone();
    let now = state.now();
    let persons = state.store.persons_by_id(tasks.iter().map(|task| task.person_id)).await?;
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let person = persons.get(&task.person_id);
        out.push(TaskCard {
            id: task.id.to_string(),
            kind: t.task_kind(task.kind),
            person: person.map(|p| p.full_name.clone()).unwrap_or_default(),
            address: person.and_then(|p| p.address.clone()).unwrap_or_default(),
            place: task.subject_path.code().to_owned(),
            deadline: local_time(task.deadline, &zone),
            status: t.task_status(task.status),
            overdue: task.is_overdue(now),
            can_acknowledge: task.status.awaits_acknowledgement(),
            can_complete: task.status == TaskStatus::Acknowledged && task.kind != TaskKind::FollowUp,
            is_visit: task.kind == TaskKind::FollowUp,
            case_id: task.case_id.map(|c| c.to_string()),
            problem: problem.as_ref().filter(|(id, _)| *id == task.id).map(|(_, p)| p.clone()),
        });
    }
    Ok(out)
}

/// The task page, with `flash` shown and `problem` on its task's card.
pub async fn tasks_page(
    state: &AppState,
    viewer: &Viewer,
    flash: Option<&'static str>,
    problem: Option<(Uuid, String)>,
) -> WebResult<TasksPage> {
    let t = viewer.lang;
    let cards = cards(state, viewer, problem).await?;
    let overdue = cards.iter().filter(|c| c.overdue).count();
    let live = TasksLive { t, cards, overdue, symptoms: visit_symptoms(t) }.render()?;
    Ok(TasksPage { t, c: viewer.chrome(), flash, live, inbox: inbox(state, viewer, "/tasks").await? })
}

/// The task list again, with the problem shown on the task's card.
pub async fn task_problem(state: &AppState, viewer: &Viewer, id: Uuid, error: ApiError) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    errors.absorb(error)?;
    let message = errors.other(&[]).into_iter().map(|m| viewer.lang.reason(&m)).collect::<Vec<_>>().join("; ");
    let page = tasks_page(state, viewer, None, Some((id, message))).await?;
    render_with(StatusCode::CONFLICT, &page)
}

/// The live part of the task list alone (`/tasks/live`).
pub async fn tasks_live(state: &AppState, viewer: &Viewer) -> WebResult<TasksLive> {
    let cards = cards(state, viewer, None).await?;
    let overdue = cards.iter().filter(|c| c.overdue).count();
    Ok(TasksLive { t: viewer.lang, cards, overdue, symptoms: visit_symptoms(viewer.lang) })
}
