//! Tasks for health workers: investigate a suspected case, follow up a person.
//!
//! A task is assigned with a deadline to the worker on call for its area. The
//! worker acknowledges it (on the way) and completes it. If the deadline passes
//! first the task becomes overdue and is escalated to the on-call worker of the
//! parent area, with a new deadline; at the root there is nobody left to
//! escalate to, and the task stays overdue for the command to see.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::policy::{self, Action, Denied};
use crate::refusal::Reason;
use crate::user::{Role, User};
use crate::validation::{Invalid, Problems};

/// What the task asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Investigate a new suspected case.
    Investigation,
    /// Visit a person under an order.
    FollowUp,
}

impl TaskKind {
    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Investigation => "investigation",
            TaskKind::FollowUp => "follow_up",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [TaskKind::Investigation, TaskKind::FollowUp].into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Assigned; waiting for the worker to acknowledge.
    Assigned,
    /// The worker acknowledged it and is on the way.
    Acknowledged,
    /// Finished.
    Done,
    /// The deadline passed unacknowledged and there is nobody to escalate to.
    Overdue,
    /// Passed up the tree after a missed deadline (or nobody on call).
    Escalated,
}

impl TaskStatus {
    /// Every status.
    pub const ALL: [TaskStatus; 5] =
        [TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Done, TaskStatus::Overdue, TaskStatus::Escalated];

    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Assigned => "assigned",
            TaskStatus::Acknowledged => "acknowledged",
            TaskStatus::Done => "done",
            TaskStatus::Overdue => "overdue",
            TaskStatus::Escalated => "escalated",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        TaskStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the task still waits for an acknowledgement (its deadline runs).
    #[must_use]
    pub fn awaits_acknowledgement(self) -> bool {
        matches!(self, TaskStatus::Assigned | TaskStatus::Escalated | TaskStatus::Overdue)
    }
}

/// A task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Task {
    /// Stable identifier.
    pub id: Uuid,
    /// What to do.
    pub kind: TaskKind,
    /// The case it is about.
    pub case_id: Option<Uuid>,
    /// The order it follows up.
    pub order_id: Option<Uuid>,
    /// The day a follow-up visit is for.
    pub due_on: Option<jiff::civil::Date>,
    /// The person it is about.
    pub person_id: Uuid,
    /// The place the task is about (the case's unit).
    pub subject_path: NodePath,
    /// The area whose roster the current assignee was taken from; escalation
    /// goes to this area's parent.
    pub area_path: NodePath,
    /// The worker who must act; `None` when nobody is on call.
    pub assignee_id: Option<Uuid>,
    /// Where the task stands.
    pub status: TaskStatus,
    /// When it must be acknowledged.
    #[schema(value_type = String, format = DateTime)]
    pub deadline: Timestamp,
    /// How many times it has been escalated.
    pub escalations: i64,
    /// When it was created.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When it last changed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Worker's note on completion.
    pub note: Option<String>,
    /// When it was first acknowledged.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acknowledged_at: Option<Timestamp>,
    /// Whether that first acknowledgement came before the first deadline
    /// (nobody had to be escalated to).
    pub acknowledged_in_time: Option<bool>,
    /// When the worker was first there: the investigation first recorded, or
    /// the task completed, whichever came first.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub visited_at: Option<Timestamp>,
}

impl Task {
    /// Whether the task is past its deadline without an acknowledgement
    /// (already marked overdue, or still awaiting one after the deadline).
    #[must_use]
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.status == TaskStatus::Overdue || (self.status.awaits_acknowledgement() && self.deadline <= now)
    }
}

/// A task that cannot change as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// Someone other than the assignee tried to acknowledge or complete it.
    NotAssignee,
    /// The move is not possible from the current status.
    InvalidTransition {
        /// Current status.
        from: TaskStatus,
        /// What was attempted.
        action: &'static str,
    },
    /// Reassigning to the worker who already has it.
    SameAssignee,
}

impl From<&TaskError> for Reason {
    fn from(e: &TaskError) -> Self {
        match *e {
            TaskError::NotAssignee => Reason::NotAssignee,
            TaskError::InvalidTransition { from, action } => Reason::TaskMove { from, action: action.to_owned() },
            TaskError::SameAssignee => Reason::SameAssignee,
        }
    }
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for TaskError {}

/// Why a change to a task was refused: the policy, a field, or the task's
/// state machine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// The user may not act on the task.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// A field is wrong or names someone unsuitable.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The task cannot change as asked.
    #[error(transparent)]
    Task(#[from] TaskError),
}

/// Who is on call for a task: a worker and the area whose roster named them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnCall {
    /// The worker.
    pub worker_id: Uuid,
    /// The area of the shift.
    pub area_path: NodePath,
}

