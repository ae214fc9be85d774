//! Operational settings an administrator can change at run time.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::refusal::{Reason, Unit};
use crate::validation::{Invalid, Problems};

/// Settings that drive deadlines and daily-report rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// IANA time zone of the authority; days and hours below are local to it.
    pub time_zone: String,
    /// Minutes a worker has to acknowledge a new investigation task.
    pub investigation_deadline_minutes: i64,
    /// Minutes the next worker up has to acknowledge an escalated task.
    pub escalation_deadline_minutes: i64,
    /// Minutes the units have to acknowledge a directive before they
    /// escalate (default a day).
    #[serde(default = "default_directive_deadline_minutes")]
    pub directive_deadline_minutes: i64,
    /// Local hour by which a unit's daily report is due; later is "late".
    pub daily_report_due_hour: i8,
    /// Local hour after which a unit with no daily report is escalated as silent.
    pub silent_unit_hour: i8,
    /// Days a contact's quarantine lasts after the last exposure.
    pub quarantine_days: i16,
    /// Days a case's isolation lasts.
    pub isolation_days: i16,
    /// Days an arrival's quarantine lasts after arrival.
    pub entry_quarantine_days: i16,
    /// Local hour by which the day's follow-up visit is due.
    pub follow_up_due_hour: i8,
    /// What happens to arrivals from countries without a rule of their own.
    pub default_entry_rule: EntryRule,
    /// Rules for arrivals from particular countries. (Which points of entry
    /// are closed is not a setting: border directives say it.)
    pub entry_rules: Vec<CountryRule>,
    /// Mean of the serial interval, in days, for Rt (a shifted gamma, as
    /// EpiEstim's `parametric_si`; must exceed 1).
    pub serial_interval_mean_days: f64,
    /// Standard deviation of the serial interval, in days.
    pub serial_interval_sd_days: f64,
    /// Days of each Rt window.
    pub rt_window_days: i16,
    /// In a published situation report, counts below this are suppressed
    /// ("fewer than N").
    pub public_suppression_below: i64,
    /// The most days an isolation or quarantine order may last from its
    /// first day, extensions included.
    pub max_order_days: i16,
}

/// What happens to an arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryRule {
    /// Quarantine in a facility.
    FacilityQuarantine,
    /// Quarantine at home.
    HomeQuarantine,
    /// No quarantine (screening only).
    NoQuarantine,
}

/// The entry rule for one origin country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountryRule {
    /// ISO 3166 alpha-2 code.
    pub country: String,
    /// The rule.
    pub rule: EntryRule,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            time_zone: "UTC".into(),
            investigation_deadline_minutes: 120,
            escalation_deadline_minutes: 60,
            directive_deadline_minutes: default_directive_deadline_minutes(),
            daily_report_due_hour: 18,
            silent_unit_hour: 21,
            quarantine_days: 14,
            isolation_days: 14,
            entry_quarantine_days: 14,
            follow_up_due_hour: 20,
            default_entry_rule: EntryRule::FacilityQuarantine,
            entry_rules: Vec::new(),
            serial_interval_mean_days: 4.7,
            serial_interval_sd_days: 2.9,
            rt_window_days: 7,
            public_suppression_below: 5,
            max_order_days: 90,
        }
    }
}

