//! Directives in the store, on both databases: issued to a province they
//! reach exactly the users below it, acknowledgement is counted per unit, an
//! amendment applies from its day only, and refusals store nothing.

use cordon_core::directive::{Amendment, DirectiveInput, Evidence, Measure, Setting, Terms, Texts, in_force};
use cordon_core::gathering::{self, Verdict};
use cordon_store::StoreError;
use cordon_store::audit::Table;
use jiff::civil::Date;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(a_directive_to_a_province_reaches_the_users_below_and_counts_their_units, refused_directives_store_nothing);

fn terms(max_people: u32, starts_on: Date) -> Terms {
    Terms {
        measure: Measure::GatheringLimit { max_people, setting: Setting::Any },
        starts_on,
        ends_on: None,
        review_on: starts_on.tomorrow().unwrap(),
        text: Texts { en: format!("No gatherings of more than {max_people}"), ko: format!("{max_people}명 넘는 집회 금지") },
        evidence: Evidence { note: Some("Cluster at a wedding".into()), ..Evidence::default() },
    }
}

async fn a_directive_to_a_province_reaches_the_users_below_and_counts_their_units(app: &TestApp) {
    let (store, now) = (&app.state.store, app.clock_now());
    let today = store.settings().await.unwrap().local_date(now);
    let officer = app.seed.user("nation_officer");
    let input = DirectiveInput::new(Uuid::new_v4(), "P1", terms(10, today));
    let issued = store.issue_directive(officer, &input, now).await.unwrap();
    assert!(issued.created);
    let again = store.issue_directive(officer, &input, now).await.unwrap();
    assert!(!again.created && again.directive == issued.directive, "sent again: the one stored");

    for (user, addressed) in
        [("reporter_u1", true), ("worker_c1", true), ("p1_officer", true), ("reporter_u3", false), ("p2_officer", false)]
    {
        let over = store.directives_over(&app.seed.user(user).node_path).await.unwrap();
        assert_eq!(over.iter().any(|d| d.id == input.id), addressed, "{user}");
    }
    assert_eq!(store.directives_under(&app.seed.user("p1_officer").node_path, 50).await.unwrap().len(), 1);
    let queued = store.pending_notifications(100).await.unwrap();
    let mut told: Vec<Uuid> = queued.iter().filter(|n| n.directive_id == Some(input.id)).filter_map(|n| n.user_id).collect();
    let mut in_p1: Vec<Uuid> = ["p1_officer", "worker_c1", "worker_p1", "reporter_u1"].iter().map(|u| app.seed.user(u).id).collect();
    told.sort();
    in_p1.sort();
    assert_eq!(told, in_p1, "every user in the scope is sent it through the notifier, once");
    assert!(store.directives_under(&app.seed.user("p2_officer").node_path, 50).await.unwrap().is_empty());

    let coverage = |d| async move { store.directive_coverage(&d).await.unwrap() };
    let before = coverage(issued.directive.clone()).await;
    assert_eq!((before[0].acknowledged, before[0].units), (0, 2), "U1 and U2 are the units of P1");
    assert!(store.acknowledge_directive(app.seed.user("reporter_u1"), input.id, now).await.unwrap());
    assert!(!store.acknowledge_directive(app.seed.user("reporter_u1"), input.id, now).await.unwrap(), "once is enough");
    let after = coverage(issued.directive.clone()).await;
    assert_eq!((after[0].acknowledged, after[0].units, after[0].pending()), (1, 2, 1));
    let outside = store.acknowledge_directive(app.seed.user("reporter_u3"), input.id, now).await;
    assert!(matches!(outside, Err(StoreError::Invalid(ref i)) if i.errors[0].field == "id"), "{outside:?}");

    let from = today.checked_add(jiff::Span::new().days(3)).unwrap();
    let amended = store.amend_directive(officer, input.id, &Amendment::new(terms(20, from), "cases falling"), now).await.unwrap();
    let stored = store.directive(input.id).await.unwrap().unwrap();
    assert_eq!(stored, amended);
    let unit = &app.seed.user("reporter_u1").node_path;
    let all = [stored];
    let check = |day| gathering::check(&in_force(&all, unit, day), 12, Setting::Indoor);
    assert!(matches!(check(today), Verdict::Refused { limit } if limit.version == 1 && limit.max_people == 10));
    assert!(matches!(check(from), Verdict::Allowed { limit: Some(limit) } if limit.version == 2));
}

