//! The one error type of the HTTP layer, rendered as `application/problem+json`
//! (RFC 9457) with the fields that were wrong.
//!
//! Internal failures are logged with their cause and answered with a generic
//! 500 that reveals nothing; everything a client can cause is a 4xx.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cordon_core::case::CaseError;
use cordon_core::policy::{Denied, NodeRefused};
use cordon_core::refusal::{Reason, Record};
use cordon_core::task::TaskError;
use cordon_core::user::StandingError;
use cordon_core::{FieldError, Invalid};
use cordon_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time, in English.
    pub detail: String,
    /// Why, as a code a program can act on and a catalogue can translate
    /// (e.g. `not_found`, `outside_jurisdiction`).
    pub code: String,
    /// The code's parameters (e.g. `{"record": "case", "key": "..."}`).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// The fields that were wrong, each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<cordon_core::validation::FieldErrorSchema>)]
    pub errors: Vec<FieldError>,
    /// Records the client may want instead (e.g. probable duplicates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<serde_json::Value>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not valid JSON or does not fit the schema.
    #[error("{reason}")]
    BadRequest {
        /// What was wrong.
        reason: Reason,
        /// The field, when known.
        errors: Vec<FieldError>,
    },
    /// The body is larger than the server accepts.
    #[error("{}", Reason::TooLarge { max: *max })]
    TooLarge {
        /// The largest body accepted, in bytes.
        max: usize,
    },
    /// The body is not JSON at all.
    #[error("expected a JSON body (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// Field values broke a rule.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// No valid session or token.
    #[error("sign in first")]
    Unauthenticated,
    /// Wrong user name or password.
    #[error("wrong user name or password")]
    BadCredentials,
    /// The access policy refused.
    #[error(transparent)]
    Forbidden(#[from] Denied),
    /// Refused for a named field (e.g. a unit outside the subtree).
    #[error("{reason}")]
    ForbiddenField {
        /// The field.
        field: &'static str,
        /// Why.
        reason: Reason,
    },
    /// The record does not exist (or is outside the user's subtree).
    #[error("{record} {key} not found")]
    NotFound {
        /// What kind of record.
        record: Record,
        /// The key looked for.
        key: String,
    },
    /// The request conflicts with the current state.
    #[error("{reason}")]
    Conflict {
        /// What conflicts.
        reason: Reason,
        /// The field concerned, if any.
        errors: Vec<FieldError>,
        /// What already exists.
        existing: Option<serde_json::Value>,
    },
    /// The request came from another site.
    #[error("cross-site request refused")]
    CrossSite,
    /// Too many failed sign-ins for the account or the address: wait.
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    TooManyAttempts {
        /// Seconds to wait (sent as `Retry-After`).
        retry_after: u64,
    },
    /// The password was reset and must be changed before anything else.
    #[error("your password was reset: choose a new one first")]
    PasswordChangeRequired,
    /// The server cannot serve now (`/readyz`): the database does not
    /// answer, or its migrations are not the ones this binary carries.
    #[error("{0}")]
    Unavailable(Reason),
    /// `/metrics` refused: the metrics token is missing or wrong (401), or,
    /// with no token configured, the client is not a direct loopback one (403).
    #[error("{0}")]
    MetricsRefused(Reason),
    /// Anything else: logged once with its chain of causes, never shown.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// A 400 naming one field.
    pub fn bad_field(field: impl Into<String>, reason: Reason) -> Self {
        ApiError::BadRequest { reason: reason.clone(), errors: vec![FieldError::new(field, reason)] }
    }

    /// A 404 for the record of kind `record` with this key.
    #[must_use]
    pub fn not_found(record: Record, key: &impl ToString) -> Self {
        ApiError::NotFound { record, key: key.to_string() }
    }

    /// An internal failure, keeping its cause and the causes beneath it.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// A conflict with an existing record.
    #[must_use]
    pub fn conflict(reason: Reason) -> Self {
        ApiError::Conflict { reason, errors: Vec::new(), existing: None }
    }

    /// Why, as a code with parameters.
    #[must_use]
    pub fn reason(&self) -> Reason {
        match self {
            ApiError::BadRequest { reason, .. } | ApiError::ForbiddenField { reason, .. } | ApiError::Conflict { reason, .. } => {
                reason.clone()
            }
            ApiError::TooLarge { max } => Reason::TooLarge { max: *max },
            ApiError::UnsupportedMediaType => Reason::ExpectedJson,
            ApiError::Invalid(i) => Reason::Invalid { fields: i.errors.len() },
            ApiError::Unauthenticated => Reason::SignInFirst,
            ApiError::BadCredentials => Reason::BadCredentials,
            ApiError::Forbidden(denied) => denied.into(),
            ApiError::NotFound { record, key } => Reason::NotFound { record: *record, key: key.clone() },
            ApiError::CrossSite => Reason::CrossSite,
            ApiError::TooManyAttempts { retry_after } => Reason::TooManyAttempts { retry_after: *retry_after },
            ApiError::PasswordChangeRequired => Reason::PasswordChangeRequired,
            ApiError::Unavailable(reason) | ApiError::MetricsRefused(reason) => reason.clone(),
            ApiError::Internal(_) => Reason::Internal,
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad-request", "The request could not be read"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "The body is too large"),
            ApiError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "Some fields are invalid"),
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated", "Not signed in"),
            ApiError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad-credentials", "Sign-in failed"),
            ApiError::Forbidden(_) | ApiError::ForbiddenField { .. } => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict", "Conflicts with the current state"),
            ApiError::CrossSite => (StatusCode::FORBIDDEN, "cross-site", "Cross-site request refused"),
            ApiError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too-many-attempts", "Too many attempts"),
            ApiError::PasswordChangeRequired => (StatusCode::FORBIDDEN, "password-change-required", "Change your password first"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Not ready to serve"),
            ApiError::MetricsRefused(Reason::MetricsTokenRequired) => (StatusCode::UNAUTHORIZED, "metrics-token", "Metrics token required"),
            ApiError::MetricsRefused(_) => (StatusCode::FORBIDDEN, "metrics-local", "Metrics are served locally only"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (status, slug, title) = self.parts();
        let (detail, errors, existing) = match self {
            ApiError::Internal(cause) => {
                tracing::error!(error = %causes(cause.as_ref()), "request failed");
                ("The server failed; the error was logged.".to_owned(), Vec::new(), None)
            }
            ApiError::Invalid(i) => (self.to_string(), i.errors.clone(), None),
            ApiError::BadRequest { errors, .. } => (self.to_string(), errors.clone(), None),
            ApiError::ForbiddenField { field, reason } => (self.to_string(), vec![FieldError::new(*field, reason.clone())], None),
            ApiError::Conflict { errors, existing, .. } => (self.to_string(), errors.clone(), existing.clone()),
            _ => (self.to_string(), Vec::new(), None),
        };
        let reason = self.reason();
        Problem {
            kind: format!("https://cordon.invalid/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code: reason.code().to_owned(),
            params: reason.params(),
            errors,
            existing,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(i) => ApiError::Invalid(i),
            StoreError::NotFound { record, key } => ApiError::NotFound { record, key },
            StoreError::Taken { field, .. } => {
                ApiError::Conflict { reason: Reason::Taken, errors: vec![FieldError::new(field, Reason::Taken)], existing: None }
            }
            StoreError::IdReused(reused) => {
                let reason = Reason::from(&reused);
                ApiError::Conflict { reason: reason.clone(), errors: vec![FieldError::new("id", reason)], existing: None }
            }
            StoreError::Case(c) => c.into(),
            StoreError::AlreadyUnderOrder(a) => {
                let reason = Reason::from(&a);
                ApiError::Conflict {
                    reason: reason.clone(),
                    errors: vec![FieldError::new("person_id", reason)],
                    existing: Some(serde_json::json!({ "order_id": a.order_id, "ends_on": a.ends_on })),
                }
            }
            StoreError::Order(cordon_core::order::OrderError::ReasonRequired) => {
                cordon_core::Invalid::field("reason", Reason::ReasonRequired).into()
            }
            StoreError::Order(e @ (cordon_core::order::OrderError::NotLater { .. } | cordon_core::order::OrderError::TooLong { .. })) => {
                let reason = Reason::from(&e);
                ApiError::Conflict { reason: reason.clone(), errors: vec![FieldError::new("ends_on", reason)], existing: None }
            }
            StoreError::Order(e) => ApiError::conflict(Reason::from(&e)),
            StoreError::Entry(e) => {
                let reason = Reason::from(&e);
                ApiError::Conflict { reason: reason.clone(), errors: vec![FieldError::new("point_of_entry_code", reason)], existing: None }
            }
            StoreError::Task(t) => t.into(),
            StoreError::Alert(a) => a.into(),
            StoreError::Denied(d) | StoreError::Standing(StandingError::Denied(d)) => ApiError::Forbidden(d),
            StoreError::NodeRefused(r) => r.into(),
            StoreError::Standing(StandingError::OwnAccount) => ApiError::conflict(Reason::DeactivateSelf),
            other => ApiError::internal(other),
        }
    }
}

/// An error and its causes, outermost first: `a: b: c` (a cause that its
/// error already prints at its end is not printed twice).
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.ends_with(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

impl From<CaseError> for ApiError {
    fn from(e: CaseError) -> Self {
        let field = if matches!(e, CaseError::OutcomeNotAllowed { .. }) { "outcome" } else { "status" };
        let reason = Reason::from(&e);
        ApiError::Conflict { reason: reason.clone(), errors: vec![FieldError::new(field, reason)], existing: None }
    }
}

impl From<NodeRefused> for ApiError {
    /// An unknown node is a 422 naming the field; one outside the user's
    /// subtree a 403 naming it; any other refusal of the policy a plain 403.
    fn from(refused: NodeRefused) -> Self {
        match refused {
            NodeRefused::Invalid(invalid) => ApiError::Invalid(invalid),
            NodeRefused::Denied { field, denied: denied @ Denied::OutsideJurisdiction { .. } } => {
                ApiError::ForbiddenField { field, reason: Reason::from(&denied) }
            }
            NodeRefused::Denied { denied, .. } => ApiError::Forbidden(denied),
        }
    }
}

impl From<TaskError> for ApiError {
    fn from(e: TaskError) -> Self {
        match e {
            TaskError::NotAssignee => ApiError::ForbiddenField { field: "task", reason: Reason::from(&e) },
            other => ApiError::conflict(Reason::from(&other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = if let ApiError::TooManyAttempts { retry_after } = &self { Some(*retry_after) } else { None };
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("disk full")]
    struct Disk;

    #[derive(Debug, thiserror::Error)]
    enum Store {
        #[error("database error: {0}")]
        Database(#[source] Disk),
        #[error("writing the report")]
        Write(#[source] Disk),
    }

    #[test]
    fn an_internal_error_keeps_its_causes_for_the_log() {
        let error = ApiError::internal(Store::Write(Disk));
        let ApiError::Internal(cause) = &error else { unreachable!() };
        assert_eq!(causes(cause.as_ref()), "writing the report: disk full");
        let printed = ApiError::internal(Store::Database(Disk));
        let ApiError::Internal(cause) = &printed else { unreachable!() };
        assert_eq!(causes(cause.as_ref()), "database error: disk full", "a cause already printed is not repeated");
        assert_eq!(error.problem().detail, "The server failed; the error was logged.", "never shown to the client");
    }
}
