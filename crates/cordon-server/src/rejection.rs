//! The framework's own refusals (a path segment that is not a UUID, a method
//! not allowed, a body over the limit) come as plain text; this layer turns
//! every such 4xx into the problem document the rest of the API answers
//! with, naming the parameter when the framework's message does.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cordon_core::Reason;

use crate::error::ApiError;

/// The longest framework message kept in a problem's `detail`.
const MAX_DETAIL: usize = 200;

/// Rewrites a plain-text (or empty) 4xx answer as `application/problem+json`.
pub async fn plain_rejections_as_problems(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let plain = response.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let mut problem = rejection_problem(status, &text).into_response();
    *problem.status_mut() = status;
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}

/// The problem for a framework refusal with status `status` and message `text`.
fn rejection_problem(status: StatusCode, text: &str) -> Response {
    let mut message: String = text.chars().take(MAX_DETAIL).collect();
    if message.len() < text.len() {
        message.push('…');
    }
    if message.is_empty() {
        status.canonical_reason().unwrap_or("refused").clone_into(&mut message);
    }
    // axum names the parameter between backticks: "Cannot parse `id` with value ...".
    let field = text.split('`').nth(1).filter(|f| f.len() <= 64 && !f.contains(' ')).unwrap_or("request");
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::bad_field("body", Reason::TooLarge { max: crate::extract::MAX_BODY }),
        _ => ApiError::bad_field(field, Reason::Unreadable { message }),
    };
    let mut problem = error.problem();
    problem.status = status.as_u16();
    status.canonical_reason().unwrap_or("Refused").clone_into(&mut problem.title);
    let mut response = (status, Body::from(serde_json::to_vec(&problem).unwrap_or_default())).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_path_rejection_names_its_parameter_and_is_cut_short() {
        let long = format!("Invalid URL: Cannot parse `id` with value `{}`: UUID parsing failed", "y".repeat(5000));
        let response = rejection_problem(StatusCode::BAD_REQUEST, &long);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/problem+json");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["errors"][0]["field"], "id");
        assert!(problem["detail"].as_str().unwrap().chars().count() <= MAX_DETAIL + 1);
    }
}
