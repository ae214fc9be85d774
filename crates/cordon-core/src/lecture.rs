//! Explanatory lectures: scheduled at a facility or unit, attended by units,
//! and counted as coverage of a topic over a subtree.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::directive::Audience;
use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// A lecture as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LectureInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// The area it serves (a unit, or a district for a lecture at its
    /// hospital): the units below it attend.
    pub node_code: String,
    /// Where it is held, in words (a hospital, a quarantine centre, a hall).
    #[schema(max_length = 200)]
    pub venue: String,
    /// The topic.
    #[schema(max_length = 200)]
    pub topic: String,
    /// Who speaks.
    #[schema(max_length = 200)]
    pub speaker: String,
    /// When it starts, local time.
    #[schema(value_type = String, example = "2026-12-10T14:00:00")]
    pub starts_at: DateTime,
    /// How many it seats.
    pub capacity: u32,
    /// Who it is for.
    pub audience: Audience,
}

impl LectureInput {
    /// Checks the fields that need nothing else.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.text("venue", &self.venue, 200);
        p.text("topic", &self.topic, 200);
        p.text("speaker", &self.speaker, 200);
        if !(1..=100_000).contains(&self.capacity) {
            p.add("capacity", Reason::Between { min: 1.0, max: 100_000.0, unit: Unit::Number });
        }
        p.finish(())
    }
}

/// Checks a unit's attendance: at least one, and with the others already
/// recorded (`recorded`, this unit's earlier figure left out), not above the
/// lecture's capacity.
pub fn check_attendance(attended: u32, recorded: u32, capacity: u32) -> Result<(), Invalid> {
    if attended == 0 {
        return Err(Invalid::field("attended", Reason::Between { min: 1.0, max: f64::from(capacity), unit: Unit::Number }));
    }
    if recorded.saturating_add(attended) > capacity {
        return Err(Invalid::field("attended", Reason::AboveCapacity { capacity }));
    }
    Ok(())
}

/// A scheduled lecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Lecture {
    /// Identifier.
    pub id: Uuid,
    /// The area it serves.
    pub node_id: Uuid,
    /// That area's path.
    pub node_path: NodePath,
    /// Where it is held.
    pub venue: String,
    /// The topic.
    pub topic: String,
    /// Who speaks.
    pub speaker: String,
    /// When it starts, local time.
    #[schema(value_type = String)]
    pub starts_at: DateTime,
    /// How many it seats.
    pub capacity: u32,
    /// Who it is for.
    pub audience: Audience,
    /// Who scheduled it.
    pub scheduled_by: Uuid,
}

/// Decides on scheduling: a health worker or command officer over the area
/// named, and fields that hold.
pub fn schedule(user: &User, node: Option<&Node>, input: &LectureInput) -> Result<Lecture, NodeRefused> {
    let node = policy::named_node(user, Action::WorkTask, ("node_code", &input.node_code), node)?;
    input.check()?;
    Ok(Lecture {
        id: input.id,
        node_id: node.id,
        node_path: node.path.clone(),
        venue: input.venue.trim().to_owned(),
        topic: input.topic.trim().to_owned(),
        speaker: input.speaker.trim().to_owned(),
        starts_at: input.starts_at,
        capacity: input.capacity,
        audience: input.audience,
        scheduled_by: user.id,
    })
}

/// How many from one unit attended a lecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attendance {
    /// The lecture.
    pub lecture_id: Uuid,
    /// The unit.
    pub unit_id: Uuid,
    /// Its path.
    pub unit_path: NodePath,
    /// How many attended.
    pub attended: u32,
    /// Who recorded it.
    pub recorded_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: Timestamp,
}

/// Attendance as recorded for a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    /// The unit.
    pub unit_code: String,
    /// How many attended.
    pub attended: u32,
}

/// Decides on a unit's attendance: the unit must be one `user` records for
/// and one the lecture serves; with the other units' attendance
/// (`recorded_by_others`), not above the capacity. Recording again replaces
/// the unit's figure.
pub fn attend(
    user: &User,
    lecture: &Lecture,
    unit: Option<&Node>,
    input: &AttendanceInput,
    recorded_by_others: u32,
    now: Timestamp,
) -> Result<Attendance, NodeRefused> {
    let unit = policy::named_node(user, Action::RecordCommunity, ("unit_code", &input.unit_code), unit)?;
    if !lecture.node_path.contains(&unit.path) {
        return Err(Invalid::field("unit_code", Reason::NotServed).into());
    }
    check_attendance(input.attended, recorded_by_others, lecture.capacity)?;
    Ok(Attendance {
        lecture_id: lecture.id,
        unit_id: unit.id,
        unit_path: unit.path.clone(),
        attended: input.attended,
        recorded_by: user.id,
        recorded_at: now,
    })
}

/// Lecture coverage of a subtree: how many of its units had attendance at a
/// lecture on the topic in the period, out of how many units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = LectureCoverage)]
pub struct Coverage {
    /// Units with attendance.
    pub covered: u32,
    /// Units in the subtree.
    pub units: u32,
}

impl Coverage {
    /// The share covered, 0 when the subtree has no unit.
    #[must_use]
    pub fn share(self) -> f64 {
        if self.units == 0 { 0.0 } else { f64::from(self.covered) / f64::from(self.units) }
    }

    /// Whether the share reaches `target` (0 to 1).
    #[must_use]
    pub fn meets(self, target: f64) -> bool {
        self.share() >= target
    }
}

/// The first day of the `days`-day window that ends on `today`.
#[must_use]
pub fn window_start(today: Date, days: u16) -> Date {
    today.checked_sub(jiff::Span::new().days(i64::from(days.saturating_sub(1)))).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn attendance_stays_within_the_capacity() {
        assert!(check_attendance(30, 0, 40).is_ok());
        assert_eq!(check_attendance(11, 30, 40).unwrap_err().errors[0].reason, Reason::AboveCapacity { capacity: 40 });
        assert_eq!(check_attendance(0, 0, 40).unwrap_err().errors[0].field, "attended");
    }

    #[test]
    fn coverage_is_the_share_of_units_reached() {
        let c = Coverage { covered: 3, units: 4 };
        assert!((c.share() - 0.75).abs() < 1e-12 && c.meets(0.75) && !c.meets(0.8));
        assert!(Coverage { covered: 0, units: 0 }.share().abs() < f64::EPSILON);
        assert_eq!(window_start(date(2026, 12, 7), 7), date(2026, 12, 1));
    }
}
