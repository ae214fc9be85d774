//! Posted forms and their errors.
//!
//! A form body is read as a list of name/value pairs (checkboxes repeat a
//! name), so no posted value can make extraction fail: every problem is found
//! by the parse that follows and shown next to its field through
//! [`FieldErrors`], which takes the core's `Invalid` errors as they are.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use cordon_core::{FieldError, Reason};
use serde::Deserialize;

use super::WebError;
use crate::error::ApiError;

/// The largest form body accepted (a jurisdiction CSV is sent as multipart, not here).
pub const MAX_FORM: usize = 64 * 1024;

/// The name/value pairs of a posted `application/x-www-form-urlencoded` form.
#[derive(Debug, Clone, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    /// Parses an URL-encoded body.
    #[must_use]
    pub fn parse(body: &[u8]) -> FormData {
        FormData(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of `name`, trimmed; empty when absent.
    #[must_use]
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
    }

    /// The value of `name`, `None` when absent or blank.
    #[must_use]
    pub fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    /// Every value of `name` (for repeated fields such as checkboxes).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether `name` was sent with `value` (a ticked checkbox, a chosen option).
    #[must_use]
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.all(name).any(|v| v == value)
    }

    /// Whether a checkbox named `name` was ticked.
    #[must_use]
    pub fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }

    /// Sets a value (replacing any sent), e.g. to pre-fill a form.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_owned(), value.into()));
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, WebError> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(ApiError::BadRequest { reason: Reason::ExpectedForm, errors: Vec::new() }.into());
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM).await.map_err(|_| ApiError::TooLarge { max: MAX_FORM })?;
        let form = FormData::parse(&bytes);
        if let Some(invalid) = crate::guard::check_form(form.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            return Err(ApiError::from(invalid).into());
        }
        Ok(form)
    }
}

/// What a page says about one field: a refusal of the core or the API (a
/// code the catalogue translates), a message of the page's own catalogue (by
/// key), or a text that is already what it is (a located line of an imported
/// file).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A refusal, translated from its code.
    Refusal(Reason),
    /// A page message, by its catalogue key.
    Key(&'static str),
    /// A text shown as it is.
    Text(String),
}

impl From<Reason> for Shown {
    fn from(reason: Reason) -> Self {
        Shown::Refusal(reason)
    }
}

/// One problem shown on a form: the field path when the problem is about a
/// part of the field asked for (`rule.count` under `rule`), and what to say.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The part of the field, when it is not the field itself.
    pub part: Option<String>,
    /// What to say.
    pub shown: Shown,
}

/// The problems shown at one place of a form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes(pub Vec<Note>);

/// The problems with a posted form, by field.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(String, Shown)>);

impl FieldErrors {
    /// No problems.
    #[must_use]
    pub fn none() -> FieldErrors {
        FieldErrors(Vec::new())
    }

