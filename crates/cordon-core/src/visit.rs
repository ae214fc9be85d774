//! Follow-up visits: what the worker found, and the rules a visit record must
//! keep before it is stored.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use uuid::Uuid;

use crate::refusal::{Reason, Unit};
use crate::report::{Symptom, TEMPERATURE_RANGE_C};
use crate::task::{Task, TaskKind};
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

#[cfg(test)]
mod tests {
    use super::*;

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
