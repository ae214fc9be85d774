//! Bulk loading: building a large history (the demo's 90 days) one
//! transaction per action, as the API would, without paying a disk flush
//! per commit.
//!
//! Every write still goes through the same store methods, rules, audit
//! records and outbox events; only SQLite's flush policy changes, from
//! `synchronous=FULL` (an acknowledged commit survives a power cut) to
//! `NORMAL` (in WAL mode the database stays consistent, but a power cut may
//! lose the last commits, which rebuilding the demo recreates), with a
//! larger page cache and fewer checkpoints while it lasts. PostgreSQL is
//! left as it is: it already groups flushes across connections.

use crate::Store;
use crate::db::Db;
use crate::error::Result;

impl Store {
    /// Turns bulk loading on (SQLite: `synchronous=NORMAL`, a 256 MB page
    /// cache, a checkpoint every 64 MB of log, two sorting threads for the
    /// index builds) or off (back to the durable
    /// `synchronous=FULL` and SQLite's defaults). Serve with it off.
    pub async fn set_bulk_loading(&self, on: bool) -> Result<()> {
        if let Db::Sqlite { writer, .. } = &self.db {
            let pragmas: [&str; 4] = if on {
                ["PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -262144", "PRAGMA wal_autocheckpoint = 16384", "PRAGMA threads = 2"]
            } else {
                ["PRAGMA synchronous = FULL", "PRAGMA cache_size = -2000", "PRAGMA wal_autocheckpoint = 1000", "PRAGMA threads = 0"]
            };
            for pragma in pragmas {
                sqlx::query(pragma).execute(writer).await?;
            }
            if !on {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(writer).await?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Refreshes the query planner's statistics after a bulk load (SQLite:
    /// `ANALYZE` on a sample of each index; PostgreSQL: `ANALYZE`).
    pub async fn analyze(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { writer, .. } => {
                sqlx::query("PRAGMA analysis_limit = 1000").execute(writer).await?;
                sqlx::query("ANALYZE").execute(writer).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }
}
