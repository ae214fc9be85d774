//! Held commits (SQLite): changes written while commits are held are
//! answered at once and seen by the store's own reads, committed every so
//! many changes and when the hold ends; a refused change still undoes only
//! its own writes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use cordon_core::refusal::Record;
use cordon_store::{Conn, Store, StoreError};

/// Writes the key `key` into `read_model_state`, then refuses when `refuse` is set.
async fn put(store: &Store, key: &str, refuse: bool) -> Result<(), StoreError> {
    store
        .write(async |tx| {
            let Conn::Sqlite(c) = &mut tx.conn else { unreachable!("an SQLite test") };
            sqlx::query("INSERT INTO read_model_state (key, value) VALUES ($1, 'x')").bind(key).execute(&mut **c).await?;
            if refuse {
                return Err(StoreError::NotFound { record: Record::Task, key: key.to_owned() });
            }
            Ok(())
        })
        .await
}

/// How many `held:` keys a store sees.
async fn held_keys(store: &Store) -> i64 {
    store
        .read(async |c| {
            let Conn::Sqlite(c) = c else { unreachable!("an SQLite test") };
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM read_model_state WHERE key LIKE 'held:%'").fetch_one(&mut **c).await?)
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_changes_are_read_at_once_committed_in_batches_and_refusals_undo_only_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("held.db").display());
    let store = Store::open(&url).await.unwrap();
    let other = Store::connect(&url).await.unwrap();
    store.hold_commits(3);
    put(&store, "held:1", false).await.unwrap();
    assert!(put(&store, "held:2", true).await.is_err(), "refused");
    assert_eq!(held_keys(&store).await, 1, "the store reads its own change, not the refused one");
    assert_eq!(held_keys(&other).await, 0, "nothing committed yet");
    put(&store, "held:3", false).await.unwrap();
    assert_eq!(held_keys(&other).await, 2, "three changes (one refused) make a commit");
    put(&store, "held:4", false).await.unwrap();
    assert_eq!(held_keys(&other).await, 2);
    store.release_commits().await.unwrap();
    assert_eq!(held_keys(&other).await, 3, "the end of the hold commits the rest");
    put(&store, "held:5", false).await.unwrap();
    assert_eq!(held_keys(&other).await, 4, "after the hold, each change commits before it is answered");
    let audit = store.verify_audit_chain().await;
    assert!(audit.is_ok(), "{audit:?}");
}
