//! The access policy at every endpoint: a user never reads or changes
//! anything outside their subtree.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    every_endpoint_refuses_a_user_from_another_subtree,
    lists_show_only_the_users_subtree,
    sign_in_and_out_with_a_cookie,
    units_are_found_by_name_anywhere_only_by_those_who_register_arrivals
);

/// Something to reach for in P1: a resident, the report they filed, the case
/// and task it opened, and a shift in C1.
struct InP1 {
    person: Uuid,
    report: String,
    case: String,
    task: String,
    shift: String,
}

/// One request by a user of another subtree: who, how, where, with what.
type Attempt = (&'static str, Method, String, Option<Value>);

async fn every_endpoint_refuses_a_user_from_another_subtree(app: &TestApp) {
    let p1 = something_to_reach_for_in_p1(app).await;
    let attempts = reads_from_another_subtree(&p1).into_iter().chain(changes_from_another_subtree(app, &p1));
    let audit_before = app.count(cordon_store::audit::Table::Audit).await;
    for (user, method, path, body) in attempts {
        let (status, problem) = app.call(user, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} {method} {path} must be refused: {problem}");
        assert!(problem["detail"].is_string(), "{path} answers a problem document");
    }
    assert_eq!(app.count(cordon_store::audit::Table::Audit).await, audit_before, "nothing was changed");
    let (_, case_after) = app.get("p1_officer", &format!("/cases/{}", p1.case)).await;
    assert_eq!(case_after["status"], "suspected");
}

async fn something_to_reach_for_in_p1(app: &TestApp) -> InP1 {
    let person = app.resident("reporter_u1", "U1", "Oh Ji-ho").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.8)).await;
    let case = intake["case"]["id"].as_str().unwrap().to_owned();
    let task = intake["task"]["id"].as_str().unwrap().to_owned();
    let report = intake["report"]["id"].as_str().unwrap().to_owned();
    let (_, shifts) = app.list("p1_officer", "/shifts?node=C1").await;
    let shift = shifts[0]["id"].as_str().unwrap().to_owned();
    InP1 { person, report, case, task, shift }
}

/// Reads of P1's records and lists by an officer of P2.
fn reads_from_another_subtree(p1: &InP1) -> Vec<Attempt> {
    let InP1 { person, report, case, task, .. } = p1;
    vec![
        ("p2_officer", Method::GET, "/nodes/P1".into(), None),
        ("p2_officer", Method::GET, "/nodes?under=P1".into(), None),
        ("p2_officer", Method::GET, "/facilities?under=P1".into(), None),
        ("p2_officer", Method::GET, "/users?under=P1".into(), None),
        ("p2_officer", Method::GET, format!("/persons/{person}"), None),
        ("p2_officer", Method::GET, "/persons?under=U1".into(), None),
        ("p2_officer", Method::GET, format!("/reports/{report}"), None),
        ("p2_officer", Method::GET, "/reports?under=P1".into(), None),
        ("p2_officer", Method::GET, format!("/cases/{case}"), None),
        ("p2_officer", Method::GET, "/cases?under=C1".into(), None),
        ("p2_officer", Method::GET, format!("/tasks/{task}"), None),
        ("p2_officer", Method::GET, "/tasks?under=C1".into(), None),
        ("p2_officer", Method::GET, "/shifts?node=C1".into(), None),
        ("p2_officer", Method::GET, "/coverage?node=C1".into(), None),
        ("p2_officer", Method::GET, "/completeness?node=D1".into(), None),
        ("p2_officer", Method::GET, "/escalations?under=P1".into(), None),
    ]
}

/// Changes in P1 by a reporter, a worker and an officer of P2.
fn changes_from_another_subtree(app: &TestApp, p1: &InP1) -> Vec<Attempt> {
    let InP1 { person, case, task, shift, .. } = p1;
    let worker_c1 = app.seed.user("worker_c1").id;
    let now = "2026-11-23T10:00:00Z";
    let later = "2026-11-23T18:00:00Z";
    vec![
        (
            "reporter_u3",
            Method::POST,
            "/persons".into(),
            Some(json!({"full_name": "X", "sex": "male", "birth_year": 1990, "unit_code": "U1"})),
        ),
        (
            "reporter_u3",
            Method::POST,
            "/reports".into(),
            Some(json!({"id": Uuid::new_v4(), "person_id": person, "unit_code": "U1", "symptoms": ["fever"]})),
        ),
        (
            "reporter_u3",
            Method::POST,
            "/daily-reports".into(),
            Some(json!({"id": Uuid::new_v4(), "unit_code": "U1", "date": "2026-11-23", "ill_count": 0})),
        ),
        ("worker_c2", Method::POST, format!("/tasks/{task}/acknowledge"), Some(json!({}))),
        ("worker_c2", Method::POST, format!("/tasks/{task}/complete"), Some(json!({}))),
        ("p2_officer", Method::POST, format!("/tasks/{task}/reassign"), Some(json!({"worker_id": worker_c1}))),
        ("worker_c2", Method::POST, format!("/cases/{case}/classification"), Some(json!({"status": "discarded"}))),
        (
            "p2_officer",
            Method::POST,
            "/shifts".into(),
            Some(json!({"worker_id": worker_c1, "node_code": "C1", "starts_at": now, "ends_at": later})),
        ),
        ("p2_officer", Method::DELETE, format!("/shifts/{shift}"), None),
        ("p2_officer", Method::POST, "/nodes".into(), Some(json!({"code": "C9", "name": "C9", "parent_code": "P1"}))),
        (
            "p2_officer",
            Method::POST,
            "/users".into(),
            Some(
                json!({"username": "mallory", "display_name": "M", "role": "administrator", "node_code": "KR", "password": "long enough"}),
            ),
        ),
        ("p2_officer", Method::PATCH, format!("/users/{}", app.seed.user("worker_c1").id), Some(json!({"active": false}))),
        ("p2_officer", Method::PUT, "/settings".into(), Some(json!({"time_zone": "UTC"}))),
        ("p2_officer", Method::GET, "/audit".into(), None),
    ]
}

