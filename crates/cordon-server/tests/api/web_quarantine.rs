//! The quarantine pages: the investigation and contacts forms, follow-up
//! visits, orders extended and released, handovers taken on, arrivals at a
//! point of entry and the entry rules.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;
use crate::web::{Browser, location};

on_both_backends!(
    a_worker_records_the_investigation_contacts_and_a_follow_up_visit,
    an_officer_extends_and_releases_an_order_through_the_forms,
    an_officer_takes_on_a_handover_from_the_queue,
    a_border_officer_records_an_arrival_and_sees_the_decision,
    an_administrator_changes_the_entry_rules,
);

async fn a_worker_records_the_investigation_contacts_and_a_follow_up_visit(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Baek Su-min").await;
    let spouse = app.resident("reporter_u1", "U1", "Baek Jun-ho").await.to_string();
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.8)).await;
    let case = intake["case"]["id"].as_str().unwrap().to_owned();
    let b = Browser::signed_in(app, "worker_c1").await;

    let (status, _, page) = b.get(&format!("/cases/{case}/investigation")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<label for="sample-kind">"#));
    let path = format!("/cases/{case}/investigation");
    let (status, _, page) = b.post(&path, &[("sample.kind", "nasal_swab"), ("sample.taken_on", "soon")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="sample-taken_on-error""#), "{page}");
    let (status, _, page) = b.post(&path, &[("isolation.place", "facility"), ("isolation.facility_code", "NOPE")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="isolation-facility_code-error""#), "{page}");
    let fields = [
        ("exposure_history", "market on Saturday"),
        ("sample.kind", "nasal_swab"),
        ("sample.taken_on", "2026-11-23"),
        ("sample.result", "positive"),
        ("isolation.place", "home"),
    ];
    let (status, headers, _) = b.post(&path, &fields).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/cases/{case}?saved=1").as_str()));
    let (_, body) = app.get("p1_officer", &format!("/cases/{case}")).await;
    assert_eq!(body["status"], "confirmed", "a positive result confirms the case");

    let path = format!("/cases/{case}/contacts");
    let (status, _, page) =
        b.post(&path, &[("person_id", spouse.as_str()), ("exposure_date", "2026-11-23"), ("setting", "household")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="relation-error""#), "{page}");
    let contact = [("person_id", spouse.as_str()), ("relation", "spouse"), ("exposure_date", "2026-11-22"), ("setting", "household")];
    let (status, _, _) = b.post(&path, &contact).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = b.get(&path).await;
    assert!(page.contains("Baek Jun-ho") && page.contains("spouse"), "{page}");

    // The next morning the contact's follow-up visit is due.
    app.advance_and_run_jobs(jiff::SignedDuration::from_hours(16)).await;
    let (_, tasks) = app.list("worker_c1", "/tasks?mine=true&open=true").await;
    let visit =
        tasks.as_array().unwrap().iter().find(|t| t["kind"] == "follow_up").expect("a follow-up task")["id"].as_str().unwrap().to_owned();
    let b = Browser::signed_in(app, "worker_c1").await; // the 12-hour session ended overnight
    let (_, _, page) = b.get("/tasks").await;
    assert!(page.contains(&format!("/tasks/{visit}/visit")));
    let (status, _, page) = b.post(&format!("/tasks/{visit}/visit"), &[("seen", "no"), ("temperature_c", "36.6")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains(r#"class="field-error" role="alert""#));
    let (status, headers, _) = b.post(&format!("/tasks/{visit}/visit"), &[("seen", "yes"), ("temperature_c", "36.6")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/tasks?done=visited"));
    let (_, task) = app.get("worker_c1", &format!("/tasks/{visit}")).await;
    assert_eq!(task["status"], "done");
}

/// A contact of a case in U1 listed through the API; returns (order id, name).
async fn quarantined_contact(app: &TestApp, unit: &str, name: &str) -> (String, serde_json::Value) {
    let person = app.resident("reporter_u1", "U1", "Index Case").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.8)).await;
    let case = intake["case"]["id"].as_str().unwrap().to_owned();
    let contact = serde_json::json!({
        "new_person": {"full_name": name, "sex": "female", "birth_year": 1988, "unit_code": unit},
        "relation": "friend", "exposure_date": "2026-11-23", "setting": "gathering"
    });
    let (status, listed) = app.post("worker_c1", &format!("/cases/{case}/contacts"), contact).await;
    assert_eq!(status, StatusCode::CREATED, "{listed}");
    (listed["order"]["id"].as_str().unwrap().to_owned(), listed)
}

async fn an_officer_extends_and_releases_an_order_through_the_forms(app: &TestApp) {
    let (order, _) = quarantined_contact(app, "U2", "Han Seo-yeon").await;
    let b = Browser::signed_in(app, "p1_officer").await;
    let (status, _, list) = b.get("/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Han Seo-yeon") && list.contains(&format!(r#"href="/orders/{order}""#)), "{list}");
    assert!(list.contains("2026-12-07") && list.contains(r#"<td class="num">14</td>"#), "end and days left: {list}");
    let (_, _, released) = b.get("/orders?status=released").await;
    assert!(!released.contains("Han Seo-yeon"), "the filter keeps only released orders");
    assert_eq!(b.get("/orders?status=sleeping").await.0, StatusCode::BAD_REQUEST);
    let (_, _, page) = b.get(&format!("/orders/{order}")).await;
    assert!(
        page.contains(&format!(r#"action="/orders/{order}/extend""#)) && page.contains(&format!(r#"action="/orders/{order}/release""#))
    );
    // The order's daily follow-up visit shows on the board, linked to the order, with its worker.
    app.clock.advance(jiff::SignedDuration::from_hours(24));
    let pass = cordon_server::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(pass.follow_ups.len(), 1);
    let b = Browser::signed_in(app, "p1_officer").await;
    let (_, _, board) = b.get("/board").await;
    assert!(board.contains(&format!(r#"href="/orders/{order}">Follow-up visit — "#)), "{board}");

    // Refusals come back next to their field and change nothing.
    let extend = format!("/orders/{order}/extend");
    let (status, _, page) = b.post(&extend, &[("ends_on", "2026-12-01"), ("reason", "new exposure")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="extend-ends_on-error""#) && page.contains("is not after the current end"), "{page}");
    let (status, _, page) = b.post(&extend, &[("ends_on", "2026-12-10"), ("reason", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="extend-reason-error""#) && page.contains(r#"value="2026-12-10""#), "{page}");
    let (_, unchanged) = app.get("p1_officer", &format!("/orders/{order}")).await;
    assert_eq!((unchanged["ends_on"].as_str(), unchanged["status"].as_str()), (Some("2026-12-07"), Some("active")));

    let (status, headers, _) = b.post(&extend, &[("ends_on", "2026-12-10"), ("reason", "household exposure continues")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/orders/{order}?done=extended").as_str()));
    let (_, _, page) = b.get(&format!("/orders/{order}?done=extended")).await;
    assert!(
        page.contains("The order was extended.") && page.contains("household exposure continues"),
        "the history keeps the reason: {page}"
    );
    assert!(page.contains("<td>Extended</td>") && page.contains("<td>p1_officer</td>"), "{page}");

    let release = format!("/orders/{order}/release");
    let (status, _, page) = b.post(&release, &[("reason", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="release-reason-error""#), "{page}");
    let worker = Browser::signed_in(app, "worker_c1").await;
    let (status, _, page) = worker.get(&format!("/orders/{order}")).await;
    assert_eq!(status, StatusCode::OK, "a worker may read the order");
    assert!(!page.contains(&release), "but is not offered the forms");
    assert_eq!(worker.post(&release, &[("reason", "negative test")]).await.0, StatusCode::FORBIDDEN);
    let (_, extended) = app.get("p1_officer", &format!("/orders/{order}")).await;
    assert_eq!(extended["status"], "extended");

    let (status, headers, _) = b.post(&release, &[("reason", "negative PCR")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/orders/{order}?done=released").as_str()));
    let (_, released) = app.get("p1_officer", &format!("/orders/{order}")).await;
    assert_eq!(released["status"], "released");
    let (_, _, page) = b.get(&format!("/orders/{order}")).await;
    assert!(page.contains("negative PCR") && !page.contains(&release), "a released order offers no more forms");
}

async fn an_officer_takes_on_a_handover_from_the_queue(app: &TestApp) {
    let (order, listed) = quarantined_contact(app, "U3", "Gong Yu-na").await;
    let handover = listed["handover"]["id"].as_str().expect("a contact living in P2 is handed over").to_owned();
    let p1 = Browser::signed_in(app, "p1_officer").await;
    let (_, _, page) = p1.get("/handovers").await;
    assert!(!page.contains("Gong Yu-na"), "P1 does not receive it");
    let b = Browser::signed_in(app, "p2_officer").await;
    let (status, _, page) = b.get("/handovers").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Gong Yu-na") && page.contains(&format!("/orders/{order}")), "{page}");
    let accept = format!("/handovers/{handover}/accept");
    assert!(page.contains(&accept));
    let reporter = Browser::signed_in(app, "reporter_u3").await;
    assert_eq!(reporter.post(&accept, &[]).await.0, StatusCode::FORBIDDEN, "a reporter cannot take it on");
    let (status, headers, _) = b.post(&accept, &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/handovers?done=accepted"));
    let (_, list) = app.list("p2_officer", "/handovers").await;
    assert_eq!(list[0]["accepted_by"], serde_json::json!(app.seed.user("p2_officer").id));
    let (_, _, page) = b.get("/handovers?done=accepted").await;
    assert!(page.contains("Handover taken on.") && !page.contains(&accept), "{page}");
}

async fn a_border_officer_records_an_arrival_and_sees_the_decision(app: &TestApp) {
    app.add_border_post().await;
    let (_, headers, _) = Browser::new(app).post("/sign-in", &[("username", "border_p1"), ("password", PASSWORD)]).await;
    assert_eq!(location(&headers), "/arrivals", "the border officer lands on the arrivals page");
    let b = Browser::signed_in(app, "border_p1").await;
    let (status, _, page) = b.get("/arrivals").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<option value="POE-1""#) && page.contains(r#"href="/arrivals""#), "{page}");
    assert!(page.contains("Quarantine in a facility"), "the entry rules are shown: {page}");

    let id = Uuid::new_v4().to_string();
    let mut form = vec![
        ("id", id.as_str()),
        ("point_of_entry_code", "POE-1"),
        ("person.full_name", "Ivanov Pyotr"),
        ("person.sex", "male"),
        ("person.birth_year", "1980"),
        ("person.unit_code", "U2"),
        ("travel_document", "RU1234567"),
        ("origin_country", "RU"),
        ("route", "bus 17"),
        ("arrived_on", "2026-11-23"),
        ("temperature_c", "hot"),
        ("symptoms", "fever"),
    ];
    let (status, _, page) = b.post("/arrivals", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="temperature_c-error""#) && page.contains(r#"value="RU1234567""#), "{page}");
    form[10] = ("temperature_c", "38,7");
    form[7] = ("origin_country", "Russia");
    let (status, _, page) = b.post("/arrivals", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="origin_country-error""#) && page.contains("two-letter"), "{page}");
    form[7] = ("origin_country", "RU");
    form[5] = ("person.unit_code", "NOWHERE");
    let (status, _, page) = b.post("/arrivals", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="person-unit_code-error""#), "{page}");
    assert_eq!(app.count(cordon_store::audit::Table::Reports).await, 0, "nothing was stored");

    form[5] = ("person.unit_code", "U2");
    let (status, headers, _) = b.post("/arrivals", &form).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/arrivals?registered={id}").as_str()));
    let (status, _, _) = b.post("/arrivals", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the form sent twice is stored once");
    let (_, arrivals) = app.list("p1_officer", "/arrivals").await;
    assert_eq!(arrivals.as_array().unwrap().len(), 1);

    let (_, _, page) = b.get(&format!("/arrivals?registered={id}")).await;
    let decision = page.split(r#"id="decision""#).nth(1).expect("the decision is shown").split("</div>").next().unwrap();
    assert!(decision.contains("Ivanov Pyotr") && decision.contains("Provincial quarantine centre (QC-P1)"), "{decision}");
    assert!(decision.contains("until 2026-12-07") && decision.contains("Report filed") && decision.contains("Suspected"), "{decision}");
    assert!(page.contains("38.7 °C") && page.contains("RU · bus 17"), "{page}");
}

async fn an_administrator_changes_the_entry_rules(app: &TestApp) {
    app.add_border_post().await;
    let admin = Browser::signed_in(app, "admin").await;
    let (status, _, page) = admin.get("/entry-rules").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"action="/entry-rules/countries""#));
    let (status, _, page) = admin.post("/entry-rules/countries", &[("country", "Japan"), ("rule", "home_quarantine")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="country-error""#), "{page}");
    let (_, settings) = app.get("admin", "/settings").await;
    assert!(settings["entry_rules"].as_array().unwrap().is_empty() && settings.get("entry_closures").is_none());

    let (status, headers, _) = admin.post("/entry-rules/countries", &[("country", "jp"), ("rule", "home_quarantine")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/entry-rules?done=saved"));
    let (_, settings) = app.get("admin", "/settings").await;
    assert_eq!(settings["entry_rules"], serde_json::json!([{"country": "JP", "rule": "home_quarantine"}]));
    assert!(!admin.get("/entry-rules").await.2.contains(r#"action="/entry-rules/closures""#), "closing is a command officer's directive");

    let officer = Browser::signed_in(app, "p1_officer").await;
    let close = |from: &'static str, to: &'static str| [("point_of_entry_code", "POE-1"), ("from", from), ("to", to)];
    let (status, _, page) = officer.post("/entry-rules/closures", &close("2026-12-10", "2026-12-01")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="to-error""#), "{page}");
    assert!(app.list("p1_officer", "/directives").await.1.as_array().unwrap().is_empty(), "nothing issued");
    let (status, headers, _) = officer.post("/entry-rules/closures", &close("2026-12-01", "2026-12-10")).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/entry-rules?done=closed"));
    let (_, directives) = app.list("p1_officer", "/directives").await;
    assert_eq!(
        directives[0]["versions"][0]["terms"]["measure"],
        serde_json::json!({"kind": "border", "point_of_entry_code": "POE-1", "open": false})
    );
    let (_, _, page) = officer.get("/arrivals").await;
    assert!(page.contains("<strong>JP</strong>: Quarantine at home") && page.contains("2026-12-01 – 2026-12-10"), "{page}");
    let (_, _, rules) = admin.get("/entry-rules").await;
    assert!(
        rules.contains("2026-12-01 – 2026-12-10") && rules.contains("Border directive, version 1"),
        "anyone reads the closures: {rules}"
    );
    let id = directives[0]["id"].as_str().unwrap().to_owned();
    let (status, headers, _) = officer.post("/entry-rules/closures/reopen", &[("directive_id", id.as_str())]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/entry-rules?done=reopened"));
    assert!(!officer.get("/entry-rules").await.2.contains("2026-12-01 – 2026-12-10"), "reopened: the closure is gone");
    assert_eq!(officer.post("/entry-rules/countries", &[("country", "CN"), ("rule", "no_quarantine")]).await.0, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.post("/entry-rules/countries/remove", &[("country", "JP")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, settings) = app.get("admin", "/settings").await;
    assert!(settings["entry_rules"].as_array().unwrap().is_empty());
}
