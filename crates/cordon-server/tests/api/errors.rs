//! Bad input gets a clear 4xx problem naming the field, and changes nothing.

use cordon_store::audit::Table;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    bad_reports_are_refused_with_the_field_and_store_nothing,
    bad_requests_elsewhere_are_problems_too,
    refusals_carry_their_code_and_parameters
);

async fn raw(app: &TestApp, user: &str, path: &str, content_type: &str, body: &str) -> (StatusCode, String, Value) {
    let r = app
        .http
        .post(app.url(path))
        .bearer_auth(&app.seed.tokens[user])
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, r.json().await.unwrap_or(Value::Null))
}

async fn bad_reports_are_refused_with_the_field_and_store_nothing(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Shin Eun-woo").await;
    let audit_before = app.count(Table::Audit).await;
    let good = json!({"id": Uuid::new_v4(), "person_id": person, "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.5, "onset_date": "2026-11-22"});
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b.to_string()
    };
    let cases: Vec<(String, StatusCode, Option<&str>)> = vec![
        ("{\"id\": ".into(), StatusCode::BAD_REQUEST, None),
        ("[1, 2]".into(), StatusCode::BAD_REQUEST, None),
        (with("colour", json!("red")), StatusCode::BAD_REQUEST, Some("colour")),
        (with("temperature_c", json!(46.0)), StatusCode::UNPROCESSABLE_ENTITY, Some("temperature_c")),
        (with("temperature_c", json!(29.9)), StatusCode::UNPROCESSABLE_ENTITY, Some("temperature_c")),
        (with("temperature_c", json!("hot")), StatusCode::BAD_REQUEST, Some("temperature_c")),
        (with("onset_date", json!("2026-11-24")), StatusCode::UNPROCESSABLE_ENTITY, Some("onset_date")),
        (with("onset_date", json!("2026-13-01")), StatusCode::BAD_REQUEST, Some("onset_date")),
        (with("symptoms", json!(["fever", "hiccups"])), StatusCode::BAD_REQUEST, Some("symptoms[1]")),
        (with("unit_code", json!("U3")), StatusCode::FORBIDDEN, Some("unit_code")),
        (with("unit_code", json!("NOWHERE")), StatusCode::UNPROCESSABLE_ENTITY, Some("unit_code")),
        (with("person_id", json!(Uuid::new_v4())), StatusCode::UNPROCESSABLE_ENTITY, Some("person_id")),
        (with("id", json!("not-a-uuid")), StatusCode::BAD_REQUEST, Some("id")),
    ];
    for (body, expected, field) in cases {
        let (status, content_type, problem) = raw(app, "reporter_u1", "/reports", "application/json", &body).await;
        assert_eq!(status, expected, "{body} → {problem}");
        assert_eq!(content_type, "application/problem+json", "{body}");
        if let Some(field) = field {
            assert_eq!(problem["errors"][0]["field"], field, "{body} → {problem}");
        }
    }
    let (status, _, _) = raw(app, "reporter_u1", "/reports", "text/plain", &good.to_string()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unauthenticated = app.http.post(app.url("/reports")).json(&good).send().await.unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count(Table::Reports).await, 0, "no bad report was stored");
    assert_eq!(app.count(Table::Cases).await, 0);
    assert_eq!(app.count(Table::Audit).await, audit_before);
}

async fn bad_requests_elsewhere_are_problems_too(app: &TestApp) {
    let checks: Vec<(&str, &str, Value, StatusCode, &str)> = vec![
        (
            "admin",
            "/users",
            json!({"username": "x", "display_name": "", "role": "reporter", "node_code": "U1", "password": "short"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "username",
        ),
        (
            "admin",
            "/users",
            json!({"username": "good.name", "display_name": "G", "role": "wizard", "node_code": "U1", "password": "long enough"}),
            StatusCode::BAD_REQUEST,
            "role",
        ),
        ("admin", "/nodes", json!({"code": "a/b", "name": "x", "parent_code": "KR"}), StatusCode::UNPROCESSABLE_ENTITY, "code"),
        ("admin", "/nodes", json!({"code": "U9", "name": "x", "parent_code": "U1"}), StatusCode::UNPROCESSABLE_ENTITY, "parent_code"),
        (
            "p1_officer",
            "/shifts",
            json!({"worker_id": Uuid::new_v4(), "node_code": "C1", "starts_at": "2026-11-23T10:00:00Z", "ends_at": "2026-11-23T09:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "ends_at",
        ),
        (
            "p1_officer",
            "/shifts",
            json!({"worker_id": Uuid::new_v4(), "node_code": "C1", "starts_at": "2026-11-23T10:00:00Z", "ends_at": "2026-11-23T18:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "worker_id",
        ),
        (
            "reporter_u1",
            "/daily-reports",
            json!({"id": Uuid::new_v4(), "unit_code": "U1", "date": "2026-11-25", "ill_count": -1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date",
        ),
        (
            "reporter_u1",
            "/persons",
            json!({"full_name": " ", "sex": "female", "birth_year": 2099, "unit_code": "U1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "full_name",
        ),
    ];
    let audit_before = app.count(Table::Audit).await;
    for (user, path, body, expected, field) in checks {
        let (status, problem) = app.post(user, path, body.clone()).await;
        assert_eq!(status, expected, "{path} {body} → {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{path} {body} → {problem}");
    }
    let (status, problem) = app.list("p1_officer", "/cases?status=cured").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "status");
    let (status, problem) = app.call("admin", reqwest::Method::PUT, "/settings", Some(json!({"time_zone": "Nowhere/City"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "time_zone");
    let (status, _) = app.get("p1_officer", &format!("/cases/{}", Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in ["/cases/not-a-uuid", "/cases/not-a-uuid/contacts", "/tasks/12345"] {
        let r = app.http.get(app.url(path)).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
        let (status, kind) = (r.status(), r.headers()["content-type"].to_str().unwrap().to_owned());
        let problem: Value = r.json().await.unwrap();
        assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "application/problem+json"), "{path}");
        assert_eq!((problem["errors"][0]["field"].as_str(), problem["code"].as_str()), (Some("id"), Some("not_uuid")), "{path}: {problem}");
    }
    let huge = json!({"note": "x".repeat(cordon_server::extract::MAX_BODY)});
    let (status, problem) = app.post("p1_officer", "/reports", huge).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large")), "{problem}");
    assert_eq!(app.count(Table::Audit).await, audit_before, "nothing changed");
}

/// Each refusal says why as a code with parameters, beside the English, at
/// the top of the problem and on each field.
async fn refusals_carry_their_code_and_parameters(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Shin Eun-woo").await;
    let good = json!({"id": Uuid::new_v4(), "person_id": person, "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.5, "onset_date": "2026-11-22"});
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b.to_string()
    };
    let hot = raw(app, "reporter_u1", "/reports", "application/json", &with("temperature_c", json!(46.0))).await.2;
    assert_eq!(hot["code"], "invalid", "{hot}");
    assert_eq!(hot["params"], json!({"fields": 1}), "{hot}");
    assert_eq!(hot["errors"][0]["code"], "between", "{hot}");
    assert_eq!(hot["errors"][0]["params"], json!({"min": 30.0, "max": 45.0, "unit": "celsius"}), "{hot}");
    assert_eq!(hot["errors"][0]["reason"], "must be between 30 and 45 °C", "{hot}");
    let elsewhere = raw(app, "reporter_u1", "/reports", "application/json", &with("unit_code", json!("U3"))).await.2;
    assert_eq!(elsewhere["code"], "outside_jurisdiction", "{elsewhere}");
    assert_eq!(elsewhere["errors"][0]["code"], "outside_jurisdiction", "{elsewhere}");
    let nowhere = raw(app, "reporter_u1", "/reports", "application/json", &with("unit_code", json!("NOWHERE"))).await.2;
    assert_eq!(nowhere["errors"][0]["code"], "no_node", "{nowhere}");
    assert_eq!(nowhere["errors"][0]["params"], json!({"code": "NOWHERE"}), "{nowhere}");
    let missing =
        app.http.get(app.url(&format!("/cases/{}", Uuid::nil()))).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing: Value = missing.json().await.unwrap();
    assert_eq!((missing["code"].as_str(), missing["params"]["record"].as_str()), (Some("not_found"), Some("case")), "{missing}");
}