async fn lists_show_only_the_users_subtree(app: &TestApp) {
    let p1 = app.resident("reporter_u1", "U1", "Ahn Si-woo").await;
    app.report("reporter_u1", "U1", p1, &["fever"], Some(38.1)).await;
    let p2 = app.resident("reporter_u3", "U3", "Bae Ha-rin").await;
    app.report("reporter_u3", "U3", p2, &["fever"], Some(38.1)).await;
    for (user, expected) in [("p1_officer", 1), ("p2_officer", 1), ("nation_officer", 2), ("reporter_u1", 1)] {
        let (_, reports) = app.list(user, "/reports").await;
        assert_eq!(reports.as_array().unwrap().len(), expected, "{user} sees {expected} report(s)");
        let (_, cases) = app.list(user, "/cases").await;
        assert_eq!(cases.as_array().unwrap().len(), expected, "{user} sees {expected} case(s)");
    }
    let (_, events) = app.list("p2_officer", "/events").await;
    assert!(events.as_array().unwrap().iter().all(|e| e["path"].as_str().unwrap().starts_with("/KR/P2/")), "events are scoped too");
}

async fn sign_in_and_out_with_a_cookie(app: &TestApp) {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let (status, body) = {
        let r =
            client.post(app.url("/session")).json(&json!({"username": "p1_officer", "password": "wrong password"})).send().await.unwrap();
        (r.status(), r.headers().get("content-type").cloned())
    };
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body.unwrap(), "application/problem+json");
    let r = client
        .post(app.url("/session"))
        .json(&json!({"username": "p1_officer", "password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("HttpOnly"));
    let me: Value = client.get(app.url("/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "p1_officer");
    let cross = client
        .post(app.url("/persons"))
        .header("origin", "http://evil.example")
        .json(&json!({"full_name": "X", "sex": "male", "birth_year": 1990, "unit_code": "U1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN, "cookie-authenticated writes from another origin are refused");
    assert_eq!(client.delete(app.url("/session")).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(client.get(app.url("/session")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// A traveller may stay anywhere, so whoever registers arrivals finds units
/// country-wide by name or code; everyone else only within their subtree.
async fn units_are_found_by_name_anywhere_only_by_those_who_register_arrivals(app: &TestApp) {
    let codes = |v: &serde_json::Value| v.as_array().unwrap().iter().map(|n| n["code"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    // Unit names are "<code> name": "3 NAME" matches only U3's name.
    let (status, all) = app.get("p1_officer", "/units?search=u").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "one character is too little: {all}");
    assert_eq!(all["errors"][0]["field"], "search");
    let (_, anywhere) = app.get("p1_officer", "/units?search=%20U%20").await;
    assert_eq!(anywhere["errors"][0]["field"], "search", "spaces around do not count");
    let (_, by_name) = app.list("p1_officer", "/units?search=3%20NAME").await;
    assert_eq!(codes(&by_name), ["U3"], "a command officer who may register arrivals finds P2's unit by name, ignoring case");
    let (_, by_code) = app.list("p1_officer", "/units?search=U1").await;
    assert_eq!(codes(&by_code), ["U1"]);
    let (_, own) = app.list("reporter_u1", "/units?search=name").await;
    assert_eq!(codes(&own), ["U1"], "a unit head looks only in their own subtree");
    let (_, wildcard) = app.list("p1_officer", "/units?search=%25%25").await;
    assert_eq!(codes(&wildcard), Vec::<String>::new(), "LIKE wildcards are taken literally");
    let (status, page) = app.get("p1_officer", "/units?search=name&limit=1").await;
    assert_eq!((status, page["items"][0]["code"].as_str(), page["next_cursor"].as_str()), (StatusCode::OK, Some("U1"), Some("p.1")));
    let (_, next) = app.list("p1_officer", "/units?search=name&limit=1&cursor=p.1").await;
    assert_eq!(codes(&next), ["U2"], "the next page goes on by code");
    let (status, too_many) = app.get("p1_officer", "/units?search=name&limit=501").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(too_many["errors"][0]["field"], "limit");
}
