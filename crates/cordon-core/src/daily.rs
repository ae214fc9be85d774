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

use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Record, Unit};
use crate::resend::IdReused;
use crate::settings::Settings;
use crate::user::User;
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
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl DailyReportInput {
    /// Validates against today's local date.
    pub fn check(&self, today: Date) -> Result<Option<String>, Invalid> {
        let mut p = Problems::default();
        if self.date > today {
            p.add("date", Reason::AfterToday { today });
        } else if self.date < today.yesterday().unwrap_or(today) {
            p.add("date", Reason::TodayOrYesterday);
        }
        if !(0..=100_000).contains(&self.ill_count) {
            p.add("ill_count", Reason::Between { min: 0.0, max: 100_000.0, unit: Unit::Number });
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

/// Checks the unit a daily report is filed for, as loaded by its code
/// `unit_code` (`None` when no node has it) with the number of levels of the
/// tree: it must exist, `reporter` must be allowed to file reports there, and
/// it must be a unit (a node of the deepest level).
pub fn unit_for<'a>(reporter: &User, unit_code: &str, unit: Option<&'a Node>, levels: usize) -> Result<&'a Node, NodeRefused> {
    let unit = policy::named_node(reporter, Action::FileReport, ("unit_code", unit_code), unit)?;
    if usize::try_from(unit.level).ok().map(|depth| depth + 1) != Some(levels) {
        return Err(Invalid::field("unit_code", Reason::UnitsOnly).into());
    }
    Ok(unit)
}

/// What filing a daily report comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Filing {
    /// The unit had reported for the day already (or this id was filed
    /// before): the report stored first, nothing new is written.
    Again(DailyReport),
    /// A new report, to store.
    New(DailyReport),
}

/// Decides on `input` (its note checked into `note`) for `unit` by
/// `reporter_id`, given the report already stored under its id or for the
/// unit and day, if any (`existing`, as loaded): the first report of a unit's
/// day stands; an id already used for another unit or day is refused.
pub fn decide(
    existing: Option<DailyReport>,
    (input, note): (&DailyReportInput, Option<String>),
    unit: &Node,
    reporter_id: Uuid,
    now: Timestamp,
) -> Result<Filing, IdReused> {
    match existing {
        Some(first) if first.id == input.id && (first.unit_id != unit.id || first.date != input.date) => {
            Err(IdReused { record: Record::DailyReport, id: input.id })
        }
        Some(first) => Ok(Filing::Again(first)),
        None => Ok(Filing::New(DailyReport {
            id: input.id,
            unit_id: unit.id,
            unit_path: unit.path.clone(),
            date: input.date,
            ill_count: input.ill_count,
            note,
            reporter_id,
            received_at: now,
        })),
    }
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

    fn node(level: i64, path: NodePath) -> Node {
        Node {
            id: Uuid::from_u128(u128::from(level.unsigned_abs()) + 1),
            code: "U".into(),
            name: "U".into(),
            level,
            parent_id: None,
            population: 0,
            path,
        }
    }

    #[test]
    fn a_daily_report_is_filed_for_a_unit_in_reach() {
        let district = NodePath::root("KR").child("D");
        let head = User {
            id: Uuid::nil(),
            username: "h".into(),
            display_name: "H".into(),
            role: crate::user::Role::Reporter,
            node_id: Uuid::nil(),
            node_path: district.clone(),
            phone: None,
            active: true,
        };
        let unit = node(2, district.child("U"));
        assert_eq!(unit_for(&head, "U", Some(&unit), 3), Ok(&unit));
        let not_a_unit = unit_for(&head, "U", Some(&unit), 4).unwrap_err();
        assert!(matches!(not_a_unit, NodeRefused::Invalid(ref i) if i.errors[0].reason == Reason::UnitsOnly));
        let elsewhere = node(2, NodePath::root("KR").child("E").child("U"));
        assert!(matches!(unit_for(&head, "U", Some(&elsewhere), 3), Err(NodeRefused::Denied { field: "unit_code", .. })));
        assert!(matches!(unit_for(&head, "NOPE", None, 3), Err(NodeRefused::Invalid(_))));
    }

    #[test]
    fn the_first_daily_report_of_a_day_stands_and_its_id_names_no_other() {
        let unit = node(2, NodePath::root("KR").child("U"));
        let day = date(2026, 11, 23);
        let input = DailyReportInput { id: Uuid::from_u128(9), unit_code: "U".into(), date: day, ill_count: 0, note: None };
        let Ok(Filing::New(first)) = decide(None, (&input, None), &unit, Uuid::nil(), Timestamp::UNIX_EPOCH) else {
            panic!("a new report")
        };
        let again = DailyReportInput { id: Uuid::from_u128(10), ill_count: 3, ..input.clone() };
        assert_eq!(
            decide(Some(first.clone()), (&again, None), &unit, Uuid::nil(), Timestamp::UNIX_EPOCH),
            Ok(Filing::Again(first.clone()))
        );
        let other_day = DailyReportInput { date: day.yesterday().unwrap(), ..input.clone() };
        let reused = decide(Some(first), (&other_day, None), &unit, Uuid::nil(), Timestamp::UNIX_EPOCH);
        assert_eq!(reused, Err(IdReused { record: Record::DailyReport, id: input.id }));
    }

    #[test]
    fn a_zero_report_counts_as_reported() {
        let mut c = Completeness::default();
        c.add(Timeliness::OnTime, Some(0));
        c.add(Timeliness::Silent, None);
        assert_eq!((c.units, c.on_time, c.silent, c.zero_reports), (2, 1, 1, 1));
    }
}
