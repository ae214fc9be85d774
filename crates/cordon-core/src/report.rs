//! Symptom reports: a unit head tells the command that a resident is ill.
//!
//! Reports carry a UUID made by the client, so a reporter on a bad connection
//! can send the same report again without creating a second one.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::refusal::{Reason, Unit};
use crate::task::TaskStatus;
use crate::validation::{Invalid, Problems};

/// The fixed vocabulary of symptoms a reporter can tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// Fever or feeling feverish.
    Fever,
    /// Cough.
    Cough,
    /// Sore throat.
    SoreThroat,
    /// Runny or blocked nose.
    RunnyNose,
    /// Shortness of breath.
    ShortnessOfBreath,
    /// Loss of taste or smell.
    LossOfTasteOrSmell,
    /// Diarrhoea.
    Diarrhoea,
    /// Vomiting.
    Vomiting,
    /// Headache.
    Headache,
    /// Muscle or body aches.
    MusclePain,
    /// Unusual tiredness.
    Fatigue,
    /// Rash.
    Rash,
}

impl Symptom {
    /// Every symptom, in the order forms show them.
    pub const ALL: [Symptom; 12] = [
        Symptom::Fever,
        Symptom::Cough,
        Symptom::SoreThroat,
        Symptom::RunnyNose,
        Symptom::ShortnessOfBreath,
        Symptom::LossOfTasteOrSmell,
        Symptom::Diarrhoea,
        Symptom::Vomiting,
        Symptom::Headache,
        Symptom::MusclePain,
        Symptom::Fatigue,
        Symptom::Rash,
    ];

    /// Symptoms of the respiratory syndrome.
    pub const RESPIRATORY: [Symptom; 5] =
        [Symptom::Cough, Symptom::SoreThroat, Symptom::RunnyNose, Symptom::ShortnessOfBreath, Symptom::LossOfTasteOrSmell];

    /// Symptoms of the gastro-intestinal syndrome.
    pub const GASTROINTESTINAL: [Symptom; 2] = [Symptom::Diarrhoea, Symptom::Vomiting];

    /// The stored name (`sore_throat`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Symptom::Fever => "fever",
            Symptom::Cough => "cough",
            Symptom::SoreThroat => "sore_throat",
            Symptom::RunnyNose => "runny_nose",
            Symptom::ShortnessOfBreath => "shortness_of_breath",
            Symptom::LossOfTasteOrSmell => "loss_of_taste_or_smell",
            Symptom::Diarrhoea => "diarrhoea",
            Symptom::Vomiting => "vomiting",
            Symptom::Headache => "headache",
            Symptom::MusclePain => "muscle_pain",
            Symptom::Fatigue => "fatigue",
            Symptom::Rash => "rash",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Symptom> {
        Symptom::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The lowest and highest body temperature (°C) a report may carry.
pub const TEMPERATURE_RANGE_C: (f64, f64) = (30.0, 45.0);

/// A symptom report as submitted by a reporter or a device.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// Identifier made by the client; sending it again is safe.
    pub id: Uuid,
    /// The resident who is ill.
    pub person_id: Uuid,
    /// Code of the unit the report is filed for.
    pub unit_code: String,
    /// Symptoms from the fixed vocabulary.
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    /// Measured body temperature in °C (30-45).
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Date the symptoms began; not in the future.
    #[serde(default)]
    pub onset_date: Option<Date>,
    /// Free note.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A validated symptom report's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDraft {
    /// Client identifier.
    pub id: Uuid,
    /// The resident.
    pub person_id: Uuid,
    /// Symptoms, sorted and without repeats.
    pub symptoms: Vec<Symptom>,
    /// Measured temperature.
    pub temperature_c: Option<f64>,
    /// Onset date.
    pub onset_date: Option<Date>,
    /// Note.
    pub note: Option<String>,
}

impl ReportInput {
    /// Validates the content against today's date (in the authority's time zone).
    pub fn parse(&self, today: Date) -> Result<ReportDraft, Invalid> {
        let mut p = Problems::default();
        if let Some(t) = self.temperature_c {
            let (lo, hi) = TEMPERATURE_RANGE_C;
            if !t.is_finite() || t < lo || t > hi {
                p.add("temperature_c", Reason::Between { min: lo, max: hi, unit: Unit::Celsius });
            }
        }
        if let Some(onset) = self.onset_date {
            if onset > today {
                p.add("onset_date", Reason::AfterToday { today });
            } else if onset < today.saturating_sub(jiff::Span::new().days(60)) {
                p.add("onset_date", Reason::TooOld { days: 60 });
            }
        }
        if self.symptoms.len() > Symptom::ALL.len() * 2 {
            p.add("symptoms", Reason::TooManySymptoms);
        }
        if self.id.is_nil() {
            p.add("id", Reason::NilId);
        }
        let note = p.optional_text("note", self.note.as_deref(), 2000);
        let mut symptoms = self.symptoms.clone();
        symptoms.sort();
        symptoms.dedup();
        p.finish(ReportDraft {
            id: self.id,
            person_id: self.person_id,
            symptoms,
            temperature_c: self.temperature_c,
            onset_date: self.onset_date,
            note,
        })
    }
}

/// Where a report stands, as the reporter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Received; it did not meet the case definition.
    Received,
    /// A suspected case was opened or updated; a worker is being sent.
    CaseOpened,
    /// The investigating worker has acknowledged and is on the way.
    WorkerOnTheWay,
    /// The investigation is done or the case closed.
    Closed,
}

