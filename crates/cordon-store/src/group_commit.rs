//! Group commit on SQLite: concurrent changes share one durable commit.
//!
//! SQLite has one writer and pays a disk flush for every commit (WAL,
//! `synchronous=FULL`), so committing each change alone caps intake at about
//! one change per flush. Here the writer sits behind a fair queue (a
//! [`tokio::sync::Mutex`]). In its turn each change runs in its own
//! `SAVEPOINT` inside the transaction its batch shares: its audit records are
//! chained ([`crate::audit_chain::append`], the chain exactly as a lone
//! commit would make it) and its events buffered, then the savepoint is
//! released, or, when the change is refused or fails, rolled back, so its
//! neighbours keep theirs. When nobody else is waiting for the writer, or the
//! batch is full (`StoreOptions::write_batch`, 64 by default), the change that finished last has the batch
//! committed: one flush, then the events of all its members are published in
//! the order they were written and every member is answered. A failed commit
//! fails every member. A lone change commits at once, as before: there is no
//! timer and no added wait.
//!
//! A change's closure borrows from its caller, so it cannot be sent to a
//! writer task; each caller runs its own closure while it holds the writer
//! (leader and followers). The commit itself runs in a task of its own, so
//! it completes even if the caller that started it goes away. A caller
//! dropped in its turn (a client that hung up) leaves a task that rolls back
//! what it half wrote and commits for the others; one dropped while queued
//! leaves a task that takes its place in the queue: a batch is never left
//! open with members waiting.
//!
//! A build that writes alone (the demo's history) can hold the batch open
//! instead ([`GroupCommit::hold`], see [`crate::held`]): each change still
//! runs in its own savepoint, but it is answered as soon as the savepoint is
//! released, and the batch commits every so many changes or when the hold
//! ends; reads go through the open transaction meanwhile, so they see the
//! changes not yet committed, as they would have seen them committed.
//!
//! PostgreSQL does not come here: it flushes concurrent commits together by
//! itself, so each change keeps its own transaction ([`crate::Store::write`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cordon_core::event::Event;
use sqlx::{Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard, broadcast, oneshot};

use crate::audit_chain;
use crate::db::{Conn, Tx};
use crate::error::{Result, StoreError};

/// How a batch ended, as its members hear it.
type Outcome = std::result::Result<(), Arc<str>>;

/// The writer of an SQLite store and the batch being written on it; cheap
/// to clone.
#[derive(Clone)]
pub(crate) struct GroupCommit(Arc<Shared>);

struct Shared {
    /// The pool of the single writer connection.
    pool: SqlitePool,
    /// The open batch; whoever holds it holds the writer.
    batch: Arc<Mutex<Batch>>,
    /// Changes queued for the writer.
    waiting: AtomicUsize,
    /// Where committed events are published.
    events: broadcast::Sender<Event>,
    /// The most changes one commit carries.
    max_batch: usize,
    /// While a hold lasts, the changes one commit carries (0: no hold).
    held: AtomicUsize,
}

/// The transaction a batch shares and who waits for its commit.
#[derive(Default)]
struct Batch {
    /// Open from the first member's turn until the commit.
    tx: Option<Transaction<'static, Sqlite>>,
    /// A member's savepoint may still be open (its caller went away in its turn).
    savepoint_open: bool,
    /// Members to answer once the batch commits or fails.
    members: Vec<oneshot::Sender<Outcome>>,
    /// The members' events, in the order they were written.
    events: Vec<Event>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").field("waiting", &self.0.waiting.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Batches the changes written on `pool` (one connection), at most
    /// `max_batch` to a commit, publishing their events on `events`.
    pub(crate) fn new(pool: SqlitePool, events: broadcast::Sender<Event>, max_batch: usize) -> GroupCommit {
        let max_batch = max_batch.max(1);
        let held = AtomicUsize::new(0);
        GroupCommit(Arc::new(Shared { pool, batch: Arc::default(), waiting: AtomicUsize::new(0), events, max_batch, held }))
    }

    /// Runs `f` in its own savepoint of the current batch and answers once
    /// the batch has committed (or failed to).
    pub(crate) async fn write<T>(&self, f: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut turn = Turn::queue(&self.0);
        let guard = Arc::clone(&self.0.batch).lock_owned().await;
        let batch = turn.hold(guard);
        let written = member(&self.0.pool, batch, f).await;
        let held = self.0.held.load(Ordering::SeqCst);
        if held > 0 {
            return self.held_turn(&mut turn, written, held).await;
        }
        if let Some(guard) = turn.finish() {
            end_turn(&self.0, guard);
        }
        let (value, answer) = written?;
        match answer.await {
            Ok(Ok(())) => value,
            Ok(Err(why)) => Err(StoreError::CommitFailed(why.to_string())),
            Err(_) => Err(StoreError::CommitFailed("the writer stopped before the commit".into())),
        }
    }
}

