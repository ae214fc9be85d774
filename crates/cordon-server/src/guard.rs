//! One rule for control characters at the edge: a path, a query parameter,
//! a JSON string or a form value holding NUL, escape or another C0 control
//! (tabs and line breaks aside) is refused before any handler sees it, with
//! a problem naming where it was.
//!
//! The core's text checks refuse the same characters ([`control_character`]);
//! this guard covers what never reaches them (user names, codes in paths,
//! search words), so that SQLite and PostgreSQL (which cannot store NUL) give
//! every request the same answer.

use std::fmt::Write as _;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cordon_core::validation::control_character;
use cordon_core::{Invalid, Reason};

use crate::error::ApiError;

/// Refuses a request whose path or query holds a control character (400
/// naming `path` or the parameter).
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    if let Some(error) = check_uri(request.uri()) {
        return error.into_response();
    }
    next.run(request).await
}

fn check_uri(uri: &axum::http::Uri) -> Option<ApiError> {
    let Ok(path) = percent_encoding::percent_decode_str(uri.path()).decode_utf8() else {
        let message = "the path is not UTF-8 once its percent-escapes are decoded".to_owned();
        return Some(ApiError::bad_field("path", Reason::Unreadable { message }));
    };
    if let Some(reason) = control_character(&path) {
        return Some(ApiError::bad_field("path", reason));
    }
    let query = uri.query()?;
    form_urlencoded::parse(query.as_bytes()).find_map(|(name, value)| {
        let name = if control_character(&name).is_some() { "query".to_owned() } else { name.into_owned() };
        control_character(&value).or_else(|| control_character(&name)).map(|reason| ApiError::bad_field(name, reason))
    })
}

/// Whether a JSON text may hold a control character inside a string: only
/// through an escape (`\u0000`, `\b`, `\f`), since raw controls are not JSON.
fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w[0] == b'\\' && matches!(w[1], b'u' | b'b' | b'f'))
}

/// The first JSON string (value or key) holding a control character, as an
/// error naming its path (`note`, `symptoms[2]`, `person.full_name`).
#[must_use]
pub fn check_json(bytes: &[u8]) -> Option<Invalid> {
    if !may_hold_control(bytes) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let mut path = String::new();
    find_in_value(&value, &mut path).map(|(field, reason)| Invalid::field(field, reason))
}

fn find_in_value(value: &serde_json::Value, path: &mut String) -> Option<(String, Reason)> {
    match value {
        serde_json::Value::String(text) => control_character(text).map(|reason| (path.clone(), reason)),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            let found = find_in_value(item, path);
            path.truncate(len);
            found
        }),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            if let Some(reason) = control_character(key) {
                path.push_str("(key)");
                return Some((path.clone(), reason));
            }
            path.push_str(key);
            let found = find_in_value(item, path);
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// The first form value holding a control character, as an error naming its field.
#[must_use]
pub fn check_form<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Invalid> {
    pairs.into_iter().find_map(|(name, value)| {
        control_character(value)
            .or_else(|| control_character(name))
            .map(|reason| Invalid::field(if control_character(name).is_some() { "form" } else { name }, reason))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(invalid: Option<Invalid>) -> Option<String> {
        invalid.map(|i| i.errors[0].field.clone())
    }

    #[test]
    fn json_strings_with_controls_are_named_by_path() {
        assert_eq!(field_of(check_json(br#"{"note": "fever\u0000"}"#)), Some("note".into()));
        assert_eq!(field_of(check_json(br#"{"person": {"names": ["a", "b\b"]}}"#)), Some("person.names[1]".into()));
        assert_eq!(field_of(check_json(br#"{"a\u001b": 1}"#)), Some("(key)".into()));
        assert_eq!(field_of(check_json(br#"{"note": "line\nbreak \u00e9 \\b"}"#)), None);
        assert_eq!(field_of(check_json(br#"{"note": "plain"}"#)), None);
    }

    #[test]
    fn paths_and_queries_with_controls_are_refused() {
        let uri: axum::http::Uri = "/api/v1/nodes/A%00B".parse().unwrap();
        assert!(check_uri(&uri).is_some());
        let uri: axum::http::Uri = "/api/v1/persons?search=%1B%5B".parse().unwrap();
        assert!(matches!(check_uri(&uri), Some(ApiError::BadRequest { errors, .. }) if errors[0].field == "search"));
        let uri: axum::http::Uri = "/api/v1/persons?search=%ff%zz%25".parse().unwrap();
        assert!(check_uri(&uri).is_none());
    }

    #[test]
    fn forms_name_the_field() {
        assert_eq!(field_of(check_form([("full_name", "Kim\u{0}")])), Some("full_name".into()));
        assert_eq!(field_of(check_form([("note", "two\r\nlines")])), None);
    }
}