/// What a new task is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// What to do.
    pub kind: TaskKind,
    /// The case, if any.
    pub case_id: Option<Uuid>,
    /// The order followed up, if any.
    pub order_id: Option<Uuid>,
    /// The day of the visit, for follow-ups.
    pub due_on: Option<jiff::civil::Date>,
    /// The person.
    pub person_id: Uuid,
    /// The place (the case's unit).
    pub path: NodePath,
}

/// Creates a task about `subject`, assigned to `on_call` (or escalated at
/// once, to nobody, when no one is on call).
#[must_use]
pub fn assign(id: Uuid, subject: Subject, on_call: Option<&OnCall>, deadline: SignedDuration, now: Timestamp) -> Task {
    let (assignee_id, area_path, status) = match on_call {
        Some(o) => (Some(o.worker_id), o.area_path.clone(), TaskStatus::Assigned),
        None => (None, subject.path.clone(), TaskStatus::Escalated),
    };
    Task {
        id,
        kind: subject.kind,
        case_id: subject.case_id,
        order_id: subject.order_id,
        due_on: subject.due_on,
        person_id: subject.person_id,
        subject_path: subject.path,
        area_path,
        assignee_id,
        status,
        deadline: now.saturating_add(deadline).unwrap_or(now),
        escalations: i64::from(on_call.is_none()),
        created_at: now,
        updated_at: now,
        note: None,
        acknowledged_at: None,
        acknowledged_in_time: None,
        visited_at: None,
    }
}

/// The worker acknowledges: they are on the way.
pub fn acknowledge(task: &Task, worker_id: Uuid, now: Timestamp) -> Result<Task, TaskError> {
    if !task.status.awaits_acknowledgement() {
        return Err(TaskError::InvalidTransition { from: task.status, action: "acknowledged" });
    }
    if task.assignee_id != Some(worker_id) {
        return Err(TaskError::NotAssignee);
    }
    let first = task.acknowledged_at.is_none();
    Ok(Task {
        status: TaskStatus::Acknowledged,
        updated_at: now,
        acknowledged_at: task.acknowledged_at.or(Some(now)),
        acknowledged_in_time: if first { Some(task.escalations == 0 && now <= task.deadline) } else { task.acknowledged_in_time },
        ..task.clone()
    })
}

/// The worker finishes the task.
pub fn complete(task: &Task, worker_id: Uuid, note: Option<String>, now: Timestamp) -> Result<Task, TaskError> {
    if task.status != TaskStatus::Acknowledged {
        return Err(TaskError::InvalidTransition { from: task.status, action: "completed" });
    }
    if task.assignee_id != Some(worker_id) {
        return Err(TaskError::NotAssignee);
    }
    Ok(Task { status: TaskStatus::Done, note, updated_at: now, visited_at: task.visited_at.or(Some(now)), ..task.clone() })
}

/// A command officer hands the task to another worker, with a fresh deadline.
pub fn reassign(task: &Task, to: &OnCall, deadline: SignedDuration, now: Timestamp) -> Result<Task, TaskError> {
    if task.status == TaskStatus::Done {
        return Err(TaskError::InvalidTransition { from: task.status, action: "reassigned" });
    }
    if task.assignee_id == Some(to.worker_id) {
        return Err(TaskError::SameAssignee);
    }
    Ok(Task {
        status: TaskStatus::Assigned,
        assignee_id: Some(to.worker_id),
        area_path: to.area_path.clone(),
        deadline: now.saturating_add(deadline).unwrap_or(now),
        updated_at: now,
        ..task.clone()
    })
}

/// Whether `user` may see `task`: it is theirs, or lies in their reach.
fn may_see(user: &User, task: &Task) -> Result<(), Denied> {
    if task.assignee_id == Some(user.id) { Ok(()) } else { policy::authorise(user, Action::Read, &task.subject_path) }
}

/// Whether `user` may work on `task` (acknowledge or complete it): they may
/// see it, and their role works tasks at its place.
fn may_work(user: &User, task: &Task) -> Result<(), Denied> {
    may_see(user, task)?;
    policy::authorise(user, Action::WorkTask, &task.subject_path)
}

