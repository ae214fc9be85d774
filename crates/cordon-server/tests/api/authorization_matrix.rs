//! The authorization matrix, generated from the OpenAPI document: every
//! operation without a session; every record-reading operation and every
//! list over a subtree, for every seeded role, on an object or subtree of
//! the caller's own province and of the other one. The expected answer comes
//! from the policy itself ([`policy::authorise`], the table in
//! docs/SECURITY.md): allowed reads answer, refused ones answer 403 or 404
//! and never show what they refuse.

use std::collections::HashMap;

use cordon_core::policy::{self, Action};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(every_operation_answers_each_role_as_the_policy_says);

/// The seeded users, one per role and anchor.
const USERS: [&str; 7] = ["admin", "nation_officer", "p1_officer", "p2_officer", "worker_c1", "worker_c2", "reporter_u1"];

/// The name of the resident whose records lie in P2: it must never show where refused.
const SECRET_NAME: &str = "Jang Mi-rae";

/// Whether an operation may be called without signing in (`security: []`).
fn is_public(operation: &Value) -> bool {
    operation["security"].as_array().is_some_and(|s| s.is_empty() || s.iter().any(|r| r.as_object().is_some_and(serde_json::Map::is_empty)))
}

async fn anonymous(app: &TestApp, method: &Method, path: &str) -> StatusCode {
    let mut request = app.http.request(method.clone(), app.url(path));
    if *method != Method::GET && *method != Method::DELETE {
        request = request.json(&serde_json::json!({}));
    }
    request.send().await.unwrap().status()
}

async fn every_operation_answers_each_role_as_the_policy_says(app: &TestApp) {
    let (_, doc) = app.get("admin", "/openapi.json").await;
    let person = app.resident("reporter_u3", "U3", SECRET_NAME).await;
    let (status, intake) = app.report("reporter_u3", "U3", person, &["fever"], Some(38.9)).await;
    assert_eq!(status, StatusCode::CREATED, "{intake}");
    let objects: HashMap<&str, String> = HashMap::from([
        ("persons", person.to_string()),
        ("cases", intake["case"]["id"].as_str().unwrap().to_owned()),
        ("reports", intake["report"]["id"].as_str().unwrap_or_default().to_owned()),
    ]);
    let p2 = app.node("P2").await.path;
    let (mut unauthenticated, mut reads, mut lists) = (0, 0, 0);
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method_name, operation) in item.as_object().unwrap() {
            let Ok(method) = method_name.to_uppercase().parse::<Method>() else { continue };
            let filled =
                template.split('/').map(|part| if part.starts_with('{') { uuid::Uuid::new_v4().to_string() } else { part.to_owned() });
            let path = filled.collect::<Vec<_>>().join("/");
            if !is_public(operation) {
                let status = anonymous(app, &method, &path).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method_name} {template} without signing in");
                unauthenticated += 1;
            }
            if method != Method::GET {
                continue;
            }
            let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
            let in_path: Vec<&Value> = parameters.iter().filter(|p| p["in"] == "path").collect();
            let resource = template.split('/').nth(1).unwrap_or("");
            if in_path.len() == 1 && template.matches('/').count() == 2 && objects.contains_key(resource) {
                let path = template.replace(&format!("{{{}}}", in_path[0]["name"].as_str().unwrap()), &objects[resource]);
                for user in USERS {
                    let allowed = policy::authorise(app.seed.user(user), Action::Read, &p2).is_ok();
                    let (status, body) = app.get(user, &path).await;
                    if allowed {
                        assert_eq!(status, StatusCode::OK, "{user} reads {path}: {body}");
                    } else {
                        assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{user} reads {path}: {status}");
                        assert!(!body.to_string().contains(SECRET_NAME) && !body.to_string().contains("/P2/"), "{user} {path}: {body}");
                    }
                    reads += 1;
                }
            }
            if parameters.iter().any(|p| p["in"] == "query" && p["name"] == "under") {
                for user in USERS {
                    for code in ["P2", "P1"] {
                        let target = app.node(code).await.path;
                        let allowed = policy::authorise(app.seed.user(user), Action::Read, &target).is_ok();
                        let (status, body) = app.get(user, &format!("{path}?under={code}")).await;
                        let outside = body["code"] == "outside_jurisdiction";
                        if allowed {
                            assert!(!outside, "{user} lists {template} under {code}: {body}");
                        } else {
                            assert!(!status.is_success(), "{user} lists {template} under {code}: {status}");
                            assert!(!body.to_string().contains(target.as_str()), "{user} lists {template} under {code}: {body}");
                        }
                        lists += 1;
                    }
                }
            }
        }
    }
    eprintln!("authorization matrix: {unauthenticated} operations refused without a session, {reads} record reads, {lists} subtree lists");
    assert!(unauthenticated > 50 && reads >= 3 * USERS.len() && lists > 10 * USERS.len(), "{unauthenticated} {reads} {lists}");
}
