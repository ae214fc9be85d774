//! What several pages show alike, in one place so that no page borrows
//! from another: the charts ([`curve`], [`map`], [`alert_chart`], and the
//! axes the day charts share, [`day_axes`]), the names behind the ids a list
//! shows ([`names`]), the health worker's task list ([`task_list`]), the
//! words of quarantine ([`quarantine`]), the words of directives
//! ([`directive_text`]), the home pages' panel of directives to acknowledge
//! ([`inbox`]), the board's directives panel ([`directive_board`]), the words
//! of the community measures ([`community`], [`alert_level`]) and the
//! board's section on them ([`community_board`]), the watch abroad and its
//! board panel ([`abroad`]), and here the small pieces
//! of forms: enum values as forms send them, symptom boxes and status colours.
//!
//! A page module imports from here, from [`crate::web`]'s infrastructure
//! (frame, forms, pager, messages), from the store and the core; never from
//! another page.

pub mod abroad;
pub mod alert_chart;
pub mod alert_level;
pub mod community;
pub mod community_board;
pub mod curve;
pub mod day_axes;
pub mod directive_board;
pub mod directive_text;
pub mod inbox;
pub mod map;
pub mod names;
pub mod quarantine;
pub mod rt_chart;
pub mod task_list;

use cordon_core::report::{ReportStatus, Symptom};
use serde::de::DeserializeOwned;

use crate::web::{FormData, Lang};

/// Parses a `snake_case` enum value the way the API's JSON does.
#[must_use]
pub fn choice<T: DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

/// The name of a `snake_case` enum value, as the forms send it.
pub fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A symptom checkbox.
#[derive(Debug, Clone)]
pub struct SymptomBox {
    /// Stored name (the checkbox value).
    pub value: &'static str,
    /// Label.
    pub label: &'static str,
    /// Whether it is ticked.
    pub checked: bool,
}

/// A form's symptom boxes, ticked as `v` has them.
#[must_use]
pub fn symptom_boxes(t: Lang, v: &FormData) -> Vec<SymptomBox> {
    Symptom::ALL.iter().map(|s| SymptomBox { value: s.as_str(), label: t.symptom(*s), checked: v.has("symptoms", s.as_str()) }).collect()
}

/// The visit form's symptom boxes (none ticked).
#[must_use]
pub fn visit_symptoms(t: Lang) -> Vec<SymptomBox> {
    symptom_boxes(t, &FormData::default())
}

/// The CSS class that colours a report's status.
#[must_use]
pub fn report_status_class(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Received => "status-received",
        ReportStatus::CaseOpened => "status-case",
        ReportStatus::WorkerOnTheWay => "status-on-way",
        ReportStatus::Closed => "status-closed",
    }
}
