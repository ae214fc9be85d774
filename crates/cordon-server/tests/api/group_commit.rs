//! Concurrent changes (batched into one commit, each in its own savepoint,
//! on both databases): a refused change writes nothing, even what it wrote before it
//! was refused, while its neighbours are stored once each with their audit
//! records and events; the audit chain still verifies; events are published
//! in the order they were written; callers that go away mid-write leave no
//! batch hanging.

use std::time::Duration;

use cordon_core::person::{PersonDraft, Sex};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_store::StoreError;
use cordon_store::reports::NewResidentReport;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(concurrent_reports_store_the_accepted_once_and_nothing_of_the_refused, writers_that_go_away_leave_no_batch_hanging);

/// How many changes run at once.
const CONCURRENT: usize = 90;

/// What each concurrent change is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A new resident and their fever report: accepted.
    Accepted,
    /// A new resident, then a report reusing a taken id: refused after the
    /// resident was written.
    RefusedAfterWriting,
    /// A report for a unit out of the reporter's reach: refused first.
    RefusedAtOnce,
}

fn kind(i: usize) -> Kind {
    match i % 3 {
        0 => Kind::Accepted,
        1 => Kind::RefusedAfterWriting,
        _ => Kind::RefusedAtOnce,
    }
}

fn resident(name: &str) -> PersonDraft {
    PersonDraft { full_name: name.into(), sex: Sex::Female, birth_year: 1980, phone: None, address: None, document_number: None }
}

fn fever(id: Uuid) -> ReportDraft {
    ReportDraft { id, person_id: Uuid::nil(), symptoms: vec![Symptom::Fever], temperature_c: Some(38.9), onset_date: None, note: None }
}

/// What a COUNT is about: an id column (a blob on SQLite, a uuid on
/// PostgreSQL) or a text column.
enum Key {
    Id(Uuid),
    Text(String),
}

impl From<&Uuid> for Key {
    fn from(id: &Uuid) -> Key {
        Key::Id(*id)
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::Text(text.to_owned())
    }
}

impl From<&String> for Key {
    fn from(text: &String) -> Key {
        Key::Text(text.clone())
    }
}

/// Runs one COUNT on the test's database behind the server's back.
async fn count(app: &TestApp, sql: &'static str, key: impl Into<Key>) -> i64 {
    let url = app.database_url();
    let key = key.into();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let n = match key {
            Key::Id(id) => sqlx::query_scalar(sql).bind(id).fetch_one(&pool).await.unwrap(),
            Key::Text(text) => sqlx::query_scalar(sql).bind(text).fetch_one(&pool).await.unwrap(),
        };
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let n = match key {
            Key::Id(id) => sqlx::query_scalar(sql).bind(id).fetch_one(&pool).await.unwrap(),
            Key::Text(text) => sqlx::query_scalar(sql).bind(text).fetch_one(&pool).await.unwrap(),
        };
        pool.close().await;
        n
    }
}