impl GroupCommit {
    /// From now on holds the batch open, committing it every `changes`
    /// changes (at least one) instead of whenever the writer is idle.
    pub(crate) fn hold(&self, changes: usize) {
        self.0.held.store(changes.max(1), Ordering::SeqCst);
    }

    /// Ends a hold: commits what the batch holds and goes back to
    /// committing whenever the writer is idle.
    pub(crate) async fn release(&self) -> Result<()> {
        self.0.held.store(0, Ordering::SeqCst);
        let guard = Arc::clone(&self.0.batch).lock_owned().await;
        commit(&self.0, guard).await.map_err(|why| StoreError::CommitFailed(why.to_string()))
    }

    /// Whether a hold is on (reads then go through [`GroupCommit::read_held`]).
    pub(crate) fn holding(&self) -> bool {
        self.0.held.load(Ordering::SeqCst) > 0
    }

    /// Runs the read `f` inside the held batch's transaction, which sees its
    /// changes not yet committed (on the writer alone when none is open).
    pub(crate) async fn read_held<T>(&self, f: impl AsyncFnOnce(&mut Conn<'_>) -> Result<T>) -> Result<T> {
        let mut batch = self.0.batch.lock().await;
        if let Some(tx) = batch.tx.as_mut() {
            f(&mut Conn::Sqlite(tx)).await
        } else {
            let mut c = self.0.pool.acquire().await?;
            f(&mut Conn::Sqlite(&mut c)).await
        }
    }

    /// The end of a turn in a hold: the change is answered at once, and the
    /// batch commits (in this turn, so that a failure is heard) once full.
    async fn held_turn<T>(&self, turn: &mut Turn, written: Result<(Result<T>, oneshot::Receiver<Outcome>)>, held: usize) -> Result<T> {
        let guard = turn.finish();
        let (value, _answer) = written?;
        if let Some(guard) = guard.filter(|g| g.members.len() >= held) {
            commit(&self.0, guard).await.map_err(|why| StoreError::CommitFailed(why.to_string()))?;
        }
        value
    }
}

/// One caller's place at the writer: queued, then holding it. Dropped
/// before its end (its caller went away), it leaves a task behind that
/// keeps the batch moving.
struct Turn {
    shared: Arc<Shared>,
    queued: bool,
    guard: Option<OwnedMutexGuard<Batch>>,
}

impl Turn {
    fn queue(shared: &Arc<Shared>) -> Turn {
        let depth = shared.waiting.fetch_add(1, Ordering::SeqCst) + 1;
        metrics::gauge!("cordon_write_queue_depth").set(depth as f64);
        Turn { shared: Arc::clone(shared), queued: true, guard: None }
    }

    fn hold(&mut self, guard: OwnedMutexGuard<Batch>) -> &mut Batch {
        self.leave_queue();
        self.guard.insert(guard)
    }

    fn leave_queue(&mut self) {
        if std::mem::take(&mut self.queued) {
            let depth = self.shared.waiting.fetch_sub(1, Ordering::SeqCst) - 1;
            metrics::gauge!("cordon_write_queue_depth").set(depth as f64);
        }
    }