impl ReportStatus {
    /// Where a report stands, from what it led to: `case_open` is `None`
    /// when the report joined no case, else whether that case is still open;
    /// `investigation` is the status of the case's (first) investigation
    /// task, if one was made.
    #[must_use]
    pub fn of(case_open: Option<bool>, investigation: Option<TaskStatus>) -> ReportStatus {
        match (case_open, investigation) {
            (None, _) => ReportStatus::Received,
            (Some(false), _) | (Some(true), Some(TaskStatus::Done)) => ReportStatus::Closed,
            (Some(true), Some(TaskStatus::Acknowledged)) => ReportStatus::WorkerOnTheWay,
            (Some(true), _) => ReportStatus::CaseOpened,
        }
    }
}

/// A stored symptom report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Report {
    /// Client identifier.
    pub id: Uuid,
    /// The resident.
    pub person_id: Uuid,
    /// The unit.
    pub unit_id: Uuid,
    /// The unit's path.
    pub unit_path: NodePath,
    /// Who filed it.
    pub reporter_id: Uuid,
    /// Symptoms.
    pub symptoms: Vec<Symptom>,
    /// Measured temperature.
    pub temperature_c: Option<f64>,
    /// Onset date.
    pub onset_date: Option<Date>,
    /// Note.
    pub note: Option<String>,
    /// When the server received it.
    #[schema(value_type = String, format = DateTime)]
    pub received_at: Timestamp,
    /// The case it opened or joined, if it met the definition.
    pub case_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_report_stands_where_its_case_and_investigation_are() {
        assert_eq!(ReportStatus::of(None, None), ReportStatus::Received);
        assert_eq!(ReportStatus::of(None, Some(TaskStatus::Done)), ReportStatus::Received);
        assert_eq!(ReportStatus::of(Some(true), None), ReportStatus::CaseOpened);
        assert_eq!(ReportStatus::of(Some(true), Some(TaskStatus::Assigned)), ReportStatus::CaseOpened);
        assert_eq!(ReportStatus::of(Some(true), Some(TaskStatus::Overdue)), ReportStatus::CaseOpened);
        assert_eq!(ReportStatus::of(Some(true), Some(TaskStatus::Acknowledged)), ReportStatus::WorkerOnTheWay);
        assert_eq!(ReportStatus::of(Some(true), Some(TaskStatus::Done)), ReportStatus::Closed);
        // A closed case closes the report whatever its task says.
        assert_eq!(ReportStatus::of(Some(false), Some(TaskStatus::Acknowledged)), ReportStatus::Closed);
        assert_eq!(ReportStatus::of(Some(false), None), ReportStatus::Closed);
    }

    fn input() -> ReportInput {
        ReportInput {
            id: Uuid::from_u128(7),
            person_id: Uuid::from_u128(8),
            unit_code: "U1".into(),
            symptoms: vec![Symptom::Cough, Symptom::Fever, Symptom::Cough],
            temperature_c: Some(38.2),
            onset_date: Some(date(2026, 11, 20)),
            note: Some("  ".into()),
        }
    }

    #[test]
    fn a_good_report_is_normalised() {
        let d = input().parse(date(2026, 11, 23)).unwrap();
        assert_eq!(d.symptoms, vec![Symptom::Fever, Symptom::Cough]);
        assert_eq!(d.note, None);
    }

    #[test]
    fn out_of_range_temperature_and_future_onset_are_named() {
        let mut i = input();
        i.temperature_c = Some(46.0);
        i.onset_date = Some(date(2026, 11, 24));
        let fields: Vec<_> = i.parse(date(2026, 11, 23)).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["temperature_c", "onset_date"]);
        i.temperature_c = Some(f64::NAN);
        i.onset_date = None;
        assert!(i.parse(date(2026, 11, 23)).is_err());
    }
}
