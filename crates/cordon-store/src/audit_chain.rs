//! The audit chain in the database (the hashing and the walk are
//! [`cordon_core::audit_chain`]'s).
//!
//! [`crate::Tx::audit`] only buffers a record; at the end of each change
//! [`crate::group_commit`] calls [`append`], which takes the one-row
//! `audit_head` (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one
//! writer), gives each buffered record the next seq, links it to the head's
//! hash and inserts the change's records in one statement. The head moves in
//! memory for the rest of the batch the change commits with (its members run
//! one after another in one transaction, so the row is read and locked once
//! per batch) and is stored once, just before the batch commits
//! ([`store_head`]). The lock is held from the first audited change of a
//! batch to its commit. Two PostgreSQL transactions that started in one order and commit
//! in the other still chain in commit order, because each reads the head
//! the other left.
//!
//! Records written before the chain existed (migration 0011) are sealed
//! once, when the store opens: linked and hashed in seq order from their
//! stored text, then an `audit.seal` record says how many were sealed.
//!
//! [`crate::Store::verify_audit_chain`] reads the head and the records in
//! one snapshot (a read transaction; `REPEATABLE READ` on PostgreSQL), in
//! batches by seq, so memory stays constant however long the log is.

use cordon_core::audit_chain::{ChainReport, ChainWalk, Content, Head, StoredRecord, record_hash};
use serde_json::Value;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use std::fmt::Write as _;
use uuid::Uuid;

use crate::db::{Conn, Db};
use crate::error::{Result, StoreError};
use crate::{Store, exec};

/// How many records one read of the walk (or of the sealing) takes.
const BATCH: i64 = 1000;

/// An audit record waiting for the commit to be chained.
#[derive(Debug, Clone)]
pub(crate) struct PendingAudit {
    pub at: i64,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

type RecordRow = (i64, i64, Option<Uuid>, String, String, String, Option<String>, Option<String>, Option<String>, Option<String>);

const SELECT_RECORDS: &str = "SELECT seq, at, actor_id, action, entity, entity_id, CAST(before AS TEXT), CAST(after AS TEXT), prev_hash, hash \
     FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2";

fn stored(row: RecordRow) -> StoredRecord {
    let (seq, at, actor_id, action, entity, entity_id, before, after, prev_hash, hash) = row;
    StoredRecord { seq, at, actor_id, action, entity, entity_id, before, after, prev_hash, hash }
}

/// The head and whether the records older than the chain were sealed; on
/// PostgreSQL the row stays locked until the transaction ends.
async fn lock_head(conn: &mut Conn<'_>) -> Result<ChainHead> {
    let row: Option<(i64, String, bool)> = match conn {
        Conn::Sqlite(c) => {
            sqlx::query_as("SELECT last_seq, last_hash, sealed FROM audit_head WHERE id = 1").fetch_optional(&mut **c).await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as("SELECT last_seq, last_hash, sealed FROM audit_head WHERE id = 1 FOR UPDATE").fetch_optional(&mut **c).await?
        }
    };
    let (last_seq, last_hash, sealed) =
        row.ok_or_else(|| StoreError::Corrupt { column: "audit_head", value: "the audit chain's head row is gone".into() })?;
    Ok(ChainHead { head: Head { last_seq, last_hash }, sealed })
}

/// Links and hashes, in seq order, the records written before the chain
/// existed; the head after the last of them and how many there were.
async fn seal_older(conn: &mut Conn<'_>, mut head: Head) -> Result<(Head, u64)> {
    let mut sealed = 0;
    loop {
        let rows: Vec<RecordRow> = exec!(conn, sqlx::query_as(SELECT_RECORDS).bind(head.last_seq).bind(BATCH), fetch_all)?;
        if rows.is_empty() {
            return Ok((head, sealed));
        }
        for row in rows {
            let mut record = stored(row);
            record.prev_hash = Some(head.last_hash.clone());
            let hash = record.computed_hash().ok_or_else(|| StoreError::Corrupt {
                column: "audit.before/after",
                value: format!("record {} holds text that is not JSON", record.seq),
            })?;
            exec!(
                conn,
                sqlx::query("UPDATE audit SET prev_hash = $1, hash = $2 WHERE seq = $3").bind(&head.last_hash).bind(&hash).bind(record.seq),
                execute
            )?;
            head = Head { last_seq: record.seq, last_hash: hash };
            sealed += 1;
        }
    }
}

/// The chain's head as a transaction holds it: where the next record goes,
/// and whether the records older than the chain were sealed.
#[derive(Debug, Clone)]
pub(crate) struct ChainHead {
    head: Head,
    sealed: bool,
}

/// Chains `pending` after the head, inside the transaction about to
/// commit, and answers the head after them; the caller stores it with
/// [`store_head`] before the commit. `known` is the head this transaction
/// already moved it to (a batch of changes sharing one transaction reads and
/// locks it once); `None` reads it, locking the row on PostgreSQL. When the
/// older records were never sealed, seals them first and, when there were
/// any, records that with an `audit.seal` record at `seal_at`. Answers `None`
/// (and takes no lock) when there is nothing to append and no sealing was
/// asked for.
pub(crate) async fn append(
    conn: &mut Conn<'_>,
    mut pending: Vec<PendingAudit>,
    seal_at: Option<i64>,
    known: Option<ChainHead>,
) -> Result<Option<ChainHead>> {
    if pending.is_empty() && seal_at.is_none() {
        return Ok(None);
    }
    let ChainHead { mut head, sealed } = match known {
        Some(known) => known,
        None => lock_head(conn).await?,
    };
    if !sealed {
        let (after_older, count) = seal_older(conn, head).await?;
        head = after_older;
        if count > 0 {
            let at = seal_at.or_else(|| pending.first().map(|p| p.at)).unwrap_or_default();
            pending.insert(0, sealing_record(at, count, head.last_seq));
        }
    }
    for chunk in pending.chunks(RECORDS_PER_INSERT) {
        head = insert_records(conn, chunk, head).await?;
    }
    Ok(Some(ChainHead { head, sealed: true }))
}

/// Moves the stored head to `head`, just before the commit.
pub(crate) async fn store_head(conn: &mut Conn<'_>, head: &ChainHead) -> Result<()> {
    exec!(
        conn,
        sqlx::query("UPDATE audit_head SET last_seq = $1, last_hash = $2, sealed = $3 WHERE id = 1")
            .bind(head.head.last_seq)
            .bind(&head.head.last_hash)
            .bind(head.sealed),
        execute
    )?;
    Ok(())
}

/// Records one INSERT carries (ten parameters each; SQLite takes 32,766).
const RECORDS_PER_INSERT: usize = 200;

/// Binds the ten columns of each record, in order.
macro_rules! bind_records {
    ($q:expr, $rows:expr) => {{
        let mut q = $q;
        for (seq, record, prev, hash) in $rows {
            q = q
                .bind(*seq)
                .bind(record.at)
                .bind(record.actor_id)
                .bind(&record.action)
                .bind(&record.entity)
                .bind(&record.entity_id)
                .bind(record.before.as_ref().map(Json))
                .bind(record.after.as_ref().map(Json))
                .bind(prev.as_str())
                .bind(hash.as_str());
        }
        q
    }};
}

/// Links and hashes `records` after `head` and inserts them in one
/// statement; the head after the last.
async fn insert_records(conn: &mut Conn<'_>, records: &[PendingAudit], mut head: Head) -> Result<Head> {
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let seq = head.last_seq + 1;
        let content = Content {
            seq,
            at: record.at,
            actor_id: record.actor_id,
            action: &record.action,
            entity: &record.entity,
            entity_id: &record.entity_id,
            before: record.before.as_ref(),
            after: record.after.as_ref(),
        };
        let hash = record_hash(&content, &head.last_hash);
        rows.push((seq, record, head.last_hash, hash.clone()));
        head = Head { last_seq: seq, last_hash: hash };
    }
    if rows.is_empty() {
        return Ok(head);
    }
    let mut sql = String::from("INSERT INTO audit (seq, at, actor_id, action, entity, entity_id, before, after, prev_hash, hash) VALUES ");
    for i in 0..rows.len() {
        let p = i * 10;
        let sep = if i == 0 { "" } else { ", " };
        // Writing to a String cannot fail.
        let _ = write!(
            sql,
            "{sep}(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5,
            p + 6,
            p + 7,
            p + 8,
            p + 9,
            p + 10
        );
    }
    match conn {
        Conn::Sqlite(c) => {
            bind_records!(sqlx::query(AssertSqlSafe(sql.as_str())), &rows).execute(&mut **c).await?;
        }
        Conn::Postgres(c) => {
            bind_records!(sqlx::query(AssertSqlSafe(sql.as_str())), &rows).execute(&mut **c).await?;
        }
    }
    Ok(head)
}

