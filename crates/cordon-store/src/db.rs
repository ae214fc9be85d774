//! The two backends behind one API, and the transaction every change runs in.
//!
//! SQL is written once with `$N` placeholders, which both SQLite and
//! PostgreSQL accept; the [`exec!`] macro expands a query once per backend so
//! that sqlx's typed pools stay intact (no `Any` driver). SQLite gets one
//! writer connection (commits are serialised anyway) and a pool of readers;
//! it runs in WAL mode with `synchronous=FULL`, so a commit acknowledged to a
//! client survives a power cut.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use cordon_core::event::Event;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::postgres::{PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::types::Json;
use sqlx::{PgPool, SqlitePool};
use uuid::Uuid;

use crate::audit_chain::PendingAudit;
use crate::config::ConfigCache;
use crate::error::{Result, StoreError};
use crate::group_commit::Writer;

/// Runs a query built by `$q` on whichever backend `$conn` is, calling the
/// executor method `$method` (`execute`, `fetch_one`, `fetch_optional`,
/// `fetch_all`, ...). The query expression is expanded once per backend.
#[macro_export]
#[doc(hidden)]
macro_rules! exec {
    ($conn:expr, $q:expr, execute) => {
        match $conn {
            $crate::db::Conn::Sqlite(c) => $q.execute(&mut **c).await.map(|_| ()),
            $crate::db::Conn::Postgres(c) => $q.execute(&mut **c).await.map(|_| ()),
        }
    };
    ($conn:expr, $q:expr, $method:ident) => {
        match $conn {
            $crate::db::Conn::Sqlite(c) => $q.$method(&mut **c).await,
            $crate::db::Conn::Postgres(c) => $q.$method(&mut **c).await,
        }
    };
}

/// How to connect, beyond the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// How many connections a server keeps to PostgreSQL (the writer takes
    /// one for each batch of changes; reads share them). SQLite always has one
    /// writer and four readers.
    pub postgres_pool_size: u32,
    /// The most concurrent changes one commit carries (group commit, on
    /// both backends); 1 commits each change alone. Enough to spread a disk flush
    /// over many changes, few enough that the first of a full batch waits
    /// only milliseconds for the last.
    pub write_batch: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { postgres_pool_size: 16, write_batch: 64 }
    }
}

/// The database, SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub(crate) enum Db {
    /// An SQLite file: one writer connection and a pool of readers.
    Sqlite {
        /// The single writer.
        writer: SqlitePool,
        /// Readers.
        readers: SqlitePool,
    },
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// A connection of either backend, borrowed for one operation.
pub enum Conn<'a> {
    /// SQLite.
    Sqlite(&'a mut SqliteConnection),
    /// PostgreSQL.
    Postgres(&'a mut PgConnection),
}

impl Db {
    /// Connects to `url` (`sqlite://FILE`, `sqlite:FILE` or `postgres://...`).
    pub(crate) async fn connect(url: &str, store: &StoreOptions) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(store.postgres_pool_size.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let writer = SqlitePoolOptions::new().max_connections(1).min_connections(1).connect_with(options.clone()).await?;
            let readers = SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await?;
            Ok(Db::Sqlite { writer, readers })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// Applies every pending migration.
    pub(crate) async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite { writer, .. } => sqlx::migrate!("migrations/sqlite").run(writer).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Where changes are written (see [`crate::group_commit`]).
    pub(crate) fn writer(&self) -> Writer {
        match self {
            Db::Sqlite { writer, .. } => Writer::Sqlite(writer.clone()),
            Db::Postgres(pool) => Writer::Postgres(pool.clone()),
        }
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite { writer, readers, .. } => {
                readers.close().await;
                // The writer closes last; having touched the log, it removes
                // it (a reader, read-only, would leave `-wal` and `-shm` behind).
                let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(writer).await;
                writer.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// One write transaction: the change, its audit records and its events
/// commit together or not at all.
pub struct Tx<'a> {
    /// The connection inside the transaction.
    pub conn: Conn<'a>,
    pub(crate) events: Vec<Event>,
    /// Audit records waiting for the commit to be chained.
    pub(crate) audits: Vec<PendingAudit>,
    /// Set to seal the records older than the chain at this time (Unix
    /// microseconds) even when nothing else is audited.
    pub(crate) seal_at: Option<i64>,
    /// The settings and case definitions kept in memory.
    pub(crate) config: Arc<ConfigCache>,
    /// Their version as this transaction read it, once read; see [`crate::config`].
    pub(crate) config_version: Option<i64>,
}

impl<'a> Tx<'a> {
    /// A change on `conn`, with what its batch already knows of the
    /// configuration's version.
    pub(crate) fn new(conn: Conn<'a>, config: Arc<ConfigCache>, config_version: Option<i64>) -> Tx<'a> {
        Tx { conn, events: Vec::new(), audits: Vec::new(), seal_at: None, config, config_version }
    }

    /// Says this change writes the settings or case definitions: whatever
    /// reads them next in this transaction reads their version again.
    pub(crate) fn config_changed(&mut self) {
        self.config_version = None;
    }

    /// Writes an audit record for a change made in this transaction. The
    /// record is chained (given its seq, link and hash) just before the
    /// transaction commits; see [`crate::audit_chain`].
    #[expect(clippy::unused_async, reason = "the hundreds of callers await it; it stays async so it may write at once again")]
    pub async fn audit<B: Serialize, A: Serialize>(
        &mut self,
        at: Timestamp,
        actor: Option<Uuid>,
        action: &str,
        entity_id: impl ToString,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let entity = action.split('.').next().unwrap_or(action);
        self.audits.push(PendingAudit {
            at: micros(at),
            actor_id: actor,
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_string(),
            before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            after: after.map(|a| serde_json::to_value(a).unwrap_or_default()),
        });
        Ok(())
    }

    /// Records an event in the outbox; it is published once the transaction commits.
    pub async fn emit(&mut self, mut event: Event) -> Result<()> {
        let seq: i64 = exec!(
            &mut self.conn,
            sqlx::query_scalar("INSERT INTO events (at, kind, path, entity_id, data) VALUES ($1, $2, $3, $4, $5) RETURNING seq")
                .bind(micros(event.at))
                .bind(event.kind.as_str())
                .bind(event.path.as_str())
                .bind(event.entity_id)
                .bind(Json(event.data.clone())),
            fetch_one
        )?;
        event.seq = seq;
        self.events.push(event);
        Ok(())
    }
}

/// Unix microseconds of an instant, as stored.
pub fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// The instant of stored Unix microseconds.
pub fn from_micros(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us).map_err(|_| StoreError::Corrupt { column: "timestamp", value: us.to_string() })
}

/// Parses a stored `YYYY-MM-DD` day.
pub fn parse_date(column: &'static str, s: &str) -> Result<Date> {
    s.parse().map_err(|_| StoreError::Corrupt { column, value: s.to_owned() })
}

/// Parses an optional stored day.
pub fn parse_opt_date(column: &'static str, s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| parse_date(column, &s)).transpose()
}

/// Parses a stored enum name with the enum's own parser.
pub fn parse_enum<T>(column: &'static str, s: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(s).ok_or_else(|| StoreError::Corrupt { column, value: s.to_owned() })
}

/// The `LIKE` pattern that matches a path and its subtree.
pub fn subtree(path: &cordon_core::jurisdiction::NodePath) -> String {
    format!("{}%", path.as_str().replace('%', "").replace('_', "\\_"))
}

/// Reads a JSON document stored in `column` back, or says the column is corrupt.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(column: &'static str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt { column, value: text.chars().take(80).collect() })
}
