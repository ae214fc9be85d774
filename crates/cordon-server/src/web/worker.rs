//! The health worker's pages: my open tasks, soonest deadline first with the
//! overdue ones marked, acknowledge and complete buttons, and a case page to
//! classify the case. The list itself is the shared
//! [`super::widgets::task_list`], which the visit form shows too.
//!
//! Each button is a small form posted through the action the API uses; the
//! checks (`Action::WorkTask` on the task's place, the assignee rule,
//! `Action::Classify` on the case's unit) are the core's, made in the
//! store's transaction.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::case::{Case, CaseStatus, Classification, Outcome};
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::task::Task;
use serde::Deserialize;
use uuid::Uuid;

use super::widgets::task_list::{task_problem, tasks_live as live_tasks, tasks_page};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, render, render_with, see_other};
use crate::actions::{cases, tasks};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(tasks))
        .route("/tasks/live", get(tasks_live))
        .route("/tasks/{id}/acknowledge", post(acknowledge))
        .route("/tasks/{id}/complete", post(complete))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/classification", post(classify))
}

#[derive(Debug, Deserialize)]
struct TasksQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn tasks(State(state): State<AppState>, viewer: Viewer, Query(q): Query<TasksQuery>) -> WebResult<Response> {
    let flash = match q.done.as_deref() {
        Some("acknowledged") => Some(viewer.lang.get("task_flash_acknowledged")),
        Some("completed") => Some(viewer.lang.get("task_flash_completed")),
        Some("visited") => Some(viewer.lang.get("task_flash_visited")),
        _ => None,
    };
    render(&tasks_page(&state, &viewer, flash, None).await?)
}

async fn tasks_live(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    render(&live_tasks(&state, &viewer).await?)
}

async fn after_task_action(state: &AppState, viewer: &Viewer, id: Uuid, result: Result<Task, ApiError>, done: &str) -> WebResult<Response> {
    match result {
        Ok(_) => Ok(see_other(&format!("/tasks?done={done}"))),
        Err(e @ (ApiError::Conflict { .. } | ApiError::Invalid(_) | ApiError::ForbiddenField { .. })) => {
            task_problem(state, viewer, id, e).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn acknowledge(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let result = tasks::acknowledge(&state, &viewer.user, id).await;
    after_task_action(&state, &viewer, id, result, "acknowledged").await
}

async fn complete(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, form: FormData) -> WebResult<Response> {
    let result = tasks::complete(&state, &viewer.user, id, form.opt("note")).await;
    after_task_action(&state, &viewer, id, result, "completed").await
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    t: Lang,
    c: Chrome,
    case_id: String,
    person: String,
    unit: String,
    status: &'static str,
    outcome: Option<&'static str>,
    onset: String,
    opened: String,
    definition: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
    outcomes: Vec<(&'static str, &'static str, bool)>,
    can_classify: bool,
    errors: FieldErrors,
    saved: bool,
}

impl CasePage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["status", "outcome"])
    }
}

#[derive(Debug, Deserialize)]
struct CaseQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn case_in_scope(state: &AppState, viewer: &Viewer, id: Uuid) -> WebResult<Case> {
    let case = state.store.case(id).await?.ok_or_else(|| ApiError::not_found(Record::Case, &id))?;
    viewer.may(Action::Read, &case.unit_path)?;
    Ok(case)
}

async fn case_view(state: &AppState, viewer: &Viewer, case: &Case, v: &FormData, errors: FieldErrors, saved: bool) -> WebResult<CasePage> {
    let t = viewer.lang;
    let zone = state.store.settings().await?.zone();
    let person = state.store.person(case.person_id).await?.map(|p| format!("{} ({})", p.full_name, t.fill("born_in", p.birth_year)));
    let unit = state.store.node(case.unit_id).await?.map(|n| format!("{} {}", n.code, n.name)).unwrap_or_default();
    let chosen_status = v.opt("status").unwrap_or(case.status.as_str()).to_owned();
    let chosen_outcome = v.opt("outcome").map(str::to_owned).or_else(|| case.outcome.map(|o| o.as_str().to_owned())).unwrap_or_default();
    let statuses = CaseStatus::ALL
        .into_iter()
        .filter(|s| *s == case.status || case.status.may_become(*s))
        .map(|s| (s.as_str(), t.case_status(s), s.as_str() == chosen_status))
        .collect();
    let outcomes =
        [Outcome::Recovered, Outcome::Died].into_iter().map(|o| (o.as_str(), t.outcome(o), o.as_str() == chosen_outcome)).collect();
    Ok(CasePage {
        t,
        c: viewer.chrome(),
        case_id: case.id.to_string(),
        person: person.unwrap_or_default(),
        unit,
        status: t.case_status(case.status),
        outcome: case.outcome.map(|o| t.outcome(o)),
        onset: case.onset_date.map_or_else(|| t.get("unknown").to_owned(), |d| d.to_string()),
        opened: local_time(case.opened_at, &zone),
        definition: case.definition_code.clone(),
        statuses,
        outcomes,
        can_classify: viewer.may(Action::Classify, &case.unit_path).is_ok() && case.is_open(),
        errors,
        saved,
    })
}

async fn case_page(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, Query(q): Query<CaseQuery>) -> WebResult<Response> {
    let case = case_in_scope(&state, &viewer, id).await?;
    render(&case_view(&state, &viewer, &case, &FormData::default(), FieldErrors::none(), q.saved.is_some()).await?)
}

async fn classify(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    // The case as the form showed it: its status is preselected, so choosing
    // it again asks for no new classification. Whether the user may classify
    // it, and whether the move is allowed, is decided in the transaction.
    let case = case_in_scope(&state, &viewer, id).await?;
    let mut errors = FieldErrors::none();
    let status = match v.opt("status") {
        None => None,
        Some(s) => {
            let parsed = CaseStatus::parse(s);
            if parsed.is_none() {
                errors.key("status", "reason_choose");
            }
            parsed.filter(|s| *s != case.status)
        }
    };
    let outcome = match v.opt("outcome") {
        None => None,
        Some(o) => {
            let parsed = Outcome::parse(o);
            if parsed.is_none() {
                errors.key("outcome", "reason_choose");
            }
            parsed
        }
    };
    if errors.is_empty() && status.is_none() && outcome.is_none() {
        errors.key("status", "reason_no_change");
    }
    if errors.is_empty() {
        match cases::classify(&state, &viewer.user, id, Classification { status, outcome }).await {
            Ok(_) => return Ok(see_other(&format!("/cases/{id}?saved=1"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = case_view(&state, &viewer, &case, &v, errors, false).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
