//! The API's path parameters: a segment that does not parse (a malformed
//! UUID in `/cases/{id}`) is a 400 problem document naming the parameter,
//! not axum's plain-text rejection.

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, MatchedPath, Path};
use axum::http::request::Parts;
use cordon_core::refusal::Reason;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Path parameters; a segment that does not parse becomes a 400 naming it.
#[derive(Debug, Clone)]
pub struct AppPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(AppPath(value)),
            Err(rejection) => {
                let route = parts.extensions.get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_default();
                Err(refusal(&rejection, &route, parts.uri.path()))
            }
        }
    }
}

/// The names of a route's parameters (`/cases/{id}` → `["id"]`).
fn parameters(route: &str) -> Vec<&str> {
    route.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).map(|s| s.trim_start_matches('*')).collect()
}

/// The segment of `path` where `route` has the parameter `name` (both
/// aligned at their ends), as it was sent.
fn segment<'a>(route: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let wanted = format!("{{{name}}}");
    let from_end = route.split('/').rev().position(|s| s == wanted)?;
    path.split('/').rev().nth(from_end)
}

/// The 400 for a path that did not parse, naming the parameter.
fn refusal(rejection: &PathRejection, route: &str, path: &str) -> ApiError {
    let names = parameters(route);
    let only = || names.first().filter(|_| names.len() == 1).map_or("path", |n| *n).to_owned();
    let PathRejection::FailedToDeserializePathParams(failed) = rejection else {
        return ApiError::bad_field(only(), Reason::Unreadable { message: rejection.body_text() });
    };
    let (field, value) = match failed.kind() {
        ErrorKind::ParseErrorAtKey { key, value, .. } | ErrorKind::DeserializeError { key, value, .. } => (key.clone(), value.clone()),
        ErrorKind::ParseErrorAtIndex { index, value, .. } => (names.get(*index).map_or_else(only, |n| (*n).to_owned()), value.clone()),
        ErrorKind::ParseError { value, .. } => (only(), value.clone()),
        ErrorKind::InvalidUtf8InPathParam { key } => (key.clone(), String::new()),
        _ => {
            let field = only();
            let value = segment(route, path, &field).unwrap_or_default().to_owned();
            (field, value)
        }
    };
    let wants_uuid = match failed.kind() {
        ErrorKind::ParseErrorAtKey { expected_type, .. }
        | ErrorKind::ParseErrorAtIndex { expected_type, .. }
        | ErrorKind::ParseError { expected_type, .. } => expected_type.contains("Uuid"),
        ErrorKind::Message(message) | ErrorKind::DeserializeError { message, .. } => message.contains("UUID"),
        _ => false,
    };
    let reason = if wants_uuid {
        Reason::NotUuid { value: value.chars().take(60).collect() }
    } else {
        Reason::Unreadable { message: failed.body_text() }
    };
    ApiError::bad_field(field, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_names_its_parameters() {
        assert_eq!(parameters("/cases/{id}/contacts"), vec!["id"]);
        assert_eq!(parameters("/abroad/watch/{location}"), vec!["location"]);
        assert_eq!(parameters("/x/{a}/{*rest}"), vec!["a", "rest"]);
        assert!(parameters("/cases").is_empty());
    }

    #[test]
    fn a_parameter_s_segment_is_found_from_the_end() {
        assert_eq!(segment("/api/v1/cases/{id}/contacts", "/api/v1/cases/x1/contacts", "id"), Some("x1"));
        assert_eq!(segment("/cases/{id}", "/api/v1/cases/x2", "id"), Some("x2"));
        assert_eq!(segment("/cases/{id}", "/api/v1/cases/x2", "code"), None);
    }
}
