//! Quarantine end to end: investigation, contacts in two provinces, daily
//! follow-up over fourteen simulated days, a contact who falls ill, release,
//! and arrivals at a point of entry.

use cordon_core::jurisdiction::FacilityKind;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_confirmed_case_s_contacts_are_followed_up_until_release,
    a_febrile_arrival_is_reported_and_quarantined_in_a_facility,
    bad_quarantine_input_is_refused_with_the_field,
    a_missed_visit_escalates_and_a_release_reaches_the_webhook,
);

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// Keeps the county workers on call for the whole test.
async fn long_shifts(app: &TestApp) {
    let now = app.clock_now();
    let until = now.saturating_add(30 * DAY).unwrap();
    for (worker, area) in [("worker_c1", "C1"), ("worker_c2", "C2")] {
        let node = app.node(area).await;
        app.state.store.add_shift(app.seed.user("p1_officer").id, app.seed.user(worker).id, &node, now, until, now).await.unwrap();
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn a_confirmed_case_s_contacts_are_followed_up_until_release(app: &TestApp) {
    long_shifts(app).await;
    let index_person = app.resident("reporter_u1", "U1", "Song Ha-neul").await;
    let household = app.resident("reporter_u1", "U1", "Song Da-eun").await;
    let (_, intake) = app.report("reporter_u1", "U1", index_person, &["fever", "cough"], Some(38.9)).await;
    let case = id(&intake["case"]);
    app.post("worker_c1", &format!("/tasks/{}/acknowledge", id(&intake["task"])), json!({})).await;

    let isolation = a_positive_sample_confirms_the_case(app, &case).await;
    let [sister, colleague, guest] = three_contacts_are_quarantined(app, &case, household).await;
    the_contact_in_p2_is_handed_over_and_taken_on(app, &guest).await;
    let orders = [id(&sister["order"]), id(&colleague["order"]), id(&guest["order"])];
    let colleague_case = fourteen_days_of_visits_until_the_colleague_falls_ill(app, &orders).await;
    let (_, c) = app.get("p1_officer", &format!("/cases/{colleague_case}")).await;
    assert_eq!(c["source_case_id"], json!(case), "the chain edge to the source case");
    on_day_fifteen_the_well_are_released(app, &orders, &isolation).await;
    the_chain_shows_the_infection_and_hides_p2(app, &case, &colleague_case).await;
}

/// The investigation with a positive sample: the case is confirmed and
/// isolated. Returns the isolation order's id.
async fn a_positive_sample_confirms_the_case(app: &TestApp, case: &str) -> String {
    let investigation = json!({
        "exposure_history": "attended a wedding on 2026-11-18",
        "sample": {"kind": "nasal_swab", "taken_on": "2026-11-23", "result": "positive"},
        "isolation": {"place": "home"}
    });
    let (status, recorded) =
        app.call("worker_c1", reqwest::Method::PUT, &format!("/cases/{case}/investigation"), Some(investigation)).await;
    assert_eq!(status, StatusCode::OK, "{recorded}");
    assert_eq!(recorded["case"]["status"], "confirmed", "a positive result confirms the case");
    assert_eq!(recorded["isolation_order"]["kind"], "isolation");
    id(&recorded["isolation_order"])
}

/// A sister in U1, a colleague in U2 and a wedding guest in U3 (P2), each
/// quarantined for 14 days; only the guest is handed over.
async fn three_contacts_are_quarantined(app: &TestApp, case: &str, household: Uuid) -> [Value; 3] {
    let contacts = [
        json!({"person_id": household, "relation": "sister", "exposure_date": "2026-11-23", "setting": "household"}),
        json!({"new_person": {"full_name": "Bae Jun-seo", "sex": "male", "birth_year": 1990, "unit_code": "U2"}, "relation": "colleague", "exposure_date": "2026-11-23", "setting": "work"}),
        json!({"new_person": {"full_name": "Yoo Na-rae", "sex": "female", "birth_year": 1975, "unit_code": "U3"}, "relation": "wedding guest", "exposure_date": "2026-11-23", "setting": "gathering"}),
    ];
    let mut listed = Vec::new();
    for c in contacts {
        let (status, body) = app.post("worker_c1", &format!("/cases/{case}/contacts"), c).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["order"]["kind"], "quarantine");
        assert_eq!(body["order"]["ends_on"], "2026-12-07", "14 days after the last exposure");
        listed.push(body);
    }
    let (sister, colleague, guest) = (&listed[0], &listed[1], &listed[2]);
    assert!(sister["handover"].is_null() && colleague["handover"].is_null());
    assert_eq!(guest["handover"]["to_path"], "/KR/P2/C2/D2/U3/", "the contact in P2 is handed over");
    listed.try_into().unwrap()
}

/// P2 takes the guest on; P1 then neither holds the handover nor sees the order.
async fn the_contact_in_p2_is_handed_over_and_taken_on(app: &TestApp, guest: &Value) {
    let (_, handovers) = app.list("p2_officer", "/handovers").await;
    assert_eq!(handovers.as_array().unwrap().len(), 1, "it appears in P2's queue");
    let (status, _) = app.post("p2_officer", &format!("/handovers/{}/accept", id(&guest["handover"])), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, none) = app.list("p1_officer", "/handovers").await;
    assert!(none.as_array().unwrap().is_empty());
    let (status, _) = app.get("worker_c1", &format!("/orders/{}", id(&guest["order"]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "P1 does not see P2's order");
}

/// Fourteen days of daily visits by the area's on-call worker; the colleague
/// (`orders[1]`) has a fever on day 5. Returns the colleague's new case.
async fn fourteen_days_of_visits_until_the_colleague_falls_ill(app: &TestApp, orders: &[String; 3]) -> String {
    let mut colleague_case = None;
    for day in 1..=14 {
        app.clock.advance(DAY);
        let pass = cordon_server::jobs::run_due(&app.state).await.unwrap();
        // The three quarantines and the index case's isolation, until the colleague falls ill.
        let expected = if day <= 5 { 4 } else { 3 };
        assert_eq!(pass.follow_ups.len(), expected, "day {day}: one visit per order in force");
        for task in &pass.follow_ups {
            let worker = if task.subject_path.as_str().starts_with("/KR/P2/") { "worker_c2" } else { "worker_c1" };
            assert_eq!(task.assignee_id, Some(app.seed.user(worker).id), "day {day}: the area's on-call worker visits");
            let ill = day == 5 && task.order_id.map(|o| o.to_string()) == Some(orders[1].clone());
            let visit = if ill {
                json!({"seen": true, "temperature_c": 38.4, "symptoms": ["cough"]})
            } else {
                json!({"seen": true, "temperature_c": 36.6})
            };
            let (status, outcome) = app.post(worker, &format!("/tasks/{}/visit", task.id), visit).await;
            assert_eq!(status, StatusCode::OK, "day {day}: {outcome}");
            assert_eq!(outcome["task"]["status"], "done");
            if ill {
                assert_eq!(outcome["intake"]["case"]["status"], "suspected", "fever at a visit opens a suspected case");
                assert_eq!(outcome["intake"]["task"]["kind"], "investigation", "with its own investigation task");
                assert_eq!(outcome["order"]["status"], "converted_to_case");
                colleague_case = Some(id(&outcome["intake"]["case"]));
            }
        }
    }
    colleague_case.expect("the colleague fell ill on day 5")
}

/// Day 15: the two contacts who stayed well and the index case's isolation
/// are released, and each is told so.
async fn on_day_fifteen_the_well_are_released(app: &TestApp, orders: &[String; 3], isolation: &str) {
    app.clock.advance(DAY);
    let pass = cordon_server::jobs::run_due(&app.state).await.unwrap();
    let mut released: Vec<String> = pass.released.iter().map(|o| o.id.to_string()).collect();
    released.sort();
    let mut expected = vec![orders[0].clone(), orders[2].clone(), isolation.to_owned()];
    expected.sort();
    assert_eq!(released, expected, "on day 15 the two who stayed well are released, and the index case's isolation ends");
    assert_eq!(pass.notified, 3, "and each is told so");
    assert!(pass.follow_ups.is_empty());
    let (_, sister_order) = app.get("p1_officer", &format!("/orders/{}", orders[0])).await;
    assert_eq!(sister_order["status"], "released");
}

/// The chain: the colleague infected by the index case, the two well contacts
/// exposed, and the contact in P2 shown to P1 without details.
async fn the_chain_shows_the_infection_and_hides_p2(app: &TestApp, case: &str, colleague_case: &str) {
    let (status, chain) = app.get("p1_officer", &format!("/cases/{case}/chain")).await;
    assert_eq!(status, StatusCode::OK, "{chain}");
    let edges = chain["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["from"] == json!(case) && e["to"] == json!(colleague_case) && e["kind"] == "infected"), "{chain}");
    assert_eq!(edges.iter().filter(|e| e["kind"] == "exposed").count(), 2, "the two well contacts stay contacts");
    let redacted: Vec<&Value> = chain["nodes"].as_array().unwrap().iter().filter(|n| n["redacted"] == true).collect();
    assert_eq!(redacted.len(), 1, "the contact in P2 is shown without details to P1");
    assert!(redacted[0]["person_id"].is_null());
}

/// The border post of [`TestApp::add_border_post`] and a quarantine centre
/// QC-1 in C1; returns the border officer's token.
async fn add_border_post(app: &TestApp) -> String {
    let c1 = app.node("C1").await;
    app.state
        .store
        .create_facility(None, "QC-1", "River quarantine centre", FacilityKind::QuarantineCentre, &c1, app.clock_now())
        .await
        .unwrap();
    app.add_border_post().await
}

fn arrival(temperature: f64, country: &str) -> Value {
    json!({
        "id": Uuid::new_v4(),
        "point_of_entry_code": "POE-1",
        "person": {"full_name": "Ivanov Pyotr", "sex": "male", "birth_year": 1980, "unit_code": "U2"},
        "travel_document": "RU1234567",
        "origin_country": country,
        "route": "bus 17",
        "arrived_on": "2026-11-23",
        "temperature_c": temperature,
        "symptoms": if temperature >= 37.5 { json!(["fever"]) } else { json!([]) }
    })
}

async fn a_febrile_arrival_is_reported_and_quarantined_in_a_facility(app: &TestApp) {
    let token = add_border_post(app).await;
    let post = |body: Value| {
        let req = app.http.post(app.url("/arrivals")).bearer_auth(&token).json(&body);
        async move {
            let r = req.send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let body = arrival(38.7, "RU");
    let (status, registered) = post(body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{registered}");
    assert_eq!(registered["intake"]["report"]["temperature_c"], 38.7, "the screening became a report");
    assert_eq!(registered["intake"]["case"]["status"], "suspected");
    assert_eq!(registered["intake"]["task"]["kind"], "investigation");
    assert_eq!(registered["order"]["place"], "facility", "all arrivals are quarantined in a facility by default");
    assert_eq!(registered["order"]["reason"], "arrival");
    let facilities: Vec<Value> = app.list("admin", "/facilities").await.1.as_array().unwrap().clone();
    let qc = facilities.iter().find(|f| f["code"] == "QC-P1").unwrap();
    assert_eq!(registered["order"]["facility_id"], qc["id"], "the quarantine centre nearest above the point of entry");
    let (again, repeat) = post(body).await;
    assert_eq!((again, repeat["created"].clone()), (StatusCode::OK, json!(false)), "the same arrival sent twice is stored once");

    let (status, well) = post(arrival(36.5, "JP")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(well["intake"].is_null(), "a well arrival files no report");

    let mut settings: Value = app.get("admin", "/settings").await.1;
    settings["entry_rules"] = json!([{"country": "JP", "rule": "home_quarantine"}]);
    let (status, saved) = app.call("admin", reqwest::Method::PUT, "/settings", Some(settings.clone())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    settings["entry_closures"] = json!([{"point_of_entry_code": "POE-1", "from": "2026-11-24", "to": "2026-12-31"}]);
    let (status, problem) = app.call("admin", reqwest::Method::PUT, "/settings", Some(settings)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "closures are border directives, not settings");
    assert!(problem["detail"].as_str().unwrap().contains("entry_closures"), "{problem}");
    let closure = json!({"id": uuid::Uuid::new_v4(), "scope_code": "P1", "terms": {
        "measure": {"kind": "border", "point_of_entry_code": "POE-1", "open": false},
        "starts_on": "2026-11-24", "ends_on": "2026-12-31", "review_on": "2026-12-07",
        "text": {"en": "POE-1 is closed", "ko": "POE-1 폐쇄"}}});
    let (status, issued) = app.post("p1_officer", "/directives", closure).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let mut home = arrival(36.5, "JP");
    home["person"]["full_name"] = json!("Sato Yuki");
    let (_, home) = post(home).await;
    assert_eq!(home["order"]["place"], "home", "the rule for the origin country applies");

    app.clock.advance(DAY);
    let mut closed = arrival(36.5, "CN");
    closed["arrived_on"] = json!("2026-11-24");
    let (status, problem) = post(closed).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "point_of_entry_code");
    assert_eq!(problem["code"], "entry_closed", "{problem}");
    assert_eq!(problem["params"]["directive_id"], issued["directive"]["id"], "the refusal cites the border directive");
    let (_, arrivals) = app.list("p1_officer", "/arrivals").await;
    assert_eq!(arrivals.as_array().unwrap().len(), 3);
}

async fn bad_quarantine_input_is_refused_with_the_field(app: &TestApp) {
    long_shifts(app).await;
    let person = app.resident("reporter_u1", "U1", "Moon Chae-won").await;
    let contact = app.resident("reporter_u1", "U1", "Moon Ji-an").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.2)).await;
    let case = id(&intake["case"]);
    let path = format!("/cases/{case}/contacts");
    let good = json!({"person_id": contact, "relation": "son", "exposure_date": "2026-11-22", "setting": "household"});
    let mut future = good.clone();
    future["exposure_date"] = json!("2026-11-24");
    let (status, problem) = app.post("worker_c1", &path, future).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("exposure_date")),
        "exposure after the report: {problem}"
    );
    let (status, listed) = app.post("worker_c1", &path, good.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");
    let (status, problem) = app.post("worker_c1", &path, good).await;
    assert_eq!(status, StatusCode::CONFLICT, "already under quarantine: {problem}");
    assert_eq!(problem["existing"]["order_id"], listed["order"]["id"], "the answer points at the order in force");

    let bad_isolation = json!({"isolation": {"place": "facility", "facility_code": "NOPE"}});
    let (status, problem) = app.call("worker_c1", reqwest::Method::PUT, &format!("/cases/{case}/investigation"), Some(bad_isolation)).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("isolation.facility_code")),
        "{problem}"
    );

    let order = id(&listed["order"]);
    let (status, problem) =
        app.post("p1_officer", &format!("/orders/{order}/extend"), json!({"ends_on": "2026-12-01", "reason": "new exposure"})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].clone()),
        (StatusCode::CONFLICT, json!("ends_on")),
        "an order cannot end before its end: {problem}"
    );
    let (status, problem) = app.post("p1_officer", &format!("/orders/{order}/release"), json!({"reason": " "})).await;
    assert_eq!((status, problem["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("reason")));
    let (status, _) = app.post("worker_c1", &format!("/orders/{order}/release"), json!({"reason": "negative test"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "early release needs a command officer");
    let (status, extended) = app
        .post("p1_officer", &format!("/orders/{order}/extend"), json!({"ends_on": "2026-12-10", "reason": "household exposure continues"}))
        .await;
    assert_eq!((status, extended["status"].clone()), (StatusCode::OK, json!("extended")));
    let (_, audit) = app.list("admin", &format!("/audit?entity=order&entity_id={order}")).await;
    assert_eq!(audit[0]["action"], "order.extend", "the extension is audited");
    assert_eq!(audit[0]["actor_id"], json!(app.seed.user("p1_officer").id));
}

async fn a_missed_visit_escalates_and_a_release_reaches_the_webhook(app: &TestApp) {
    use std::sync::{Arc, Mutex};
    // A loopback webhook that records what it receives.
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(body);
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await });
    let mut state = app.state.clone();
    state.notifier = Arc::new(cordon_server::notify::WebhookNotifier::new(hook_url));

    let person = app.resident("reporter_u1", "U1", "Kwon Si-a").await;
    let contact = app.resident("reporter_u1", "U1", "Kwon Bo-ra").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.2)).await;
    let (status, listed) = app
        .post(
            "worker_c1",
            &format!("/cases/{}/contacts", id(&intake["case"])),
            json!({"person_id": contact, "relation": "mother", "exposure_date": "2026-11-23", "setting": "household"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");

    app.clock.advance(DAY);
    let pass = cordon_server::jobs::run_due(&state).await.unwrap();
    let visit = pass
        .follow_ups
        .iter()
        .find(|t| t.order_id.map(|o| o.to_string()) == Some(id(&listed["order"])))
        .expect("a visit is due on day 1")
        .clone();
    assert_eq!(visit.deadline.to_string(), "2026-11-24T20:00:00Z", "due by the follow-up hour");
    app.clock.advance(SignedDuration::from_hours(11));
    let pass = cordon_server::jobs::run_due(&state).await.unwrap();
    assert!(pass.tasks.iter().any(|t| t.id == visit.id), "the missed visit is escalated like an investigation");
    let (_, escalations) = app.list("p1_officer", "/escalations").await;
    assert!(
        escalations.as_array().unwrap().iter().any(|e| e["kind"] == "task_overdue" && e["task_id"] == json!(visit.id)),
        "{escalations}"
    );

    let (status, released) =
        app.post("p1_officer", &format!("/orders/{}/release", id(&listed["order"])), json!({"reason": "negative PCR on day 1"})).await;
    assert_eq!((status, released["status"].clone()), (StatusCode::OK, json!("released")));
    let pass = cordon_server::jobs::run_due(&state).await.unwrap();
    assert_eq!(pass.notified, 1);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["person_id"], json!(contact), "the webhook names the person");
    assert!(got[0]["message"].as_str().unwrap().contains("released"));
    assert_eq!(cordon_server::jobs::run_due(&state).await.unwrap().notified, 0, "sent once");
}
