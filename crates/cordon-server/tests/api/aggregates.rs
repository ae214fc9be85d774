//! The read models (counts per node, day and status, kept by triggers in
//! each change's transaction) equal a rebuild from the base tables after a
//! varied workload, and the pages read them.

use cordon_server::clock::Clock;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

use cordon_store::{Conn, Store};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_maintained_counts_equal_a_rebuild_after_a_varied_workload,
    the_board_counts_what_the_read_models_hold,
    response_times_are_counted_at_the_published_resolution,
    indexes_set_aside_for_a_bulk_load_are_built_again,
);

fn id(v: &serde_json::Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Reports with and without cases, a second report joining a case,
/// classifications, an outcome, acknowledged and escalated tasks, contacts
/// under quarantine and an extended and a released order.
async fn varied_workload(app: &TestApp) {
    let mut cases = Vec::new();
    for name in ["Ahn Read", "Baek Read", "Cha Read", "Do Read"] {
        cases.push(app.case_in("reporter_u1", "U1", name).await);
    }
    let quiet = app.resident("reporter_u1", "U1", "Eom Read").await;
    let (status, _) = app.report("reporter_u1", "U1", quiet, &["rash"], None).await;
    assert_eq!(status, StatusCode::CREATED);
    // A second report of a person with an open case joins it.
    let (_, first) = app.get("p1_officer", &format!("/cases/{}", cases[0])).await;
    let person = first["person_id"].as_str().unwrap().parse().unwrap();
    let (status, joined) = app.report("reporter_u1", "U1", person, &["fever", "cough"], Some(39.1)).await;
    assert!(status.is_success(), "{joined}");

    let (_, tasks) = app.list("worker_c1", "/tasks").await;
    let tasks = tasks.as_array().unwrap().clone();
    let (status, body) = app.post("worker_c1", &format!("/tasks/{}/acknowledge", id(&tasks[0])), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for (case, change) in [
        (&cases[0], json!({"status": "probable"})),
        (&cases[0], json!({"status": "confirmed"})),
        (&cases[1], json!({"status": "discarded"})),
        (&cases[2], json!({"status": "confirmed"})),
        (&cases[2], json!({"outcome": "died"})),
    ] {
        let (status, body) = app.post("worker_c1", &format!("/cases/{case}/classification"), change).await;
        assert!(status.is_success(), "{body}");
    }
    let listed = app.list_contacts("worker_c1", &cases[0], "U1", "Contact Read", 3).await;
    let order = id(&listed[0]["order"]);
    let (status, body) =
        app.post("p1_officer", &format!("/orders/{order}/extend"), json!({"ends_on": "2026-12-10", "reason": "household exposure"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let order = id(&listed[1]["order"]);
    let (status, body) = app.post("p1_officer", &format!("/orders/{order}/release"), json!({"reason": "negative test"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Deadlines pass: the open tasks escalate or go overdue; a day later, more reports.
    app.advance_and_run_jobs(SignedDuration::from_mins(121)).await;
    app.advance_and_run_jobs(SignedDuration::from_hours(24)).await;
    app.case_in("reporter_u1", "U1", "Gu Read").await;
}

async fn the_maintained_counts_equal_a_rebuild_after_a_varied_workload(app: &TestApp) {
    varied_workload(app).await;
    let maintained = app.state.store.read_model_rows().await.unwrap();
    for kind in ["report|", "case|", "curve|", "task|", "order|", "response|", "total|"] {
        assert!(maintained.iter().any(|r| r.starts_with(kind)), "some {kind} rows: {maintained:#?}");
    }
    app.state.store.rebuild_read_models().await.unwrap();
    let rebuilt = app.state.store.read_model_rows().await.unwrap();
    assert_eq!(maintained, rebuilt, "the counts kept by the triggers are the counts rebuilt from the base tables");
    // Maintenance goes on after a rebuild.
    app.case_in("reporter_u1", "U1", "Ha Read").await;
    let after = app.state.store.read_model_rows().await.unwrap();
    assert_ne!(after, rebuilt);
    app.state.store.rebuild_read_models().await.unwrap();
    assert_eq!(after, app.state.store.read_model_rows().await.unwrap());
}

/// The value of the board's figure of `counted` and `measure`.
fn figure(board: &serde_json::Value, counted: &str, measure: &str) -> f64 {
    let found = board.as_array().unwrap().iter().find(|f| f["counted"] == counted && f["measure"] == measure);
    found.and_then(|f| f["value"].as_f64()).unwrap_or_else(|| panic!("no {counted} {measure} on {board}"))
}

async fn the_board_counts_what_the_read_models_hold(app: &TestApp) {
    varied_workload(app).await;
    let (status, board) = app.get("p1_officer", "/summary/board?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let counts = |b: &serde_json::Value| (figure(b, "symptom_reports", "cumulative"), figure(b, "suspected_cases", "cumulative"));
    let before = counts(&board);
    assert_eq!(before, (7.0, 2.0), "{board}");
    // Paused maintenance leaves the pages stale until the rebuild puts them right.
    app.state.store.pause_read_models().await.unwrap();
    app.case_in("reporter_u1", "U1", "Im Read").await;
    let (_, stale) = app.get("p1_officer", "/summary/board?node=P1").await;
    assert_eq!(counts(&stale), before, "paused: the board still shows the counts before");
    app.state.store.rebuild_read_models().await.unwrap();
    let (_, rebuilt) = app.get("p1_officer", "/summary/board?node=P1").await;
    assert_eq!(counts(&rebuilt), (8.0, 3.0), "rebuilt: the new report and case are counted");
}

/// Delays under an hour, under a day and beyond are counted in the read
/// model as the core rounds them (`delay_minutes`), and the medians and 90th
/// percentiles read from it are those of the rounded delays.
async fn response_times_are_counted_at_the_published_resolution(app: &TestApp) {
    let mut tasks = Vec::new();
    for name in ["Ahn Delay", "Baek Delay", "Cha Delay"] {
        let person = app.resident("reporter_u1", "U1", name).await;
        let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.9)).await;
        tasks.push(intake["task"]["id"].as_str().unwrap().to_owned());
    }
    let opened = app.clock.now();
    let mut minutes = Vec::new();
    for (task, after) in tasks.iter().zip([59 * 60 + 30, 127 * 60 + 30, 26 * 3600 + 600]) {
        let at = opened.checked_add(SignedDuration::from_secs(after)).unwrap();
        app.clock.set(at);
        let (status, body) = app.post("worker_c1", &format!("/tasks/{task}/acknowledge"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        minutes.push(cordon_core::response::delay_minutes(opened, at));
    }
    assert_eq!(minutes, [59, 125, 1560]);
    let (status, times) = app.get("p1_officer", "/summary/response-times?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{times}");
    let hours: Vec<f64> = minutes.iter().map(|&m| m as f64 / 60.0).collect();
    let week = &times["last_7_days"]["figures"];
    for (measure, p) in [("median", 0.5), ("p90", 0.9)] {
        let found = week.as_array().unwrap().iter().find(|f| f["counted"] == "hours_to_acknowledge" && f["measure"] == measure).unwrap();
        let expected = cordon_core::response::quantile(&hours, p).unwrap();
        assert!((found["value"].as_f64().unwrap() - expected).abs() < 1e-9, "{measure}: {found} against {expected}");
    }
    let rows = app.state.store.read_model_rows().await.unwrap();
    for m in minutes {
        assert!(rows.iter().any(|r| r.starts_with("response|/KR/|") && r.contains(&format!("|acknowledged|{m}|"))), "{m} in {rows:#?}");
    }
}

/// The names of the indexes on the tables a bulk load fills, sorted.
async fn bulk_table_indexes(store: &Store) -> Vec<String> {
    store
        .read(async |c| {
            Ok(match c {
                Conn::Sqlite(c) => sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('persons', 'cases', 'reports', 'tasks') ORDER BY name",
                )
                .fetch_all(&mut **c)
                .await?,
                Conn::Postgres(c) => sqlx::query_scalar(
                    "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
                     AND tablename IN ('persons', 'cases', 'reports', 'tasks') ORDER BY indexname",
                )
                .fetch_all(&mut **c)
                .await?,
            })
        })
        .await
        .unwrap()
}

/// A bulk load sets the secondary indexes aside (the primary keys stay,
/// and writes still go through); they come back when the load restores
/// them, and when a database left without them is opened again.
async fn indexes_set_aside_for_a_bulk_load_are_built_again(app: &TestApp) {
    let store = &app.state.store;
    let all = bulk_table_indexes(store).await;
    assert!(all.iter().any(|n| n == "reports_path") && all.iter().any(|n| n == "tasks_open_by_deadline"), "{all:?}");
    store.set_aside_bulk_indexes().await.unwrap();
    let kept = bulk_table_indexes(store).await;
    assert!(!kept.is_empty() && kept.len() < all.len(), "the primary keys stay: {kept:?} of {all:?}");
    assert!(!kept.iter().any(|n| n == "reports_path" || n == "cases_path" || n == "tasks_deadline"), "{kept:?}");
    app.case_in("reporter_u1", "U1", "Ko Index").await;
    store.restore_bulk_indexes().await.unwrap();
    assert_eq!(bulk_table_indexes(store).await, all, "every index is back");
    store.restore_bulk_indexes().await.unwrap();
    // A load that stopped half-way: the next opening builds them again.
    store.set_aside_bulk_indexes().await.unwrap();
    let reopened = Store::open(app.database_url()).await.unwrap();
    assert_eq!(bulk_table_indexes(&reopened).await, all, "opening the database builds them again");
    reopened.close().await;
}
