//! Daily unit reports: every unit reports every day, even when nobody is ill.
//!
//! Silence must never be mistaken for health. A unit head files one report a
//! day; a "zero report" says nobody is ill. For any node and day the command
//! sees which units reported on time, which late and which are silent; past
//! the silent hour a silent unit is escalated like an overdue task.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::settings::Settings;
use crate::validation::{Invalid, Problems};

/// A unit's daily report as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyReportInput {
    /// Identifier made by the client; sending it again is safe.
    pub id: Uuid,
    /// Code of the unit.
    pub unit_code: String,
    /// The day reported on; today or yesterday.
    pub date: Date,
    /// Residents with symptoms today (0 for a zero report).
    pub ill_count: i64,
    /// Free note.
    #[serde(default)]
    pub note: Option<String>,
}

impl DailyReportInput {
    /// Validates against today's local date.
    pub fn check(&self, today: Date) -> Result<Option<String>, Invalid> {
        let mut p = Problems::default();
        if self.date > today {
            p.add("date", format!("must not be after today ({today})"));
        } else if self.date < today.yesterday().unwrap_or(today) {
            p.add("date", "may be today or yesterday only");
        }
        if !(0..=100_000).contains(&self.ill_count) {
            p.add("ill_count", "must be between 0 and 100000");
        }
        let note = p.optional_text("note", self.note.as_deref(), 2000);
        p.finish(note)
    }
}

/// A stored daily report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DailyReport {
    /// Client identifier.
    pub id: Uuid,
    /// The unit.
    pub unit_id: Uuid,
    /// Its path.
    pub unit_path: NodePath,
    /// The day reported on.
    pub date: Date,
    /// Residents with symptoms (0 = zero report).
    pub ill_count: i64,
    /// Note.
    pub note: Option<String>,
    /// Who filed it.
    pub reporter_id: Uuid,
    /// When it arrived.
    #[schema(value_type = String, format = DateTime)]
    pub received_at: Timestamp,
}

/// How a unit stands for one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Reported before the due hour.
    OnTime,
    /// Reported after the due hour.
    Late,
    /// No report yet and the due hour has not passed.
    Pending,
    /// No report and the due hour has passed.
    Silent,
}

/// Classifies one unit's day from its report's arrival time (if any).
#[must_use]
pub fn timeliness(settings: &Settings, day: Date, received_at: Option<Timestamp>, now: Timestamp) -> Timeliness {
    let due = settings.local_instant(day, settings.daily_report_due_hour);
    match received_at {
        Some(at) if at <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if now <= due => Timeliness::Pending,
        None => Timeliness::Silent,
    }
}

/// Whether a unit with no report for `day` must now be escalated as silent.
#[must_use]
pub fn is_silent_past_hour(settings: &Settings, day: Date, now: Timestamp) -> bool {
    now >= settings.local_instant(day, settings.silent_unit_hour)
}

/// Completeness and timeliness of one node's units for one day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Completeness {
    /// Units in the subtree.
    pub units: i64,
    /// Units that reported on time.
    pub on_time: i64,
    /// Units that reported late.
    pub late: i64,
    /// Units not yet due.
    pub pending: i64,
    /// Units silent past the due hour.
    pub silent: i64,
    /// Of the reports received, how many were zero reports.
    pub zero_reports: i64,
}

impl Completeness {
    /// Counts one unit.
    pub fn add(&mut self, t: Timeliness, ill_count: Option<i64>) {
        self.units += 1;
        match t {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Pending => self.pending += 1,
            Timeliness::Silent => self.silent += 1,
        }
        if ill_count == Some(0) {
            self.zero_reports += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn timeliness_follows_the_due_hour() {
        let s = Settings::default();
        let day = date(2026, 11, 23);
        let at = |h: i8| s.local_instant(day, h);
        assert_eq!(timeliness(&s, day, Some(at(9)), at(10)), Timeliness::OnTime);
        assert_eq!(timeliness(&s, day, Some(at(19)), at(19)), Timeliness::Late);
        assert_eq!(timeliness(&s, day, None, at(12)), Timeliness::Pending);
        assert_eq!(timeliness(&s, day, None, at(19)), Timeliness::Silent);
        assert!(!is_silent_past_hour(&s, day, at(20)));
        assert!(is_silent_past_hour(&s, day, at(21)));
    }

    #[test]
    fn a_zero_report_counts_as_reported() {
        let mut c = Completeness::default();
        c.add(Timeliness::OnTime, Some(0));
        c.add(Timeliness::Silent, None);
        assert_eq!((c.units, c.on_time, c.silent, c.zero_reports), (2, 1, 1, 1));
    }
}
