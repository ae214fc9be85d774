//! Field-level validation errors shared by every input the core parses.
//!
//! A parse function collects every problem it finds, each naming the field
//! (as a JSON path such as `temperature_c` or `symptoms[2]`) and the
//! [`Reason`], so that a form can show each error next to its field.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use utoipa::ToSchema;

use crate::refusal::Reason;

/// One problem with one input field. It serialises as `{"field", "code",
/// "params", "reason"}`: the reason's code and parameters for programs, and
/// its English sentence for people.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The field's path in the submitted document, e.g. `temperature_c`.
    pub field: String,
    /// Why the value was refused.
    pub reason: Reason,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, reason: Reason) -> Self {
        Self { field: field.into(), reason }
    }
}

impl Serialize for FieldError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("FieldError", 4)?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("code", self.reason.code())?;
        s.serialize_field("params", &self.reason.params())?;
        s.serialize_field("reason", &self.reason.to_string())?;
        s.end()
    }
}

/// The shape of a [`FieldError`] in the API's documents.
#[derive(ToSchema)]
#[schema(as = FieldError)]
#[allow(dead_code)]
pub struct FieldErrorSchema {
    /// The field's path in the submitted document, e.g. `temperature_c`.
    field: String,
    /// Why, as a code (e.g. `too_long`).
    code: String,
    /// The code's parameters (e.g. `{"max": 200}`).
    params: serde_json::Value,
    /// Why, in English.
    reason: String,
}

/// An input that was refused, with every field that was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid input: {}", .errors.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; "))]
pub struct Invalid {
    /// The problems found, in the order the fields were checked.
    pub errors: Vec<FieldError>,
}

impl Invalid {
    /// The same errors with every field path put under `parent` (e.g.
    /// `unit_code` → `person.unit_code`).
    #[must_use]
    pub fn prefixed(self, parent: &str) -> Self {
        Self { errors: self.errors.into_iter().map(|e| FieldError { field: format!("{parent}.{}", e.field), reason: e.reason }).collect() }
    }

    /// An error about a single field.
    pub fn field(field: impl Into<String>, reason: Reason) -> Self {
        Self { errors: vec![FieldError::new(field, reason)] }
    }
}

/// Collects field errors while a parse function checks its input.
#[derive(Debug, Default)]
pub struct Problems {
    errors: Vec<FieldError>,
}

impl Problems {
    /// Records that `field` is wrong because of `reason`.
    pub fn add(&mut self, field: impl Into<String>, reason: Reason) {
        self.errors.push(FieldError::new(field, reason));
    }

    /// `Ok(value)` when nothing was recorded, otherwise every recorded problem.
    pub fn finish<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() { Ok(value) } else { Err(Invalid { errors: self.errors }) }
    }

    /// Checks that a required text is present and not longer than `max` characters;
    /// returns it trimmed.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, Reason::Empty);
        } else if trimmed.chars().count() > max {
            self.add(field, Reason::TooLong { max });
        }
        trimmed.to_owned()
    }

    /// Checks an optional free text against a maximum length; returns it trimmed,
    /// `None` when blank.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        if trimmed.chars().count() > max {
            self.add(field, Reason::TooLong { max });
        }
        Some(trimmed.to_owned())
    }
}
