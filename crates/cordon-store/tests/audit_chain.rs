//! The audit chain on both databases: records chain in commit order even
//! when PostgreSQL transactions commit out of order; a row edited (actor,
//! date), deleted, inserted, or cut off the end directly with SQL is caught
//! by the walk and named; records older than the chain are sealed once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use std::time::Duration;

use cordon_core::audit_chain::{Breach, ChainReport, Content, record_hash};
use cordon_store::Store;
use jiff::Timestamp;
use serde_json::json;
use uuid::Uuid;

/// A fresh, empty database of each backend (PostgreSQL when
/// `CORDON_TEST_DATABASE_URL` is set): its URL, and the folder that keeps
/// the SQLite file alive.
async fn databases() -> Vec<(String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![(format!("sqlite://{}", dir.path().join("audit.db").display()), Some(dir))];
    if let Ok(base) = std::env::var("CORDON_TEST_DATABASE_URL") {
        urls.push((fresh_pg(&base).await, None));
    } else {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL run skipped");
    }
    urls
}

async fn fresh_pg(base: &str) -> String {
    let name = format!("cordon_test_{}", Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').unwrap();
    format!("{prefix}/{name}")
}

/// A plain connection to the same database, to tamper with it behind the store's back.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    async fn connect(url: &str) -> Raw {
        if url.starts_with("sqlite:") {
            let options = url.parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().create_if_missing(true);
            Raw::Sqlite(sqlx::SqlitePool::connect_with(options).await.unwrap())
        } else {
            Raw::Postgres(sqlx::PgPool::connect(url).await.unwrap())
        }
    }

    async fn run(&self, sql: &'static str) {
        match self {
            Raw::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Raw::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    async fn seqs(&self) -> Vec<i64> {
        let sql = "SELECT seq FROM audit ORDER BY seq";
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
            Raw::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        }
    }

    async fn close(self) {
        match self {
            Raw::Sqlite(p) => p.close().await,
            Raw::Postgres(p) => p.close().await,
        }
    }
}

fn at(i: i64) -> Timestamp {
    Timestamp::from_second(1_795_000_000 + i).unwrap()
}

/// Writes `n` audited changes, one transaction each.
async fn fill(store: &Store, n: i64) {
    let actor = Uuid::now_v7();
    for i in 1..=n {
        store
            .write(async |tx| {
                tx.audit(
                    at(i),
                    Some(actor),
                    "case.update",
                    format!("case-{i}"),
                    Some(&json!({"status": "suspected", "t": 38.2})),
                    Some(&json!({"status": "confirmed", "n": i, "rate": 0.1 + 0.2})),
                )
                .await
            })
            .await
            .unwrap();
    }
}

fn fault(report: &ChainReport) -> (i64, Breach) {
    let fault = report.fault.clone().unwrap_or_else(|| panic!("the chain should be broken: {report}"));
    (fault.seq, fault.breach)
}

/// Fills a fresh database of each backend with 10 records, tampers with it
/// by `sql`, and checks what the walk names.
async fn tampered(sql: &'static str, expected: (i64, Breach)) {
    for (url, _dir) in databases().await {
        let store = Store::open(&url).await.unwrap();
        fill(&store, 10).await;
        let before = store.verify_audit_chain().await.unwrap();
        assert!(before.intact, "{url}: {before}");
        assert_eq!((before.records, before.head_seq, before.intact_up_to), (10, 10, Some(10)));
        let raw = Raw::connect(&url).await;
        raw.run(sql).await;
        raw.close().await;
        let after = store.verify_audit_chain().await.unwrap();
        assert_eq!(fault(&after), expected, "{url}: {sql}: {after}");
        store.close().await;
    }
}

#[tokio::test]
async fn an_edited_actor_and_date_are_caught_at_that_record() {
    tampered("UPDATE audit SET actor_id = NULL, at = at - 86400000000 WHERE seq = 4", (4, Breach::ContentChanged)).await;
}

#[tokio::test]
async fn an_edited_document_is_caught_at_that_record() {
    tampered("UPDATE audit SET after = NULL WHERE seq = 7", (7, Breach::ContentChanged)).await;
}

#[tokio::test]
async fn a_deleted_record_is_caught_at_the_next() {
    tampered("DELETE FROM audit WHERE seq = 5", (6, Breach::RecordMissing { previous_seq: Some(4) })).await;
}

#[tokio::test]
async fn an_inserted_record_is_caught() {
    tampered(
        "INSERT INTO audit (seq, at, action, entity, entity_id) SELECT MAX(seq) + 1, MAX(at), 'user.create', 'user', 'mallory' FROM audit",
        (11, Breach::Unsealed),
    )
    .await;
}

#[tokio::test]
async fn the_last_records_deleted_are_caught_against_the_head() {
    tampered("DELETE FROM audit WHERE seq > 7", (8, Breach::TailTruncated { last_seq: Some(7), head_seq: 10 })).await;
}

