//! Follow-up visits: what the worker found, and the rules a visit record must
//! keep before it is stored.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use uuid::Uuid;

use jiff::Timestamp;

use crate::policy::{self, Action};
use crate::refusal::{Reason, Unit};
use crate::report::{Symptom, TEMPERATURE_RANGE_C};
use crate::task::{self, Refused, Task, TaskKind};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// What the worker found at a visit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// Whether the person was seen.
    pub seen: bool,
    /// Measured temperature.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Symptoms found.
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    /// Note.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl VisitInput {
    /// Checks the record; returns the trimmed note.
    pub fn check(&self) -> Result<Option<String>, Invalid> {
        let mut p = Problems::default();
        if let Some(t) = self.temperature_c {
            let (lo, hi) = TEMPERATURE_RANGE_C;
            if !t.is_finite() || t < lo || t > hi {
                p.add("temperature_c", Reason::Between { min: lo, max: hi, unit: Unit::Celsius });
            }
        }
        if !self.seen && (self.temperature_c.is_some() || !self.symptoms.is_empty()) {
            p.add("seen", Reason::NotSeenNoReadings);
        }
        let note = p.optional_text("note", self.note.as_deref(), 2000);
        p.finish(note)
    }
}

/// The order a visit is recorded on: `task` must be a follow-up visit
/// (which always names its order).
pub fn followed_order(task: &Task) -> Result<Uuid, Invalid> {
    task.order_id.filter(|_| task.kind == TaskKind::FollowUp).ok_or_else(|| Invalid::field("task", Reason::NotFollowUp))
}

/// What recording a visit does to its task.
#[derive(Debug, Clone, PartialEq)]
pub struct Visited {
    /// The order followed up.
    pub order_id: Uuid,
    /// The task, completed (acknowledged on the way if it was not yet).
    pub done: Task,
    /// The visit's note, trimmed.
    pub note: Option<String>,
}

/// Decides on `worker` recording the visit `visit` on `task` (as loaded):
/// they may work tasks at its place, the record keeps its rules, the task is
/// a follow-up visit, and it may be acknowledged (if it was not yet) and
/// completed by them.
pub fn record_by(worker: &User, task: &Task, visit: &VisitInput, now: Timestamp) -> Result<Visited, Refused> {
    policy::authorise(worker, Action::WorkTask, &task.subject_path)?;
    let note = visit.check()?;
    let order_id = followed_order(task)?;
    let acknowledged = if task.status.awaits_acknowledgement() { task::acknowledge(task, worker.id, now)? } else { task.clone() };
    let done = task::complete(&acknowledged, worker.id, note.clone(), now)?;
    Ok(Visited { order_id, done, note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jurisdiction::NodePath;
    use crate::task::{TaskError, TaskStatus};
    use crate::user::Role;

    #[test]
    fn the_assigned_worker_records_a_visit_and_completes_the_task() {
        let c1 = NodePath::root("KR").child("C1");
        let worker = crate::fixtures::user(Role::HealthWorker, &c1);
        let subject = crate::task::Subject {
            kind: TaskKind::FollowUp,
            case_id: None,
            order_id: Some(Uuid::from_u128(5)),
            due_on: None,
            person_id: Uuid::nil(),
            path: c1.child("U1"),
        };
        let on_call = crate::task::OnCall { worker_id: worker.id, area_path: c1.clone() };
        let at = Timestamp::UNIX_EPOCH;
        let task = crate::task::assign(Uuid::nil(), subject, Some(&on_call), jiff::SignedDuration::from_hours(1), at);
        let well = VisitInput { seen: true, temperature_c: Some(36.6), symptoms: vec![], note: Some(" well ".into()) };
        let visited = record_by(&worker, &task, &well, at).unwrap();
        assert_eq!((visited.order_id, visited.done.status, visited.note.as_deref()), (Uuid::from_u128(5), TaskStatus::Done, Some("well")));

        let colleague = User { id: Uuid::from_u128(8), ..worker.clone() };
        assert_eq!(record_by(&colleague, &task, &well, at), Err(Refused::Task(TaskError::NotAssignee)));
        let elsewhere = crate::fixtures::user(Role::HealthWorker, &NodePath::root("KR").child("C2"));
        assert!(matches!(record_by(&elsewhere, &task, &well, at), Err(Refused::Denied(_))));
        let unseen = VisitInput { seen: false, ..well };
        assert!(matches!(record_by(&worker, &task, &unseen, at), Err(Refused::Invalid(_))));
    }

    #[test]
    fn a_visit_is_recorded_only_on_a_follow_up_task() {
        let path = crate::jurisdiction::NodePath::root("KR");
        let subject = |kind, order_id| crate::task::Subject {
            kind,
            case_id: None,
            order_id,
            due_on: None,
            person_id: Uuid::nil(),
            path: path.clone(),
        };
        let at = jiff::Timestamp::UNIX_EPOCH;
        let order = Some(Uuid::from_u128(5));
        let follow_up = crate::task::assign(Uuid::nil(), subject(TaskKind::FollowUp, order), None, jiff::SignedDuration::ZERO, at);
        assert_eq!(followed_order(&follow_up), Ok(Uuid::from_u128(5)));
        let investigation = crate::task::assign(Uuid::nil(), subject(TaskKind::Investigation, order), None, jiff::SignedDuration::ZERO, at);
        assert_eq!(followed_order(&investigation).unwrap_err().errors[0].reason, Reason::NotFollowUp);
    }

    #[test]
    fn a_person_not_seen_has_no_findings() {
        let v = VisitInput { seen: false, temperature_c: Some(37.0), symptoms: vec![], note: None };
        assert_eq!(v.check().unwrap_err().errors[0].field, "seen");
        let v = VisitInput { seen: true, temperature_c: Some(50.0), symptoms: vec![], note: Some(" ok ".into()) };
        assert_eq!(v.check().unwrap_err().errors[0].field, "temperature_c");
        let v = VisitInput { seen: true, temperature_c: Some(36.6), symptoms: vec![], note: Some(" ok ".into()) };
        assert_eq!(v.check().unwrap(), Some("ok".into()));
    }
}
