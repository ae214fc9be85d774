//! The checks shifts, tasks, classifications, visits and the tree make on
//! what a change names are made inside its transaction, by the core, on what
//! the store loaded there. A refusal writes nothing.

use cordon_core::case::Classification;
use cordon_core::policy::{Denied, NodeRefused};
use cordon_core::roster::ShiftInput;
use cordon_core::task::TaskError;
use cordon_core::user::Role;
use cordon_store::StoreError;
use cordon_store::audit::Table;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_task_goes_only_to_a_worker_in_reach_whose_area_covers_it,
    someone_elses_task_is_neither_acknowledged_nor_completed_nor_visited,
    a_shift_needs_an_area_in_reach_and_a_worker_who_covers_it,
    a_case_is_classified_and_the_tree_changed_only_in_reach,
);

/// The rows a refused change must leave as they were.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [Table::Reports, Table::Cases, Table::Tasks, Table::Shifts, Table::Nodes, Table::Audit] {
        counts.push(app.count(table).await);
    }
    counts
}

/// The field and the code of the first error of a problem document.
fn first_error(problem: &Value) -> (Option<&str>, Option<&str>) {
    (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str())
}

/// A new investigation task in U1, assigned to `worker_c1`: its id and its case.
async fn task_in_u1(app: &TestApp, name: &str) -> (Uuid, Uuid) {
    let person = app.resident("reporter_u1", "U1", name).await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.7)).await;
    let id = |v: &Value| v["id"].as_str().unwrap().parse::<Uuid>().unwrap();
    (id(&intake["task"]), id(&intake["case"]))
}

async fn a_task_goes_only_to_a_worker_in_reach_whose_area_covers_it(app: &TestApp) {
    app.add_nodes(&[("C3", "P1")]).await;
    let worker_c3 = app.add_user("worker_c3", Role::HealthWorker, "C3").await;
    let (task, _) = task_in_u1(app, "Jang Woo-jin").await;
    let before = counts(app).await;
    let reassign = |worker: Uuid| json!({ "worker_id": worker });

    for (worker, code) in [
        (app.seed.user("worker_c2").id, "not_worker_here"),
        (app.seed.user("reporter_u1").id, "not_worker_here"),
        (Uuid::new_v4(), "not_worker_here"),
        (worker_c3.id, "worker_area_misses"),
    ] {
        let (status, problem) = app.post("p1_officer", &format!("/tasks/{task}/reassign"), reassign(worker)).await;
        assert_eq!((status, first_error(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("worker_id"), Some(code))), "{problem}");
    }
    let (status, _) = app.post("p2_officer", &format!("/tasks/{task}/reassign"), reassign(app.seed.user("worker_p1").id)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let store = &app.state.store;
    let refused = store.reassign_task(app.seed.user("p1_officer"), task, worker_c3.id, app.clock_now()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(ref i)) if i.errors[0].field == "worker_id"), "{refused:?}");
    assert_eq!(counts(app).await, before, "a refused reassignment writes nothing");
    let (_, unchanged) = app.get("p1_officer", &format!("/tasks/{task}")).await;
    assert_eq!(unchanged["assignee_id"], json!(app.seed.user("worker_c1").id));

    let (status, moved) = app.post("p1_officer", &format!("/tasks/{task}/reassign"), reassign(app.seed.user("worker_p1").id)).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["assignee_id"], json!(app.seed.user("worker_p1").id));
}

