//! The checks a change makes on what it names are made inside its
//! transaction: the node a report, a daily report or a new user names, and a
//! client id sent again with other content. A refusal writes nothing.

use cordon_core::policy::{Denied, NodeRefused};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_core::resend::IdReused;
use cordon_core::user::Role;
use cordon_store::StoreError;
use cordon_store::audit::Table;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_report_for_a_unit_out_of_reach_is_refused_in_its_transaction_and_writes_nothing,
    a_report_id_sent_again_with_other_content_is_refused_and_writes_nothing,
    a_daily_report_names_a_unit_in_reach_and_its_id_no_other_day,
    an_administrator_enrols_users_only_at_nodes_in_reach,
    a_refusal_never_says_where_an_object_out_of_reach_lies,
);

fn fever(person_id: Uuid) -> ReportDraft {
    ReportDraft { id: Uuid::new_v4(), person_id, symptoms: vec![Symptom::Fever], temperature_c: Some(38.6), onset_date: None, note: None }
}

/// The rows a refused change must leave as they were.
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [Table::Reports, Table::DailyReports, Table::Cases, Table::Tasks, Table::Persons, Table::Users, Table::Audit] {
        counts.push(app.count(table).await);
    }
    counts
}

async fn a_report_for_a_unit_out_of_reach_is_refused_in_its_transaction_and_writes_nothing(app: &TestApp) {
    let store = &app.state.store;
    let reporter = app.seed.user("reporter_u1");
    let resident = app.resident("reporter_u1", "U1", "Moon Ga-young").await;
    let before = counts(app).await;

    let outside = store.submit_report(reporter, &fever(resident), "U3", app.clock_now()).await;
    assert!(
        matches!(
            outside,
            Err(StoreError::NodeRefused(NodeRefused::Denied { field: "unit_code", denied: Denied::OutsideJurisdiction { .. } }))
        ),
        "{outside:?}"
    );
    let unknown = store.submit_report(reporter, &fever(resident), " NOWHERE ", app.clock_now()).await;
    assert!(
        matches!(unknown, Err(StoreError::NodeRefused(NodeRefused::Invalid(ref i))) if i.errors[0].field == "unit_code"),
        "{unknown:?}"
    );
    let newcomer = cordon_core::person::PersonDraft {
        full_name: "Nam Gyu-ri".into(),
        sex: cordon_core::person::Sex::Female,
        birth_year: 1988,
        phone: None,
        address: None,
        document_number: None,
    };
    let with_resident =
        store.submit_report_for_new_resident(reporter, (&newcomer, false), &fever(Uuid::nil()), "U3", app.clock_now()).await;
    assert!(matches!(with_resident, Err(StoreError::NodeRefused(NodeRefused::Denied { .. }))), "{with_resident:?}");
    assert_eq!(counts(app).await, before, "no report, case, task, person or audit record was written");

    let (status, problem) = app.report("reporter_u1", "U3", resident, &["fever"], Some(38.6)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::FORBIDDEN, Some("unit_code")), "{problem}");
    assert_eq!(counts(app).await, before);
}

async fn a_report_id_sent_again_with_other_content_is_refused_and_writes_nothing(app: &TestApp) {
    let first = app.resident("reporter_u1", "U1", "Yang Ji-an").await;
    let second = app.resident("reporter_u1", "U1", "Yang Ji-ho").await;
    let id = Uuid::new_v4();
    let body = |person: Uuid| json!({"id": id, "person_id": person, "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.5});
    let (status, filed) = app.post("reporter_u1", "/reports", body(first)).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let before = counts(app).await;

    let (status, problem) = app.post("reporter_u1", "/reports", body(second)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::CONFLICT, Some("id")), "{problem}");
    let store = &app.state.store;
    let again = store.submit_report(app.seed.user("reporter_u1"), &ReportDraft { id, ..fever(second) }, "U1", app.clock_now()).await;
    assert!(
        matches!(again, Err(StoreError::IdReused(IdReused { record: cordon_core::refusal::Record::Report, id: reused })) if reused == id),
        "{again:?}"
    );
    assert_eq!(counts(app).await, before, "nothing was written for the reused id");
}

async fn a_daily_report_names_a_unit_in_reach_and_its_id_no_other_day(app: &TestApp) {
    let before = counts(app).await;
    let daily = |unit: &str, id: Uuid, date: &str| json!({"id": id, "unit_code": unit, "date": date, "ill_count": 0});
    for (user, unit, status, reason) in [
        ("p1_officer", "D1", StatusCode::UNPROCESSABLE_ENTITY, "daily reports are filed for units only"),
        ("reporter_u1", "U3", StatusCode::FORBIDDEN, "this is outside your jurisdiction /KR/P1/C1/D1/U1/"),
        ("reporter_u1", "NOWHERE", StatusCode::UNPROCESSABLE_ENTITY, "no jurisdiction has code \"NOWHERE\""),
    ] {
        let (got, problem) = app.post(user, "/daily-reports", daily(unit, Uuid::new_v4(), "2026-11-23")).await;
        assert_eq!(got, status, "{unit}: {problem}");
        assert_eq!((problem["errors"][0]["field"].as_str(), problem["errors"][0]["reason"].as_str()), (Some("unit_code"), Some(reason)));
    }
    assert_eq!(counts(app).await, before, "a refused daily report writes nothing");

    let id = Uuid::new_v4();
    let (status, _) = app.post("reporter_u1", "/daily-reports", daily("U1", id, "2026-11-23")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = app.post("reporter_u1", "/daily-reports", daily("U1", id, "2026-11-22")).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::CONFLICT, Some("id")), "{problem}");
    assert_eq!(app.count(Table::DailyReports).await, 1);
}

