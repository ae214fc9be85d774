//! Explanatory lectures: scheduled at a facility or unit, attended by units,
//! and counted as coverage of a topic over a subtree.

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::directive::Audience;
use crate::refusal::{Reason, Unit};
use crate::validation::{Invalid, Problems};

/// A lecture as scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LectureInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// Where: a unit's or a facility's code.
    pub place_code: String,
    /// The topic.
    pub topic: String,
    /// Who speaks.
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

/// Lecture coverage of a subtree: how many of its units had attendance at a
/// lecture on the topic in the period, out of how many units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