/// Decides on `user` acknowledging `task` (as loaded): they may work on it
/// and [`acknowledge`] allows it.
pub fn acknowledge_by(user: &User, task: &Task, now: Timestamp) -> Result<Task, Refused> {
    may_work(user, task)?;
    Ok(acknowledge(task, user.id, now)?)
}

/// Decides on `user` completing `task` (as loaded) with the note `note` as
/// given: they may work on it, the note is at most 4000 characters, and
/// [`complete`] allows it.
pub fn complete_by(user: &User, task: &Task, note: Option<&str>, now: Timestamp) -> Result<Task, Refused> {
    may_work(user, task)?;
    let mut p = Problems::default();
    let note = p.optional_text("note", note, 4000);
    p.finish(())?;
    Ok(complete(task, user.id, note, now)?)
}

/// Decides on `officer` handing `task` (as loaded) to `worker` (the user the
/// request names, as loaded): the officer may reassign tasks at its place;
/// the worker is an active health worker in the officer's jurisdiction
/// whose area covers the task's place; and [`reassign`] allows it, with a
/// fresh `deadline`.
pub fn reassign_by(officer: &User, task: &Task, worker: Option<&User>, deadline: SignedDuration, now: Timestamp) -> Result<Task, Refused> {
    may_see(officer, task)?;
    policy::authorise(officer, Action::ReassignTask, &task.subject_path)?;
    let worker = worker
        .filter(|w| w.active && w.role == Role::HealthWorker && officer.node_path.contains(&w.node_path))
        .ok_or_else(|| Invalid::field("worker_id", Reason::NotWorkerHere))?;
    if !worker.node_path.contains(&task.subject_path) {
        return Err(Invalid::field("worker_id", Reason::WorkerAreaMisses).into());
    }
    Ok(reassign(task, &OnCall { worker_id: worker.id, area_path: worker.node_path.clone() }, deadline, now)?)
}

/// Whether the deadline has passed without an acknowledgement, so the task
/// must be escalated now. An overdue task at the root waits for the command.
#[must_use]
pub fn is_due_for_escalation(task: &Task, now: Timestamp) -> bool {
    matches!(task.status, TaskStatus::Assigned | TaskStatus::Escalated) && task.deadline <= now
}

