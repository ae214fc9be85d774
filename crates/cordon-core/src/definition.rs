//! Case definitions as data: which symptoms and measurements make a report a
//! suspected case.
//!
//! An administrator edits the rule as a small tree of criteria (all of, any
//! of, at least N of these symptoms, fever at or above a temperature); the core
//! evaluates it against each report. The rule is plain JSON so it can be
//! stored, shown and versioned without code changes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::refusal::{Reason, Unit};
use crate::report::{ReportDraft, Symptom};
use crate::validation::{Invalid, Problems};

/// One criterion of a case definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Criterion {
    /// Every listed criterion holds.
    AllOf {
        /// The criteria.
        #[schema(no_recursion)]
        criteria: Vec<Criterion>,
    },
    /// At least one listed criterion holds.
    AnyOf {
        /// The criteria.
        #[schema(no_recursion)]
        criteria: Vec<Criterion>,
    },
    /// Fever: a measured temperature at or above `min_temperature_c`, or, when
    /// no temperature was measured, the `fever` symptom ticked.
    Fever {
        /// Threshold in °C.
        min_temperature_c: f64,
    },
    /// The symptom was reported.
    Symptom {
        /// The symptom.
        symptom: Symptom,
    },
    /// At least `count` of the listed symptoms were reported.
    AtLeast {
        /// How many.
        count: u32,
        /// Out of which symptoms.
        symptoms: Vec<Symptom>,
    },
}

impl Criterion {
    /// Whether the report meets this criterion.
    #[must_use]
    pub fn is_met_by(&self, report: &ReportDraft) -> bool {
        match self {
            Criterion::AllOf { criteria } => criteria.iter().all(|c| c.is_met_by(report)),
            Criterion::AnyOf { criteria } => criteria.iter().any(|c| c.is_met_by(report)),
            Criterion::Fever { min_temperature_c } => match report.temperature_c {
                Some(t) => t >= *min_temperature_c,
                None => report.symptoms.contains(&Symptom::Fever),
            },
            Criterion::Symptom { symptom } => report.symptoms.contains(symptom),
            Criterion::AtLeast { count, symptoms } => symptoms.iter().filter(|s| report.symptoms.contains(s)).count() >= *count as usize,
        }
    }

    fn check(&self, field: &str, depth: usize, p: &mut Problems) {
        if depth > 8 {
            p.add(field, Reason::TooDeep { depth: 8 });
            return;
        }
        match self {
            Criterion::AllOf { criteria } | Criterion::AnyOf { criteria } => {
                if criteria.is_empty() {
                    p.add(field, Reason::NoCriterion);
                }
                for (i, c) in criteria.iter().enumerate() {
                    c.check(&format!("{field}.criteria[{i}]"), depth + 1, p);
                }
            }
            Criterion::Fever { min_temperature_c } => {
                if !(35.0..=42.0).contains(min_temperature_c) {
                    p.add(format!("{field}.min_temperature_c"), Reason::Between { min: 35.0, max: 42.0, unit: Unit::Celsius });
                }
            }
            Criterion::Symptom { .. } => {}
            Criterion::AtLeast { count, symptoms } => {
                if *count == 0 || *count as usize > symptoms.len() {
                    p.add(format!("{field}.count"), Reason::SymptomCount);
                }
            }
        }
    }
}

/// A case definition: a named rule that makes a report a suspected case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDefinition {
    /// Short code, e.g. `suspected`.
    pub code: String,
    /// Human name.
    pub name: String,
    /// The rule.
    pub rule: Criterion,
    /// Whether the definition is in force.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl CaseDefinition {
    /// The definition cordon starts with: fever (≥ 37.5 °C, or reported when
    /// not measured), or at least two respiratory symptoms.
    #[must_use]
    pub fn default_suspected() -> Self {
        CaseDefinition {
            code: "suspected".into(),
            name: "Suspected case: fever, or two respiratory symptoms".into(),
            rule: Criterion::AnyOf {
                criteria: vec![
                    Criterion::Fever { min_temperature_c: 37.5 },
                    Criterion::AtLeast { count: 2, symptoms: Symptom::RESPIRATORY.to_vec() },
                ],
            },
            active: true,
        }
    }

    /// Validates an edited definition.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        crate::jurisdiction::check_code(&mut p, "code", &self.code);
        p.text("name", &self.name, 200);
        self.rule.check("rule", 0, &mut p);
        p.finish(())
    }
}

