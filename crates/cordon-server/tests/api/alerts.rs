//! Outbreak detection end to end: a quiet baseline of fever reports across
//! four districts, an outbreak injected into one, the daily job driven by the
//! test clock, the alerts it raises up the tree, and their review.

use std::collections::BTreeSet;

use cordon_core::event::EventKind;
use cordon_core::jurisdiction::NodePath;
use cordon_core::person::{PersonDraft, Sex};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_store::persons::Registration;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, start_time};
use crate::on_both_backends;

on_both_backends!(an_outbreak_in_one_district_alerts_it_and_its_ancestors_only, alert_inputs_are_checked_and_scoped);

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// Adds districts D3 (under C1) and D4 (under C2) with a unit each, so that
/// four districts report.
async fn more_districts(app: &TestApp) {
    app.add_nodes(&[("D3", "C1"), ("U4", "D3"), ("D4", "C2"), ("U5", "D4")]).await;
}

/// Files `count` fever reports in `unit` at `at`, through the store as a
/// device would have filed them then.
async fn fever_reports(app: &TestApp, unit: &str, count: usize, at: Timestamp) {
    let store = &app.state.store;
    let reporter = app.seed.user("nation_officer");
    for _ in 0..count {
        let draft = PersonDraft {
            full_name: format!("Resident {}", Uuid::new_v4().simple()),
            sex: Sex::Female,
            birth_year: 1980,
            phone: None,
            address: None,
            document_number: None,
        };
        let Registration::Registered(person) = store.register_person(reporter, &draft, unit, true, at).await.unwrap() else {
            panic!("registration refused")
        };
        let report = ReportDraft {
            id: Uuid::new_v4(),
            person_id: person.id,
            symptoms: vec![Symptom::Fever],
            temperature_c: Some(38.3),
            onset_date: None,
            note: None,
        };
        store.submit_report(reporter, &report, unit, at).await.unwrap();
    }
}

/// Four weeks of one or two fever reports a day in each of the four
/// districts (steady: alternating), then twelve more in D1 yesterday
/// (also used by the page tests).
pub(crate) async fn baseline_and_outbreak(app: &TestApp) {
    more_districts(app).await;
    for days_back in (1..=28i32).rev() {
        let at = start_time().checked_sub(DAY * days_back).unwrap();
        for (i, unit) in ["U1", "U3", "U4", "U5"].into_iter().enumerate() {
            let count = 1 + (usize::try_from(days_back).unwrap() + i) % 2;
            fever_reports(app, unit, count, at).await;
        }
    }
    fever_reports(app, "U1", 12, start_time().checked_sub(DAY).unwrap()).await;
}

/// How many events of `kind` the nation's stream holds.
async fn events_of(app: &TestApp, kind: EventKind) -> usize {
    let (mut seq, mut found) = (0, 0);
    loop {
        let page = app.state.store.events_since(&NodePath::root("KR"), seq, 1000).await.unwrap();
        let Some(last) = page.last() else { return found };
        seq = last.seq;
        found += page.iter().filter(|e| e.kind == kind).count();
    }
}

fn codes(alerts: &Value) -> BTreeSet<String> {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["node_path"].as_str().unwrap().trim_end_matches('/').rsplit('/').next().unwrap().to_owned())
        .collect()
}