async fn refused_directives_store_nothing(app: &TestApp) {
    let (store, now) = (&app.state.store, app.clock_now());
    let today = store.settings().await.unwrap().local_date(now);
    let audit = app.count(Table::Audit).await;
    let p2 = DirectiveInput::new(Uuid::new_v4(), "P2", terms(10, today));
    let outside = store.issue_directive(app.seed.user("p1_officer"), &p2, now).await;
    assert!(matches!(outside, Err(StoreError::NodeRefused(_))), "{outside:?}");
    let bad = DirectiveInput::new(Uuid::new_v4(), "P1", terms(0, today));
    let refused = store.issue_directive(app.seed.user("p1_officer"), &bad, now).await;
    assert!(matches!(refused, Err(StoreError::Invalid(ref i)) if i.errors[0].field == "terms.measure.max_people"), "{refused:?}");
    let worker = store.issue_directive(app.seed.user("worker_c1"), &DirectiveInput { scope_code: "C1".into(), ..bad.clone() }, now).await;
    assert!(worker.is_err());
    assert_eq!(app.count(Table::Audit).await, audit, "nothing was written");
    assert!(store.directives_under(&app.seed.user("nation_officer").node_path, 50).await.unwrap().is_empty());
}

on_both_backends!(the_api_issues_delivers_and_counts_directives, bad_directives_are_problems_naming_the_field);

fn body(scope: &str, today: Date) -> serde_json::Value {
    serde_json::json!({
        "id": Uuid::new_v4(), "scope_code": scope,
        "terms": {
            "measure": {"kind": "gathering_limit", "max_people": 10, "setting": "any"},
            "starts_on": today, "review_on": today.tomorrow().unwrap(),
            "text": {"en": "No gatherings of more than 10", "ko": "10명 넘는 집회 금지"},
        },
    })
}

async fn the_api_issues_delivers_and_counts_directives(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let (status, issued) = app.post("p1_officer", "/directives", body("P1", today)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let id = issued["directive"]["id"].as_str().unwrap().to_owned();
    let (_, mine) = app.list("reporter_u1", "/directives/addressed").await;
    assert_eq!((mine[0]["directive"]["id"].as_str(), mine[0]["acknowledged"].as_bool()), (Some(id.as_str()), Some(false)), "{mine}");
    let (_, events) = app.list("reporter_u1", "/events").await;
    assert!(events.as_array().unwrap().iter().any(|e| e["kind"] == "directive_issued"), "the unit head received it live: {events}");
    let (_, theirs) = app.list("reporter_u3", "/directives/addressed").await;
    assert_eq!(theirs, serde_json::json!([]), "not addressed to P2");
    assert_eq!(app.get("reporter_u3", &format!("/directives/{id}")).await.0, StatusCode::NOT_FOUND);

    let (status, ack) = app.post("reporter_u1", &format!("/directives/{id}/acknowledge"), serde_json::json!({})).await;
    assert_eq!((status, ack["first"].as_bool()), (StatusCode::OK, Some(true)), "{ack}");
    let (status, coverage) = app.get("p1_officer", &format!("/directives/{id}/coverage")).await;
    assert_eq!(status, StatusCode::OK);
    let scope = &coverage["acknowledged"][0];
    assert_eq!((scope["acknowledged"].as_u64(), scope["units"].as_u64()), (Some(1), Some(2)), "{coverage}");
    assert!(coverage["lectures"].is_null(), "a gathering limit has no lectures: {coverage}");
    let (status, reminded) = app.post("p1_officer", &format!("/directives/{id}/remind"), serde_json::json!({})).await;
    assert_eq!((status, reminded["users"].as_u64()), (StatusCode::OK, Some(3)), "all but U1's head, who acknowledged: {reminded}");
    let queued = app.state.store.pending_notifications(100).await.unwrap();
    let head = app.seed.user("reporter_u1").id;
    let reminders: Vec<_> = queued.iter().filter(|n| n.message.starts_with("Reminder:")).collect();
    assert!(reminders.len() == 3 && reminders.iter().all(|n| n.user_id != Some(head)), "{reminders:?}");
    assert_eq!(app.post("p2_officer", &format!("/directives/{id}/remind"), serde_json::json!({})).await.0, StatusCode::FORBIDDEN);
    let (status, refused) = app.post("reporter_u3", &format!("/directives/{id}/acknowledge"), serde_json::json!({})).await;
    assert_eq!((status, refused["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not_addressed")), "{refused}");

    let revoke = serde_json::json!({"from": today, "reason": "cluster contained"});
    let (status, revoked) = app.post("p1_officer", &format!("/directives/{id}/revoke"), revoke).await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["revoked"]["reason"], "cluster contained");
}

