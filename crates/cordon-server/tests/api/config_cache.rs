//! The settings and case definitions a store keeps in memory between their
//! changes: a change is applied by the very next report, whether it was made
//! through this server, by another server (another store) on the same
//! database, or in the same batch of concurrent changes.

use cordon_core::definition::CaseDefinition;
use cordon_store::Store;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_definition_saved_here_is_applied_by_the_next_report,
    a_definition_saved_by_another_server_is_applied_by_the_next_report,
    settings_saved_by_another_server_are_read_by_the_next_request
);

/// A fever report about a new resident: whether it opened a case.
async fn fever_opens_a_case(app: &TestApp, name: &str) -> bool {
    let person = app.resident("reporter_u1", "U1", name).await;
    let (status, body) = app.report("reporter_u1", "U1", person, &["fever"], Some(39.0)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    !body["case"].is_null()
}

fn cough_only() -> CaseDefinition {
    serde_json::from_value(json!({"code": "suspected", "name": "Cough alone", "rule": {"kind": "symptom", "symptom": "cough"}})).unwrap()
}

async fn a_definition_saved_here_is_applied_by_the_next_report(app: &TestApp) {
    // The first report reads the definitions into memory.
    assert!(fever_opens_a_case(app, "Kept One").await);
    let definition = serde_json::to_value(cough_only()).unwrap();
    let (status, body) = app.call("admin", reqwest::Method::PUT, "/case-definitions/suspected", Some(definition)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!fever_opens_a_case(app, "Kept Two").await, "the edited definition applies at once");
}

async fn a_definition_saved_by_another_server_is_applied_by_the_next_report(app: &TestApp) {
    assert!(fever_opens_a_case(app, "Other One").await);
    let other = Store::open(app.database_url()).await.unwrap();
    other.save_definition(None, &cough_only(), app.clock_now()).await.unwrap();
    other.close().await;
    assert!(!fever_opens_a_case(app, "Other Two").await, "this server sees the other's definition");
    // And back, again from elsewhere.
    let other = Store::open(app.database_url()).await.unwrap();
    let fever: CaseDefinition =
        serde_json::from_value(json!({"code": "suspected", "name": "Fever", "rule": {"kind": "symptom", "symptom": "fever"}})).unwrap();
    other.save_definition(None, &fever, app.clock_now()).await.unwrap();
    other.close().await;
    assert!(fever_opens_a_case(app, "Other Three").await);
}

async fn settings_saved_by_another_server_are_read_by_the_next_request(app: &TestApp) {
    let store = app.state.store.clone();
    let before = store.settings().await.unwrap();
    let other = Store::open(app.database_url()).await.unwrap();
    let mut changed = before.clone();
    changed.max_order_days = before.max_order_days + 1;
    other.save_settings(None, &changed, app.clock_now()).await.unwrap();
    other.close().await;
    assert_eq!(store.settings().await.unwrap(), changed);
    assert_eq!(store.verify_audit_chain().await.map(|c| c.intact).ok(), Some(true));
}