    fn finish(&mut self) -> Option<OwnedMutexGuard<Batch>> {
        self.guard.take()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let was_queued = self.queued;
        self.leave_queue();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let shared = Arc::clone(&self.shared);
        if let Some(guard) = self.guard.take() {
            // Gone in its turn: the batch goes on (or commits) without it.
            runtime.spawn(async move { end_turn(&shared, guard) });
        } else if was_queued {
            // Gone from the queue: whoever handed over to it expects a successor.
            runtime.spawn(async move {
                let mut turn = Turn::queue(&shared);
                let guard = Arc::clone(&shared.batch).lock_owned().await;
                turn.hold(guard);
                if let Some(guard) = turn.finish() {
                    end_turn(&shared, guard);
                }
            });
        }
    }
}

/// After a turn: commits the batch when nobody is waiting to join it or it
/// is full; otherwise hands the writer to the next in line.
fn end_turn(shared: &Arc<Shared>, guard: OwnedMutexGuard<Batch>) {
    let alone = shared.waiting.load(Ordering::SeqCst) == 0;
    if guard.tx.is_some() && (alone || guard.members.len() >= shared.max_batch) {
        let shared = Arc::clone(shared);
        // A task of its own, so the commit completes whoever goes away.
        tokio::spawn(async move {
            let _ = commit(&shared, guard).await;
        });
    }
}

/// Runs one change in its savepoint: its value (or refusal) and where to
/// hear the batch's outcome; an error when the batch itself broke.
async fn member<T>(
    pool: &SqlitePool,
    batch: &mut Batch,
    f: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<(Result<T>, oneshot::Receiver<Outcome>)> {
    if batch.tx.is_none() {
        batch.tx = Some(pool.begin().await?);
    }
    let Some(tx) = batch.tx.as_mut() else { return Err(StoreError::CommitFailed("no transaction".into())) };
    if batch.savepoint_open
        && let Err(e) = undo(tx).await
    {
        return Err(abort(batch, &e));
    }
    // Set first: a caller dropped while SAVEPOINT runs must still have it undone.
    batch.savepoint_open = true;
    if let Err(e) = sqlx::query("SAVEPOINT change").execute(&mut **tx).await {
        return Err(abort(batch, &e));
    }
    let mut t = Tx { conn: Conn::Sqlite(tx), events: Vec::new(), audits: Vec::new(), seal_at: None };
    let mut value = f(&mut t).await;
    if value.is_ok() {
        let audits = std::mem::take(&mut t.audits);
        if let Err(e) = audit_chain::append(&mut t.conn, audits, t.seal_at).await {
            value = Err(e);
        }
    }
    let events = t.events;
    let closed = if value.is_ok() { sqlx::query("RELEASE change").execute(&mut **tx).await.map(|_| ()) } else { undo(tx).await };
    if let Err(e) = closed {
        return Err(abort(batch, &e));
    }
    batch.savepoint_open = false;
    if value.is_ok() {
        batch.events.extend(events);
    }
    let (answer, heard) = oneshot::channel();
    batch.members.push(answer);
    Ok((value, heard))
}

/// Rolls back and closes the change's savepoint.
async fn undo(tx: &mut Transaction<'static, Sqlite>) -> sqlx::Result<()> {
    sqlx::query("ROLLBACK TO change").execute(&mut **tx).await?;
    sqlx::query("RELEASE change").execute(&mut **tx).await?;
    Ok(())
}

/// Gives up the whole batch after the connection failed between changes:
/// the transaction rolls back and every member hears why.
fn abort(batch: &mut Batch, e: &sqlx::Error) -> StoreError {
    tracing::error!(error = %e, members = batch.members.len(), "a batch of writes was rolled back");
    // Dropping the open transaction rolls it back.
    batch.tx = None;
    batch.savepoint_open = false;
    batch.events.clear();
    let why: Arc<str> = Arc::from(format!("the batch was rolled back: {e}"));
    for member in batch.members.drain(..) {
        let _ = member.send(Err(Arc::clone(&why)));
    }
    StoreError::CommitFailed(why.to_string())
}

/// Commits the batch once for all its members, publishes their events in
/// order and answers them; a failed commit fails them all (and is returned).
async fn commit(shared: &Shared, mut batch: OwnedMutexGuard<Batch>) -> Outcome {
    let members = std::mem::take(&mut batch.members);
    let events = std::mem::take(&mut batch.events);
    let outcome = match batch.tx.take() {
        None => Ok(()),
        Some(mut tx) => {
            let undone = if std::mem::take(&mut batch.savepoint_open) { undo(&mut tx).await } else { Ok(()) };
            match undone {
                Ok(()) => tx.commit().await,
                Err(e) => Err(e),
            }
        }
    };
    metrics::histogram!("cordon_write_batch_size").record(members.len() as f64);
    match outcome {
        Ok(()) => {
            for event in events {
                // Nobody listening is fine: the outbox keeps the event.
                let _ = shared.events.send(event);
            }
            // The next batch may start; its events follow these.
            drop(batch);
            for member in members {
                let _ = member.send(Ok(()));
            }
            Ok(())
        }
        Err(e) => {
            drop(batch);
            tracing::error!(error = %e, members = members.len(), "a batch of writes failed to commit");
            let why: Arc<str> = Arc::from(format!("the commit failed: {e}"));
            for member in members {
                let _ = member.send(Err(Arc::clone(&why)));
            }
            Err(why)
        }
    }
}
