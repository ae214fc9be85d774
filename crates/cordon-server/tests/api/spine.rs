//! The spine end to end: report → suspected case → task to the on-call
//! worker → acknowledge → classify.

use cordon_store::audit::Table;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_fever_report_opens_a_case_and_sends_the_on_call_worker,
    a_report_that_does_not_meet_the_definition_opens_no_case,
    a_report_sent_twice_is_stored_once,
    a_second_report_joins_the_open_case,
    a_probable_duplicate_person_is_offered_instead_of_created,
    every_change_is_audited,
    the_openapi_document_describes_the_api,
    administrators_edit_case_definitions_that_the_core_applies,
    levels_are_data_an_administrator_renames,
);

async fn a_fever_report_opens_a_case_and_sends_the_on_call_worker(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Kim Min-jun").await;
    let (status, intake) = app.report("reporter_u1", "U1", person, &["fever", "cough"], Some(38.6)).await;
    assert_eq!(status, StatusCode::CREATED, "{intake}");
    assert_eq!(intake["created"], true);
    assert_eq!(intake["status"], "case_opened");
    assert_eq!(intake["case"]["status"], "suspected");
    let task = &intake["task"];
    let worker = app.seed.user("worker_c1");
    assert_eq!(task["assignee_id"], json!(worker.id), "the county's on-call worker gets the task");
    assert_eq!(task["status"], "assigned");
    assert_eq!(task["deadline"], "2026-11-23T11:00:00Z", "two hours from now by default");

    let (_, mine) = app.list("worker_c1", "/tasks?mine=true&open=true").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let task_id = task["id"].as_str().unwrap();

    let (status, acked) = app.post("worker_c1", &format!("/tasks/{task_id}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{acked}");
    assert_eq!(acked["status"], "acknowledged");
    let (_, report) = app.get("reporter_u1", &format!("/reports/{}", intake["report"]["id"].as_str().unwrap())).await;
    assert_eq!(report["status"], "worker_on_the_way", "the reporter sees that help is coming");

    let case_id = intake["case"]["id"].as_str().unwrap();
    let (status, case) = app.post("worker_c1", &format!("/cases/{case_id}/classification"), json!({"status": "confirmed"})).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "confirmed");
    let (status, problem) = app.post("worker_c1", &format!("/cases/{case_id}/classification"), json!({"status": "suspected"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["errors"][0]["field"], "status");

    let (status, done) = app.post("worker_c1", &format!("/tasks/{task_id}/complete"), json!({"note": "isolated at home"})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "done");
    let (_, cases) = app.list("p1_officer", "/cases?status=confirmed").await;
    assert_eq!(cases.as_array().unwrap().len(), 1, "the command sees the confirmed case");
}

async fn a_report_that_does_not_meet_the_definition_opens_no_case(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Lee Seo-yeon").await;
    let (status, intake) = app.report("reporter_u1", "U1", person, &["diarrhoea"], Some(36.8)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(intake["status"], "received");
    assert!(intake["case"].is_null() && intake["task"].is_null());
    assert_eq!(app.count(Table::Cases).await, 0);
    assert_eq!(app.count(Table::Tasks).await, 0);
    assert_eq!(app.count(Table::Reports).await, 1);
}

async fn a_report_sent_twice_is_stored_once(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Park Ji-hoon").await;
    let body = json!({"id": Uuid::new_v4(), "person_id": person, "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.9});
    let (first_status, first) = app.post("reporter_u1", "/reports", body.clone()).await;
    let (second_status, second) = app.post("reporter_u1", "/reports", body).await;
    assert_eq!((first_status, second_status), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(second["created"], false, "the answer says it already existed");
    assert_eq!(first["case"]["id"], second["case"]["id"]);
    assert_eq!(first["task"]["id"], second["task"]["id"]);
    assert_eq!(app.count(Table::Reports).await, 1);
    assert_eq!(app.count(Table::Cases).await, 1);
    assert_eq!(app.count(Table::Tasks).await, 1);
}

async fn a_second_report_joins_the_open_case(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Choi Yuna").await;
    let (_, first) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.2)).await;
    let (_, second) = app.report("reporter_u1", "U1", person, &["cough", "sore_throat"], None).await;
    assert_eq!(first["case"]["id"], second["case"]["id"]);
    assert!(second["task"].is_null(), "no second investigation for the same case");
    assert_eq!(app.count(Table::Cases).await, 1);
    assert_eq!(app.count(Table::Reports).await, 2);
}

async fn a_probable_duplicate_person_is_offered_instead_of_created(app: &TestApp) {
    let first = app.resident("reporter_u1", "U1", "Jung Ha-eun").await;
    let body = json!({"full_name": "jung ha eun", "sex": "female", "birth_year": 1984, "unit_code": "U1"});
    let (status, problem) = app.post("reporter_u1", "/persons", body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["existing"][0]["id"], json!(first));
    assert_eq!(app.count(Table::Persons).await, 1);
    let mut confirmed = body;
    confirmed["confirm_new"] = json!(true);
    let (status, _) = app.post("reporter_u1", "/persons", confirmed).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app.count(Table::Persons).await, 2);
}

async fn every_change_is_audited(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Kang Do-yun").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(39.1)).await;
    let case_id = intake["case"]["id"].as_str().unwrap();
    let (status, log) = app.list("admin", &format!("/audit?entity=case&entity_id={case_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let record = &log[0];
    assert_eq!(record["action"], "case.open");
    assert_eq!(record["actor_id"], json!(app.seed.user("reporter_u1").id));
    assert!(record["before"].is_null() && record["after"]["status"] == "suspected");
    let (status, _) = app.list("p1_officer", "/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators read the audit log");
}

async fn the_openapi_document_describes_the_api(app: &TestApp) {
    let doc: serde_json::Value = app.http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/reports",
        "/tasks/{id}/acknowledge",
        "/cases/{id}/classification",
        "/shifts",
        "/events/stream",
        "/completeness",
        "/audit",
        "/session",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    // Every refusal is a problem document; every `limit` states its range.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, answer) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') {
                    assert!(answer["content"]["application/problem+json"]["schema"].is_object(), "{method} {path} {status}: {answer}");
                }
            }
            for parameter in op["parameters"].as_array().into_iter().flatten().filter(|p| p["name"] == "limit") {
                assert_eq!(parameter["schema"]["minimum"], 1, "{method} {path}: {parameter}");
                assert!(parameter["schema"]["maximum"].as_i64().is_some_and(|max| max <= 500), "{method} {path}: {parameter}");
            }
        }
    }
    let one_case = &doc["paths"]["/cases/{id}"]["get"]["responses"];
    for status in ["200", "400", "401", "403", "404"] {
        assert!(one_case[status].is_object(), "GET /cases/{{id}} lists {status}: {one_case}");
    }
    let report = &doc["paths"]["/reports"]["post"]["responses"];
    for status in ["400", "401", "403", "409", "413", "415", "422"] {
        assert!(report[status].is_object(), "POST /reports lists {status}: {report}");
    }
    let cases = &doc["paths"]["/cases"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    let page = cases["$ref"].as_str().map_or(cases, |r| &doc["components"]["schemas"][r.rsplit('/').next().unwrap()]);
    assert!(page["properties"]["items"].is_object() && page["properties"]["next_cursor"].is_object(), "a list is a page: {cases}");
}

async fn administrators_edit_case_definitions_that_the_core_applies(app: &TestApp) {
    let definition = json!({"code": "suspected", "name": "Cough alone", "rule": {"kind": "symptom", "symptom": "cough"}});
    let (status, body) = app.call("admin", reqwest::Method::PUT, "/case-definitions/suspected", Some(definition.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.call("p1_officer", reqwest::Method::PUT, "/case-definitions/suspected", Some(definition)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let person = app.resident("reporter_u1", "U1", "Yoon Seo-jun").await;
    let (_, fever_only) = app.report("reporter_u1", "U1", person, &["fever"], Some(39.0)).await;
    assert!(fever_only["case"].is_null(), "fever alone no longer meets the edited definition");
    let (_, cough) = app.report("reporter_u1", "U1", person, &["cough"], None).await;
    assert_eq!(cough["case"]["definition_code"], "suspected");
}

async fn levels_are_data_an_administrator_renames(app: &TestApp) {
    let (status, levels) = app.get("p1_officer", "/levels").await;
    assert_eq!(status, StatusCode::OK, "{levels}");
    assert_eq!(levels["levels"], json!(["nation", "province", "county", "district", "unit"]));
    let renamed = json!({"levels": ["nation", "province", "city", "dong", "people's group"]});
    let (status, body) = app.call("admin", reqwest::Method::PUT, "/levels", Some(renamed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, renamed);
    let (_, node) = app.get("p1_officer", "/nodes/U1").await;
    assert_eq!(node["level_name"], "people's group");
    let (status, problem) = app.call("admin", reqwest::Method::PUT, "/levels", Some(json!({"levels": ["nation", "province"]}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "units would fall off the tree: {problem}");
    assert_eq!(problem["errors"][0]["field"], "levels");
}
