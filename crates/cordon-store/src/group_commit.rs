//! Group commit: concurrent changes share one durable commit.
//!
//! SQLite has one writer and pays a disk flush for every commit (WAL,
//! `synchronous=FULL`), so committing each change alone caps intake at about
//! one change per flush. PostgreSQL flushes concurrent commits together by
//! itself, but every change that is audited locks the audit chain's head
//! until its commit ([`crate::audit_chain`]), so its commits ran one after
//! another, each holding the lock through its own flush; batched, the head is
//! read and locked once per batch and one flush serves the batch. Here the
//! writer (SQLite's one connection; on PostgreSQL one connection of the pool
//! at a time) sits behind a fair queue (a
//! [`tokio::sync::Mutex`]). In its turn each change runs in its own
//! `SAVEPOINT` inside the transaction its batch shares: its audit records are
//! chained ([`crate::audit_chain::append`], the chain exactly as a lone
//! commit would make it, the head carried in memory from member to member and
//! stored once before the commit) and its events buffered; its savepoint is
//! then kept (released in the same round trip that opens the next member's,
//! or by the commit), or, when the change is refused or fails, rolled back,
//! so its neighbours keep theirs. When nobody else is waiting for the writer, or the
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
//! On PostgreSQL the batch's notifications to the other servers
//! ([`crate::fanout`]) are sent just before its commit, in the order written.
//! Several servers on one database each batch their own changes; their
//! batches take the head's lock one after another.
//!
//! A build that writes alone on SQLite (the demo's history) can hold the
//! batch open instead ([`GroupCommit::hold`], see [`crate::held`]): each
//! change still runs in its own savepoint, but it is answered as soon as its
//! savepoint is kept, and the batch commits every so many changes or when
//! the hold ends; reads go through the open transaction meanwhile, so they
//! see the changes not yet committed, as they would have seen them committed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cordon_core::event::Event;
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard, broadcast, oneshot};
use uuid::Uuid;

use crate::audit_chain::{self, ChainHead};
use crate::config::ConfigCache;
use crate::db::{Conn, Tx};
use crate::error::{Result, StoreError};
use crate::fanout;

/// Where a batch's transaction is opened: SQLite's one writer connection,
/// or PostgreSQL's pool.
#[derive(Clone, Debug)]
pub(crate) enum Writer {
    /// SQLite's writer (one connection).
    Sqlite(SqlitePool),
    /// PostgreSQL's pool.
    Postgres(PgPool),
}

/// A batch's transaction on either backend.
enum BatchTx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Writer {
    async fn begin(&self) -> sqlx::Result<BatchTx> {
        Ok(match self {
            Writer::Sqlite(pool) => BatchTx::Sqlite(pool.begin().await?),
            Writer::Postgres(pool) => BatchTx::Postgres(pool.begin().await?),
        })
    }
}