async fn an_administrator_enrols_users_only_at_nodes_in_reach(app: &TestApp) {
    app.add_user("admin_p1", Role::Administrator, "P1").await;
    let token = app.sign_in_token("admin_p1").await;
    let before = counts(app).await;
    let user = |node: &str| json!({"username": format!("new_{}", node.to_lowercase()), "display_name": "New", "role": "reporter", "node_code": node, "password": "long enough"});
    for (node, status) in [("U3", StatusCode::FORBIDDEN), ("NOWHERE", StatusCode::UNPROCESSABLE_ENTITY)] {
        let r = app.http.post(app.url("/users")).bearer_auth(&token).json(&user(node)).send().await.unwrap();
        assert_eq!(r.status(), status, "{node}");
        let problem: serde_json::Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "node_code", "{node}: {problem}");
    }
    assert_eq!(counts(app).await, before, "no user was written");
    let r = app.http.post(app.url("/users")).bearer_auth(&token).json(&user("U1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: serde_json::Value = r.json().await.unwrap();
    assert_eq!(created["node_path"], "/KR/P1/C1/D1/U1/");
}

/// A reused id from another area answers exactly as a reused id of one's
/// own, and a refusal for a unit out of reach names only the caller's own
/// area: neither says that, or where, something exists out of reach.
async fn a_refusal_never_says_where_an_object_out_of_reach_lies(app: &TestApp) {
    let there = app.resident("reporter_u3", "U3", "Baek Seo-yeon").await;
    let here = app.resident("reporter_u1", "U1", "Baek Seo-jun").await;
    let mine = app.resident("reporter_u1", "U1", "Baek Seo-ah").await;
    let (theirs, own) = (Uuid::new_v4(), Uuid::new_v4());
    let body = |id: Uuid, person: Uuid, unit: &str| json!({"id": id, "person_id": person, "unit_code": unit, "symptoms": ["fever"], "temperature_c": 38.5});
    assert_eq!(app.post("reporter_u3", "/reports", body(theirs, there, "U3")).await.0, StatusCode::CREATED);
    assert_eq!(app.post("reporter_u1", "/reports", body(own, mine, "U1")).await.0, StatusCode::CREATED);
    let before = counts(app).await;

    let (status, elsewhere) = app.post("reporter_u1", "/reports", body(theirs, here, "U1")).await;
    let (own_status, reused) = app.post("reporter_u1", "/reports", body(own, here, "U1")).await;
    assert_eq!((status, own_status), (StatusCode::CONFLICT, StatusCode::CONFLICT), "{elsewhere} {reused}");
    let without_id = |problem: &serde_json::Value, id: Uuid| problem.to_string().replace(&id.to_string(), "ID");
    assert_eq!(without_id(&elsewhere, theirs), without_id(&reused, own), "the same answer whoever holds the id");
    for text in [elsewhere.to_string(), app.report("reporter_u1", "U3", here, &["fever"], Some(38.6)).await.1.to_string()] {
        for secret in ["P2", "C2", "D2", "U3", "Baek Seo-yeon"] {
            assert!(!text.contains(&format!("/{secret}/")) && !text.contains("Seo-yeon"), "{secret} leaks in {text}");
        }
    }
    assert_eq!(counts(app).await, before, "nothing written");
}
