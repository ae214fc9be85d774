//! The investigation record of a case: exposure history, the sample and its
//! laboratory result, the isolation decision and the source case.
//!
//! A laboratory result drives classification: a positive result confirms a
//! suspected or probable case, a negative one discards a suspected case, an
//! inconclusive one changes nothing.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::case::CaseStatus;
use crate::validation::{Invalid, Problems};

/// What kind of sample was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// Nasopharyngeal swab.
    NasalSwab,
    /// Throat swab.
    ThroatSwab,
    /// Sputum.
    Sputum,
    /// Blood.
    Blood,
    /// Stool.
    Stool,
    /// Anything else.
    Other,
}

/// A laboratory result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabResult {
    /// The pathogen was found.
    Positive,
    /// It was not.
    Negative,
    /// The test could not tell.
    Inconclusive,
}

/// A sample sent to the laboratory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// What was sampled.
    pub kind: SampleKind,
    /// When.
    pub taken_on: Date,
    /// The result, once known.
    #[serde(default)]
    pub result: Option<LabResult>,
}

/// Where a case is isolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IsolationPlace {
    /// At home.
    Home,
    /// In an isolation or quarantine facility.
    Facility,
    /// In hospital.
    Hospital,
}

/// The isolation decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IsolationDecision {
    /// Where.
    pub place: IsolationPlace,
    /// The facility's code, for facility and hospital isolation.
    #[serde(default)]
    pub facility_code: Option<String>,
}

/// What a health worker records while investigating a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestigationInput {
    /// Where and how the person may have been infected.
    #[serde(default)]
    pub exposure_history: Option<String>,
    /// The sample, if one was taken.
    #[serde(default)]
    pub sample: Option<Sample>,
    /// The isolation decision, if made.
    #[serde(default)]
    pub isolation: Option<IsolationDecision>,
    /// The case this one caught it from, when known.
    #[serde(default)]
    pub source_case_id: Option<Uuid>,
}

/// The stored investigation of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Investigation {
    /// The case.
    pub case_id: Uuid,
    /// Exposure history.
    pub exposure_history: Option<String>,
    /// The sample.
    pub sample: Option<Sample>,
    /// The isolation decision.
    pub isolation: Option<IsolationDecision>,
    /// The source case.
    pub source_case_id: Option<Uuid>,
    /// Who recorded it last.
    pub recorded_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl InvestigationInput {
    /// Checks the record against today's date and the case's own id.
    pub fn check(&self, case_id: Uuid, today: Date) -> Result<Option<String>, Invalid> {
        let mut p = Problems::default();
        let history = p.optional_text("exposure_history", self.exposure_history.as_deref(), 4000);
        if let Some(sample) = &self.sample
            && sample.taken_on > today
        {
            p.add("sample.taken_on", format!("must not be after today ({today})"));
        }
        if let Some(iso) = &self.isolation {
            let needs_facility = iso.place != IsolationPlace::Home;
            match (&iso.facility_code, needs_facility) {
                (None, true) => p.add("isolation.facility_code", "name the facility for facility or hospital isolation"),
                (Some(_), false) => p.add("isolation.facility_code", "home isolation takes no facility"),
                _ => {}
            }
        }
        if self.source_case_id == Some(case_id) {
            p.add("source_case_id", "a case cannot be its own source");
        }
        p.finish(history)
    }
}

/// The classification a laboratory result leads to, if any.
pub fn classification_for(status: CaseStatus, result: LabResult) -> Option<CaseStatus> {
    match (result, status) {
        (LabResult::Positive, CaseStatus::Suspected | CaseStatus::Probable) => Some(CaseStatus::Confirmed),
        (LabResult::Negative, CaseStatus::Suspected) => Some(CaseStatus::Discarded),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_results_drive_classification() {
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Positive), Some(CaseStatus::Confirmed));
        assert_eq!(classification_for(CaseStatus::Probable, LabResult::Positive), Some(CaseStatus::Confirmed));
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Negative), Some(CaseStatus::Discarded));
        assert_eq!(classification_for(CaseStatus::Probable, LabResult::Negative), None, "a negative test does not undo a probable case");
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Inconclusive), None);
        assert_eq!(classification_for(CaseStatus::Discarded, LabResult::Positive), None);
    }

    #[test]
    fn facility_isolation_needs_a_facility() {
        let input = InvestigationInput {
            exposure_history: None,
            sample: None,
            isolation: Some(IsolationDecision { place: IsolationPlace::Facility, facility_code: None }),
            source_case_id: None,
        };
        assert_eq!(input.check(Uuid::nil(), jiff::civil::date(2026, 1, 1)).unwrap_err().errors[0].field, "isolation.facility_code");
    }
}
