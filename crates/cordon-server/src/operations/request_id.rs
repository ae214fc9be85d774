//! Every request gets an id, `x-request-id`: the proxy's when it sent a
//! sane one, else a new UUID. The id is echoed in the answer and carried by
//! the request's span, so every log line of the request holds it (in JSON,
//! under `span.request_id`).
//!
//! The layers (in [`crate::app`]), outermost first: [`drop_unsound`] removes
//! an id that is not sane, tower-http's `SetRequestId` makes one where none
//! is left, the trace layer opens the span with [`span`], and
//! `PropagateRequestId` copies the id into the answer.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::RequestId;

/// The header the id travels in.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The longest id accepted from a proxy.
pub const MAX_LEN: usize = 128;

/// Whether an id sent by a client or proxy is kept: 1 to [`MAX_LEN`]
/// letters, digits and `-_.:/+=@` (what UUIDs, ULIDs, nginx's
/// `$request_id` and AWS/Cloudflare trace ids use), nothing a log reader
/// could mistake for structure.
#[must_use]
pub fn sane(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=MAX_LEN).contains(&bytes.len()) && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(b))
}

/// Middleware: drops every `x-request-id` unless there is exactly one and
/// it is [`sane`], so that a new one is made in its place.
pub async fn drop_unsound(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    let mut sent = headers.get_all(&HEADER).iter();
    let keep = matches!((sent.next(), sent.next()), (Some(value), None) if sane(value));
    if !keep {
        headers.remove(&HEADER);
    }
    next.run(request).await
}

/// The span every log line of a request is written in: its id, method,
/// route template and path (never the query, which may hold a name searched for).
pub fn span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
    tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route, path = %request.uri().path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_id_is_kept_only_when_sane() {
        for kept in ["0f8e2c1a-7d3b-4e5f-9a6b-1c2d3e4f5a6b", "nginx-4f2a9c", "Root=1-67891233-abcdef012345678912345678", "a"] {
            assert!(sane(&HeaderValue::from_static(kept)), "{kept}");
        }
        let long = "x".repeat(MAX_LEN + 1);
        for dropped in ["", "two words", "{\"json\":1}", "a\tb", "id;drop", long.as_str()] {
            let value = HeaderValue::from_str(dropped).unwrap_or(HeaderValue::from_static(""));
            assert!(!sane(&value), "{dropped:?}");
        }
    }
}