async fn bad_directives_are_problems_naming_the_field(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let audit = app.count(Table::Audit).await;
    let with = |key: &str, value: serde_json::Value| {
        let mut b = body("P1", today);
        if key == "scope_code" {
            b[key] = value;
        } else {
            b["terms"][key] = value;
        }
        b
    };
    let yesterday = today.yesterday().unwrap();
    let cases = [
        (
            with("measure", serde_json::json!({"kind": "gathering_limit", "max_people": 0, "setting": "any"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "terms.measure.max_people",
        ),
        (with("ends_on", serde_json::json!(yesterday)), StatusCode::UNPROCESSABLE_ENTITY, "terms.ends_on"),
        (with("review_on", serde_json::json!(yesterday)), StatusCode::UNPROCESSABLE_ENTITY, "terms.review_on"),
        (with("scope_code", serde_json::json!("P2")), StatusCode::FORBIDDEN, "scope_code"),
        (with("measure", serde_json::json!({"kind": "curfew"})), StatusCode::BAD_REQUEST, "terms.measure"),
    ];
    for (b, expected, field) in cases {
        let (status, problem) = app.post("p1_officer", "/directives", b.clone()).await;
        assert_eq!(status, expected, "{b} → {problem}");
        assert!(problem["errors"][0]["field"].as_str().is_some_and(|f| f.starts_with(field)), "{b} → {problem}");
    }
    assert_eq!(app.post("reporter_u1", "/directives", body("U1", today)).await.0, StatusCode::FORBIDDEN, "a reporter issues nothing");
    assert_eq!(app.count(Table::Audit).await, audit, "nothing was stored");
}

on_both_backends!(gatherings_are_checked_against_the_limit_in_force);

async fn gatherings_are_checked_against_the_limit_in_force(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let (_, issued) = app.post("p1_officer", "/directives", body("P1", today)).await;
    let directive = issued["directive"]["id"].clone();
    let gathering = |size: u32, unit: &str| {
        serde_json::json!({
            "id": Uuid::new_v4(), "unit_code": unit, "place": "Village hall", "starts_at": today.at(18, 0, 0, 0),
            "expected_size": size, "setting": "indoor", "purpose": "wedding",
        })
    };
    let (status, twelve) = app.post("reporter_u1", "/gatherings", gathering(12, "U1")).await;
    assert_eq!(status, StatusCode::CREATED, "{twelve}");
    let verdict = &twelve["gathering"]["verdict"];
    assert_eq!(
        (verdict["verdict"].as_str(), &verdict["limit"]["directive_id"], verdict["limit"]["version"].as_u64()),
        (Some("refused"), &directive, Some(1)),
        "{twelve}"
    );
    let (_, eight) = app.post("reporter_u1", "/gatherings", gathering(8, "U1")).await;
    assert_eq!(eight["gathering"]["verdict"]["verdict"], "allowed", "{eight}");
    let (_, elsewhere) = app.post("reporter_u3", "/gatherings", gathering(12, "U3")).await;
    assert_eq!(elsewhere["gathering"]["verdict"], serde_json::json!({"verdict": "allowed", "limit": null}), "no limit in P2: {elsewhere}");
    let (_, listed) = app.list("p1_officer", "/gatherings").await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "both kept, refused or not: {listed}");

    let audit = app.count(Table::Audit).await;
    for (body, status, field) in [
        (gathering(0, "U1"), StatusCode::UNPROCESSABLE_ENTITY, "expected_size"),
        (gathering(5, "U3"), StatusCode::FORBIDDEN, "unit_code"),
        (gathering(5, "NOWHERE"), StatusCode::UNPROCESSABLE_ENTITY, "unit_code"),
    ] {
        let (got, problem) = app.post("reporter_u1", "/gatherings", body).await;
        assert_eq!((got, problem["errors"][0]["field"].as_str()), (status, Some(field)), "{problem}");
    }
    assert_eq!(app.count(Table::Audit).await, audit, "refused registrations store nothing");
}

on_both_backends!(alert_levels_are_recommended_set_and_kept_with_their_reasons);

async fn alert_levels_are_recommended_set_and_kept_with_their_reasons(app: &TestApp) {
    let (status, recommended) = app.get("p1_officer", "/alert-levels/P1/recommendation").await;
    assert_eq!(status, StatusCode::OK, "{recommended}");
    // No case, but no unit filed yesterday's daily report: the rules cannot
    // see, and call for watchfulness.
    assert_eq!(recommended["recommendation"]["level"], 1, "{recommended}");
    assert_eq!(recommended["recommendation"]["reasons"], serde_json::json!([{"signal": "silent_units", "share": 1.0}]));
    let (status, set) =
        app.post("p1_officer", "/alert-levels", serde_json::json!({"node_code": "P1", "level": 2, "note": "wedding cluster"})).await;
    assert_eq!(status, StatusCode::CREATED, "{set}");
    assert_eq!(
        (set["level"].as_u64(), set["recommendation"]["level"].as_u64()),
        (Some(2), Some(1)),
        "the decision and the recommendation are both kept"
    );
    let (_, levels) = app.list("nation_officer", "/alert-levels").await;
    assert_eq!(levels.as_array().unwrap().len(), 1, "{levels}");
    let (_, again) = app.get("p1_officer", "/alert-levels/P1/recommendation").await;
    assert_eq!(again["signals"]["current"], 2, "{again}");
    let (_, events) = app.list("reporter_u1", "/events").await;
    assert!(events.as_array().unwrap().iter().any(|e| e["kind"] == "alert_level_set"), "units below hear of it: {events}");
    let (_, history) = app.list("p1_officer", "/alert-levels/P1/history").await;
    assert_eq!(history[0]["note"], "wedding cluster");
    for (user, body, status, field) in [
        ("p1_officer", serde_json::json!({"node_code": "P1", "level": 4}), StatusCode::UNPROCESSABLE_ENTITY, "level"),
        ("p1_officer", serde_json::json!({"node_code": "P2", "level": 1}), StatusCode::FORBIDDEN, "node_code"),
        ("reporter_u1", serde_json::json!({"node_code": "U1", "level": 1}), StatusCode::FORBIDDEN, ""),
    ] {
        let (got, problem) = app.post(user, "/alert-levels", body).await;
        assert_eq!(got, status, "{problem}");
        assert_eq!(problem["errors"][0]["field"].as_str().unwrap_or(""), field, "{problem}");
    }
}

on_both_backends!(rumours_are_counted_by_week_and_category_and_answered);

async fn rumours_are_counted_by_week_and_category_and_answered(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let rumour = |text: &str, category: &str, people: u32, unit: &str| serde_json::json!({"id": Uuid::new_v4(), "unit_code": unit, "text": text, "category": category, "heard_on": today, "people": people});
    let (status, garlic) =
        app.post("reporter_u1", "/rumours", rumour("We eat garlic, so we don't get infected", "false_remedy", 5, "U1")).await;
    assert_eq!(status, StatusCode::CREATED, "{garlic}");
    app.post("reporter_u1", "/rumours", rumour("It is just a cold", "harmless", 3, "U1")).await;
    app.post("worker_c1", "/rumours", rumour("Vinegar cures it", "false_remedy", 2, "U2")).await;
    app.post("reporter_u3", "/rumours", rumour("It is just a cold", "harmless", 9, "U3")).await;
    let (_, week) = app.list("p1_officer", "/rumours").await;
    let texts: Vec<&str> = week.as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["We eat garlic, so we don't get infected", "It is just a cold", "Vinegar cures it"], "P1's, most people first");
    let (_, counts) = app.get("p1_officer", "/rumours/counts").await;
    let by_category: Vec<(&str, i64, i64)> = counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["category"].as_str().unwrap(), c["rumours"].as_i64().unwrap(), c["people"].as_i64().unwrap()))
        .collect();
    assert_eq!(by_category, [("false_remedy", 2, 7), ("harmless", 1, 3)], "{counts}");
    let id = garlic["id"].as_str().unwrap();
    let counter = serde_json::json!({"en": "Garlic does not protect you: wash your hands and keep apart.", "ko": "마늘은 감염을 막지 못합니다. 손을 씻고 거리를 두세요."});
    let (status, answered) = app.post("p1_officer", &format!("/rumours/{id}/answer"), counter.clone()).await;
    assert_eq!((status, &answered["answer"]), (StatusCode::OK, &counter), "{answered}");
    assert_eq!(app.post("p2_officer", &format!("/rumours/{id}/answer"), counter).await.0, StatusCode::FORBIDDEN);
    let (status, problem) = app.post("reporter_u1", "/rumours", rumour(" ", "fear", 0, "U1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["text", "people"]);
}

on_both_backends!(lectures_are_attended_within_capacity_and_counted_as_coverage);

async fn lectures_are_attended_within_capacity_and_counted_as_coverage(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let lecture = serde_json::json!({
        "id": Uuid::new_v4(), "node_code": "D1", "venue": "District hospital", "topic": "hand washing",
        "speaker": "Dr Han", "starts_at": today.at(14, 0, 0, 0), "capacity": 40, "audience": "residents",
    });
    assert_eq!(
        app.post("reporter_u1", "/lectures", lecture.clone()).await.0,
        StatusCode::FORBIDDEN,
        "unit heads record attendance, workers schedule"
    );
    let (status, scheduled) = app.post("worker_c1", "/lectures", lecture).await;
    assert_eq!(status, StatusCode::CREATED, "{scheduled}");
    let id = scheduled["id"].as_str().unwrap();
    let attend = |unit: &str, attended: u32| serde_json::json!({"unit_code": unit, "attended": attended});
    let (status, first) = app.post("reporter_u1", &format!("/lectures/{id}/attendance"), attend("U1", 30)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, over) = app.post("worker_c1", &format!("/lectures/{id}/attendance"), attend("U2", 11)).await;
    assert_eq!((status, over["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("above_capacity")), "{over}");
    assert_eq!(
        app.post("reporter_u1", &format!("/lectures/{id}/attendance"), attend("U1", 35)).await.0,
        StatusCode::OK,
        "a unit's figure is replaced, not added"
    );
    let (status, elsewhere) = app.post("reporter_u3", &format!("/lectures/{id}/attendance"), attend("U3", 5)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "U3 is not served by D1's lecture: {elsewhere}");
    let (_, coverage) = app.get("p1_officer", "/lectures/coverage?topic=hand%20washing").await;
    assert_eq!(coverage, serde_json::json!({"covered": 1, "units": 2}));
    let (_, other) = app.get("p1_officer", "/lectures/coverage?topic=masks").await;
    assert_eq!(other, serde_json::json!({"covered": 0, "units": 2}));
}

on_both_backends!(units_that_do_not_acknowledge_by_the_deadline_escalate_once);

async fn units_that_do_not_acknowledge_by_the_deadline_escalate_once(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let (_, issued) = app.post("p1_officer", "/directives", body("P1", today)).await;
    let id = issued["directive"]["id"].as_str().unwrap().to_owned();
    app.post("reporter_u1", &format!("/directives/{id}/acknowledge"), serde_json::json!({})).await;
    let early = app.advance_and_run_jobs(jiff::SignedDuration::from_hours(23)).await;
    assert!(early.unacknowledged.is_empty(), "within the day, nobody is late");
    let late = app.advance_and_run_jobs(jiff::SignedDuration::from_hours(2)).await;
    let units: Vec<&str> = late.unacknowledged.iter().map(|e| e.subject_path.as_str()).collect();
    assert_eq!(units, [app.node("U2").await.path.as_str()], "U1 acknowledged; U2 did not");
    assert_eq!(late.unacknowledged[0].directive_id.map(|d| d.to_string()), Some(id));
    let again = app.advance_and_run_jobs(jiff::SignedDuration::from_hours(2)).await;
    assert!(again.unacknowledged.is_empty(), "once per unit and directive");
    let (_, escalations) = app.list("p1_officer", "/escalations").await;
    assert!(escalations.as_array().unwrap().iter().any(|e| e["kind"] == "directive_unacknowledged"), "{escalations}");
}

on_both_backends!(a_lecture_order_shows_its_lectures_coverage_against_its_target);

async fn a_lecture_order_shows_its_lectures_coverage_against_its_target(app: &TestApp) {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let mut order = body("P1", today);
    order["terms"]["measure"] = serde_json::json!({"kind": "lecture_order", "topic": "masks", "audience": "residents", "by": today.tomorrow().unwrap(), "coverage_target": 0.5});
    let (status, issued) = app.post("p1_officer", "/directives", order).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let id = issued["directive"]["id"].as_str().unwrap().to_owned();
    let (_, before) = app.get("p1_officer", &format!("/directives/{id}/coverage")).await;
    assert_eq!(before["lectures"], serde_json::json!({"coverage": {"covered": 0, "units": 2}, "target": 0.5, "met": false}));
    let lecture = serde_json::json!({
        "id": Uuid::new_v4(), "node_code": "D1", "venue": "District hospital", "topic": "masks",
        "speaker": "Dr Han", "starts_at": today.at(15, 0, 0, 0), "capacity": 40, "audience": "residents",
    });
    let (_, scheduled) = app.post("worker_c1", "/lectures", lecture).await;
    let lecture_id = scheduled["id"].as_str().unwrap();
    app.post("reporter_u1", &format!("/lectures/{lecture_id}/attendance"), serde_json::json!({"unit_code": "U1", "attended": 12})).await;
    let (_, after) = app.get("p1_officer", &format!("/directives/{id}/coverage")).await;
    assert_eq!(after["lectures"], serde_json::json!({"coverage": {"covered": 1, "units": 2}, "target": 0.5, "met": true}));
}
