//! Bulk loading: building a large history (the demo's 90 days) one
//! transaction per action, as the API would, without paying a disk flush
//! per commit.
//!
//! Every write still goes through the same store methods, rules, audit
//! records and outbox events; only SQLite's flush policy changes, from
//! `synchronous=FULL` (an acknowledged commit survives a power cut) to
//! `NORMAL` (in WAL mode the database stays consistent, but a power cut may
//! lose the last commits, which rebuilding the demo recreates). PostgreSQL
//! is left as it is: it already groups flushes across connections.

use crate::Store;
use crate::db::Db;
use crate::error::Result;

impl Store {
    /// Turns bulk loading on (SQLite: `synchronous=NORMAL`) or off (back to
    /// the durable `synchronous=FULL`). Serve with it off.
    pub async fn set_bulk_loading(&self, on: bool) -> Result<()> {
        if let Db::Sqlite { writer, .. } = &self.db {
            let pragma = if on { "PRAGMA synchronous = NORMAL" } else { "PRAGMA synchronous = FULL" };
            sqlx::query(pragma).execute(writer).await?;
        }
        Ok(())
    }
}
