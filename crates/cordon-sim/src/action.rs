//! What the simulation asks the system to do, and when: "on day d at
//! 09:40, the head of unit u reports resident r with fever and cough",
//! "the worker holding that report's task acknowledges it", "the
//! laboratory confirms it", "unit u files its daily report".
//!
//! Actions name simulated things (residents, units, report keys); the
//! caller maps them to stored ones and feeds them through the same core
//! rules and store calls the API uses. The system may refuse or redirect an
//! action (a report that meets no case definition opens no task): the
//! simulation proposes, cordon decides.

use cordon_core::arrival::ArrivalInput;
use cordon_core::contact::{ContactInput, ExposureSetting};
use cordon_core::daily::DailyReportInput;
use cordon_core::person::PersonInput;
use cordon_core::report::{ReportInput, Symptom};
use jiff::Span;
use jiff::civil::{Date, DateTime, Time};
use uuid::Uuid;

/// Minutes since local midnight at the start of simulated day 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u32);

/// Minutes in a day.
pub const DAY_MINUTES: u32 = 24 * 60;

impl SimTime {
    /// Day `day` at `minute` minutes after midnight (minutes past the day roll over).
    #[must_use]
    pub fn at(day: u32, minute: u32) -> SimTime {
        SimTime(day.saturating_mul(DAY_MINUTES).saturating_add(minute))
    }

    /// Fractional days since the start, as the model counts time.
    #[must_use]
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped to 0..=u32::MAX minutes; `as` drops the seconds")]
    pub fn from_days(days: f64) -> SimTime {
        SimTime((days.max(0.0) * f64::from(DAY_MINUTES)).min(f64::from(u32::MAX)) as u32)
    }

    /// The simulated day.
    #[must_use]
    pub fn day(self) -> u32 {
        self.0 / DAY_MINUTES
    }

    /// Minutes after local midnight.
    #[must_use]
    pub fn minute_of_day(self) -> u32 {
        self.0 % DAY_MINUTES
    }

    /// This time plus some minutes.
    #[must_use]
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 0..=u32::MAX / 2 minutes; `as` drops the seconds"
    )]
    pub fn plus_minutes(self, minutes: f64) -> SimTime {
        SimTime(self.0.saturating_add(minutes.clamp(0.0, f64::from(u32::MAX / 2)) as u32))
    }

    /// The local calendar date, when day 0 is `start`.
    #[must_use]
    pub fn date(self, start: Date) -> Date {
        day_date(start, self.day())
    }

    /// The local date and time, when day 0 is `start`.
    #[must_use]
    #[expect(clippy::cast_possible_truncation, reason = "a minute of the day: the hour is below 24, the minute below 60")]
    pub fn civil(self, start: Date) -> DateTime {
        let m = self.minute_of_day();
        let time = Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).unwrap_or(Time::midnight());
        self.date(start).to_datetime(time)
    }
}

/// The date of simulated day `day` when day 0 is `start`.
#[must_use]
pub fn day_date(start: Date, day: u32) -> Date {
    start.checked_add(Span::new().days(i64::from(day))).unwrap_or(start)
}

/// Identifies one simulated report across the actions that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportKey(pub u64);

/// Why a resident is ill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Infected in the outbreak (locally or abroad).
    Outbreak,
    /// Some other illness (a cold, gastro-enteritis): the background.
    Background,
}

impl Cause {
    /// `outbreak` or `background`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Outbreak => "outbreak",
            Cause::Background => "background",
        }
    }
}

/// A unit head's symptom report about a resident.
#[derive(Debug, Clone, PartialEq)]
pub struct SymptomReport {
    /// Key of this report for the actions that follow it.
    pub key: ReportKey,
    /// The resident.
    pub person: u32,
    /// The resident's unit.
    pub unit: u32,
    /// Symptoms, sorted.
    pub symptoms: Vec<Symptom>,
    /// Measured temperature (°C), if measured.
    pub temperature_c: Option<f64>,
    /// Simulated day of symptom onset.
    pub onset_day: u32,
    /// Why the resident is ill (the simulation knows; cordon does not).
    pub cause: Cause,
    /// Whether the report meets cordon's default case definition, so that
    /// the simulation expects an investigation.
    pub meets_definition: bool,
}

impl SymptomReport {
    /// The report as the API receives it, with the stored ids of the
    /// resident and the unit, when day 0 is `start`.
    #[must_use]
    pub fn input(&self, id: Uuid, person_id: Uuid, unit_code: &str, start: Date) -> ReportInput {
        ReportInput {
            id,
            person_id,
            unit_code: unit_code.to_owned(),
            symptoms: self.symptoms.clone(),
            temperature_c: self.temperature_c,
            onset_date: Some(day_date(start, self.onset_day)),
            note: None,
        }
    }
}

/// A unit's daily report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDailyReport {
    /// The unit.
    pub unit: u32,
    /// The simulated day reported on.
    pub day: u32,
    /// Residents the unit head knows to be ill.
    pub ill_count: u32,
}

