//! Contacts of a case: who was exposed, how and when.
//!
//! The investigating worker lists each contact as an existing person of
//! their jurisdiction or as a new person. A contact who lives in another
//! jurisdiction is still quarantined there, and that jurisdiction's command
//! receives a handover in its queue; the listing worker never sees anything
//! of the other jurisdiction beyond what they typed.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::person::PersonInput;
use crate::validation::{Invalid, Problems};

/// Where the exposure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExposureSetting {
    /// The same household.
    Household,
    /// Work or school.
    Work,
    /// A gathering.
    Gathering,
    /// Travel together.
    Travel,
    /// Health care.
    HealthCare,
}

impl ExposureSetting {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExposureSetting::Household => "household",
            ExposureSetting::Work => "work",
            ExposureSetting::Gathering => "gathering",
            ExposureSetting::Travel => "travel",
            ExposureSetting::HealthCare => "health_care",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Household, Self::Work, Self::Gathering, Self::Travel, Self::HealthCare].into_iter().find(|x| x.as_str() == s)
    }
}

/// A contact as listed by the worker: an existing person or a new one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// An existing person of your jurisdiction.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// Or a new person (any jurisdiction).
    #[serde(default)]
    pub new_person: Option<PersonInput>,
    /// Relation to the case (spouse, colleague, ...).
    pub relation: String,
    /// Day of the last exposure; not after today.
    pub exposure_date: Date,
    /// Where the exposure happened.
    pub setting: ExposureSetting,
}

impl ContactInput {
    /// Checks the fields that need only the input and today's date.
    pub fn check(&self, today: Date) -> Result<String, Invalid> {
        let mut p = Problems::default();
        match (&self.person_id, &self.new_person) {
            (None, None) => p.add("person_id", "give an existing person_id or a new_person"),
            (Some(_), Some(_)) => p.add("new_person", "give either person_id or new_person, not both"),
            _ => {}
        }
        let relation = p.text("relation", &self.relation, 100);
        if self.exposure_date > today {
            p.add("exposure_date", format!("must not be after the day the contact is reported ({today})"));
        } else if self.exposure_date < today.saturating_sub(jiff::Span::new().days(30)) {
            p.add("exposure_date", "must be within the last 30 days");
        }
        p.finish(relation)
    }
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    /// Stable identifier.
    pub id: Uuid,
    /// The case they were exposed to.
    pub case_id: Uuid,
    /// The contact.
    pub person_id: Uuid,
    /// Where the contact lives.
    pub person_path: NodePath,
    /// Relation to the case.
    pub relation: String,
    /// Last exposure.
    pub exposure_date: Date,
    /// Setting.
    pub setting: ExposureSetting,
    /// Their quarantine order.
    pub order_id: Option<Uuid>,
    /// The case they became, if they did.
    pub became_case_id: Option<Uuid>,
    /// Whether they live outside the listing worker's jurisdiction.
    pub handed_over: bool,
    /// Who listed them.
    pub listed_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub listed_at: Timestamp,
}

/// A contact handed to another jurisdiction's command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Handover {
    /// Stable identifier.
    pub id: Uuid,
    /// The contact.
    pub contact_id: Uuid,
    /// The person handed over.
    pub person_id: Uuid,
    /// Their quarantine order.
    pub order_id: Option<Uuid>,
    /// The jurisdiction that listed the contact (its case's unit).
    pub from_path: NodePath,
    /// The jurisdiction that receives it (the person's unit).
    pub to_path: NodePath,
    /// When it was handed over.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The officer who took it on.
    pub accepted_by: Option<Uuid>,
    /// When.
    #[schema(value_type = String, format = DateTime, nullable)]
    pub accepted_at: Option<Timestamp>,
}
