//! Request extractors whose rejections are problem documents: a JSON body
//! whose errors name the field (via `serde_path_to_error`), and a query string.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use cordon_core::refusal::Reason;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest JSON body accepted.
pub const MAX_BODY: usize = 256 * 1024;

/// A JSON request body; any problem becomes a 4xx problem naming the field.
#[derive(Debug, Clone)]
pub struct AppJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json") || mime.trim().ends_with("+json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = read_body(req).await?;
        if let Some(invalid) = crate::guard::check_json(&bytes) {
            return Err(invalid.into());
        }
        parse_json(&bytes).map(AppJson)
    }
}

/// Parses JSON, naming the offending field in the error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        // The path ends at the offending field (for an unknown field, at the field itself).
        let field = if path == "." { String::new() } else { path };
        let reason = if inner.is_syntax() || inner.is_eof() { Reason::BadJson { message } } else { Reason::Unreadable { message } };
        if field.is_empty() { ApiError::BadRequest { reason, errors: Vec::new() } } else { ApiError::bad_field(field, reason) }
    })
}

async fn read_body(req: Request) -> Result<Vec<u8>, ApiError> {
    axum::body::to_bytes(req.into_body(), MAX_BODY).await.map(|b| b.to_vec()).map_err(|_| ApiError::TooLarge { max: MAX_BODY })
}

/// Query-string parameters; a bad parameter becomes a 400 naming it.
#[derive(Debug, Clone)]
pub struct AppQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        parse_query(query).map(AppQuery)
    }
}

fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let reason = Reason::Unreadable { message: e.into_inner().to_string() };
        ApiError::bad_field(if path == "." { "query".to_owned() } else { path }, reason)
    })
}