/// Escalates an overdue task to `next` (the on-call worker of an ancestor of
/// the task's area). With no one above, the task is marked overdue and stays
/// with its current area for the command to act on.
pub fn escalate(task: &Task, next: Option<&OnCall>, deadline: SignedDuration, now: Timestamp) -> Result<Task, TaskError> {
    if !is_due_for_escalation(task, now) {
        return Err(TaskError::InvalidTransition { from: task.status, action: "escalated" });
    }
    Ok(match next {
        Some(o) => Task {
            status: TaskStatus::Escalated,
            assignee_id: Some(o.worker_id),
            area_path: o.area_path.clone(),
            deadline: now.saturating_add(deadline).unwrap_or(now),
            escalations: task.escalations + 1,
            updated_at: now,
            ..task.clone()
        },
        None => Task { status: TaskStatus::Overdue, escalations: task.escalations + 1, updated_at: now, ..task.clone() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: SignedDuration = SignedDuration::from_hours(1);

    fn worker(n: u128) -> OnCall {
        OnCall { worker_id: Uuid::from_u128(n), area_path: NodePath::root("KR").child(&n.to_string()) }
    }

    fn subject(path: NodePath) -> Subject {
        Subject { kind: TaskKind::Investigation, case_id: None, order_id: None, due_on: None, person_id: Uuid::nil(), path }
    }

    fn new_task() -> Task {
        assign(Uuid::nil(), subject(NodePath::root("KR").child("1")), Some(&worker(1)), 2 * HOUR, Timestamp::UNIX_EPOCH)
    }

    #[derive(Debug, Clone)]
    enum Step {
        Ack(u128),
        Complete(u128),
        Reassign(u128),
        Escalate(Option<u128>),
        Wait(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (1u128..4).prop_map(Step::Ack),
            (1u128..4).prop_map(Step::Complete),
            (1u128..4).prop_map(Step::Reassign),
            prop::option::of(1u128..4).prop_map(Step::Escalate),
            (0i64..5).prop_map(Step::Wait),
        ]
    }

    proptest! {
        /// Whatever happens, a done task never changes again; only the assignee
        /// acknowledges or completes; escalation only follows a missed deadline
        /// and always increases the count.
        #[test]
        fn the_task_machine_keeps_its_invariants(steps in prop::collection::vec(step(), 0..20)) {
            let mut task = new_task();
            let mut now = Timestamp::UNIX_EPOCH;
            for s in steps {
                let before = task.clone();
                let result = match s {
                    Step::Ack(w) => acknowledge(&task, Uuid::from_u128(w), now),
                    Step::Complete(w) => complete(&task, Uuid::from_u128(w), None, now),
                    Step::Reassign(w) => reassign(&task, &worker(w), HOUR, now),
                    Step::Escalate(w) => escalate(&task, w.map(worker).as_ref(), HOUR, now),
                    Step::Wait(h) => { now = now.saturating_add(SignedDuration::from_hours(h)).unwrap(); continue; }
                };
                match (&s, result) {
                    (_, Err(_)) => {}
                    (Step::Ack(w) | Step::Complete(w), Ok(next)) => {
                        prop_assert_eq!(before.assignee_id, Some(Uuid::from_u128(*w)));
                        task = next;
                    }
                    (Step::Escalate(_), Ok(next)) => {
                        prop_assert!(before.deadline <= now);
                        prop_assert_eq!(next.escalations, before.escalations + 1);
                        task = next;
                    }
                    (_, Ok(next)) => task = next,
                }
                if before.status == TaskStatus::Done {
                    prop_assert_eq!(&task, &before);
                }
            }
        }
    }

    #[test]
    fn an_unacknowledged_task_escalates_after_its_deadline_only() {
        let task = new_task();
        let early = Timestamp::UNIX_EPOCH.saturating_add(HOUR).unwrap();
        assert!(escalate(&task, Some(&worker(2)), HOUR, early).is_err());
        let late = Timestamp::UNIX_EPOCH.saturating_add(2 * HOUR).unwrap();
        let up = escalate(&task, Some(&worker(2)), HOUR, late).unwrap();
        assert_eq!((up.status, up.assignee_id, up.escalations), (TaskStatus::Escalated, Some(Uuid::from_u128(2)), 1));
        let top = escalate(&up, None, HOUR, late.saturating_add(HOUR).unwrap()).unwrap();
        assert_eq!(top.status, TaskStatus::Overdue);
        assert!(!is_due_for_escalation(&top, late.saturating_add(10 * HOUR).unwrap()));
    }

    #[test]
    fn a_task_is_overdue_once_its_deadline_passes_unacknowledged() {
        let task = new_task();
        let before = Timestamp::UNIX_EPOCH.saturating_add(HOUR).unwrap();
        let at_deadline = Timestamp::UNIX_EPOCH.saturating_add(2 * HOUR).unwrap();
        assert!(!task.is_overdue(before));
        assert!(task.is_overdue(at_deadline));
        let acknowledged = acknowledge(&task, Uuid::from_u128(1), before).unwrap();
        assert!(!acknowledged.is_overdue(at_deadline.saturating_add(10 * HOUR).unwrap()));
        let marked = Task { status: TaskStatus::Overdue, ..task };
        assert!(marked.is_overdue(Timestamp::UNIX_EPOCH));
    }

    #[test]
    fn the_first_acknowledgement_and_visit_are_timed() {
        let task = new_task();
        let before = Timestamp::UNIX_EPOCH.saturating_add(HOUR).unwrap();
        let late = Timestamp::UNIX_EPOCH.saturating_add(3 * HOUR).unwrap();
        let on_time = acknowledge(&task, Uuid::from_u128(1), before).unwrap();
        assert_eq!((on_time.acknowledged_at, on_time.acknowledged_in_time, on_time.visited_at), (Some(before), Some(true), None));
        let done = complete(&on_time, Uuid::from_u128(1), None, late).unwrap();
        assert_eq!((done.acknowledged_at, done.visited_at), (Some(before), Some(late)));
        let after_deadline = acknowledge(&task, Uuid::from_u128(1), late).unwrap();
        assert_eq!((after_deadline.acknowledged_at, after_deadline.acknowledged_in_time), (Some(late), Some(false)));
    }

    #[test]
    fn nobody_on_call_is_an_escalation_from_the_start() {
        let t = assign(Uuid::nil(), subject(NodePath::root("KR")), None, HOUR, Timestamp::UNIX_EPOCH);
        assert_eq!((t.status, t.assignee_id, t.escalations), (TaskStatus::Escalated, None, 1));
    }

    /// The task `new_task` makes, about a place in county C1 of province
    /// P1, assigned to `worker_id`.
    fn task_in_c1(worker_id: Uuid) -> Task {
        let place = NodePath::root("KR").child("P1").child("C1").child("U1");
        let on_call = OnCall { worker_id, area_path: place.parent().unwrap() };
        assign(Uuid::nil(), subject(place), Some(&on_call), 2 * HOUR, Timestamp::UNIX_EPOCH)
    }

    fn user_at(id: u128, role: Role, path: &NodePath) -> User {
        User { id: Uuid::from_u128(id), ..crate::fixtures::user(role, path) }
    }

    #[test]
    fn only_the_assignee_in_reach_works_a_task() {
        let c1 = NodePath::root("KR").child("P1").child("C1");
        let worker = user_at(1, Role::HealthWorker, &c1);
        let task = task_in_c1(worker.id);
        let acked = acknowledge_by(&worker, &task, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(acked.status, TaskStatus::Acknowledged);
        let done = complete_by(&worker, &acked, Some("  isolated  "), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!((done.status, done.note.as_deref()), (TaskStatus::Done, Some("isolated")));
        let long = "x".repeat(4001);
        assert!(matches!(complete_by(&worker, &acked, Some(&long), Timestamp::UNIX_EPOCH), Err(Refused::Invalid(_))));

        let colleague = user_at(2, Role::HealthWorker, &c1);
        assert_eq!(acknowledge_by(&colleague, &task, Timestamp::UNIX_EPOCH), Err(Refused::Task(TaskError::NotAssignee)));
        let elsewhere = user_at(3, Role::HealthWorker, &NodePath::root("KR").child("P2"));
        assert!(matches!(
            acknowledge_by(&elsewhere, &task, Timestamp::UNIX_EPOCH),
            Err(Refused::Denied(Denied::OutsideJurisdiction { .. }))
        ));
        let reporter = user_at(4, Role::Reporter, &c1);
        assert!(matches!(complete_by(&reporter, &acked, None, Timestamp::UNIX_EPOCH), Err(Refused::Denied(Denied::RoleForbids { .. }))));
    }

    #[test]
    fn a_task_goes_only_to_an_active_worker_of_the_officers_whose_area_covers_it() {
        let p1 = NodePath::root("KR").child("P1");
        let officer = user_at(10, Role::CommandOfficer, &p1);
        let task = task_in_c1(Uuid::from_u128(1));
        let worker_p1 = user_at(2, Role::HealthWorker, &p1);
        let moved = reassign_by(&officer, &task, Some(&worker_p1), HOUR, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!((moved.assignee_id, moved.area_path.clone()), (Some(worker_p1.id), p1.clone()));

        let field_reason = |refused: Refused| match refused {
            Refused::Invalid(i) => Some((i.errors[0].field.clone(), i.errors[0].reason.clone())),
            _ => None,
        };
        let not_here = Some(("worker_id".to_owned(), Reason::NotWorkerHere));
        let inactive = User { active: false, ..worker_p1.clone() };
        let reporter = User { role: Role::Reporter, ..worker_p1.clone() };
        let other_province = user_at(3, Role::HealthWorker, &NodePath::root("KR").child("P2"));
        for wrong in [None, Some(&inactive), Some(&reporter), Some(&other_province)] {
            assert_eq!(field_reason(reassign_by(&officer, &task, wrong, HOUR, Timestamp::UNIX_EPOCH).unwrap_err()), not_here);
        }
        let other_county = user_at(4, Role::HealthWorker, &p1.child("C2"));
        let misses = reassign_by(&officer, &task, Some(&other_county), HOUR, Timestamp::UNIX_EPOCH).unwrap_err();
        assert_eq!(field_reason(misses), Some(("worker_id".to_owned(), Reason::WorkerAreaMisses)));
        let officer_p2 = user_at(11, Role::CommandOfficer, &NodePath::root("KR").child("P2"));
        assert!(matches!(reassign_by(&officer_p2, &task, Some(&worker_p1), HOUR, Timestamp::UNIX_EPOCH), Err(Refused::Denied(_))));
        let same = user_at(1, Role::HealthWorker, &p1);
        assert_eq!(reassign_by(&officer, &task, Some(&same), HOUR, Timestamp::UNIX_EPOCH), Err(Refused::Task(TaskError::SameAssignee)));
    }

    #[test]
    fn only_the_assignee_acknowledges() {
        assert_eq!(acknowledge(&new_task(), Uuid::from_u128(9), Timestamp::UNIX_EPOCH), Err(TaskError::NotAssignee));
    }
}
