//! Paging of the API's long lists (`GET /orders`, `/arrivals`, `/handovers`):
//! the `limit` and `cursor` query parameters, checked into the store's
//! [`PageRequest`], and the response, the page's rows as a JSON array (as
//! before paging) with the size of the whole list and the way on in headers.
//!
//! A client reads the first page without a cursor, then follows `Link:
//! <…>; rel="next"` (or passes `X-Next-Cursor` as `cursor`, keeping its other
//! parameters) until neither is sent. Cursors are opaque strings from the
//! store's keyset paging, so rows added meanwhile are neither repeated nor
//! skipped.

use axum::Json;
use axum::http::header::LINK;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use cordon_core::refusal::Reason;
use cordon_store::paging::{Cursor, CursorKey, MAX_LIMIT, Page, PageRequest};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

/// The page size when a request names none.
pub const DEFAULT_LIMIT: i64 = 100;

/// The header holding the size of the whole list.
pub const TOTAL_COUNT: HeaderName = HeaderName::from_static("x-total-count");

/// The header holding the cursor of the next page (absent on the last page).
pub const NEXT_CURSOR: HeaderName = HeaderName::from_static("x-next-cursor");

/// Reads a list's `limit` and `cursor` parameters. A limit outside 1 to
/// [`MAX_LIMIT`] or a cursor that is not one this list gave out is a 400
/// naming the parameter.
pub fn page_request<K: CursorKey>(limit: Option<i64>, cursor: Option<&str>) -> ApiResult<PageRequest<K>> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_field("limit", Reason::LimitRange { max: MAX_LIMIT, given: limit }));
    }
    let cursor = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => Some(Cursor::parse(text).ok_or_else(|| ApiError::bad_field("cursor", Reason::BadCursor))?),
        None => None,
    };
    Ok(PageRequest { limit, cursor })
}

/// The address of another page of the list at `uri`: the same parameters
/// with `cursor` replaced.
pub fn page_link<K: CursorKey>(uri: &Uri, cursor: &Cursor<K>) -> String {
    let kept = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).filter(|(name, _)| name != "cursor");
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).append_pair("cursor", &cursor.to_string()).finish();
    format!("{}?{query}", uri.path())
}

/// A page as an API response: the rows as a JSON array, with `X-Total-Count`,
/// `X-Next-Cursor` and `Link` (`rel="next"`, `rel="prev"`) headers.
#[derive(Debug)]
pub struct Paged<T, K> {
    /// The page read.
    pub page: Page<T, K>,
    /// The request's full address (to link the neighbouring pages).
    pub uri: Uri,
}

impl<T: Serialize, K: CursorKey> IntoResponse for Paged<T, K> {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(TOTAL_COUNT, HeaderValue::from(self.page.total));
        let mut links = Vec::new();
        if let Some(next) = &self.page.next {
            if let Ok(value) = HeaderValue::from_str(&next.to_string()) {
                headers.insert(NEXT_CURSOR, value);
            }
            links.push(format!("<{}>; rel=\"next\"", page_link(&self.uri, next)));
        }
        if let Some(previous) = &self.page.previous {
            links.push(format!("<{}>; rel=\"prev\"", page_link(&self.uri, previous)));
        }
        if !links.is_empty()
            && let Ok(value) = HeaderValue::from_str(&links.join(", "))
        {
            headers.insert(LINK, value);
        }
        (headers, Json(self.page.items)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_limit_out_of_range_names_the_parameter() {
        for bad in [0, -3, MAX_LIMIT + 1] {
            let e = page_request::<i64>(Some(bad), None).unwrap_err();
            assert_eq!(e.problem().errors[0].field, "limit", "{bad}");
        }
        assert_eq!(page_request::<i64>(None, None).unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(page_request::<i64>(Some(MAX_LIMIT), Some(" ")).unwrap(), PageRequest::first(MAX_LIMIT));
    }

    #[test]
    fn a_cursor_of_another_kind_names_the_parameter() {
        let e = page_request::<i64>(None, Some("a.2026-12-07.x")).unwrap_err();
        assert_eq!(e.problem().errors[0].field, "cursor");
    }

    #[test]
    fn a_page_link_keeps_the_other_parameters() {
        let uri: Uri = "/api/v1/orders?status=active&cursor=old&limit=5".parse().unwrap();
        let id = Uuid::nil();
        assert_eq!(
            page_link(&uri, &Cursor::after(7_i64, id)),
            "/api/v1/orders?status=active&limit=5&cursor=a.7.00000000000000000000000000000000"
        );
    }
}
