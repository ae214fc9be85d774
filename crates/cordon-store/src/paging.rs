//! Keyset paging of the long lists (orders, arrivals, handovers): each list
//! has a stable order, a key column then the id, and a page is the rows just
//! past a cursor (the key and id of the row a page starts after or ends
//! before), so a row is never seen twice nor skipped when rows are added while
//! someone pages, and a deep page costs what the first one does.
//!
//! A page also carries the size of the whole list and how many rows come
//! before it, so the pages can say "51–100 of 4,212". The server turns
//! cursors into opaque strings (`a.2026-12-07.<uuid>`) and back; the SQL is
//! written once with `$N` placeholders and runs on SQLite and PostgreSQL.

use std::fmt;

use jiff::civil::Date;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Encode, FromRow, Postgres, Sqlite, Type};
use uuid::Uuid;

use crate::error::Result;
use crate::{Store, exec};

/// The largest page a list returns.
pub const MAX_LIMIT: i64 = 500;

/// A page of a list read by position: at most `limit` rows after the first
/// `offset` (for the lists without a keyset; rows added meanwhile at the
/// list's start shift a reader's later pages by as many rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// At most this many rows (kept within 1 to one more than [`MAX_LIMIT`]
    /// when read: a reader asks one row past its page to tell whether rows
    /// follow).
    pub limit: i64,
    /// Rows skipped from the list's start.
    pub offset: i64,
}

impl Window {
    /// The first `limit` rows.
    #[must_use]
    pub fn first(limit: i64) -> Self {
        Window { limit, offset: 0 }
    }

    /// The limit, kept within 1 to one more than [`MAX_LIMIT`].
    #[must_use]
    pub fn bounded_limit(self) -> i64 {
        self.limit.clamp(1, MAX_LIMIT + 1)
    }

    /// The offset, never negative.
    #[must_use]
    pub fn bounded_offset(self) -> i64 {
        self.offset.max(0)
    }
}

/// Which way a page lies from its cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The rows that follow the cursor in the list's order.
    After,
    /// The rows that precede the cursor in the list's order.
    Before,
}

/// A type a list is ordered by, written into cursors as text.
pub trait CursorKey: Sized + Clone {
    /// The key as it appears in a cursor (no `.` in it).
    fn encode(&self) -> String;
    /// The key read back from a cursor; `None` when it is not one.
    fn decode(text: &str) -> Option<Self>;
}

impl CursorKey for Date {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        (text.len() == 10).then(|| text.parse().ok()).flatten()
    }
}

impl CursorKey for i64 {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

/// A position in a list: the key and id of a row, and which side of it the
/// page lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor<K> {
    /// After or before the row.
    pub direction: Direction,
    /// The row's key.
    pub key: K,
    /// The row's id (orders rows with equal keys).
    pub id: Uuid,
}

impl<K: CursorKey> Cursor<K> {
    /// The page after a row.
    pub fn after(key: K, id: Uuid) -> Self {
        Cursor { direction: Direction::After, key, id }
    }

    /// The page before a row.
    pub fn before(key: K, id: Uuid) -> Self {
        Cursor { direction: Direction::Before, key, id }
    }

    /// Reads a cursor written by [`fmt::Display`]; `None` when the text is
    /// not a cursor of this list.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('.');
        let direction = match parts.next()? {
            "a" => Direction::After,
            "b" => Direction::Before,
            _ => return None,
        };
        let key = K::decode(parts.next()?)?;
        let id = Uuid::parse_str(parts.next()?).ok()?;
        parts.next().is_none().then_some(Cursor { direction, key, id })
    }
}

impl<K: CursorKey> fmt::Display for Cursor<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.direction {
            Direction::After => "a",
            Direction::Before => "b",
        };
        write!(f, "{side}.{}.{}", self.key.encode(), self.id.simple())
    }
}

/// What page of a list to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    /// At most this many rows (1 to [`MAX_LIMIT`]).
    pub limit: i64,
    /// Where the page lies; the first page when `None`.
    pub cursor: Option<Cursor<K>>,
}

impl<K> PageRequest<K> {
    /// The first page of `limit` rows.
    #[must_use]
    pub fn first(limit: i64) -> Self {
        PageRequest { limit, cursor: None }
    }

    /// Whether the page is read against the list's order (a previous page).
    pub(crate) fn backwards(&self) -> bool {
        self.cursor.as_ref().is_some_and(|c| c.direction == Direction::Before)
    }