/// The first active definition the report meets, if any.
#[must_use]
pub fn first_met<'a>(definitions: &'a [CaseDefinition], report: &ReportDraft) -> Option<&'a CaseDefinition> {
    definitions.iter().find(|d| d.active && d.rule.is_met_by(report))
}

/// What saving a case definition writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The definition it replaces (same code), for the audit record.
    pub before: Option<CaseDefinition>,
    /// Built-in definitions to store first, so that editing another one does
    /// not silently drop them (only when none was stored yet).
    pub materialise: Vec<CaseDefinition>,
}

/// Decides what saving `definition` writes, given the definitions in force
/// (`current`: the built-in default when `stored` is false, nothing having
/// been saved yet). The definition must check.
pub fn revise(current: &[CaseDefinition], stored: bool, definition: &CaseDefinition) -> Result<Revision, Invalid> {
    definition.check()?;
    let materialise = if stored { Vec::new() } else { current.iter().filter(|d| d.code != definition.code).cloned().collect() };
    Ok(Revision { before: current.iter().find(|d| d.code == definition.code).cloned(), materialise })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn the_first_edit_keeps_the_built_in_default_and_later_edits_replace_by_code() {
        let default = CaseDefinition::default_suspected();
        let other = CaseDefinition { code: "probable".into(), name: "Probable".into(), ..default.clone() };
        let first = revise(std::slice::from_ref(&default), false, &other).unwrap();
        assert_eq!(first, Revision { before: None, materialise: vec![default.clone()] });
        let edited = CaseDefinition { name: "Suspected (edited)".into(), ..default.clone() };
        let later = revise(&[default.clone(), other], true, &edited).unwrap();
        assert_eq!(later, Revision { before: Some(default), materialise: Vec::new() });
        assert!(revise(&[], true, &CaseDefinition { code: String::new(), ..edited }).is_err());
    }

    fn report(symptoms: &[Symptom], t: Option<f64>) -> ReportDraft {
        ReportDraft { id: Uuid::nil(), person_id: Uuid::nil(), symptoms: symptoms.to_vec(), temperature_c: t, onset_date: None, note: None }
    }

    #[test]
    fn the_default_definition_takes_fever_or_two_respiratory_symptoms() {
        let d = [CaseDefinition::default_suspected()];
        assert!(first_met(&d, &report(&[], Some(38.0))).is_some());
        assert!(first_met(&d, &report(&[Symptom::Fever], None)).is_some());
        assert!(first_met(&d, &report(&[Symptom::Fever], Some(36.6))).is_none(), "a measured normal temperature overrides the tick");
        assert!(first_met(&d, &report(&[Symptom::Cough, Symptom::SoreThroat], None)).is_some());
        assert!(first_met(&d, &report(&[Symptom::Cough, Symptom::Diarrhoea], Some(36.9))).is_none());
    }

    #[test]
    fn an_inactive_definition_never_matches() {
        let mut d = CaseDefinition::default_suspected();
        d.active = false;
        assert!(first_met(&[d], &report(&[], Some(39.0))).is_none());
    }

    #[test]
    fn definitions_round_trip_as_json_and_bad_ones_are_named() {
        let d = CaseDefinition::default_suspected();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<CaseDefinition>(&json).unwrap(), d);
        let bad = CaseDefinition { rule: Criterion::AtLeast { count: 3, symptoms: vec![Symptom::Cough] }, ..d };
        assert_eq!(bad.check().unwrap_err().errors[0].field, "rule.count");
    }
}
