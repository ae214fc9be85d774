//! The community measures' pages: gatherings registered and answered (a
//! refusal citing the directive it breaks), lectures scheduled and attended
//! within their capacity with coverage per area, what residents say logged,
//! counted and answered, each form refusing bad input next to its field with
//! nothing stored, and every list kept to the viewer's subtree.

use cordon_store::audit::Table;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::{Browser, get_in_korean, location};

on_both_backends!(
    a_unit_head_registers_gatherings_and_a_refusal_cites_the_directive,
    another_provinces_gatherings_and_rumours_are_not_shown,
    lectures_are_scheduled_attended_within_capacity_and_covered,
    rumours_are_logged_counted_and_answered,
    each_role_finds_its_community_pages_in_the_navigation,
);

/// Issues a gathering limit of `max` people (any setting) to `scope` as
/// `officer`, through the API; returns the directive's id.
pub(crate) async fn limit_directive(app: &TestApp, officer: &str, scope: &str, max: u32) -> String {
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let body = json!({
        "id": Uuid::new_v4(), "scope_code": scope,
        "terms": {
            "measure": {"kind": "gathering_limit", "max_people": max, "setting": "any"},
            "starts_on": today, "review_on": today.tomorrow().unwrap(),
            "text": {"en": format!("No gatherings of more than {max}"), "ko": format!("{max}명 넘는 집회 금지")},
        },
    });
    let (status, issued) = app.post(officer, "/directives", body).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    issued["directive"]["id"].as_str().unwrap().to_owned()
}

/// A gathering form of `size` people, starting this evening.
fn gathering_form(size: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("place", "Village hall"),
        ("starts_at", "2026-11-23T18:00"),
        ("expected_size", size),
        ("setting", "indoor"),
        ("purpose", "wedding"),
    ]
}

/// Registers a gathering through the API as `user`; returns its id.
pub(crate) async fn register_gathering(app: &TestApp, user: &str, unit: &str, place: &str, size: u32) -> String {
    let body = json!({
        "id": Uuid::new_v4(), "unit_code": unit, "place": place, "starts_at": "2026-11-23T18:00:00",
        "expected_size": size, "setting": "indoor", "purpose": "wedding",
    });
    let (status, registered) = app.post(user, "/gatherings", body).await;
    assert_eq!(status, StatusCode::CREATED, "{registered}");
    registered["gathering"]["id"].as_str().unwrap().to_owned()
}

