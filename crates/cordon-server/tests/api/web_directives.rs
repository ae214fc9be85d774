//! The directive pages: an officer issues a directive through the form, bad
//! input comes back next to its inputs and stores nothing, a unit head sees
//! it on their home page and acknowledges it, the coverage on the directive's
//! page and on the board moves, and the officer reminds, amends and revokes;
//! a user outside the scope never sees it; the pages speak Korean. Also the
//! store reads behind them: counts per area, what a unit acknowledged, and a
//! fixed number of reads however many directives the board shows.

use cordon_core::directive::{DirectiveInput, Evidence, Measure, Setting, Terms, Texts};
use cordon_store::audit::Table;
use jiff::civil::Date;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::{Browser, location};

on_both_backends!(
    an_officer_issues_a_directive_and_a_unit_head_acknowledges_it_from_the_home_page,
    bad_directive_input_comes_back_next_to_its_inputs_and_stores_nothing,
    an_officer_reminds_amends_and_revokes_from_the_directives_page,
    the_directive_pages_speak_korean,
    a_lecture_order_shows_its_lectures_against_the_target,
    the_directive_reads_count_per_area_in_a_fixed_number_of_reads,
);

async fn today(app: &TestApp) -> Date {
    app.state.store.settings().await.unwrap().local_date(app.clock_now())
}

fn days(day: Date, n: i64) -> String {
    day.checked_add(jiff::Span::new().days(n)).unwrap().to_string()
}

/// The issue form's fields for a gathering limit of `max` indoors in `scope`.
fn limit_form(id: &str, scope: &str, max: &str, today: Date) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_owned()),
        ("node", "P1".into()),
        ("scope_code", scope.to_owned()),
        ("kind", "gathering_limit".into()),
        ("max_people", max.to_owned()),
        ("setting", "indoor".into()),
        ("starts_on", today.to_string()),
        ("review_on", days(today, 3)),
        ("text_en", "No gatherings of more than 10 people indoors.".into()),
        ("text_ko", "실내에서 10명 넘게 모이지 마십시오.".into()),
        ("evidence_note", "Cluster after a wedding".into()),
        // Fields of other kinds are sent too, and ignored.
        ("topic", "ignored".into()),
        ("coverage_target", "oops".into()),
    ]
}

async fn post(b: &Browser, path: &str, fields: &[(&str, String)]) -> (StatusCode, String, String) {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, headers, body) = b.post(path, &pairs).await;
    (status, location(&headers).to_owned(), body)
}

/// Issues a gathering limit for P1 through the form as `p1_officer`; returns its id.
async fn issue_through_the_form(app: &TestApp, b: &Browser) -> String {
    let id = Uuid::new_v4().to_string();
    let (status, to, body) = post(b, "/directives", &limit_form(&id, "P1", "10", today(app).await)).await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, format!("/directives/{id}?done=issued").as_str()), "{body}");
    id
}

