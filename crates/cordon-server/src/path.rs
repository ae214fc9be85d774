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
                Err(refusal(&rejection, &route))
            }
        }
    }
}

/// The names of a route's parameters (`/cases/{id}` → `["id"]`).
fn parameters(route: &str) -> Vec<&str> {
    route.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).map(|s| s.trim_start_matches('*')).collect()
}

/// The 400 for a path that did not parse, naming the parameter.
fn refusal(rejection: &PathRejection, route: &str) -> ApiError {
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
        _ => (only(), String::new()),
    };
    let wants_uuid = matches!(failed.kind(), ErrorKind::ParseErrorAtKey { expected_type, .. } | ErrorKind::ParseErrorAtIndex { expected_type, .. } | ErrorKind::ParseError { expected_type, .. } if expected_type.contains("Uuid"));
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
}