impl Settings {
    /// Checks every field.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        if TimeZone::get(&self.time_zone).is_err() {
            p.add("time_zone", Reason::TimeZone);
        }
        if !(1..=7 * 24 * 60).contains(&self.investigation_deadline_minutes) {
            p.add("investigation_deadline_minutes", Reason::DeadlineRange);
        }
        if !(1..=7 * 24 * 60).contains(&self.escalation_deadline_minutes) {
            p.add("escalation_deadline_minutes", Reason::DeadlineRange);
        }
        if !(1..=7 * 24 * 60).contains(&self.directive_deadline_minutes) {
            p.add("directive_deadline_minutes", Reason::DeadlineRange);
        }
        if !(0..=23).contains(&self.daily_report_due_hour) {
            p.add("daily_report_due_hour", Reason::Hour);
        }
        if !(0..=23).contains(&self.silent_unit_hour) || self.silent_unit_hour < self.daily_report_due_hour {
            p.add("silent_unit_hour", Reason::HourBeforeDue);
        }
        for (field, days) in [
            ("quarantine_days", self.quarantine_days),
            ("isolation_days", self.isolation_days),
            ("entry_quarantine_days", self.entry_quarantine_days),
        ] {
            if !(1..=60).contains(&days) {
                p.add(field, Reason::Between { min: 1.0, max: 60.0, unit: Unit::Days });
            }
        }
        if !(14..=365).contains(&self.max_order_days) {
            p.add("max_order_days", Reason::Between { min: 14.0, max: 365.0, unit: Unit::Days });
        }
        if !(0..=23).contains(&self.follow_up_due_hour) {
            p.add("follow_up_due_hour", Reason::Hour);
        }
        if !(self.serial_interval_mean_days > 1.0 && self.serial_interval_mean_days <= 30.0) {
            p.add("serial_interval_mean_days", Reason::Between { min: 1.0, max: 30.0, unit: Unit::Days });
        }
        if !(self.serial_interval_sd_days > 0.0 && self.serial_interval_sd_days <= 30.0) {
            p.add("serial_interval_sd_days", Reason::Between { min: 0.0, max: 30.0, unit: Unit::Days });
        }
        if !(2..=28).contains(&self.rt_window_days) {
            p.add("rt_window_days", Reason::Between { min: 2.0, max: 28.0, unit: Unit::Days });
        }
        if !(1..=100).contains(&self.public_suppression_below) {
            p.add("public_suppression_below", Reason::Between { min: 1.0, max: 100.0, unit: Unit::Number });
        }
        for (i, r) in self.entry_rules.iter().enumerate() {
            if r.country.len() != 2 || !r.country.chars().all(|c| c.is_ascii_uppercase()) {
                p.add(format!("entry_rules[{i}].country"), Reason::CountryCode);
            }
        }
        p.finish(())
    }

    /// The authority's time zone (UTC if the name is unknown).
    #[must_use]
    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
    }

    /// The local calendar day of an instant.
    #[must_use]
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone()).date()
    }

    /// The instant a local hour of a day begins.
    #[must_use]
    pub fn local_instant(&self, day: Date, hour: i8) -> Timestamp {
        let time = Time::new(hour, 0, 0, 0).unwrap_or(Time::midnight());
        day.to_datetime(time).to_zoned(self.zone()).map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
    }

    /// How long a new investigation task waits for acknowledgement.
    #[must_use]
    pub fn investigation_deadline(&self) -> SignedDuration {
        SignedDuration::from_mins(self.investigation_deadline_minutes)
    }

    /// How long an escalated task waits for acknowledgement.
    #[must_use]
    pub fn escalation_deadline(&self) -> SignedDuration {
        SignedDuration::from_mins(self.escalation_deadline_minutes)
    }

    /// How long the units have to acknowledge a directive.
    #[must_use]
    pub fn directive_deadline(&self) -> SignedDuration {
        SignedDuration::from_mins(self.directive_deadline_minutes)
    }
}

/// A day, in minutes: how long units have to acknowledge a directive unless set otherwise.
fn default_directive_deadline_minutes() -> i64 {
    crate::delivery::DEFAULT_DEADLINE.as_mins()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(Settings::default().check().is_ok());
        let bad = Settings { time_zone: "Mars/Olympus".into(), silent_unit_hour: 3, ..Settings::default() };
        let fields: Vec<_> = bad.check().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["time_zone", "silent_unit_hour"]);
        let bad = Settings { quarantine_days: 0, ..Settings::default() };
        assert_eq!(bad.check().unwrap_err().errors.len(), 1, "each problem is named once");
    }

    #[test]
    fn local_days_follow_the_time_zone() {
        let s = Settings { time_zone: "Asia/Seoul".into(), ..Settings::default() };
        let at: Timestamp = "2026-11-23T16:00:00Z".parse().unwrap();
        assert_eq!(s.local_date(at), jiff::civil::date(2026, 11, 24));
        assert_eq!(s.local_instant(jiff::civil::date(2026, 11, 24), 1), at);
    }
}