    /// The limit, kept within 1 to [`MAX_LIMIT`].
    pub(crate) fn bounded_limit(&self) -> i64 {
        self.limit.clamp(1, MAX_LIMIT)
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, K> {
    /// The rows, in the list's order.
    pub items: Vec<T>,
    /// How many rows the whole list holds.
    pub total: i64,
    /// How many rows of the list come before this page.
    pub offset: i64,
    /// The page after this one, when rows follow.
    pub next: Option<Cursor<K>>,
    /// The page before this one, when rows precede.
    pub previous: Option<Cursor<K>>,
}

/// The order of a list: a key column, then the id, both ascending or both
/// descending.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyset {
    /// The key column.
    pub key: &'static str,
    /// Largest key first.
    pub descending: bool,
}

impl Keyset {
    /// The `ORDER BY` terms, reversed for a page read backwards.
    pub(crate) fn order_by(self, backwards: bool) -> String {
        let dir = if self.descending == backwards { "ASC" } else { "DESC" };
        format!("{key} {dir}, id {dir}", key = self.key)
    }

    /// A condition true for the rows strictly past the row (`$k`, `$i`):
    /// after it in the list's order, or before it when `backwards`.
    pub(crate) fn beyond(self, k: usize, i: usize, backwards: bool) -> String {
        let op = if self.descending == backwards { ">" } else { "<" };
        format!("({key} {op} ${k} OR ({key} = ${k} AND id {op} ${i}))", key = self.key)
    }
}

impl Keyset {
    /// The page query and the count query over `from` (`FROM … WHERE …`
    /// whose own parameters are `$1` to `$n`). The page query binds the limit
    /// as `$n+1` and, with a cursor, its key and id as `$n+2` and `$n+3`; the
    /// count query gives the list's size and the rows before the page, binding
    /// the page's first row's key and id as `$n+1` and `$n+2`.
    pub(crate) fn queries(self, columns: &str, from: &str, n: usize, cursor: bool, backwards: bool) -> (String, String) {
        let past = if cursor { format!(" AND {}", self.beyond(n + 2, n + 3, backwards)) } else { String::new() };
        let rows = format!("SELECT {columns} {from}{past} ORDER BY {} LIMIT ${}", self.order_by(backwards), n + 1);
        let count = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS BIGINT) {from}",
            self.beyond(n + 1, n + 2, true)
        );
        (rows, count)
    }
}

/// A list as its pages read it: its order, the columns of a row, and the
/// `FROM … WHERE …` whose parameters `$1` to `$n` are `filters`, in order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct List<'a> {
    /// The order.
    pub keyset: Keyset,
    /// The columns read for a row.
    pub columns: &'a str,
    /// `FROM … WHERE …`.
    pub from: &'a str,
    /// The values of its parameters.
    pub filters: &'a [Option<&'a str>],
}

impl Store {
    /// Reads the rows of one page of `list` (in the direction of travel) and
    /// the counts around its first row (the list's size, the rows before the
    /// page) on one reading connection. `key` turns a cursor's key into the
    /// value bound for the key column; `row_key` gives a row's such value and
    /// its id.
    pub(crate) async fn read_page<R, K, B>(
        &self,
        list: List<'_>,
        request: &PageRequest<K>,
        key: impl Fn(&K) -> B,
        row_key: impl Fn(&R) -> (B, Uuid),
    ) -> Result<(Vec<R>, (i64, i64))>
    where
        R: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
        B: for<'q> Encode<'q, Sqlite> + Type<Sqlite> + for<'q> Encode<'q, Postgres> + Type<Postgres> + Default,
    {
        let backwards = request.backwards();
        let (rows_sql, count_sql) = list.keyset.queries(list.columns, list.from, list.filters.len(), request.cursor.is_some(), backwards);
        let limit = request.bounded_limit();
        let cursor = request.cursor.as_ref().map(|at| (key(&at.key), at.id));
        self.read(async |c| {
            let rows: Vec<R> = exec!(
                c,
                {
                    let mut q = sqlx::query_as(AssertSqlSafe(rows_sql.as_str()));
                    for value in list.filters {
                        q = q.bind(*value);
                    }
                    q = q.bind(limit);
                    match &cursor {
                        Some((key, id)) => q.bind(key).bind(*id),
                        None => q,
                    }
                },
                fetch_all
            )?;
            // Counted around the first row read: the list's size and the rows before the page.
            let first = if backwards { rows.last() } else { rows.first() };
            let (first_key, first_id) = first.map(&row_key).unwrap_or_default();
            let counts: (i64, i64) = exec!(
                c,
                {
                    let mut q = sqlx::query_as(AssertSqlSafe(count_sql.as_str()));
                    for value in list.filters {
                        q = q.bind(*value);
                    }
                    q.bind(&first_key).bind(first_id)
                },
                fetch_one
            )?;
            Ok((rows, counts))
        })
        .await
    }
}

