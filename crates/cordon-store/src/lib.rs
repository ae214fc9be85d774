//! Persistence for cordon over SQLite (the default, a single file) and
//! PostgreSQL (for more than one machine), behind one API.
//!
//! Each public method is one transaction: it loads what the decision needs,
//! asks `cordon-core` to decide, and writes the entity, its audit record and
//! its outbox event together. Committed events are then published to
//! in-process subscribers (the server's live stream). All SQL of cordon lives
//! in this crate.

pub mod abroad;
pub mod alert_levels;
pub mod alerts;
pub mod arrivals;
pub mod audit;
pub mod audit_chain;
pub mod backup;
pub mod boundaries;
pub mod bulk;
mod bulk_indexes;
pub mod bulk_load;
pub mod cases;
pub mod chains;
pub mod config;
pub mod contacts;
pub mod counts;
pub mod daily;
mod db;
pub mod directives;
mod documents;
pub mod due_visits;
pub mod error;
pub mod escalations;
pub mod events;
mod exclusive;
pub mod exports;
mod fanout;
pub mod figures;
pub mod followups;
pub mod gatherings;
pub mod group_commit;
mod held;
pub mod investigations;
pub mod jurisdiction_csv;
pub mod jurisdictions;
pub mod lectures;
mod legacy_closures;
mod map_figures;
pub mod operations;
pub mod orders;
pub mod paging;
pub mod persons;
pub mod read_models;
pub mod reports;
pub mod response;
pub mod rosters;
pub mod rumours;
pub mod sessions;
pub mod situation;
pub mod tasks;
pub mod users;
pub mod views;
pub mod watch;

use cordon_core::event::Event;
use tokio::sync::broadcast;

pub use db::{Conn, StoreOptions, Tx};
pub use error::{Result, StoreError};

use db::Db;

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    events: broadcast::Sender<Event>,
    /// This process's name in the notifications other servers relay (see [`Store::relay_events`]).
    instance: uuid::Uuid,
    /// How many reads this handle (and its clones) has run, for tests that
    /// pin a page to a fixed number of queries.
    reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The writer, batching concurrent changes into one commit.
    group: group_commit::GroupCommit,
    /// The settings and case definitions kept in memory.
    config: std::sync::Arc<config::ConfigCache>,
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Store {
    /// Connects to `url`, applies pending migrations, seals the audit
    /// records written before the audit chain existed, and moves border
    /// closures an earlier cordon kept in its settings into border directives.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(url, &StoreOptions::default()).await
    }

    /// [`Store::open`] with `options` (the PostgreSQL pool's size).
    pub async fn open_with(url: &str, options: &StoreOptions) -> Result<Store> {
        let store = Store::connect_with(url, options).await?;
        store.db.migrate().await?;
        store.seal_audit_log(jiff::Timestamp::now()).await?;
        store.adopt_entry_closures(jiff::Timestamp::now()).await?;
        store.build_read_models_if_missing().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, &StoreOptions::default()).await
    }

    /// Connects with `options`, without migrating.
    pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Store> {
        let (events, _) = broadcast::channel(4096);
        let db = Db::connect(url, options).await?;
        let instance = uuid::Uuid::new_v4();
        let config = std::sync::Arc::<config::ConfigCache>::default();
        let max_batch = usize::try_from(options.write_batch).unwrap_or(usize::MAX);
        let group = group_commit::GroupCommit::new(db.writer(), events.clone(), max_batch, std::sync::Arc::clone(&config), instance);
        Ok(Store { db, events, instance, reads: std::sync::Arc::default(), group, config })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        self.db.migrate().await
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes all connections.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Receives every event committed from now on.
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Runs `f` in one write transaction; commits if it succeeds, rolls back
    /// if it fails, and publishes its events after the commit. Concurrent
    /// calls share one commit, each in its own savepoint ([`group_commit`]):
    /// a refusal rolls back only its own writes, and each is answered after
    /// the shared commit.
    pub async fn write<T>(&self, f: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.group.write(f).await
    }

    /// How many reads ([`Store::read`]) this store has run since it was
    /// opened: a page that reads a fixed number of times whatever its rows
    /// shows it here.
    #[must_use]
    pub fn reads_made(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `f` on a reading connection (inside the open batch while
    /// commits are held, see [`Store::hold_commits`]).
    pub async fn read<T>(&self, f: impl AsyncFnOnce(&mut Conn<'_>) -> Result<T>) -> Result<T> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match &self.db {
            Db::Sqlite { .. } if self.group.holding() => self.group.read_held(f).await,
            Db::Sqlite { readers, .. } => {
                let mut c = readers.acquire().await?;
                f(&mut Conn::Sqlite(&mut c)).await
            }
            Db::Postgres(pool) => {
                let mut c = pool.acquire().await?;
                f(&mut Conn::Postgres(&mut c)).await
            }
        }
    }
}

/// Whether a change that came to `result` on its `attempt`th run (from 1)
/// should run again: when PostgreSQL chose it as the victim of a deadlock
/// or a serialization failure (SQLSTATE 40P01, 40001; its savepoint was
/// rolled back, so nothing of it stands), up to three runs in all. Only for
/// changes decided afresh from what they read inside the change.
pub(crate) fn run_again<T>(attempt: &mut u32, result: &Result<T>) -> bool {
    match result {
        Err(e) if *attempt < 3 && e.is_transient() => {
            tracing::warn!(error = %e, attempt = *attempt, "a change lost a deadlock or a serialization conflict; running it again");
            *attempt += 1;
            true
        }
        _ => false,
    }
}
