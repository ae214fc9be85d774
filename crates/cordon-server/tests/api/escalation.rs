//! Deadlines and escalation, driven by the test's clock.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    an_unacknowledged_task_escalates_up_the_tree,
    a_report_with_nobody_on_call_is_escalated_at_once,
    a_silent_unit_is_escalated_and_a_zero_report_counts_as_reported,
    a_command_officer_reassigns_a_task,
    one_server_at_a_time_runs_the_jobs,
);

const MINUTE: SignedDuration = SignedDuration::from_mins(1);

async fn an_unacknowledged_task_escalates_up_the_tree(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Han Ji-woo").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.4)).await;
    let task_id = intake["task"]["id"].as_str().unwrap().to_owned();

    let early = app.advance_and_run_jobs(119 * MINUTE).await;
    assert!(early.tasks.is_empty(), "nothing escalates before the deadline");

    let pass = app.advance_and_run_jobs(MINUTE).await;
    assert_eq!(pass.tasks.len(), 1);
    let (_, task) = app.get("p1_officer", &format!("/tasks/{task_id}")).await;
    assert_eq!(task["status"], "escalated");
    assert_eq!(task["assignee_id"], json!(app.seed.user("worker_p1").id), "the province's on-call worker takes over");
    let (_, escalations) = app.list("p1_officer", "/escalations").await;
    assert_eq!(escalations[0]["kind"], "task_overdue");
    assert_eq!(escalations[0]["task_id"], json!(task_id));
    let (status, _) = app.post("worker_c1", &format!("/tasks/{task_id}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the first worker no longer holds the task");

    // Nobody is on call at the nation: past the next deadline it stays overdue for the command.
    app.advance_and_run_jobs(60 * MINUTE).await;
    let (_, task) = app.get("nation_officer", &format!("/tasks/{task_id}")).await;
    assert_eq!(task["status"], "overdue");
    assert_eq!(task["escalations"], 2);
    let (_, escalations) = app.list("nation_officer", "/escalations").await;
    assert_eq!(escalations.as_array().unwrap().len(), 2);
    assert!(app.advance_and_run_jobs(600 * MINUTE).await.tasks.is_empty(), "an overdue task at the top is not escalated again");

    let (status, acked) = app.post("worker_p1", &format!("/tasks/{task_id}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "a late acknowledgement is still taken: {acked}");
}

async fn a_report_with_nobody_on_call_is_escalated_at_once(app: &TestApp) {
    let person = app.resident("reporter_u3", "U3", "Seo Min-seo").await;
    let (status, intake) = app.report("reporter_u3", "U3", person, &["fever"], Some(38.0)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(intake["task"]["status"], "escalated");
    assert!(intake["task"]["assignee_id"].is_null());
    let (_, escalations) = app.list("p2_officer", "/escalations").await;
    assert_eq!(escalations[0]["kind"], "nobody_on_call");
    let (_, none) = app.list("p1_officer", "/escalations").await;
    assert!(none.as_array().unwrap().is_empty(), "another province's escalation stays there");
}

async fn a_silent_unit_is_escalated_and_a_zero_report_counts_as_reported(app: &TestApp) {
    let (status, filed) = app
        .post("reporter_u1", "/daily-reports", json!({"id": Uuid::new_v4(), "unit_code": "U1", "date": "2026-11-23", "ill_count": 0}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let (status, again) = app
        .post("reporter_u1", "/daily-reports", json!({"id": Uuid::new_v4(), "unit_code": "U1", "date": "2026-11-23", "ill_count": 3}))
        .await;
    assert_eq!(status, StatusCode::OK, "one daily report per unit and day");
    assert_eq!(again["report"]["ill_count"], 0);

    let (_, board) = app.get("p1_officer", "/completeness?node=D1").await;
    assert_eq!(board["totals"]["units"], 2);
    assert_eq!(board["totals"]["on_time"], 1, "the zero report counts as reported");
    assert_eq!(board["totals"]["zero_reports"], 1);
    assert_eq!(board["totals"]["pending"], 1);
    totals_counted_in_the_database_agree(app).await;

    // 09:00 → 20:00: past the due hour (18:00) but not yet the silent hour (21:00).
    let pass = app.advance_and_run_jobs(11 * 60 * MINUTE).await;
    assert!(pass.silent_units.is_empty());
    let (_, board) = app.get("p1_officer", "/completeness?node=D1").await;
    assert_eq!(board["totals"]["silent"], 1);
    totals_counted_in_the_database_agree(app).await;

    let pass = app.advance_and_run_jobs(60 * MINUTE).await;
    let silent: Vec<_> = pass.silent_units.iter().map(|e| e.subject_path.code().to_owned()).collect();
    assert_eq!(silent.len(), 2, "U2 and U3 are silent: {silent:?}");
    assert!(silent.contains(&"U2".to_owned()) && silent.contains(&"U3".to_owned()));
    assert!(app.advance_and_run_jobs(MINUTE).await.silent_units.is_empty(), "once a day per unit");
    let (_, escalations) = app.list("p1_officer", "/escalations").await;
    assert_eq!(escalations.as_array().unwrap().len(), 1, "P1 sees U2 only");
    assert_eq!(escalations[0]["kind"], "unit_silent");
}

#[expect(clippy::similar_names, reason = "worker_p1 and worker_c2 are named after the seed users they hold")]
async fn a_command_officer_reassigns_a_task(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Lim Ye-jin").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.4)).await;
    let task_id = intake["task"]["id"].as_str().unwrap();
    let worker_p1 = app.seed.user("worker_p1").id;
    let (status, task) = app.post("p1_officer", &format!("/tasks/{task_id}/reassign"), json!({"worker_id": worker_p1})).await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(task["assignee_id"], json!(worker_p1));
    let worker_c2 = app.seed.user("worker_c2").id;
    let (status, problem) = app.post("p1_officer", &format!("/tasks/{task_id}/reassign"), json!({"worker_id": worker_c2})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "worker_id");
    let (status, _) = app.post("reporter_u1", &format!("/tasks/{task_id}/reassign"), json!({"worker_id": worker_p1})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// With several servers on one PostgreSQL database, a server skips the job
/// pass while another holds the jobs' lock, and runs once it is released.
async fn one_server_at_a_time_runs_the_jobs(app: &TestApp) {
    use cordon_server::jobs::JOBS_LOCK;
    let store = &app.state.store;
    let Some(other) = app.second_store().await else {
        // SQLite: one server, the pass always runs.
        assert_eq!(store.exclusively(JOBS_LOCK, async || Ok(1)).await.unwrap(), Some(1));
        return;
    };
    let other_ran =
        store.exclusively(JOBS_LOCK, async || Ok(other.exclusively(JOBS_LOCK, async || Ok(())).await?.is_some())).await.unwrap();
    assert_eq!(other_ran, Some(false), "the other server skips while this one runs the jobs");
    assert_eq!(other.exclusively(JOBS_LOCK, async || Ok(2)).await.unwrap(), Some(2), "the lock is released after the pass");
    assert_eq!(store.exclusively(JOBS_LOCK, async || Ok(3)).await.unwrap(), Some(3));
    other.close().await;
}

/// The board's completeness counted in the database equals the totals of
/// the per-unit list, for every node of the test tree.
async fn totals_counted_in_the_database_agree(app: &TestApp) {
    let store = &app.state.store;
    let now = cordon_server::clock::Clock::now(&app.clock);
    let date = store.settings().await.unwrap().local_date(now);
    for code in ["KR", "P1", "P2", "D1", "U1"] {
        let node = store.node_by_code(code).await.unwrap().unwrap();
        let (listed, _) = store.completeness(&node.path, date, now).await.unwrap();
        assert_eq!(store.completeness_totals(&node.path, date, now).await.unwrap(), listed, "{code}");
    }
}