async fn an_outbreak_in_one_district_alerts_it_and_its_ancestors_only(app: &TestApp) {
    baseline_and_outbreak(app).await;

    // The daily job evaluates yesterday (and the days before it, catching up).
    let pass = app.advance_and_run_jobs(SignedDuration::ZERO).await;
    let raised: BTreeSet<(String, String, String)> =
        pass.alerts.iter().map(|a| (a.node_path.code().to_owned(), a.syndrome.as_str().to_owned(), a.period_end.to_string())).collect();
    // Every report is a new resident's, so each also opened a suspected case.
    let expected: BTreeSet<_> = ["D1", "C1", "P1", "KR"]
        .iter()
        .flat_map(|c| ["fever", "suspected_case"].map(|s| (c.to_string(), s.to_owned(), "2026-11-22".to_owned())))
        .collect();
    assert_eq!(raised, expected, "the district and its ancestors, nothing elsewhere");
    assert!(pass.alerts.iter().all(|a| a.method.as_str() == "ears_c2" && a.status.as_str() == "new"));
    let d1 = pass.alerts.iter().find(|a| a.node_path.code() == "D1" && a.syndrome.as_str() == "fever").unwrap();
    assert!(d1.observed >= 13.0 && d1.upper_bound.unwrap() < 5.0 && d1.expected.unwrap() < 2.0, "{d1:?}");

    // Re-running, by the job later the same day or on demand, raises nothing new.
    assert!(app.advance_and_run_jobs(SignedDuration::from_hours(3)).await.alerts.is_empty());
    let (status, run) = app.post("nation_officer", "/detection/runs", json!({"date": "2026-11-22"})).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    assert_eq!(run["alerts"], json!([]), "no duplicate alert for the same signal");
    assert_eq!(run["alarms"], 8);
    assert!(run["skipped"].as_u64().unwrap() > 0, "Farrington flexible waits for years of history");

    // Alerts reach the live stream of the places they concern.
    assert_eq!(events_of(app, EventKind::AlertRaised).await, 8);

    // Each officer sees the alerts of their subtree.
    let (_, all) = app.list("nation_officer", "/alerts").await;
    assert_eq!(codes(&all), ["C1", "D1", "KR", "P1"].map(String::from).into());
    let (_, p1) = app.list("p1_officer", "/alerts").await;
    assert_eq!(codes(&p1), ["C1", "D1", "P1"].map(String::from).into());
    let (_, p2) = app.list("p2_officer", "/alerts").await;
    assert_eq!(p2, json!([]));

    // The series the board draws: observed, expected, bound and alarm per day.
    let (status, series) = app.get("p1_officer", "/alerts/series?node=D1&syndrome=fever&method=ears_c2&to=2026-11-22&periods=14").await;
    assert_eq!(status, StatusCode::OK, "{series}");
    let points = series["points"].as_array().unwrap();
    assert_eq!(points.len(), 14);
    assert_eq!(points.iter().filter(|p| p["alarm"] == json!(true)).count(), 1);
    assert_eq!(points[13]["period_end"], "2026-11-22");
    assert_eq!(points[13]["alarm"], true);
    assert!(points.iter().all(|p| p["upper_bound"].as_f64().unwrap() >= p["expected"].as_f64().unwrap()));

    // Review: new → under review → verified, each step with the officer and a note.
    let id = d1.id;
    let (status, problem) = app.post("p1_officer", &format!("/alerts/{id}/verify"), json!({"note": "too early"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "verify before review: {problem}");
    assert_eq!(problem["errors"][0]["field"], "status");
    let (status, reviewing) = app.post("p1_officer", &format!("/alerts/{id}/review"), json!({"note": "calling the district"})).await;
    assert_eq!((status, reviewing["status"].as_str()), (StatusCode::OK, Some("under_review")));
    let (status, _) = app.post("worker_c1", &format!("/alerts/{id}/verify"), json!({"note": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "health workers do not review alerts");
    let (status, _) = app.post("p2_officer", &format!("/alerts/{id}/verify"), json!({"note": "x"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another province's alert is invisible");
    let (status, problem) = app.post("p1_officer", &format!("/alerts/{id}/verify"), json!({"note": "  "})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("note")));
    let (status, verified) = app.post("p1_officer", &format!("/alerts/{id}/verify"), json!({"note": "cluster at a school"})).await;
    assert_eq!((status, verified["status"].as_str()), (StatusCode::OK, Some("verified")));
    let (status, _) = app.post("p1_officer", &format!("/alerts/{id}/discard"), json!({"note": "changed my mind"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a settled alert stays settled");

    let (_, detail) = app.get("p1_officer", &format!("/alerts/{id}")).await;
    assert_eq!(detail["status"], "verified");
    let reviews = detail["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[1]["note"], "cluster at a school");
    assert_eq!(reviews[1]["officer_id"], json!(app.seed.user("p1_officer").id));
    assert_eq!(detail["series"].as_array().unwrap().len(), 28);
    let (_, audit) = app.list("admin", &format!("/audit?entity=alert&entity_id={id}")).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["alert.verify", "alert.review", "alert.raise"]);
    assert_eq!(events_of(app, EventKind::AlertReviewed).await, 2);
}

async fn alert_inputs_are_checked_and_scoped(app: &TestApp) {
    for (path, status, field) in [
        ("/alerts/series?node=D1&syndrome=flu&method=ears_c2", StatusCode::BAD_REQUEST, "syndrome"),
        ("/alerts/series?node=D1&syndrome=fever&method=ears_c2&periods=0", StatusCode::BAD_REQUEST, "periods"),
        ("/alerts/series?node=NOPE&syndrome=fever&method=ears_c2", StatusCode::UNPROCESSABLE_ENTITY, "node"),
        ("/alerts/series?node=D1&syndrome=fever&method=ears_c1", StatusCode::UNPROCESSABLE_ENTITY, "method"),
        ("/alerts/series?node=D2&syndrome=fever&method=ears_c2", StatusCode::FORBIDDEN, "node"),
        ("/alerts?status=open", StatusCode::BAD_REQUEST, "status"),
        ("/alerts/not-a-uuid", StatusCode::BAD_REQUEST, "id"),
    ] {
        let (got, problem) = app.get("p1_officer", path).await;
        assert_eq!(got, status, "{path}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
        assert_eq!(problem["status"], status.as_u16());
    }
    let (status, _) = app.get("p1_officer", &format!("/alerts/{}", Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Running detection: command officers and administrators, in their subtree, on a past or current day.
    let (status, _) = app.post("reporter_u1", "/detection/runs", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app.post("p1_officer", "/detection/runs", json!({"under": "P2"})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::FORBIDDEN, Some("under")));
    let (status, problem) = app.post("p1_officer", "/detection/runs", json!({"date": "2026-11-24"})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("date")));
    let (status, problem) = app.post("p1_officer", "/detection/runs", json!({"date": "yesterday"})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("date")));
    let (status, run) = app.post("p1_officer", "/detection/runs", json!({})).await;
    assert_eq!((status, run["evaluated"].as_u64()), (StatusCode::CREATED, Some(0)), "no reports, nothing to evaluate: {run}");

    // The configuration is data an administrator edits.
    let (status, config) = app.get("p1_officer", "/detection/config").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(config["methods"][0]["method"], "ears_c2");
    let (status, _) = app.call("p1_officer", reqwest::Method::PUT, "/detection/config", Some(config.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut bad = config.clone();
    bad["methods"][0]["alpha"] = json!(0.7);
    bad["levels"] = json!([]);
    let (status, problem) = app.call("admin", reqwest::Method::PUT, "/detection/config", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["levels", "methods[0].alpha"]);
    let mut unknown = config.clone();
    unknown["methods"][0]["method"] = json!("cusum");
    let (status, _) = app.call("admin", reqwest::Method::PUT, "/detection/config", Some(unknown)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut good = config.clone();
    good["levels"] = json!([3]);
    good["methods"] = json!([{"method": "ears_c1", "baseline": 14, "alpha": 0.01, "min_sigma": 0.5}]);
    let (status, saved) = app.call("admin", reqwest::Method::PUT, "/detection/config", Some(good.clone())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, now) = app.get("p1_officer", "/detection/config").await;
    assert_eq!(now, good);
}
