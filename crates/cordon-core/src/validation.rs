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

    /// Checks that a required text is present, not longer than `max` characters
    /// and free of control characters; returns it trimmed.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, Reason::Empty);
        } else if trimmed.chars().count() > max {
            self.add(field, Reason::TooLong { max });
        } else if let Some(reason) = control_character(trimmed) {
            self.add(field, reason);
        }
        trimmed.to_owned()
    }

    /// Checks an optional free text against a maximum length; returns it trimmed,
    /// `None` when blank.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        if trimmed.chars().count() > max {
            self.add(field, Reason::TooLong { max });
        } else if let Some(reason) = control_character(trimmed) {
            self.add(field, reason);
        }
        Some(trimmed.to_owned())
    }
}

/// The longest search text accepted (a name or part of one, a code).
pub const MAX_SEARCH: usize = 100;

/// Checks a search text: at most [`MAX_SEARCH`] characters, no control
/// characters. Returns it trimmed. (A longer text names nobody, and SQLite
/// refuses `LIKE` patterns past 50,000 bytes.)
pub fn search_text<'a>(field: &str, text: &'a str) -> Result<&'a str, Invalid> {
    let trimmed = text.trim();
    if trimmed.chars().count() > MAX_SEARCH {
        return Err(Invalid::field(field, Reason::TooLong { max: MAX_SEARCH }));
    }
    match control_character(trimmed) {
        Some(reason) => Err(Invalid::field(field, reason)),
        None => Ok(trimmed),
    }
}

/// Whether `c` is a control character no text of cordon may hold: the C0
/// controls (NUL, escape, ...) and DEL. Tabs and line breaks are prose.
///
/// One rule for every text on both databases: PostgreSQL cannot store NUL at
/// all, and the other controls are never typed by a person, so refusing them
/// everywhere (rather than storing them on one backend only) gives every
/// request the same answer on SQLite and PostgreSQL.
#[must_use]
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// The refusal for the first forbidden control character in `text`, if any.
#[must_use]
pub fn control_character(text: &str) -> Option<Reason> {
    text.chars().find(|&c| is_forbidden_control(c)).map(|c| Reason::ControlCharacter { character: format!("U+{:04X}", u32::from(c)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_prose_whitespace_is_kept() {
        assert_eq!(control_character("fever\tsince\r\nMonday"), None);
        assert_eq!(control_character("a\u{0}b"), Some(Reason::ControlCharacter { character: "U+0000".into() }));
        assert_eq!(control_character("\u{1b}[31m"), Some(Reason::ControlCharacter { character: "U+001B".into() }));
        assert_eq!(control_character("\u{7f}"), Some(Reason::ControlCharacter { character: "U+007F".into() }));
        assert_eq!(control_character("열 38.5 °C"), None);
    }

    #[test]
    fn a_text_with_nul_is_refused_naming_the_field() {
        let mut problems = Problems::default();
        problems.text("note", "cough\u{0}", 200);
        let _ = problems.optional_text("name", Some("\u{0}"), 200);
        let errors = problems.finish(()).unwrap_err().errors;
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["note", "name"]);
    }
}
