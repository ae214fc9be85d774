//! Held commits: a build that writes alone (the demo's 90 days of history)
//! pays one commit per batch of changes instead of one per change.
//!
//! Every change still goes through the same store calls, in its own
//! savepoint on SQLite: a refused change undoes only its own writes, its
//! audit records are chained and its events kept for the commit. What
//! changes is when it commits: the batch stays open until it holds the
//! given number of changes or the hold ends ([`Store::release_commits`]),
//! and a change is answered as soon as its savepoint is released. Reads
//! meanwhile run inside the open transaction, so they see every change
//! answered, as they would once it committed. A crash, or a batch that
//! fails ([`crate::StoreError::CommitFailed`], heard by the change in whose
//! turn it failed), loses every change since the last commit: the builder
//! stops and is run again. Serve only after the hold.
//!
//! PostgreSQL keeps one transaction per change: the hold does nothing there.

use crate::Store;
use crate::db::Db;
use crate::error::Result;

impl Store {
    /// Holds SQLite's commits until `changes` changes are written (see the
    /// module). For a store written by one builder alone; end it with
    /// [`Store::release_commits`] before serving, backing up or analysing
    /// (which need the writer's connection free).
    pub fn hold_commits(&self, changes: usize) {
        if let Db::Sqlite { .. } = &self.db {
            self.group.hold(changes);
        }
    }

    /// Commits what a hold has written and ends it; nothing happens
    /// without a hold.
    ///
    /// # Errors
    /// The commit failed: the changes since the last commit are lost.
    pub async fn release_commits(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { .. } => self.group.release().await,
            Db::Postgres(_) => Ok(()),
        }
    }
}