async fn concurrent_reports_store_the_accepted_once_and_nothing_of_the_refused(app: &TestApp) {
    let store = app.state.store.clone();
    let reporter = app.seed.user("reporter_u1").clone();
    let now = app.clock_now();
    // A report whose id the refused-after-writing changes reuse with other content.
    let first = app.resident("reporter_u1", "U1", "Han Ji-woo").await;
    let (status, taken) = app.report("reporter_u1", "U1", first, &["cough"], None).await;
    assert_eq!(status, StatusCode::CREATED, "{taken}");
    let taken: Uuid = taken["report"]["id"].as_str().unwrap().parse().unwrap();
    let mut live = store.subscribe();

    let mut writes = Vec::new();
    for i in 0..CONCURRENT {
        let (store, reporter) = (store.clone(), reporter.clone());
        writes.push(tokio::spawn(async move {
            let name = format!("Resident {i:03}");
            let id = if kind(i) == Kind::RefusedAfterWriting { taken } else { Uuid::new_v4() };
            let unit = if kind(i) == Kind::RefusedAtOnce { "U3" } else { "U1" };
            let filed = store.submit_report_for_new_resident(&reporter, (&resident(&name), true), &fever(id), unit, now).await;
            (i, name, id, filed)
        }));
    }

    let mut accepted = Vec::new();
    for write in writes {
        let (i, name, id, filed) = write.await.unwrap();
        let persons = count(app, "SELECT COUNT(*) FROM persons WHERE full_name = $1", &name).await;
        match (kind(i), filed) {
            (Kind::Accepted, Ok(NewResidentReport::Filed(intake))) => {
                assert!(intake.created && intake.case.is_some() && intake.task.is_some(), "{i}: {intake:?}");
                assert_eq!(persons, 1, "{name} is registered once");
                accepted.push(id);
            }
            (Kind::RefusedAfterWriting, Err(StoreError::IdReused(_))) | (Kind::RefusedAtOnce, Err(StoreError::NodeRefused(_))) => {
                assert_eq!(persons, 0, "{name}: the refused change wrote nothing");
            }
            (kind, other) => panic!("change {i} ({kind:?}) came to {other:?}"),
        }
    }
    assert_eq!(accepted.len(), CONCURRENT / 3);
    for id in &accepted {
        assert_eq!(count(app, "SELECT COUNT(*) FROM reports WHERE id = $1", id).await, 1);
        assert_eq!(count(app, "SELECT COUNT(*) FROM audit WHERE action = 'report.create' AND entity_id = $1", &id.to_string()).await, 1);
        assert_eq!(count(app, "SELECT COUNT(*) FROM events WHERE kind = 'report_received' AND entity_id = $1", id).await, 1);
    }
    // The taken id still holds its first report, unchanged.
    assert_eq!(count(app, "SELECT COUNT(*) FROM reports WHERE person_id = $1", &first).await, 1);

    let chain = store.verify_audit_chain().await.unwrap();
    assert!(chain.intact, "{chain:?}");

    // Published after the commits, each once, in the order they were
    // written (one writer gives the sequence numbers, batch after batch).
    let mut seqs = Vec::new();
    let mut received = Vec::new();
    while let Ok(event) = live.try_recv() {
        seqs.push(event.seq);
        if event.kind.as_str() == "report_received" {
            received.push(event.entity_id);
        }
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "events in seq order: {seqs:?}");
    received.sort_unstable();
    accepted.sort_unstable();
    assert_eq!(received, accepted);
}

async fn writers_that_go_away_leave_no_batch_hanging(app: &TestApp) {
    let store = app.state.store.clone();
    let reporter = app.seed.user("reporter_u1").clone();
    let now = app.clock_now();
    let mut writes = Vec::new();
    for i in 0..60 {
        let (store, reporter) = (store.clone(), reporter.clone());
        writes.push(tokio::spawn(async move {
            let name = format!("Walker {i:03}");
            store.submit_report_for_new_resident(&reporter, (&resident(&name), true), &fever(Uuid::new_v4()), "U1", now).await
        }));
    }
    // Every third caller goes away, wherever it is: queued, in its turn or waiting for the commit.
    for (i, write) in writes.iter().enumerate() {
        if i % 3 == 0 {
            tokio::task::yield_now().await;
            write.abort();
        }
    }
    let mut stored = 0;
    for write in writes {
        match tokio::time::timeout(Duration::from_secs(30), write).await.expect("no write hangs") {
            Ok(Ok(NewResidentReport::Filed(_))) => stored += 1,
            Ok(other) => panic!("{other:?}"),
            Err(e) => assert!(e.is_cancelled(), "{e}"),
        }
    }
    assert!(stored >= 40, "the callers that stayed were answered: {stored}");
    // The writer is free, and what was stored is whole.
    let after = tokio::time::timeout(
        Duration::from_secs(30),
        store.submit_report_for_new_resident(&reporter, (&resident("Last one"), true), &fever(Uuid::new_v4()), "U1", now),
    )
    .await
    .expect("the writer is free");
    assert!(matches!(after, Ok(NewResidentReport::Filed(_))), "{after:?}");
    let reports =
        count(app, "SELECT COUNT(*) FROM reports r JOIN persons p ON p.id = r.person_id WHERE p.full_name LIKE $1", "Walker%").await;
    let persons = count(app, "SELECT COUNT(*) FROM persons WHERE full_name LIKE $1", "Walker%").await;
    assert_eq!(reports, persons, "every registered walker has their report");
    assert!(persons >= stored);
    let chain = store.verify_audit_chain().await.unwrap();
    assert!(chain.intact, "{chain:?}");
}