async fn a_unit_head_registers_gatherings_and_a_refusal_cites_the_directive(app: &TestApp) {
    let directive = limit_directive(app, "p1_officer", "P1", 10).await;
    let b = Browser::signed_in(app, "reporter_u1").await;
    let (status, _, page) = b.get("/gatherings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<input type="hidden" name="unit_code" value="U1">"#), "a unit head's unit is fixed: {page}");

    let (status, headers, _) = b.post("/gatherings", &gathering_form("12")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let refused = location(&headers).to_owned();
    assert!(refused.starts_with("/gatherings/"), "{refused}");
    let (_, _, answer) = b.get(&refused).await;
    assert!(answer.contains(r#"data-verdict="refused""#) && answer.contains("REFUSED"), "{answer}");
    assert!(answer.contains("No gatherings of more than 10") && answer.contains("Version 1") && answer.contains("at most 10 people"));
    assert!(answer.contains(&format!(r#"href="/directives/{directive}""#)), "the refusal links to the directive: {answer}");
    let (status, korean) = get_in_korean(&b, &refused).await;
    assert_eq!(status, StatusCode::OK);
    assert!(korean.contains("불허") && korean.contains("10명 넘는 집회 금지") && korean.contains("최대 10명"), "{korean}");

    let (_, headers, _) = b.post("/gatherings", &gathering_form("8")).await;
    let (_, _, allowed) = b.get(location(&headers)).await;
    assert!(allowed.contains(r#"data-verdict="allowed""#) && allowed.contains("keeps within the limit"), "{allowed}");

    let audit = app.count(Table::Audit).await;
    for (form, field) in [
        (vec![("expected_size", "0")], "expected_size"),
        (vec![("expected_size", "a dozen")], "expected_size"),
        (vec![("starts_at", "tonight")], "starts_at"),
        (vec![("setting", "any")], "setting"),
        (vec![("place", " ")], "place"),
    ] {
        let mut posted = gathering_form("5");
        posted.retain(|(k, _)| !form.iter().any(|(f, _)| f == k));
        posted.extend(form);
        let (status, _, page) = b.post("/gatherings", &posted).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            page.contains(&format!(r#"aria-describedby="{field}-error""#)) && page.contains(&format!(r#"id="{field}-error""#)),
            "{page}"
        );
    }
    assert_eq!(app.count(Table::Audit).await, audit, "refused forms store nothing");

    let (_, _, list) = b.get("/gatherings").await;
    assert_eq!(list.matches("data-gathering=").count(), 2, "{list}");
    assert!(list.contains(">Refused<") && list.contains(">Allowed<"), "{list}");
    let (_, listed) = app.list("p1_officer", "/gatherings").await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

async fn another_provinces_gatherings_and_rumours_are_not_shown(app: &TestApp) {
    let theirs = register_gathering(app, "reporter_u3", "U3", "Harbour market", 30).await;
    let ours = register_gathering(app, "reporter_u1", "U1", "Village hall", 6).await;
    let today = app.state.store.settings().await.unwrap().local_date(app.clock_now());
    let rumour = json!({"id": Uuid::new_v4(), "unit_code": "U3", "text": "Salt water cures it", "category": "false_remedy", "heard_on": today, "people": 4});
    let (_, logged) = app.post("reporter_u3", "/rumours", rumour).await;
    let rumour_id = logged["id"].as_str().unwrap().to_owned();

    let b = Browser::signed_in(app, "p1_officer").await;
    let (_, _, list) = b.get("/gatherings").await;
    assert!(list.contains("Village hall") && !list.contains("Harbour market"), "{list}");
    assert_eq!(b.get(&format!("/gatherings/{theirs}")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(b.get(&format!("/gatherings/{ours}")).await.0, StatusCode::OK);
    assert_eq!(b.get("/gatherings?node=P2").await.0, StatusCode::FORBIDDEN);
    let (_, _, rumours) = b.get("/rumours").await;
    assert!(!rumours.contains("Salt water"), "{rumours}");
    assert_eq!(b.get(&format!("/rumours/{rumour_id}")).await.0, StatusCode::FORBIDDEN);

    let theirs_b = Browser::signed_in(app, "p2_officer").await;
    let (_, _, list) = theirs_b.get("/gatherings").await;
    assert!(list.contains("Harbour market") && !list.contains("Village hall"), "{list}");
    let (_, _, rumours) = theirs_b.get("/rumours").await;
    assert!(rumours.contains("Salt water cures it"), "{rumours}");
}

/// Schedules a lecture through the worker's form; returns its id.
async fn schedule_lecture(b: &Browser) -> String {
    let form = [
        ("node_code", "D1"),
        ("venue", "District hospital"),
        ("topic", "hand washing"),
        ("speaker", "Dr Han"),
        ("starts_at", "2026-11-23T14:00"),
        ("capacity", "40"),
        ("audience", "residents"),
    ];
    let (status, headers, _) = b.post("/lectures", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = location(&headers);
    assert!(to.ends_with("?done=scheduled"), "{to}");
    to.trim_start_matches("/lectures/").trim_end_matches("?done=scheduled").to_owned()
}

async fn lectures_are_scheduled_attended_within_capacity_and_covered(app: &TestApp) {
    let worker = Browser::signed_in(app, "worker_c1").await;
    let audit = app.count(Table::Audit).await;
    for (field, value) in [("capacity", "many"), ("venue", ""), ("audience", "children"), ("node_code", "P2")] {
        let mut form = vec![("node_code", "D1"), ("venue", "Hall"), ("topic", "masks"), ("speaker", "Dr Han")];
        form.extend([("starts_at", "2026-11-24T10:00"), ("capacity", "40"), ("audience", "residents")]);
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let (status, _, page) = worker.post("/lectures", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {page}");
        assert!(page.contains(&format!(r#"id="{field}-error""#)), "{field}: {page}");
    }
    assert_eq!(app.count(Table::Audit).await, audit, "nothing was scheduled");
    let id = schedule_lecture(&worker).await;
    let (_, _, page) = worker.get(&format!("/lectures/{id}?done=scheduled")).await;
    assert!(page.contains("The lecture is scheduled.") && page.contains("Dr Han"), "{page}");
    let head = Browser::signed_in(app, "reporter_u1").await;
    assert_eq!(head.post("/lectures", &[("node_code", "U1")]).await.0, StatusCode::FORBIDDEN, "unit heads do not schedule");

    let (_, _, list) = head.get("/lectures").await;
    assert!(list.contains(&format!(r#"href="/lectures/{id}""#)), "D1's lecture serves U1: {list}");
    let path = format!("/lectures/{id}/attendance");
    let (status, headers, _) = head.post(&path, &[("attended", "30")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/lectures/{id}?done=attended").as_str()));
    let (status, _, page) = worker.post(&path, &[("unit_code", "U2"), ("attended", "11")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="attended-error""#) && page.contains("must not be more than the capacity (40)"), "{page}");
    let lecture: Uuid = id.parse().unwrap();
    let recorded = app.state.store.lecture_attendance(lecture, &app.node("D1").await.path).await.unwrap();
    assert_eq!(recorded.iter().map(|a| (a.unit_path.code(), a.attended)).collect::<Vec<_>>(), [("U1", 30)], "nothing stored");
    let (status, korean) = get_in_korean(&worker, &format!("/lectures/{id}")).await;
    assert!(status == StatusCode::OK && korean.contains("반별 참석") && korean.contains("주민"), "{korean}");
    assert_eq!(Browser::signed_in(app, "reporter_u3").await.get(&format!("/lectures/{id}")).await.0, StatusCode::FORBIDDEN);

    let command = Browser::signed_in(app, "p1_officer").await;
    let (_, _, coverage) = command.get("/lectures/coverage?topic=hand+washing&days=7").await;
    assert!(coverage.contains(r#"<tr data-node="C1">"#), "{coverage}");
    let c1 = coverage.split(r#"<tr data-node="C1">"#).nth(1).unwrap();
    assert!(c1.starts_with(r#"<td><a href="/lectures/coverage?node=C1&#38;topic=hand+washing&#38;days=7">C1 C1 name</a></td><td class="num">1</td><td class="num">2</td><td class="num">50%</td>"#), "{c1}");
}

async fn rumours_are_logged_counted_and_answered(app: &TestApp) {
    let head = Browser::signed_in(app, "reporter_u1").await;
    let form = |text: &'static str, category: &'static str, people: &'static str| {
        vec![("text", text), ("category", category), ("heard_on", "2026-11-23"), ("people", people)]
    };
    let (status, headers, _) = head.post("/rumours", &form("We eat garlic, so we don't get infected", "false_remedy", "5")).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/rumours?done=logged"));
    let audit = app.count(Table::Audit).await;
    let (status, _, page) = head.post("/rumours", &form("It is only a cold", "gossip", "3")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="category-error""#) && page.contains("It is only a cold"), "kept in the form: {page}");
    let (status, _, page) = head.post("/rumours", &form(" ", "gossip", "3")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="category-error""#) && page.contains(r#"id="text-error""#), "every problem at once: {page}");
    let (status, _, page) = head.post("/rumours", &form("It is only a cold", "harmless", "0")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="people-error""#), "{page}");
    assert_eq!(app.count(Table::Audit).await, audit, "nothing stored");
    let worker = Browser::signed_in(app, "worker_c1").await;
    let (status, _, _) =
        worker.post("/rumours", &[&form("Vinegar cures it", "false_remedy", "2")[..], &[("unit_code", "U2")]].concat()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let command = Browser::signed_in(app, "p1_officer").await;
    let (_, _, page) = command.get("/rumours").await;
    let garlic = page.find("We eat garlic").unwrap();
    assert!(garlic < page.find("Vinegar cures it").unwrap(), "most people first: {page}");
    let by_area = page.split(r#"id="rumours-by-area""#).nth(1).unwrap();
    assert!(
        by_area.contains(r#"<a href="/rumours?node=C1">C1 C1 name</a>"#) && by_area.contains("7 (2)"),
        "C1: 7 people, 2 rumours: {by_area}"
    );
    let by_week = page.split(r#"id="rumours-by-week""#).nth(1).unwrap();
    assert!(by_week.contains("2026-11-23"), "{by_week}");
    let (_, korean) = get_in_korean(&command, "/rumours").await;
    assert!(korean.contains("잘못된 민간요법") && korean.contains("구역별·종류별"), "{korean}");

    let id = page.split(r#"<a href="/rumours/"#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (_, _, one) = command.get(&format!("/rumours/{id}")).await;
    assert!(one.contains(r#"href="/lectures?topic=We+eat+garlic%2C+so+we+don%27t+get+infected&#38;node_code=U1""#), "{one}");
    let answer = format!("/rumours/{id}/answer");
    let (status, _, refused) = command.post(&answer, &[("en", "Garlic does not protect you."), ("ko", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains(r#"id="ko-error""#) && refused.contains("Garlic does not protect you."), "{refused}");
    assert_eq!(worker.post(&answer, &[("en", "x"), ("ko", "x")]).await.0, StatusCode::FORBIDDEN, "a worker does not answer");
    let counter = [("en", "Garlic does not protect you: wash your hands."), ("ko", "마늘은 감염을 막지 못합니다. 손을 씻으세요.")];
    let (status, headers, _) = command.post(&answer, &counter).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/rumours/{id}?done=answered").as_str()));
    let (_, _, one) = head.get(&format!("/rumours/{id}")).await;
    assert!(one.contains("마늘은 감염을 막지 못합니다") && !one.contains(r#"id="answer-form""#), "the unit head reads it: {one}");
    let (_, _, lectures) = command.get("/lectures?topic=We+eat+garlic&node_code=U1").await;
    assert!(lectures.contains(r#"value="We eat garlic""#) && lectures.contains(r#"value="U1""#), "prefilled: {lectures}");
}

async fn each_role_finds_its_community_pages_in_the_navigation(app: &TestApp) {
    let nav = |page: &str| -> Vec<String> {
        let bar = page.split("<nav aria-label=").nth(1).unwrap().split("</nav>").next().unwrap();
        ["/gatherings", "/rumours", "/lectures", "/alert-levels"]
            .iter()
            .filter(|h| bar.contains(&format!("href=\"{h}\"")))
            .map(|h| (*h).to_owned())
            .collect()
    };
    for (user, expected) in [
        ("reporter_u1", &["/gatherings", "/rumours", "/lectures"][..]),
        ("worker_c1", &["/gatherings", "/rumours", "/lectures"][..]),
        ("p1_officer", &["/gatherings", "/rumours", "/lectures", "/alert-levels"][..]),
        ("admin", &[][..]),
    ] {
        let b = Browser::signed_in(app, user).await;
        let (_, _, page) = b.get("/gatherings").await;
        assert_eq!(nav(&page), expected, "{user}");
    }
    let (_, _, page) = Browser::signed_in(app, "reporter_u1").await.get("/lectures").await;
    assert!(page.contains(">Lecture attendance<"), "a unit head's link says what they do there");
}
