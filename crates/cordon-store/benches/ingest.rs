//! Report ingestion through the store: each iteration files one symptom
//! report in its own durable transaction (SQLite, WAL, synchronous=FULL),
//! with the case definition, on-call lookup, audit record and event that a
//! real report costs.
//!
//! Run: `cargo bench -p cordon-store --bench ingest`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use cordon_core::jurisdiction::{Node, NodeInput};
use cordon_core::person::{PersonDraft, Sex};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_core::user::{Role, User};
use cordon_store::Store;
use cordon_store::persons::Registration;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

fn main() {
    divan::main();
}

struct Fixture {
    rt: tokio::runtime::Runtime,
    store: Store,
    unit: Node,
    reporter: User,
    persons: Vec<Uuid>,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let now = Timestamp::now();
    let (store, unit, reporter, persons) = rt.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let mut parent: Option<String> = None;
        let mut last = None;
        for code in ["KR", "P", "C", "D", "U"] {
            let node = store
                .create_node(None, &NodeInput { code: code.into(), name: code.into(), parent_code: parent.clone(), population: 1000 }, now)
                .await
                .unwrap();
            parent = Some(code.into());
            last = Some(node);
        }
        let unit = last.unwrap();
        let county = store.node_by_code("C").await.unwrap().unwrap();
        let mk = |name: &str, role, node: &Node| User::anchored(Uuid::now_v7(), name, name, role, node);
        let reporter = store.create_user(None, &mk("reporter", Role::Reporter, &unit), "x", now).await.unwrap();
        let worker = store.create_user(None, &mk("worker", Role::HealthWorker, &county), "x", now).await.unwrap();
        let until = now.saturating_add(SignedDuration::from_hours(48)).unwrap();
        store
            .add_shift(worker.id, worker.id, &county, now.saturating_sub(SignedDuration::from_hours(1)).unwrap(), until, now)
            .await
            .unwrap();
        let mut persons = Vec::new();
        for i in 0..2000 {
            let draft = PersonDraft {
                full_name: format!("Resident {i}"),
                sex: Sex::Other,
                birth_year: 1980,
                phone: None,
                address: None,
                document_number: None,
            };
            if let Registration::Registered(p) = store.register_person(&reporter, &draft, &unit.code, true, now).await.unwrap() {
                persons.push(p.id);
            }
        }
        (store, unit, reporter, persons)
    });
    Fixture { rt, store, unit, reporter, persons, _dir: dir }
}

/// A fever report: opens a case and assigns an investigation task.
#[divan::bench(sample_count = 200, sample_size = 5)]
fn fever_report_opens_case_and_task(bencher: divan::Bencher) {
    file_reports(bencher, &[Symptom::Fever, Symptom::Cough], 38.5);
}

/// A report that does not meet the definition: stored, audited, published.
#[divan::bench(sample_count = 200, sample_size = 5)]
fn report_without_case(bencher: divan::Bencher) {
    file_reports(bencher, &[Symptom::RunnyNose], 36.6);
}

/// Files one report per iteration, with `symptoms` and `temperature_c`, about
/// the fixture's residents in turn.
fn file_reports(bencher: divan::Bencher, symptoms: &[Symptom], temperature_c: f64) {
    let f = fixture();
    let mut next = 0usize;
    bencher.bench_local(|| {
        let person = f.persons[next % f.persons.len()];
        next += 1;
        let draft = ReportDraft {
            id: Uuid::new_v4(),
            person_id: person,
            symptoms: symptoms.to_vec(),
            temperature_c: Some(temperature_c),
            onset_date: None,
            note: None,
        };
        f.rt.block_on(f.store.submit_report(&f.reporter, &draft, &f.unit.code, Timestamp::now())).unwrap()
    });
}
