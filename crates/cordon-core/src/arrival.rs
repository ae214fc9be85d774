//! Arrivals at points of entry: screening and entry quarantine.
//!
//! A border officer registers each arrival with a travel document, origin,
//! route and screening (temperature, symptoms). A symptomatic arrival becomes
//! a symptom report like any other; every arrival is quarantined by the rule
//! in force for its origin country (by default: in a facility). A closed
//! point of entry accepts no arrivals.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::person::PersonInput;
use crate::report::{Symptom, TEMPERATURE_RANGE_C};
use crate::settings::{EntryRule, Settings};
use crate::validation::{Invalid, Problems};

/// An arrival as registered by the border officer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// Code of the point of entry (a facility of kind point_of_entry).
    pub point_of_entry_code: String,
    /// The traveller; `unit_code` is where they will stay.
    pub person: PersonInput,
    /// Passport or other travel document number.
    pub travel_document: String,
    /// ISO 3166 alpha-2 code of the country the journey started in.
    pub origin_country: String,
    /// Route (e.g. flight number, crossing).
    #[serde(default)]
    pub route: Option<String>,
    /// Day of arrival; today or yesterday.
    pub arrived_on: Date,
    /// Screening temperature in °C.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Symptoms at screening.
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    /// Code of the quarantine facility, for facility quarantine (default:
    /// the first quarantine centre at or above the point of entry).
    #[serde(default)]
    pub facility_code: Option<String>,
}

impl ArrivalInput {
    /// Checks what needs only the input and today's date.
    pub fn check(&self, today: Date) -> Result<(String, String, Option<String>), Invalid> {
        let mut p = Problems::default();
        let document = p.text("travel_document", &self.travel_document, 64);
        let country = self.origin_country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            p.add("origin_country", "must be a two-letter ISO 3166 country code");
        }
        let route = p.optional_text("route", self.route.as_deref(), 100);
        if self.arrived_on > today {
            p.add("arrived_on", format!("must not be after today ({today})"));
        } else if self.arrived_on < today.yesterday().unwrap_or(today) {
            p.add("arrived_on", "may be today or yesterday only");
        }
        if let Some(t) = self.temperature_c {
            let (lo, hi) = TEMPERATURE_RANGE_C;
            if !t.is_finite() || t < lo || t > hi {
                p.add("temperature_c", format!("must be between {lo} and {hi} °C"));
            }
        }
        p.finish((document, country, route))
    }

    /// Whether the screening found anything to report.
    pub fn is_symptomatic(&self) -> bool {
        !self.symptoms.is_empty() || self.temperature_c.is_some_and(|t| t >= 37.5)
    }
}

/// A stored arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Arrival {
    /// Client identifier.
    pub id: Uuid,
    /// The point of entry (facility).
    pub point_of_entry_id: Uuid,
    /// The traveller.
    pub person_id: Uuid,
    /// Travel document number.
    pub travel_document: String,
    /// Origin country (ISO alpha-2).
    pub origin_country: String,
    /// Route.
    pub route: Option<String>,
    /// Day of arrival.
    pub arrived_on: Date,
    /// Screening temperature.
    pub temperature_c: Option<f64>,
    /// Screening symptoms.
    pub symptoms: Vec<Symptom>,
    /// The symptom report the screening produced.
    pub report_id: Option<Uuid>,
    /// The quarantine order.
    pub order_id: Option<Uuid>,
    /// The officer.
    pub registered_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: Timestamp,
}

/// Why an arrival is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The point of entry is closed on that day.
    #[error("point of entry {code} is closed from {from} to {to}")]
    Closed {
        /// The point of entry.
        code: String,
        /// First closed day.
        from: Date,
        /// Last closed day.
        to: Date,
    },
}

/// Checks that the point of entry is open on `day`.
pub fn check_open(settings: &Settings, code: &str, day: Date) -> Result<(), EntryError> {
    match settings.entry_closures.iter().find(|c| c.point_of_entry_code == code && c.from <= day && day <= c.to) {
        Some(c) => Err(EntryError::Closed { code: code.to_owned(), from: c.from, to: c.to }),
        None => Ok(()),
    }
}

/// The quarantine rule for arrivals from `country`.
pub fn rule_for(settings: &Settings, country: &str) -> EntryRule {
    settings.entry_rules.iter().find(|r| r.country == country).map(|r| r.rule).unwrap_or(settings.default_entry_rule)
}
