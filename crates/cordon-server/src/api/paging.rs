//! Paging of every list of the API: the `limit` (1 to 500, default 100)
//! and `cursor` query parameters, and the answer, one shape for all lists:
//! `{"items": [...], "next_cursor": "..."}`, `next_cursor` null on the last
//! page.
//!
//! A client reads the first page without a cursor, then passes
//! `next_cursor` back as `cursor`, keeping its other parameters, until it is
//! null. Cursors are opaque. The long lists (orders, arrivals, handovers) are
//! read by the store's keyset paging, so rows added meanwhile are neither
//! repeated nor skipped, and also send the size of the whole list in
//! `X-Total-Count` and the way on in `Link`; the events and the audit log
//! page by sequence number; the other lists by position (a row added at a
//! list's start while a client pages shifts its later pages by one).

use axum::Json;
use axum::http::header::LINK;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use cordon_core::refusal::Reason;
use cordon_store::paging::Window;
use cordon_store::paging::{Cursor, CursorKey, MAX_LIMIT, Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

/// The paging parameters of a list that has no other.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// One page of a list: its rows and the cursor of the next page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListPage<T> {
    /// The rows of this page, in the list's order.
    pub items: Vec<T>,
    /// The `cursor` of the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> ListPage<T> {
    /// The page of rows read for `window` (asked with one row more than the
    /// page, to tell whether rows follow).
    #[must_use]
    pub fn read(mut rows: Vec<T>, window: Window) -> Self {
        let limit = usize::try_from(window.limit).unwrap_or(0);
        let next_cursor = (rows.len() > limit).then(|| position_cursor(window.offset.saturating_add(window.limit)));
        rows.truncate(limit);
        ListPage { items: rows, next_cursor }
    }

    /// The page `window` of a list read whole.
    #[must_use]
    pub fn cut(rows: Vec<T>, window: Window) -> Self {
        let skip = usize::try_from(window.offset).unwrap_or(usize::MAX);
        ListPage::read(rows.into_iter().skip(skip).collect(), window)
    }

    /// A page of a list ordered by sequence number (read with one row more
    /// than `limit`): the next page starts past its last row's number.
    #[must_use]
    pub fn by_sequence(mut rows: Vec<T>, limit: i64, seq: impl Fn(&T) -> i64) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = rows.last().filter(|_| more).map(|row| format!("s.{}", seq(row)));
        ListPage { items: rows, next_cursor }
    }
}

fn position_cursor(offset: i64) -> String {
    format!("p.{offset}")
}

/// Checks a list's `limit`: 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent;
/// otherwise a 400 naming `limit`.
pub fn checked_limit(limit: Option<i64>) -> ApiResult<i64> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::bad_field("limit", Reason::LimitRange { max: MAX_LIMIT, given: limit }))
    }
}

fn given(cursor: Option<&str>) -> Option<&str> {
    cursor.map(str::trim).filter(|c| !c.is_empty())
}

/// Reads a positional list's `limit` and `cursor` into the window to read
/// (one row more than the page). A cursor this list did not give out is a
/// 400 naming `cursor`.
pub fn window(limit: Option<i64>, cursor: Option<&str>) -> ApiResult<Window> {
    let limit = checked_limit(limit)?;
    let offset = match given(cursor) {
        Some(text) => text
            .strip_prefix("p.")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::bad_field("cursor", Reason::BadCursor))?,
        None => 0,
    };
    Ok(Window { limit, offset })
}

/// The window to ask the store for: one row more than the page.
#[must_use]
pub fn probe(window: Window) -> Window {
    Window { limit: window.limit.saturating_add(1), ..window }
}

/// Reads a list paged by sequence number: its `limit` and the sequence
/// number its `cursor` names (`None` for the first page).
pub fn sequence(limit: Option<i64>, cursor: Option<&str>) -> ApiResult<(i64, Option<i64>)> {
    let limit = checked_limit(limit)?;
    let seq = match given(cursor) {
        Some(text) => Some(
            text.strip_prefix("s.").and_then(|n| n.parse::<i64>().ok()).ok_or_else(|| ApiError::bad_field("cursor", Reason::BadCursor))?,
        ),
        None => None,
    };
    Ok((limit, seq))
}

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
    let limit = checked_limit(limit)?;
    let cursor = match given(cursor) {
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

/// A keyset page as an API response: a [`ListPage`], with `X-Total-Count`,
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
        let next_cursor = self.page.next.as_ref().map(ToString::to_string);
        (headers, Json(ListPage { items: self.page.items, next_cursor })).into_response()
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