#[tokio::test]
async fn a_record_forged_with_a_correct_hash_after_the_last_is_beyond_the_head() {
    for (url, _dir) in databases().await {
        let store = Store::open(&url).await.unwrap();
        fill(&store, 3).await;
        let head = store.verify_audit_chain().await.unwrap();
        let content = Content {
            seq: 4,
            at: 0,
            actor_id: None,
            action: "user.create",
            entity: "user",
            entity_id: "mallory",
            before: None,
            after: None,
        };
        let hash = record_hash(&content, &head.head_hash);
        let sql = "INSERT INTO audit (seq, at, action, entity, entity_id, prev_hash, hash) VALUES (4, 0, 'user.create', 'user', 'mallory', $1, $2)";
        match Raw::connect(&url).await {
            Raw::Sqlite(p) => sqlx::query(sql).bind(&head.head_hash).bind(&hash).execute(&p).await.map(|_| ()).unwrap(),
            Raw::Postgres(p) => sqlx::query(sql).bind(&head.head_hash).bind(&hash).execute(&p).await.map(|_| ()).unwrap(),
        }
        assert_eq!(fault(&store.verify_audit_chain().await.unwrap()), (4, Breach::BeyondHead { head_seq: 3 }), "{url}");
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_chain_in_commit_order_with_no_gap() {
    for (url, _dir) in databases().await {
        let store = Store::open(&url).await.unwrap();
        // A transaction that audits first and commits last: on PostgreSQL
        // its record must still come after the others'.
        let slow = {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(async |tx| {
                        tx.audit(at(0), None, "case.slow", "slow", None::<&()>, Some(&json!({"slow": true}))).await?;
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        Ok(())
                    })
                    .await
                    .unwrap();
            })
        };
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let store = store.clone();
                tokio::spawn(async move {
                    for i in 0..15 {
                        store
                            .write(async |tx| {
                                tx.audit(at(i), None, "case.update", format!("{w}-{i}"), None::<&()>, Some(&json!({"w": w, "i": i}))).await
                            })
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.await.unwrap();
        }
        slow.await.unwrap();
        let report = store.verify_audit_chain().await.unwrap();
        assert!(report.intact, "{url}: {report}");
        assert_eq!((report.records, report.head_seq), (121, 121), "{url}");
        let raw = Raw::connect(&url).await;
        assert_eq!(raw.seqs().await, (1..=121).collect::<Vec<_>>(), "{url}: seqs follow commit order without gaps");
        raw.close().await;
        store.close().await;
    }
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_no_record_and_no_gap() {
    for (url, _dir) in databases().await {
        let store = Store::open(&url).await.unwrap();
        fill(&store, 2).await;
        let failed = store
            .write(async |tx| {
                tx.audit(at(9), None, "case.update", "x", None::<&()>, None::<&()>).await?;
                Err::<(), _>(cordon_store::StoreError::Corrupt { column: "test", value: "refused".into() })
            })
            .await;
        assert!(failed.is_err());
        fill(&store, 1).await;
        let report = store.verify_audit_chain().await.unwrap();
        assert!(report.intact && report.head_seq == 3, "{url}: {report}");
        store.close().await;
    }
}

#[tokio::test]
async fn records_older_than_the_chain_are_sealed_once_when_the_store_opens() {
    for (url, _dir) in databases().await {
        // A database as cordon left it before the chain: migrations up to 0010, records with gaps.
        let raw = Raw::connect(&url).await;
        match &raw {
            Raw::Sqlite(p) => sqlx::migrate!("migrations/sqlite").run_to(10, p).await.unwrap(),
            Raw::Postgres(p) => sqlx::migrate!("migrations/postgres").run_to(10, p).await.unwrap(),
        }
        for _ in 0..12 {
            raw.run(
                "INSERT INTO audit (at, actor_id, action, entity, entity_id, before, after) \
                 VALUES (1795000000000000, NULL, 'case.update', 'case', 'c1', '{\"b\": 1, \"a\": [1.5, \"x\"]}', NULL)",
            )
            .await;
        }
        raw.run("DELETE FROM audit WHERE seq IN (3, 4)").await;
        let store = Store::open(&url).await.unwrap();
        let report = store.verify_audit_chain().await.unwrap();
        assert!(report.intact, "{url}: {report}");
        assert_eq!((report.records, report.head_seq), (11, 13), "{url}: 10 old records and the seal's");
        let seal = store.audit_log(&cordon_store::audit::AuditFilter::default(), 1).await.unwrap().remove(0);
        assert_eq!((seal.action.as_str(), seal.after), ("audit.seal", Some(json!({"sealed_records": 10, "up_to_seq": 12}))));
        store.close().await;
        // Opened again, nothing is sealed a second time; new records follow.
        let store = Store::open(&url).await.unwrap();
        fill(&store, 2).await;
        let report = store.verify_audit_chain().await.unwrap();
        assert!(report.intact && report.records == 13 && report.head_seq == 15, "{url}: {report}");
        raw.run("UPDATE audit SET entity_id = 'c2' WHERE seq = 2").await;
        assert_eq!(fault(&store.verify_audit_chain().await.unwrap()), (2, Breach::ContentChanged), "{url}");
        raw.close().await;
        store.close().await;
    }
}