/// The record that says the older records were sealed.
fn sealing_record(at: i64, count: u64, up_to_seq: i64) -> PendingAudit {
    PendingAudit {
        at,
        actor_id: None,
        action: "audit.seal".into(),
        entity: "audit".into(),
        entity_id: "chain".into(),
        before: None,
        after: Some(serde_json::json!({ "sealed_records": count, "up_to_seq": up_to_seq })),
    }
}

/// Walks the log inside one snapshot.
async fn walk(conn: &mut Conn<'_>) -> Result<ChainReport> {
    let head: Option<(i64, String)> =
        exec!(conn, sqlx::query_as("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"), fetch_optional)?;
    // A head row that is gone says the log is empty, so every record is beyond it.
    let head = head.map_or_else(Head::empty, |(last_seq, last_hash)| Head { last_seq, last_hash });
    let mut walk = ChainWalk::new(head);
    let mut after = i64::MIN;
    loop {
        let rows: Vec<RecordRow> = exec!(conn, sqlx::query_as(SELECT_RECORDS).bind(after).bind(BATCH), fetch_all)?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        if !rows.into_iter().map(stored).all(|r| walk.check(&r)) {
            break;
        }
    }
    Ok(walk.finish())
}

impl Store {
    /// Seals the audit records written before the chain existed, once
    /// (audited as `audit.seal`); nothing when they already are.
    pub(crate) async fn seal_audit_log(&self, now: jiff::Timestamp) -> Result<()> {
        self.write(async |tx| {
            tx.seal_at = Some(crate::db::micros(now));
            Ok(())
        })
        .await
    }

    /// Walks the whole audit chain, in batches, in one snapshot, and says
    /// whether it is intact or names its first broken record.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match &self.db {
            Db::Sqlite { readers, .. } => {
                let mut tx = readers.begin().await?;
                let report = walk(&mut Conn::Sqlite(&mut tx)).await?;
                tx.rollback().await?;
                Ok(report)
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
                let report = walk(&mut Conn::Postgres(&mut tx)).await?;
                tx.rollback().await?;
                Ok(report)
            }
        }
    }
}