/// Puts a page together from the rows read (in the direction of travel),
/// the size of the list and the number of rows before the page's first row.
pub(crate) fn assemble<T, K: CursorKey>(
    mut items: Vec<T>,
    backwards: bool,
    (total, offset): (i64, i64),
    key: impl Fn(&T) -> (K, Uuid),
) -> Page<T, K> {
    if backwards {
        items.reverse();
    }
    let shown = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let next = items.last().filter(|_| offset.saturating_add(shown) < total).map(|row| {
        let (k, id) = key(row);
        Cursor::after(k, id)
    });
    let previous = items.first().filter(|_| offset > 0).map(|row| {
        let (k, id) = key(row);
        Cursor::before(k, id)
    });
    Page { items, total, offset, next, previous }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote() {
        let id = Uuid::now_v7();
        let date: Date = "2026-12-07".parse().unwrap();
        let c = Cursor::after(date, id);
        assert_eq!(Cursor::<Date>::parse(&c.to_string()), Some(c));
        let t = Cursor::before(1_795_000_000_000_000_i64, id);
        assert_eq!(Cursor::<i64>::parse(&t.to_string()), Some(t));
    }

    #[test]
    fn text_that_is_not_a_cursor_of_the_list_is_refused() {
        let id = Uuid::now_v7().simple().to_string();
        for bad in [
            String::new(),
            "a".into(),
            format!("x.2026-12-07.{id}"),
            format!("a.2026-13-07.{id}"),
            "a.2026-12-07.not-a-uuid".into(),
            format!("a.2026-12-07.{id}.more"),
            format!("a.12345.{id}"),
        ] {
            assert_eq!(Cursor::<Date>::parse(&bad), None, "{bad:?}");
        }
        assert_eq!(Cursor::<i64>::parse(&format!("a.2026-12-07.{id}")), None);
    }

    #[test]
    fn the_keyset_flips_for_descending_lists_and_backward_pages() {
        let asc = Keyset { key: "ends_on", descending: false };
        assert_eq!(asc.order_by(false), "ends_on ASC, id ASC");
        assert_eq!(asc.order_by(true), "ends_on DESC, id DESC");
        assert_eq!(asc.beyond(4, 5, false), "(ends_on > $4 OR (ends_on = $4 AND id > $5))");
        assert_eq!(asc.beyond(4, 5, true), "(ends_on < $4 OR (ends_on = $4 AND id < $5))");
        let desc = Keyset { key: "created_at", descending: true };
        assert_eq!(desc.order_by(false), "created_at DESC, id DESC");
        assert_eq!(desc.beyond(2, 3, false), "(created_at < $2 OR (created_at = $2 AND id < $3))");
    }

    #[test]
    fn a_page_links_to_its_neighbours_only_when_they_exist() {
        let ids: Vec<(i64, Uuid)> = (0..3).map(|k| (k, Uuid::now_v7())).collect();
        let first = assemble(ids.clone(), false, (7, 0), |r| *r);
        assert_eq!((first.previous, first.next), (None, Some(Cursor::after(2, ids[2].1))));
        let middle = assemble(ids.clone(), false, (7, 3), |r| *r);
        assert_eq!(middle.previous, Some(Cursor::before(0, ids[0].1)));
        let last = assemble(ids[..1].to_vec(), false, (7, 6), |r| *r);
        assert_eq!(last.next, None);
        let back = assemble(vec![ids[2], ids[1]], true, (7, 1), |r| *r);
        assert_eq!(back.items, vec![ids[1], ids[2]], "a page read backwards is shown in the list's order");
        let empty = assemble(Vec::<(i64, Uuid)>::new(), false, (7, 0), |r| *r);
        assert_eq!((empty.previous, empty.next), (None, None));
    }
}