impl UnitDailyReport {
    /// The daily report as the API receives it, when day 0 is `start`.
    #[must_use]
    pub fn input(&self, id: Uuid, unit_code: &str, start: Date) -> DailyReportInput {
        DailyReportInput {
            id,
            unit_code: unit_code.to_owned(),
            date: day_date(start, self.day),
            ill_count: i64::from(self.ill_count),
            note: None,
        }
    }
}

/// A contact the investigating worker lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSpec {
    /// The contact.
    pub person: u32,
    /// Where the contact lives.
    pub unit: u32,
    /// Where the exposure happened.
    pub setting: ExposureSetting,
    /// Relation to the case.
    pub relation: &'static str,
    /// Simulated day of the last exposure.
    pub exposure_day: u32,
}

impl ContactSpec {
    /// The contact as the API receives it: `person` is the contact's
    /// registration (with their unit's code), the exposure date is given.
    #[must_use]
    pub fn input(&self, person: PersonInput, exposure_date: Date) -> ContactInput {
        ContactInput { person_id: None, new_person: Some(person), relation: self.relation.to_owned(), exposure_date, setting: self.setting }
    }
}

/// What a worker finds at a daily follow-up visit of a person under an order.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpVisit {
    /// The person visited.
    pub person: u32,
    /// Whether the person is under isolation (a case) rather than quarantine.
    pub isolation: bool,
    /// Whether the person was found.
    pub seen: bool,
    /// Measured temperature.
    pub temperature_c: Option<f64>,
    /// Symptoms found (a quarantined contact falling ill).
    pub symptoms: Vec<Symptom>,
    /// When symptoms were found: the key of the report they become.
    pub report: Option<ReportKey>,
}

/// A resident coming home through a point of entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalAction {
    /// The traveller.
    pub person: u32,
    /// Where they live (and will be followed up).
    pub unit: u32,
    /// Index into the country's points of entry.
    pub point_of_entry: usize,
    /// ISO 3166 alpha-2 code of the country the journey started in.
    pub origin_country: &'static str,
    /// Flight, ferry or road.
    pub route: String,
    /// Passport number.
    pub travel_document: String,
    /// Screening temperature.
    pub temperature_c: Option<f64>,
    /// Symptoms at screening.
    pub symptoms: Vec<Symptom>,
    /// When screening found symptoms: the key of the report they become.
    pub report: Option<ReportKey>,
}

impl ArrivalAction {
    /// The arrival as the API receives it.
    #[must_use]
    pub fn input(&self, id: Uuid, point_of_entry_code: &str, person: PersonInput, arrived_on: Date) -> ArrivalInput {
        ArrivalInput {
            id,
            point_of_entry_code: point_of_entry_code.to_owned(),
            person,
            travel_document: self.travel_document.clone(),
            origin_country: self.origin_country.to_owned(),
            route: Some(self.route.clone()),
            arrived_on,
            temperature_c: self.temperature_c,
            symptoms: self.symptoms.clone(),
            facility_code: None,
        }
    }
}

/// Something that happens in the simulated country.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A unit head reports a resident's symptoms.
    Report(SymptomReport),
    /// The worker who holds the report's investigation task acknowledges it
    /// (after the deadline it is whoever the task was escalated to).
    Acknowledge(ReportKey),
    /// The worker visits, takes a sample, isolates the case at home, records
    /// a first classification (probable, or still suspected) and lists the
    /// contacts (from the tracing day on).
    Visit {
        /// The report.
        report: ReportKey,
        /// The case's resident.
        person: u32,
        /// Whether the worker classifies the case as probable.
        probable: bool,
        /// Whether the case is isolated at home under an order (from the
        /// tracing day on).
        isolate: bool,
        /// The contacts listed.
        contacts: Vec<ContactSpec>,
    },
    /// The worker finishes the investigation task.
    Complete(ReportKey),
    /// The laboratory result arrives: positive confirms, negative discards.
    LabResult {
        /// The report.
        report: ReportKey,
        /// Whether the sample tested positive.
        positive: bool,
    },
    /// A confirmed case ends.
    Outcome {
        /// The report.
        report: ReportKey,
        /// Whether the resident died.
        died: bool,
    },
    /// A unit files its daily report.
    Daily(UnitDailyReport),
    /// A worker visits a person under an isolation or quarantine order.
    FollowUp(FollowUpVisit),
    /// A border officer registers a resident coming home.
    Arrival(ArrivalAction),
}

/// An action at its simulated time.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    /// When.
    pub at: SimTime,
    /// What.
    pub action: Action,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn times_map_to_local_dates() {
        let t = SimTime::at(2, 9 * 60 + 40);
        assert_eq!((t.day(), t.minute_of_day()), (2, 580));
        assert_eq!(t.civil(date(2026, 2, 27)), date(2026, 3, 1).at(9, 40, 0, 0));
        assert_eq!(SimTime::from_days(1.5), SimTime::at(1, 720));
    }
}