impl BatchTx {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            BatchTx::Sqlite(tx) => Conn::Sqlite(tx),
            BatchTx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    /// Runs statements of the batch's own, without parameters, in one round trip.
    async fn run_all(&mut self, sql: &'static str) -> sqlx::Result<()> {
        match self {
            BatchTx::Sqlite(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(|_| ()),
            BatchTx::Postgres(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(|_| ()),
        }
    }

    async fn commit(self) -> sqlx::Result<()> {
        match self {
            BatchTx::Sqlite(tx) => tx.commit().await,
            BatchTx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// How a batch ended, as its members hear it.
type Outcome = std::result::Result<(), Arc<str>>;

/// The writer of a store and the batch being written on it; cheap to clone.
#[derive(Clone)]
pub(crate) struct GroupCommit(Arc<Shared>);

struct Shared {
    /// Where batches are opened.
    pool: Writer,
    /// The open batch; whoever holds it holds the writer.
    batch: Arc<Mutex<Batch>>,
    /// Changes queued for the writer.
    waiting: AtomicUsize,
    /// Where committed events are published.
    events: broadcast::Sender<Event>,
    /// The most changes one commit carries.
    max_batch: usize,
    /// The settings and case definitions kept in memory.
    config: Arc<ConfigCache>,
    /// This process's name in the notifications to other servers (PostgreSQL).
    instance: Uuid,
    /// While a hold lasts, the changes one commit carries (0: no hold).
    held: AtomicUsize,
}

/// The savepoint of the batch's last member.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Savepoint {
    /// None open.
    #[default]
    Closed,
    /// The last member finished: its writes stand and its savepoint is
    /// released with the next one's opening (one round trip for both) or
    /// by the commit.
    Kept,
    /// A member may be half way through its writes (its caller went away in
    /// its turn): they are rolled back before anything else.
    HalfWritten,
}

/// The transaction a batch shares and who waits for its commit.
#[derive(Default)]
struct Batch {
    /// Open from the first member's turn until the commit.
    tx: Option<BatchTx>,
    /// Where the last member's savepoint stands.
    savepoint: Savepoint,
    /// Members to answer once the batch commits or fails.
    members: Vec<oneshot::Sender<Outcome>>,
    /// The members' events, in the order they were written.
    events: Vec<Event>,
    /// The audit chain's head after the members' records, once one was
    /// audited (read, and on PostgreSQL locked, once per batch).
    head: Option<ChainHead>,
    /// The configuration's version as the batch read it.
    config_version: Option<i64>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").field("waiting", &self.0.waiting.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Batches the changes written on `pool`, at most `max_batch` to a
    /// commit, publishing their events on `events` (and, on PostgreSQL,
    /// notifying other servers as `instance`).
    pub(crate) fn new(
        pool: Writer,
        events: broadcast::Sender<Event>,
        max_batch: usize,
        config: Arc<ConfigCache>,
        instance: Uuid,
    ) -> GroupCommit {
        let max_batch = max_batch.max(1);
        let (waiting, held) = (AtomicUsize::new(0), AtomicUsize::new(0));
        GroupCommit(Arc::new(Shared { pool, batch: Arc::default(), waiting, events, max_batch, config, instance, held }))
    }

    /// Runs `f` in its own savepoint of the current batch and answers once
    /// the batch has committed (or failed to).
    pub(crate) async fn write<T>(&self, f: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut turn = Turn::queue(&self.0);
        let guard = Arc::clone(&self.0.batch).lock_owned().await;
        let batch = turn.hold(guard);
        let written = member(&self.0, batch, f).await;
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
            f(&mut tx.conn()).await
        } else {
            match &self.0.pool {
                Writer::Sqlite(pool) => f(&mut Conn::Sqlite(&mut *pool.acquire().await?)).await,
                Writer::Postgres(pool) => f(&mut Conn::Postgres(&mut *pool.acquire().await?)).await,
            }
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
    shared: &Shared,
    batch: &mut Batch,
    f: impl AsyncFnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<(Result<T>, oneshot::Receiver<Outcome>)> {
    if batch.tx.is_none() {
        batch.tx = Some(shared.pool.begin().await?);
        batch.head = None;
        batch.config_version = None;
    }
    let Some(tx) = batch.tx.as_mut() else { return Err(StoreError::CommitFailed("no transaction".into())) };
    if batch.savepoint == Savepoint::HalfWritten
        && let Err(e) = undo(tx).await
    {
        return Err(abort(batch, &e));
    }
    let open = if batch.savepoint == Savepoint::Kept { "RELEASE change; SAVEPOINT change" } else { "SAVEPOINT change" };
    // Set first: a caller dropped while SAVEPOINT runs must still have it undone.
    batch.savepoint = Savepoint::HalfWritten;
    if let Err(e) = tx.run_all(open).await {
        return Err(abort(batch, &e));
    }
    let mut t = Tx::new(tx.conn(), Arc::clone(&shared.config), batch.config_version);
    let mut value = f(&mut t).await;
    let mut moved_head = None;
    if value.is_ok() {
        let audits = std::mem::take(&mut t.audits);
        match audit_chain::append(&mut t.conn, audits, t.seal_at, batch.head.clone()).await {
            Ok(moved) => moved_head = moved,
            Err(e) => value = Err(e),
        }
    }
    let (events, config_version) = (t.events, t.config_version);
    if value.is_ok() {
        batch.savepoint = Savepoint::Kept;
    } else {
        if let Err(e) = undo(tx).await {
            return Err(abort(batch, &e));
        }
        batch.savepoint = Savepoint::Closed;
    }
    if value.is_ok() {
        batch.events.extend(events);
        batch.head = moved_head.or(batch.head.take());
        batch.config_version = config_version;
    } else {
        // It may have read a version of its own changes, now undone.
        batch.config_version = None;
    }
    let (answer, heard) = oneshot::channel();
    batch.members.push(answer);
    Ok((value, heard))
}

/// Rolls back and closes the change's savepoint.
async fn undo(tx: &mut BatchTx) -> sqlx::Result<()> {
    tx.run_all("ROLLBACK TO change; RELEASE change").await
}

/// Gives up the whole batch after the connection failed between changes:
/// the transaction rolls back and every member hears why.
fn abort(batch: &mut Batch, e: &sqlx::Error) -> StoreError {
    tracing::error!(error = %e, members = batch.members.len(), "a batch of writes was rolled back");
    // Dropping the open transaction rolls it back.
    batch.tx = None;
    batch.savepoint = Savepoint::Closed;
    batch.events.clear();
    batch.head = None;
    batch.config_version = None;
    let why: Arc<str> = Arc::from(format!("the batch was rolled back: {e}"));
    for member in batch.members.drain(..) {
        let _ = member.send(Err(Arc::clone(&why)));
    }
    StoreError::CommitFailed(why.to_string())
}

/// What the batch writes last, before its commit: a half-written member
/// undone, the audit chain's head stored, the other servers notified.
async fn close(shared: &Shared, tx: &mut BatchTx, savepoint: Savepoint, head: Option<&ChainHead>, events: &[Event]) -> Result<()> {
    if savepoint == Savepoint::HalfWritten {
        undo(tx).await?;
    }
    if let Some(head) = head {
        audit_chain::store_head(&mut tx.conn(), head).await?;
    }
    if let BatchTx::Postgres(tx) = tx {
        // Delivered to every listening server when (and only if) the batch commits.
        for payload in fanout::payloads(shared.instance, events) {
            sqlx::query("SELECT pg_notify($1, $2)").bind(fanout::CHANNEL).bind(payload).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Commits the batch once for all its members, publishes their events in
/// order and answers them; a failed commit fails them all (and is returned).
async fn commit(shared: &Shared, mut batch: OwnedMutexGuard<Batch>) -> Outcome {
    let members = std::mem::take(&mut batch.members);
    let events = std::mem::take(&mut batch.events);
    let head = batch.head.take();
    batch.config_version = None;
    let outcome = match batch.tx.take() {
        None => Ok(()),
        Some(mut tx) => {
            let savepoint = std::mem::take(&mut batch.savepoint);
            match close(shared, &mut tx, savepoint, head.as_ref(), &events).await {
                Ok(()) => tx.commit().await.map_err(StoreError::from),
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
