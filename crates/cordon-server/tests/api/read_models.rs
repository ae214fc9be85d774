//! The pages' lists read the store a fixed number of times however many
//! rows they show, and the batched reads behind them say what the
//! one-record reads say.

use cordon_core::jurisdiction::NodePath;
use cordon_core::report::ReportStatus;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_board_and_the_lists_read_as_often_for_six_rows_as_for_one,
    the_reports_read_together_stand_where_each_read_alone_stands,
    names_are_found_for_users_persons_and_places_in_one_read,
    the_orders_and_the_contacts_read_as_often_for_five_contacts_as_for_one,
);

/// A page as `user` sees it, with the number of store reads it took.
async fn page(app: &TestApp, user: &str, path: &str) -> (u64, String) {
    let before = app.state.store.reads_made();
    let r = app.http.get(format!("http://{}{path}", app.addr)).bearer_auth(&app.seed.tokens[user]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let body = r.text().await.unwrap();
    (app.state.store.reads_made() - before, body)
}

/// Files fever reports (each opening a case and a task) for `names` in U1.
async fn fever_reports(app: &TestApp, names: &[&str]) {
    for name in names {
        let person = app.resident("reporter_u1", "U1", name).await;
        let (status, body) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.6)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

/// The reads each list page takes, with the pages' text.
async fn reads_of_the_lists(app: &TestApp) -> (Vec<u64>, String) {
    let mut reads = Vec::new();
    let mut text = String::new();
    for (user, path) in [("p1_officer", "/board/live?node=P1"), ("reporter_u1", "/reports/live"), ("worker_c1", "/tasks/live")] {
        let (n, body) = page(app, user, path).await;
        reads.push(n);
        text.push_str(&body);
    }
    // Past the deadline every open task escalates: the escalation list has lines.
    app.advance_and_run_jobs(SignedDuration::from_mins(121)).await;
    for (user, path) in [("p1_officer", "/escalations?node=P1"), ("p1_officer", "/board/live?node=P1")] {
        let (n, body) = page(app, user, path).await;
        reads.push(n);
        text.push_str(&body);
    }
    (reads, text)
}

async fn the_board_and_the_lists_read_as_often_for_six_rows_as_for_one(app: &TestApp) {
    fever_reports(app, &["Ahn Mi-rae"]).await;
    let (one, _) = reads_of_the_lists(app).await;
    let names = ["Baek Ji-ho", "Cha Eun-woo", "Do Yu-na", "Eom Tae-oh", "Gu Ha-eun"];
    fever_reports(app, &names).await;
    let (six, text) = reads_of_the_lists(app).await;
    assert_eq!(one, six, "reads per page (board, reports, tasks, escalations, board) for one row and for six");
    for name in names {
        assert!(text.contains(name), "{name} is named on the lists");
    }
    assert!(text.contains("worker_c1"), "the board names the worker of each task: {text}");
}

async fn the_reports_read_together_stand_where_each_read_alone_stands(app: &TestApp) {
    fever_reports(app, &["Ha Seo-yeon", "Im Do-hyun", "Jin Soo-ah"]).await;
    let quiet = app.resident("reporter_u1", "U1", "Kang Min-jae").await;
    app.report("reporter_u1", "U1", quiet, &["rash"], None).await;
    // One investigation acknowledged, one case discarded: every status appears.
    let (_, tasks) = app.list("worker_c1", "/tasks").await;
    let tasks = tasks.as_array().expect("a list of tasks").clone();
    let (status, body) = app.post("worker_c1", &format!("/tasks/{}/acknowledge", tasks[0]["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case = tasks[1]["case_id"].as_str().unwrap();
    let (status, body) = app.post("worker_c1", &format!("/cases/{case}/classification"), json!({"status": "discarded"})).await;
    assert!(status.is_success(), "{body}");

    let together = app.state.store.reports_under(&NodePath::root("KR"), 100).await.unwrap();
    assert_eq!(together.len(), 4);
    for r in &together {
        let alone = app.state.store.report(r.report.id).await.unwrap().unwrap();
        assert_eq!(r, &alone, "the batched read and the single read agree");
    }
    let statuses: Vec<ReportStatus> = together.iter().map(|r| r.status).collect();
    for s in [ReportStatus::Received, ReportStatus::CaseOpened, ReportStatus::WorkerOnTheWay, ReportStatus::Closed] {
        assert!(statuses.contains(&s), "{s:?} among {statuses:?}");
    }
}

async fn names_are_found_for_users_persons_and_places_in_one_read(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Lim Ga-eun").await;
    let officer = app.seed.user("p1_officer");
    let unit = app.node("U1").await;
    let unknown = uuid::Uuid::new_v4();
    let before = app.state.store.reads_made();
    let names = app.state.store.names_of([person, officer.id, unit.id, unknown, person]).await.unwrap();
    assert_eq!(app.state.store.reads_made() - before, 1);
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[&person], "Lim Ga-eun");
    assert_eq!(names[&officer.id], officer.display_name);
    assert_eq!(names[&unit.id], unit.name);
    assert!(app.state.store.names_of([]).await.unwrap().is_empty());
}

async fn the_orders_and_the_contacts_read_as_often_for_five_contacts_as_for_one(app: &TestApp) {
    let case = app.case_in("reporter_u1", "U1", "Nam Gi-tae").await;
    let contacts = format!("/cases/{case}/contacts");
    let reads = async || {
        let (orders, orders_page) = page(app, "p1_officer", "/orders?node=P1").await;
        let (listed, contacts_page) = page(app, "worker_c1", &contacts).await;
        ([orders, listed], orders_page + &contacts_page)
    };
    app.list_contacts("worker_c1", &case, "U1", "Oh Contact", 1).await;
    let (one, _) = reads().await;
    app.list_contacts("worker_c1", &case, "U1", "Park Contact", 4).await;
    let (five, text) = reads().await;
    assert_eq!(one, five, "reads of the orders list and the contacts page for one contact and for five");
    for i in 0..4 {
        assert!(text.matches(&format!("Park Contact {i:03}")).count() >= 2, "named on both pages: {text}");
    }
}