    /// Adds a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, shown: impl Into<Shown>) {
        self.0.push((field.into(), shown.into()));
    }

    /// Adds a page message (by catalogue key) about `field`.
    pub fn key(&mut self, field: impl Into<String>, key: &'static str) {
        self.add(field, Shown::Key(key));
    }

    /// Adds every problem of a refused input.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors.into_iter().map(|e| (e.field, Shown::Refusal(e.reason))));
    }

    /// Adds the problems of a refused input with the fields that have none
    /// yet: the form's own reading of a field (not a number, not a date)
    /// stays the one shown, and the core's checks fill in the rest.
    pub fn extend_unnoted(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        let unnoted: Vec<FieldError> = errors.into_iter().filter(|e| self.get(&e.field).is_none()).collect();
        self.extend(unnoted);
    }

    /// Whether there is no problem.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems with `field` (or a part of it, such as `rule.count` for
    /// `rule`); `None` when it was fine.
    #[must_use]
    pub fn get(&self, field: &str) -> Option<Notes> {
        let notes: Vec<Note> = self
            .0
            .iter()
            .filter(|(f, _)| f == field || f.strip_prefix(field).is_some_and(|rest| rest.starts_with(['.', '['])))
            .map(|(f, shown)| Note { part: (f != field).then(|| f.clone()), shown: shown.clone() })
            .collect();
        (!notes.is_empty()).then_some(Notes(notes))
    }

    /// Problems not tied to one of `fields` (shown at the top of the form), one
    /// [`Notes`] each.
    #[must_use]
    pub fn other(&self, fields: &[&str]) -> Vec<Notes> {
        self.0
            .iter()
            .filter(|(f, _)| !fields.iter().any(|x| f == x || f.strip_prefix(x).is_some_and(|r| r.starts_with(['.', '[']))))
            .map(|(f, shown)| Notes(vec![Note { part: (!f.is_empty()).then(|| f.clone()), shown: shown.clone() }]))
            .collect()
    }

    /// Turns an API error about the form into field problems; `Err` when the
    /// error is not about the input (e.g. the database failed).
    pub fn absorb(&mut self, error: ApiError) -> Result<(), ApiError> {
        match error {
            ApiError::Invalid(invalid) => self.extend(invalid.errors),
            ApiError::BadRequest { errors, reason } | ApiError::Conflict { errors, reason, .. } => {
                if errors.is_empty() {
                    self.add("", reason);
                } else {
                    self.extend(errors);
                }
            }
            ApiError::ForbiddenField { field, reason } => self.add(field, reason),
            other => return Err(other),
        }
        Ok(())
    }
}

impl FieldErrors {
    /// Like [`FieldErrors::absorb`], for a form whose inputs are named
    /// otherwise than the API's fields: each `(api_field, input)` pair
    /// renames a problem with the API field (or a part of it) to the input.
    pub fn absorb_renamed(&mut self, error: ApiError, renames: &[(&str, &str)]) -> Result<(), ApiError> {
        let before = self.0.len();
        self.absorb(error)?;
        for (field, _) in &mut self.0[before..] {
            if let Some((_, input)) =
                renames.iter().find(|(api, _)| field == api || field.strip_prefix(api).is_some_and(|r| r.starts_with(['.', '['])))
            {
                *field = (*input).to_owned();
            }
        }
        Ok(())
    }
}

/// The query most pages take: the node to show (default: the viewer's
/// own) and what was just done, for the notice after a form was sent.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// Code of the node.
    #[serde(default)]
    pub node: Option<String>,
    /// What was just done (`saved`, `closed`, ...).
    #[serde(default)]
    pub done: Option<String>,
}

/// Percent-encodes a query-string value.
#[must_use]
pub fn url_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A local path to return to: only paths on this site (`/...`, not `//...`).
#[must_use]
pub fn local_path(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://")).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_and_blank_values_are_kept_apart() {
        let f = FormData::parse(b"symptoms=fever&symptoms=cough&note=+&temperature_c=38.5");
        assert_eq!(f.all("symptoms").collect::<Vec<_>>(), ["fever", "cough"]);
        assert!(f.has("symptoms", "cough"));
        assert_eq!(f.opt("note"), None);
        assert_eq!(f.get("temperature_c"), "38.5");
    }

    #[test]
    fn errors_attach_to_their_field_and_its_parts() {
        let mut e = FieldErrors::none();
        e.add("rule.count", Reason::SymptomCount);
        e.add("name", Reason::Empty);
        e.key("", "reason_required");
        let note = |part: Option<&str>, shown: Shown| Notes(vec![Note { part: part.map(str::to_owned), shown }]);
        assert_eq!(e.get("rule"), Some(note(Some("rule.count"), Shown::Refusal(Reason::SymptomCount))));
        assert_eq!(e.get("name"), Some(note(None, Shown::Refusal(Reason::Empty))));
        assert_eq!(e.get("code"), None);
        assert_eq!(e.other(&["rule", "name"]), vec![note(None, Shown::Key("reason_required"))]);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/board?node=N"), Some("/board?node=N"));
        assert_eq!(local_path("//evil.example/"), None);
        assert_eq!(local_path("https://evil.example/"), None);
    }
}