async fn an_officer_issues_a_directive_and_a_unit_head_acknowledges_it_from_the_home_page(app: &TestApp) {
    let officer = Browser::signed_in(app, "p1_officer").await;
    let (status, _, form) = officer.get("/directives").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"action="/directives""#) && form.contains(r#"<option value="U2">"#), "a select of P1's places: {form}");
    assert!(form.contains(r#"<a href="/directives""#), "the navigation links the directives");
    let id = issue_through_the_form(app, &officer).await;
    let (_, _, list) = officer.get("/directives").await;
    assert!(list.contains("No gathering of more than 10 people (indoors)") && list.contains(r#"data-standing="in_force""#), "{list}");
    assert!(list.contains("0 of 2 units acknowledged"), "{list}");
    let (_, _, board) = officer.get("/board/live?node=P1").await;
    assert!(board.contains(r#"data-reach="0/2""#), "{board}");

    // The unit head sees it on their home page, and in the live fragment.
    let head = Browser::signed_in(app, "reporter_u1").await;
    let (_, _, home) = head.get("/report").await;
    assert!(home.contains(r#"data-live="/directives/inbox/live?back=%2Freport""#), "{home}");
    assert!(home.contains("No gatherings of more than 10 people indoors.") && home.contains(&format!("/directives/{id}/acknowledge")));
    let (_, _, fragment) = head.get("/directives/inbox/live?back=/report").await;
    assert!(fragment.contains(&format!(r#"data-directive="{id}""#)) && fragment.contains(r#"value="/report""#), "{fragment}");
    let worker = Browser::signed_in(app, "worker_c1").await;
    assert!(worker.get("/tasks").await.2.contains(&format!(r#"data-directive="{id}""#)), "a worker in the scope is addressed too");
    app.add_border_post().await;
    let border = Browser::signed_in(app, "border_p1").await;
    assert!(border.get("/arrivals").await.2.contains(r#"data-live="/directives/inbox/live?back=%2Farrivals""#));
    let (_, _, fragment) = border.get("/directives/inbox/live?back=/arrivals").await;
    assert!(fragment.contains(&format!(r#"data-directive="{id}""#)), "the border officer's panel: {fragment}");
    let (_, _, own) = officer.get("/board").await;
    assert!(!own.contains(&format!(r#"data-directive="{id}""#)), "the officer who issued it is not asked to acknowledge it");

    let (status, headers, _) = head.post(&format!("/directives/{id}/acknowledge"), &[("next", "/report")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/report"));
    assert!(!head.get("/report").await.2.contains(&format!(r#"data-directive="{id}""#)), "acknowledged: gone from the panel");
    for (user, hears) in [("p1_officer", true), ("nation_officer", true), ("p2_officer", false)] {
        let (_, events) = app.list(user, "/events").await;
        let told = events.as_array().unwrap().iter().any(|e| e["kind"] == "directive_acknowledged");
        assert_eq!(told, hears, "the acknowledgement reaches the commands above the unit only: {user}");
    }
    let (_, _, board) = officer.get("/board/live?node=P1").await;
    assert!(board.contains(r#"data-reach="1/2""#) && board.contains("1 of 2 units acknowledged"), "{board}");
    let (_, _, page) = officer.get(&format!("/directives/{id}")).await;
    assert!(page.contains(r#"<tr data-coverage="P1" class="total">"#) && page.contains(r#"<td class="num">1</td>"#), "{page}");
    assert!(page.contains(r#"data-coverage="C1""#) && page.contains("50%"), "{page}");
    let (_, _, addressed) = head.get(&format!("/directives/{id}")).await;
    assert!(addressed.contains(r#"id="directive-acknowledged""#) && !addressed.contains(r#"id="coverage""#), "{addressed}");

    // Outside the scope: not on the home pages, and the page is not found.
    for user in ["reporter_u3", "worker_c2"] {
        let b = Browser::signed_in(app, user).await;
        let home = if user == "worker_c2" { "/tasks" } else { "/report" };
        assert!(!b.get(home).await.2.contains(&id), "{user}");
        assert_eq!(b.get(&format!("/directives/{id}")).await.0, StatusCode::NOT_FOUND, "{user}");
        assert_eq!(b.post(&format!("/directives/{id}/acknowledge"), &[]).await.0, StatusCode::UNPROCESSABLE_ENTITY, "{user}");
    }
}

async fn bad_directive_input_comes_back_next_to_its_inputs_and_stores_nothing(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    let day = today(app).await;
    let audit = app.count(Table::Audit).await;
    let id = Uuid::new_v4().to_string();
    let mut bad = limit_form(&id, "P1", "0", day);
    bad.retain(|(k, _)| !matches!(*k, "review_on" | "text_ko"));
    bad.extend([("review_on", days(day, -1)), ("text_ko", " ".into())]);
    let (status, _, page) = post(&b, "/directives", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for input in ["max_people", "review_on", "text_ko"] {
        assert!(page.contains(&format!(r#"aria-describedby="issue-{input}-error""#)), "{input}: {page}");
        assert!(page.contains(&format!(r#"id="issue-{input}-error""#)), "{input}");
    }
    assert!(!page.contains(r#"id="issue-coverage_target-error""#), "another kind's fields are ignored");
    assert!(page.contains(&format!(r#"name="id" value="{id}""#)) && page.contains("Cluster after a wedding"), "what was typed stays");

    let (status, _, page) = post(&b, "/directives", &limit_form(&id, "P1", "ten", day)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="issue-max_people-error""#) && page.contains("Give a whole number"), "{page}");
    let (status, _, page) = post(&b, "/directives", &limit_form(&id, "P2", "10", day)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "P2 is not P1's");
    assert!(page.contains(r#"id="issue-scope_code-error""#), "{page}");
    let mut lectures = limit_form(&id, "P1", "10", day);
    lectures.retain(|(k, _)| !matches!(*k, "kind" | "coverage_target"));
    lectures.extend([("kind", "lecture_order".into()), ("coverage_target", "150".into()), ("by", day.to_string())]);
    let (status, _, page) = post(&b, "/directives", &lectures).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="issue-coverage_target-error""#) && page.contains("from 0 to 100"), "{page}");

    assert_eq!(app.count(Table::Audit).await, audit, "nothing was stored");
    assert!(app.state.store.directives_under(&app.node("KR").await.path, 10).await.unwrap().is_empty());
    let head = Browser::signed_in(app, "reporter_u1").await;
    assert_eq!(head.post("/directives", &[("scope_code", "U1")]).await.0, StatusCode::UNPROCESSABLE_ENTITY, "a unit head issues nothing");
    assert!(!head.get("/directives").await.2.contains(r#"action="/directives""#), "and is offered no form");
}

async fn an_officer_reminds_amends_and_revokes_from_the_directives_page(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    let day = today(app).await;
    let id = issue_through_the_form(app, &b).await;
    let path = format!("/directives/{id}");

    let (status, headers, _) = b.post(&format!("{path}/remind"), &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("{path}?done=reminded&users=4").as_str()));
    assert!(b.get(&format!("{path}?done=reminded&users=4")).await.2.contains("Reminder sent to 4 user(s)"));

    let mut amendment = limit_form(&id, "P1", "20", day);
    amendment.retain(|(k, _)| !matches!(*k, "starts_on"));
    amendment.push(("starts_on", day.to_string()));
    let (status, _, page) = post(&b, &format!("{path}/amend"), &amendment).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no reason, and not after the current version's start");
    assert!(page.contains(r#"id="amend-reason-error""#), "{page}");
    amendment.retain(|(k, _)| *k != "starts_on");
    amendment.extend([("starts_on", days(day, 2)), ("review_on", days(day, 9)), ("reason", "The cluster grew".into())]);
    let (status, _, page) = post(&b, &format!("{path}/amend"), &amendment[..amendment.len() - 1]).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains(r#"id="amend-reason-error""#), "{page}");
    amendment.retain(|(k, _)| *k != "starts_on");
    amendment.push(("starts_on", day.to_string()));
    let (status, _, page) = post(&b, &format!("{path}/amend"), &amendment).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains(r#"id="amend-starts_on-error""#), "{page}");
    amendment.retain(|(k, _)| *k != "starts_on");
    amendment.push(("starts_on", days(day, 2)));
    let (status, to, page) = post(&b, &format!("{path}/amend"), &amendment).await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, format!("{path}?done=amended").as_str()), "{page}");
    let (_, _, page) = b.get(&path).await;
    assert!(page.contains(r#"data-version="2""#) && page.contains(r#"data-version="1""#), "both versions: {page}");
    assert!(page.contains("No gathering of more than 20 people") && page.contains("No gathering of more than 10 people"), "{page}");
    assert!(page.contains("The cluster grew"));

    let (status, _, page) = b.post(&format!("{path}/revoke"), &[("from", days(day, -1).as_str()), ("reason", "over")]).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains(r#"id="revoke-from-error""#), "{page}");
    let (status, headers, _) =
        b.post(&format!("{path}/revoke"), &[("from", day.to_string().as_str()), ("reason", "The cluster is contained")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("{path}?done=revoked").as_str()));
    let (_, _, page) = b.get(&path).await;
    assert!(page.contains(r#"data-standing="revoked""#) && page.contains("The cluster is contained"), "{page}");
    assert!(!page.contains(&format!(r#"action="{path}/amend""#)) && !page.contains(&format!(r#"action="{path}/remind""#)));
    let head = Browser::signed_in(app, "reporter_u1").await;
    assert!(!head.get("/report").await.2.contains(&id), "a revoked directive waits for no one");
    assert_eq!(b.post(&format!("{path}/remind"), &[]).await.0, StatusCode::UNPROCESSABLE_ENTITY, "nothing to remind of");
}

async fn the_directive_pages_speak_korean(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    let id = issue_through_the_form(app, &b).await;
    b.post("/lang", &[("lang", "ko"), ("next", "/directives")]).await;
    let (status, _, list) = b.get("/directives").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains(r#"<html lang="ko">"#) && list.contains("방역 지시 발령") && list.contains("10명 초과 모임 금지 (실내)"),
        "{list}"
    );
    let (_, _, page) = b.get(&format!("/directives/{id}")).await;
    assert!(page.contains("구역별 확인 현황") && page.contains("실내에서 10명 넘게 모이지 마십시오."), "{page}");
    let head = Browser::signed_in(app, "reporter_u1").await;
    head.post("/lang", &[("lang", "ko"), ("next", "/report")]).await;
    let (_, _, home) = head.get("/report").await;
    assert!(home.contains("확인할 방역 지시") && home.contains("실내에서 10명 넘게 모이지 마십시오."), "{home}");
}

async fn a_lecture_order_shows_its_lectures_against_the_target(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    let day = today(app).await;
    let id = Uuid::new_v4().to_string();
    let mut order = limit_form(&id, "P1", "", day);
    order.retain(|(k, _)| !matches!(*k, "kind" | "topic" | "coverage_target"));
    order.extend([("kind", "lecture_order".into()), ("topic", "masks".into()), ("audience", "residents".into())]);
    order.extend([("by", days(day, 5)), ("coverage_target", "50".into())]);
    let (status, to, page) = post(&b, "/directives", &order).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the empty limit of another kind is ignored: {page}");
    let (_, _, page) = b.get(&to).await;
    assert!(page.contains("Lectures on “masks”") && page.contains("50% of units"), "{page}");
    assert!(page.contains(r#"<p id="lecture-coverage">0 of 2 units attended a lecture on the topic · target 50%"#), "{page}");
    assert!(page.contains("Target not reached"));
    assert!(!page.contains(&format!(r#"action="/directives/{id}/acknowledge""#)), "the officer who issued it need not acknowledge it");
}

fn terms(today: Date, max_people: u32) -> Terms {
    Terms {
        measure: Measure::GatheringLimit { max_people, setting: Setting::Any },
        starts_on: today,
        ends_on: None,
        review_on: today,
        text: Texts { en: format!("At most {max_people}"), ko: format!("최대 {max_people}명") },
        evidence: Evidence::default(),
    }
}

async fn the_directive_reads_count_per_area_in_a_fixed_number_of_reads(app: &TestApp) {
    let (store, now) = (&app.state.store, app.clock_now());
    let day = today(app).await;
    let issue = |user: &'static str, scope: &'static str, max| async move {
        let input = DirectiveInput::new(Uuid::new_v4(), scope, terms(day, max));
        store.issue_directive(app.seed.user(user), &input, now).await.unwrap().directive
    };
    let national = issue("nation_officer", "KR", 50).await;
    let county = issue("p1_officer", "C1", 10).await;
    store.acknowledge_directive(app.seed.user("reporter_u1"), national.id, now).await.unwrap();
    store.acknowledge_directive(app.seed.user("reporter_u3"), national.id, now).await.unwrap();
    store.acknowledge_directive(app.seed.user("worker_c1"), county.id, now).await.unwrap();

    let p1 = app.node("P1").await;
    let reach = store.directive_reach(&p1.path, &[national.clone(), county.clone()]).await.unwrap();
    let reached = |id| (reach[&id].path.code().to_owned(), reach[&id].acknowledged, reach[&id].units);
    assert_eq!(reached(national.id), ("P1".into(), 1, 2), "within P1: U1 of U1 and U2 (U3 is in P2)");
    assert_eq!(reached(county.id), ("C1".into(), 0, 2), "a county worker is no unit");
    let u1 = app.node("U1").await;
    let done = store.acknowledged_at(u1.id, &[national.id, county.id]).await.unwrap();
    assert_eq!(done.keys().copied().collect::<Vec<_>>(), [national.id], "U1 acknowledged the national one only");
    let places = store.places_under(&p1.path, 3).await.unwrap();
    assert_eq!(places.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["P1", "C1", "D1"], "a parent before its children, bounded");
    let around = store.directives_live_around(&app.node("D1").await.path, day, 10).await.unwrap();
    assert_eq!(around.len(), 2, "issued above D1 both");
    assert!(store.directives_live_around(&app.node("P2").await.path, day, 10).await.unwrap().iter().all(|d| d.id == national.id));

    // The board reads as often with one directive more.
    let board = |user: &'static str| async move {
        let before = store.reads_made();
        let r = app.http.get(format!("http://{}/board/live?node=P1", app.addr)).bearer_auth(&app.seed.tokens[user]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains(r#"id="board-directives""#));
        store.reads_made() - before
    };
    let with_two = board("p1_officer").await;
    issue("p1_officer", "D1", 8).await;
    assert_eq!(board("p1_officer").await, with_two);
}
