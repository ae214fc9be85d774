//! Read models for the pages and the API's lists: each answers one panel
//! with one query (a join, or `WHERE id IN (...)` over the ids a page
//! already holds), so a list of a hundred rows costs the same as a list of
//! one. One file per area: [`names`] (who and where an id names, for any
//! page), [`reports`] (reports with where they stand and the cases they
//! opened), [`escalations`] (escalations with the case they lead to),
//! [`orders`] (the orders a list of arrivals or handovers names),
//! [`directives`] (how far directives reached an area, which a unit
//! acknowledged, the places a command may address).
//!
//! Nothing here writes; the workflows' own loads stay beside their writes.

pub mod directives;
pub mod escalations;
pub mod names;
pub mod orders;
pub mod reports;

use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::error::Result;
use crate::{Store, exec};

/// `$from, $from+1, ...`: `count` placeholders for an `IN (...)` list.
pub(crate) fn placeholders(from: usize, count: usize) -> String {
    (from..from + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// The rows `sql` gives for `ids`, bound in order to the `$1, $2, ...` of
/// its `IN (...)` list, in one read.
pub(crate) async fn rows_for<R>(store: &Store, sql: &str, ids: &[Uuid]) -> Result<Vec<R>>
where
    R: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    store.read(async |c| Ok(exec!(c, ids.iter().fold(sqlx::query_as::<_, R>(AssertSqlSafe(sql)), |q, id| q.bind(*id)), fetch_all)?)).await
}

/// The ids once each, in a stable order.
fn distinct(ids: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_from_the_first_number() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(2, 1), "$2");
        assert_eq!(placeholders(1, 0), "");
    }

    #[test]
    fn ids_are_kept_once() {
        let a = uuid::Uuid::from_u128(1);
        let b = uuid::Uuid::from_u128(2);
        assert_eq!(distinct([b, a, b]), vec![a, b]);
    }
}