async fn someone_elses_task_is_neither_acknowledged_nor_completed_nor_visited(app: &TestApp) {
    let (task, _) = task_in_u1(app, "Kwon Da-eun").await;
    let before = counts(app).await;
    let store = &app.state.store;
    let now = app.clock_now();

    let (status, problem) = app.post("worker_p1", &format!("/tasks/{task}/acknowledge"), json!({})).await;
    assert_eq!((status, first_error(&problem)), (StatusCode::FORBIDDEN, (Some("task"), Some("not_assignee"))), "{problem}");
    let (status, _) = app.post("worker_c2", &format!("/tasks/{task}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "out of reach");
    let refused = store.acknowledge_task(app.seed.user("worker_p1"), task, now).await;
    assert!(matches!(refused, Err(StoreError::Task(TaskError::NotAssignee))), "{refused:?}");
    let refused = store.acknowledge_task(app.seed.user("worker_c2"), task, now).await;
    assert!(matches!(refused, Err(StoreError::Denied(Denied::OutsideJurisdiction { .. }))), "{refused:?}");
    let refused = store.complete_task(app.seed.user("worker_p1"), task, Some("done"), now).await;
    assert!(matches!(refused, Err(StoreError::Task(_))), "{refused:?}");
    let (status, problem) = app.post("worker_c1", &format!("/tasks/{task}/complete"), json!({"note": "x".repeat(4001)})).await;
    assert_eq!((status, first_error(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("note"), Some("too_long"))), "{problem}");
    // An investigation is not a follow-up: no visit is recorded on it.
    let (status, problem) = app.post("worker_c1", &format!("/tasks/{task}/visit"), json!({"seen": true})).await;
    assert_eq!((status, first_error(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("task"), Some("not_follow_up"))), "{problem}");
    let (status, _) = app.post("worker_c2", &format!("/tasks/{task}/visit"), json!({"seen": true})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(counts(app).await, before, "nothing was written");
    let (_, unchanged) = app.get("p1_officer", &format!("/tasks/{task}")).await;
    assert_eq!(unchanged["status"], "assigned");

    let (status, acked) = app.post("worker_c1", &format!("/tasks/{task}/acknowledge"), json!({})).await;
    assert_eq!((status, acked["status"].as_str()), (StatusCode::OK, Some("acknowledged")), "{acked}");
}

async fn a_shift_needs_an_area_in_reach_and_a_worker_who_covers_it(app: &TestApp) {
    let (starts, ends) = ("2026-11-24T00:00:00Z", "2026-11-24T12:00:00Z");
    let shift = |worker: Uuid, node: &str| json!({"worker_id": worker, "node_code": node, "starts_at": starts, "ends_at": ends});
    let user = |name: &str| app.seed.user(name).id;
    let before = counts(app).await;
    for (worker, node, status, field, code) in [
        (user("worker_c1"), "P1", StatusCode::UNPROCESSABLE_ENTITY, "node_code", "cannot_cover"),
        (user("worker_c2"), "C1", StatusCode::UNPROCESSABLE_ENTITY, "node_code", "cannot_cover"),
        (user("reporter_u1"), "U1", StatusCode::UNPROCESSABLE_ENTITY, "worker_id", "not_worker"),
        (user("worker_c1"), "U3", StatusCode::FORBIDDEN, "node_code", "outside_jurisdiction"),
        (user("worker_c1"), "NOWHERE", StatusCode::UNPROCESSABLE_ENTITY, "node_code", "no_node"),
    ] {
        let (got, problem) = app.post("p1_officer", "/shifts", shift(worker, node)).await;
        assert_eq!((got, first_error(&problem)), (status, (Some(field), Some(code))), "{node}: {problem}");
    }
    let store = &app.state.store;
    let input = ShiftInput { worker_id: user("worker_c1"), node_code: "P1".into(), starts_at: app.clock_now(), ends_at: app.clock_now() };
    let refused = store
        .put_on_call(
            app.seed.user("p1_officer"),
            &ShiftInput { ends_at: app.clock_now().saturating_add(SignedDuration::from_hours(8)).unwrap(), ..input },
            app.clock_now(),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::NodeRefused(NodeRefused::Invalid(ref i))) if i.errors[0].field == "node_code"),
        "{refused:?}"
    );
    let (_, shifts) = app.list("p1_officer", "/shifts?node=C1").await;
    let existing: Uuid = shifts[0]["id"].as_str().unwrap().parse().unwrap();
    let refused = store.remove_shift(app.seed.user("p2_officer"), existing, app.clock_now()).await;
    assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    assert_eq!(counts(app).await, before, "a refused shift writes nothing");

    let (status, created) = app.post("p1_officer", "/shifts", shift(user("worker_p1"), "C1")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = app.call("p1_officer", Method::DELETE, &format!("/shifts/{}", created["id"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.count(Table::Shifts).await, before[3]);
}

async fn a_case_is_classified_and_the_tree_changed_only_in_reach(app: &TestApp) {
    let (_, case) = task_in_u1(app, "Shin Ye-rin").await;
    let admin_p1 = app.add_user("admin_p1", Role::Administrator, "P1").await;
    let token = app.sign_in_token("admin_p1").await;
    let before = counts(app).await;

    let refused = app
        .state
        .store
        .classify_case(app.seed.user("worker_c2"), case, Classification { status: None, outcome: None }, app.clock_now())
        .await;
    assert!(matches!(refused, Err(StoreError::Denied(Denied::OutsideJurisdiction { .. }))), "{refused:?}");
    let (status, problem) = app.post("worker_c1", &format!("/cases/{case}/classification"), json!({})).await;
    assert_eq!((status, first_error(&problem)), (StatusCode::BAD_REQUEST, (Some("status"), Some("status_or_outcome"))), "{problem}");

    let as_admin = async |method: Method, path: &str, body: Value| {
        let r = app.http.request(method, app.url(path)).bearer_auth(&token).json(&body).send().await.unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    for (method, path, body, status, field) in [
        (Method::POST, "/nodes", json!({"code": "C9", "name": "C9", "parent_code": "P2"}), StatusCode::FORBIDDEN, Some("parent_code")),
        (
            Method::POST,
            "/nodes",
            json!({"code": "C9", "name": "C9", "parent_code": "NOWHERE"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("parent_code"),
        ),
        (
            Method::POST,
            "/facilities",
            json!({"code": "QC-9", "name": "Q", "kind": "quarantine_centre", "node_code": "U3"}),
            StatusCode::FORBIDDEN,
            Some("node_code"),
        ),
        (Method::PUT, "/levels", json!({"levels": ["nation", "province"]}), StatusCode::UNPROCESSABLE_ENTITY, Some("levels")),
    ] {
        let (got, problem) = as_admin(method, path, body).await;
        assert_eq!((got, problem["errors"][0]["field"].as_str()), (status, field), "{path}: {problem}");
    }
    let refused = app
        .state
        .store
        .create_node_by(
            app.seed.user("p1_officer"),
            &cordon_core::jurisdiction::NodeInput { code: "C9".into(), name: "C9".into(), parent_code: Some("P1".into()), population: 0 },
            app.clock_now(),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NodeRefused(NodeRefused::Denied { field: "parent_code", .. }))), "{refused:?}");
    assert_eq!(counts(app).await, before, "nothing was written");
    let (_, unchanged) = app.get("p1_officer", &format!("/cases/{case}")).await;
    assert_eq!(unchanged["status"], "suspected");

    let (status, node) = as_admin(Method::POST, "/nodes", json!({"code": "C9", "name": "C9", "parent_code": "P1"})).await;
    assert_eq!((status, node["path"].as_str()), (StatusCode::CREATED, Some("/KR/P1/C9/")), "{node}");
    let (status, facility) =
        as_admin(Method::POST, "/facilities", json!({"code": "QC-9", "name": "Q", "kind": "quarantine_centre", "node_code": "C9"})).await;
    assert_eq!(status, StatusCode::CREATED, "{facility}");
    let (status, levels) =
        as_admin(Method::PUT, "/levels", json!({"levels": ["nation", "province", "county", "district", "unit", "block"]})).await;
    assert_eq!((status, levels["levels"][5].as_str()), (StatusCode::OK, Some("block")), "{levels}");
    assert_eq!(admin_p1.node_path.code(), "P1");
}
