//! The paging of the long lists shown as pages (orders, handovers, arrivals):
//! a fixed page size, the page's `cursor` parameter read as the API reads it
//! (`api::paging::page_request`, so a forged cursor is the same 400), and the
//! links under the table ("51–100 of 4,212", first, previous, next) that keep
//! the page's other parameters (node, status filter). Rendered by
//! `templates/pager.html`.

use cordon_store::paging::{Cursor, CursorKey, Page, PageRequest};

use super::{Lang, WebResult};
use crate::api::paging::page_request;

/// Rows per page of the long lists.
pub const PAGE_SIZE: i64 = 50;

/// The page a list's `cursor` parameter asks for (the first when absent).
pub fn requested<K: CursorKey>(cursor: Option<&str>) -> WebResult<PageRequest<K>> {
    Ok(page_request(Some(PAGE_SIZE), cursor)?)
}

/// The paging of a list as shown under it.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// Which rows of how many ("51–100 of 4,212"), when the page has rows.
    pub range: Option<String>,
    /// The first page, when the page is further than the second.
    pub first: Option<String>,
    /// The page before.
    pub previous: Option<String>,
    /// The page after.
    pub next: Option<String>,
    /// The page came from a cursor and holds nothing (the list shrank meanwhile).
    pub past_end: bool,
}

impl Pager {
    /// Reads a page into its links: `path` with the `keep` parameters (those
    /// with a value) and each neighbour's cursor.
    pub fn of<T, K: CursorKey>(t: Lang, page: &Page<T, K>, request: &PageRequest<K>, path: &str, keep: &[(&str, &str)]) -> Pager {
        let link = |cursor: Option<&Cursor<K>>| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.extend_pairs(keep.iter().filter(|(_, value)| !value.is_empty()));
            if let Some(c) = cursor {
                query.append_pair("cursor", &c.to_string());
            }
            let query = query.finish();
            if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") }
        };
        let shown = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        let range = (shown > 0).then(|| {
            let from = grouped(page.offset.saturating_add(1));
            let to = grouped(page.offset.saturating_add(shown));
            t.get("quarantine_page_range").replacen("{}", &from, 1).replacen("{}", &to, 1).replacen("{}", &grouped(page.total), 1)
        });
        let past_end = request.cursor.is_some() && shown == 0;
        Pager {
            range,
            first: (page.offset > request.limit || past_end).then(|| link(None)),
            previous: page.previous.as_ref().map(|c| link(Some(c))),
            next: page.next.as_ref().map(|c| link(Some(c))),
            past_end,
        }
    }

    /// Whether there is anything to show under the list.
    #[must_use]
    pub fn shown(&self) -> bool {
        self.range.is_some() || self.past_end
    }
}

/// A count with its thousands grouped by commas (4,212), as both languages
/// write it; any integer type up to 64 bits.
#[must_use]
pub fn grouped(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(4212), "4,212");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-4212), "-4,212");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn the_links_keep_the_filters_and_carry_the_cursor() {
        let id = Uuid::nil();
        let page = Page {
            items: vec![1, 2],
            total: 4212,
            offset: 100,
            next: Some(Cursor::after(9_i64, id)),
            previous: Some(Cursor::before(1_i64, id)),
        };
        let request = PageRequest { limit: 50, cursor: Some(Cursor::after(0_i64, id)) };
        let pager = Pager::of(Lang::En, &page, &request, "/orders", &[("node", "P 1"), ("status", "")]);
        assert_eq!(pager.range.as_deref(), Some("101–102 of 4,212"));
        assert_eq!(pager.next.as_deref(), Some("/orders?node=P+1&cursor=a.9.00000000000000000000000000000000"));
        assert_eq!(pager.previous.as_deref(), Some("/orders?node=P+1&cursor=b.1.00000000000000000000000000000000"));
        assert_eq!(pager.first.as_deref(), Some("/orders?node=P+1"));
    }
}
