//! The HTML pages: sign-in with a cookie, the same access policy as the API,
//! forms that work without JavaScript, errors shown next to their field, and
//! cross-site posts refused.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_page_without_a_session_sends_the_browser_to_sign_in,
    a_page_refuses_a_node_outside_the_users_subtree,
    each_role_lands_on_its_own_home_page,
    a_report_posted_without_javascript_is_filed_once,
    bad_input_comes_back_with_the_error_next_to_the_field,
    a_form_posted_from_another_site_is_refused,
    the_worker_acknowledges_a_task_from_the_task_page,
    pages_speak_the_language_asked_for,
    the_curve_and_the_map_count_reports_by_day_and_area,
    a_worker_records_the_investigation_contacts_and_a_follow_up_visit,
    an_officer_extends_and_releases_an_order_through_the_forms,
    an_officer_takes_on_a_handover_from_the_queue,
    a_border_officer_records_an_arrival_and_sees_the_decision,
    an_administrator_changes_the_entry_rules,
    the_orders_list_pages_through_every_order_once_and_keeps_its_filter,
    the_handover_queue_narrows_to_a_node_and_pages,
    the_arrivals_list_pages_newest_first,
);

/// A browser-like client: keeps cookies, does not follow redirects.
struct Browser {
    http: reqwest::Client,
    base: String,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: format!("http://{}", app.addr) }
    }

    async fn signed_in(app: &TestApp, user: &str) -> Browser {
        let b = Browser::new(app);
        let (status, headers, _) = b.post("/sign-in", &[("username", user), ("password", PASSWORD), ("next", "")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "sign in as {user}");
        assert!(headers.get(LOCATION).is_some());
        b
    }

    async fn get(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
        let r = self.http.post(format!("{}{path}", self.base)).header("content-type", FORM).body(encode(form)).send().await.unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

fn encode(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}

fn location(headers: &HeaderMap) -> &str {
    headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
}

// alerts: the list, the alert page with its chart, the review forms, and
// the error page for a malformed id in an address.
on_both_backends!(an_officer_finds_an_alert_reads_its_chart_and_reviews_it, a_malformed_id_in_a_page_address_gets_the_error_page);

/// A GET in Korean.
async fn get_in_korean(b: &Browser, path: &str) -> (StatusCode, String) {
    let r = b.http.get(format!("{}{path}", b.base)).header("accept-language", "ko-KR,ko;q=0.9").send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn an_officer_finds_an_alert_reads_its_chart_and_reviews_it(app: &TestApp) {
    crate::alerts::baseline_and_outbreak(app).await;
    app.advance_and_run_jobs(jiff::SignedDuration::ZERO).await;
    let (_, found) = app.get("p1_officer", "/alerts?under=D1&syndrome=fever").await;
    let id = found[0]["id"].as_str().expect("the outbreak raised an alert for D1").to_owned();
    let alert_status = async || app.get("p1_officer", &format!("/alerts/{id}")).await.1["status"].as_str().unwrap().to_owned();

    // The board counts the new alerts (D1, C1, P1; fever and suspected cases) and leads to them.
    let b = Browser::signed_in(app, "p1_officer").await;
    let (_, _, board) = b.get("/board/live?node=P1").await;
    assert!(board.contains(r#"data-tile="new-alerts" href="/alerts?node=P1&#38;status=new"><span class="tile-value">6</span>"#), "{board}");
    let (_, _, page) = b.get("/board?node=P1").await;
    assert!(page.contains(r#"<a href="/alerts""#), "the navigation links the alerts: {page}");

    // The list: the officer's subtree, newest first, filtered by status.
    let (status, _, list) = b.get("/alerts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.matches("<li data-alert>").count(), 6, "{list}");
    assert!(list.contains(&format!(r#"href="/alerts/{id}">Fever · EARS C2 (daily)</a>"#)) && list.contains("2026-11-22"), "{list}");
    assert!(list.contains("New alerts awaiting review: 6"));
    let (_, _, none) = b.get("/alerts?status=verified").await;
    assert!(none.contains("No alerts with this status.") && !none.contains("<li data-alert>"), "{none}");
    assert_eq!(b.get("/alerts?status=open").await.0, StatusCode::BAD_REQUEST);
    let (_, _, d1) = b.get("/alerts?node=D1").await;
    assert_eq!(d1.matches("<li data-alert>").count(), 2, "drilled down to D1: {d1}");

    // The alert page draws the series: bars, the expected value, the bound and the alarm marked.
    let (status, _, page) = b.get(&format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let svg = page.split("<svg").nth(1).expect("the chart is drawn").split("</svg>").next().unwrap();
    for label in ["Observed", "Expected", "Upper bound", "Alarm", "Count"] {
        assert!(svg.contains(label), "the legend or an axis says {label}");
    }
    assert!(svg.contains(r##"stroke="#E06C00""##), "the upper bound is drawn as a line");
    assert!(svg.matches("#B01018").count() >= 3, "the alarm's bar and marker, and the legend's marker");
    assert!(page.contains(r#"<tr class="alarm"><td>2026-11-22</td>"#), "the table under the chart marks the alarm: {page}");
    assert!(page.contains(&format!(r#"action="/alerts/{id}/review""#)) && !page.contains(&format!(r#"action="/alerts/{id}/verify""#)));

    // A worker reads it but is offered no form and may not post one; another province does not see it.
    let worker = Browser::signed_in(app, "worker_c1").await;
    let (status, _, seen) = worker.get(&format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!seen.contains("<form method=\"post\" action=\"/alerts/"), "no review form for a health worker");
    assert_eq!(worker.post(&format!("/alerts/{id}/review"), &[("note", "looking")]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(Browser::signed_in(app, "p2_officer").await.get(&format!("/alerts/{id}")).await.0, StatusCode::NOT_FOUND);

    // Bad input: the error at its place, nothing changed.
    let audit_before = app.count(cordon_store::audit::Table::Audit).await;
    let (status, _, page) = b.post(&format!("/alerts/{id}/verify"), &[("note", "too early")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("an alert that is new cannot become verified; it must be under_review first"), "{page}");
    let (status, _, page) = b.post(&format!("/alerts/{id}/review"), &[("note", "   ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="review-note-error""#) && page.contains(r#"aria-invalid="true""#), "{page}");
    assert_eq!(alert_status().await, "new");
    assert_eq!(app.count(cordon_store::audit::Table::Audit).await, audit_before, "nothing was written");

    // Review, then verify, each with a note, each a redirect after the post.
    let (status, headers, _) = b.post(&format!("/alerts/{id}/review"), &[("note", "calling the district")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/alerts/{id}?done=review").as_str()));
    let (_, _, page) = b.get(&format!("/alerts/{id}?done=review")).await;
    assert!(page.contains("The alert is now under review") && page.contains("calling the district"), "{page}");
    assert!(page.contains(&format!(r#"action="/alerts/{id}/verify""#)) && page.contains(&format!(r#"action="/alerts/{id}/discard""#)));
    let (status, headers, _) = b.post(&format!("/alerts/{id}/verify"), &[("note", "cluster at a school")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/alerts/{id}?done=verify").as_str()));
    let (_, detail) = app.get("p1_officer", &format!("/alerts/{id}")).await;
    assert_eq!(detail["status"], "verified");
    assert_eq!(detail["reviews"][1]["note"], "cluster at a school");
    assert_eq!(detail["reviews"][1]["officer_id"], serde_json::json!(app.seed.user("p1_officer").id));
    let (_, audit) = app.get("admin", &format!("/audit?entity=alert&entity_id={id}")).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["alert.verify", "alert.review", "alert.raise"]);

    // Settled: no more forms; a stale form is refused, in the visitor's language.
    let (_, _, page) = b.get(&format!("/alerts/{id}")).await;
    assert!(!page.contains(&format!(r#"action="/alerts/{id}/"#)) && page.contains("Verified"), "{page}");
    let r = b
        .http
        .post(format!("{}/alerts/{id}/discard", b.base))
        .header("content-type", FORM)
        .header("accept-language", "ko")
        .body(encode(&[("note", "changed my mind")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("확인됨 상태의 경보는 배제 상태가 될 수 없습니다"), "{page}");
    assert_eq!(alert_status().await, "verified");
    let (_, _, board) = b.get("/board/live?node=P1").await;
    assert!(board.contains(r#"<span class="tile-value">5</span><span class="tile-label">New alerts</span>"#), "{board}");
    let (status, page) = get_in_korean(&b, &format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("상한(임계값)") && page.contains("검토 이력"), "the chart and the page in Korean");
}

async fn a_malformed_id_in_a_page_address_gets_the_error_page(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    for path in ["/cases/not-a-uuid", "/alerts/12345", "/cases/not-a-uuid/contacts"] {
        let (status, headers, body) = b.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/html"), "{path}");
        let part = path.split('/').nth(2).unwrap();
        assert!(body.contains(&format!("&#34;{part}&#34; in the address is not a valid id (a UUID)")), "{path}: {body}");
    }
    let (status, _, body) = b.post("/tasks/nope/acknowledge", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("&#34;nope&#34; in the address"), "{body}");
    let (status, body) = get_in_korean(&b, "/cases/not-a-uuid").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains(r#"<html lang="ko">"#) && body.contains("주소의 &#34;not-a-uuid&#34;은(는) 올바른 ID(UUID)가 아닙니다"),
        "{body}"
    );
    let anonymous = Browser::new(app);
    assert_eq!(anonymous.get("/cases/not-a-uuid").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(b.get(&format!("/cases/{}", Uuid::new_v4())).await.0, StatusCode::NOT_FOUND, "a well-formed id is looked up");
}

async fn a_page_without_a_session_sends_the_browser_to_sign_in(app: &TestApp) {
    let b = Browser::new(app);
    let (status, headers, _) = b.get("/board?node=P1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/sign-in?next=%2Fboard%3Fnode%3DP1");
    let (status, _, body) = b.get("/sign-in?next=%2Fboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<label for="username">"#) && body.contains(r#"<label for="password">"#));
}

async fn a_page_refuses_a_node_outside_the_users_subtree(app: &TestApp) {
    let b = Browser::signed_in(app, "p2_officer").await;
    for path in ["/board?node=P1", "/board/live?node=C1", "/curve?node=P1", "/map?node=KR", "/roster?node=C1", "/escalations?node=U1"] {
        let (status, headers, body) = b.get(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/html"), "{path}");
        assert!(body.contains("<h1>"), "{path} renders an error page");
    }
    let (status, _, body) = b.get("/board?node=P2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("P2 name") && !body.contains("P1 name"));
    let person = app.resident("reporter_u1", "U1", "Hong Gil-dong").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(39.0)).await;
    let case = intake["case"]["id"].as_str().unwrap();
    assert_eq!(b.get(&format!("/cases/{case}")).await.0, StatusCode::FORBIDDEN);
}

async fn each_role_lands_on_its_own_home_page(app: &TestApp) {
    for (user, home) in [("reporter_u1", "/report"), ("worker_c1", "/tasks"), ("p1_officer", "/board"), ("admin", "/admin/users")] {
        let b = Browser::new(app);
        let (_, headers, _) = b.post("/sign-in", &[("username", user), ("password", PASSWORD)]).await;
        assert_eq!(location(&headers), home, "{user}");
        let (status, _, _) = b.get(home).await;
        assert_eq!(status, StatusCode::OK, "{user} at {home}");
    }
    let b = Browser::signed_in(app, "reporter_u1").await;
    assert_eq!(b.get("/admin/users").await.0, StatusCode::FORBIDDEN, "a reporter is no administrator");
    let (status, headers, _) = b.post("/sign-out", &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/sign-in"));
    assert_eq!(b.get("/report").await.0, StatusCode::SEE_OTHER, "the session ended");
}

async fn a_report_posted_without_javascript_is_filed_once(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Kim Ji-won").await.to_string();
    let b = Browser::signed_in(app, "reporter_u1").await;
    let (status, _, form) = b.get("/report").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Kim Ji-won"), "the unit's residents are listed");
    let id = Uuid::new_v4().to_string();
    let fields = [
        ("id", id.as_str()),
        ("person_id", person.as_str()),
        ("unit_code", "U1"),
        ("symptoms", "fever"),
        ("symptoms", "cough"),
        ("temperature_c", "38,6"),
        ("onset_date", "2026-11-22"),
        ("note", "since last night"),
    ];
    let (status, headers, _) = b.post("/report", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("/reports?sent={id}"));
    // The browser sends the form again (a retry on a bad connection): still one report.
    let (status, _, _) = b.post("/report", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(cordon_store::audit::Table::Reports).await, 1);
    let (_, _, list) = b.get(&format!("/reports?sent={id}")).await;
    assert!(list.contains("Kim Ji-won") && list.contains("Case opened"), "{list}");

    // A new resident added in the same form.
    let id = Uuid::new_v4().to_string();
    let new = [
        ("id", id.as_str()),
        ("person_id", "new"),
        ("full_name", "Seo Da-eun"),
        ("sex", "female"),
        ("birth_year", "1991"),
        ("symptoms", "rash"),
    ];
    let (status, _, _) = b.post("/report", &new).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, list) = b.get("/reports").await;
    assert!(list.contains("Seo Da-eun") && list.contains("Received"));
}

async fn bad_input_comes_back_with_the_error_next_to_the_field(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Park Min").await.to_string();
    let b = Browser::signed_in(app, "reporter_u1").await;
    let id = Uuid::new_v4().to_string();
    let (status, _, body) = b
        .post("/report", &[("id", id.as_str()), ("person_id", person.as_str()), ("temperature_c", "50"), ("onset_date", "2027-01-01")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="temperature_c-error""#) && body.contains("must be between 30 and 45"), "{body}");
    assert!(body.contains(r#"id="onset_date-error""#));
    assert!(body.contains(r#"value="50""#), "the typed value is kept");
    assert_eq!(app.count(cordon_store::audit::Table::Reports).await, 0);

    let (status, _, body) = b.post("/report", &[("id", id.as_str()), ("temperature_c", "hot")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="person_id-error""#) && body.contains(r#"id="temperature_c-error""#));

    let admin = Browser::signed_in(app, "admin").await;
    let (status, _, body) = admin
        .post(
            "/admin/definitions",
            &[("code", "suspected"), ("name", "x"), ("rule", r#"{"kind":"at_least","count":3,"symptoms":["cough"]}"#)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="rule-error""#) && body.contains("rule.count"), "{body}");
    let (status, _, body) =
        admin.post("/admin/settings", &[("time_zone", "Mars/Olympus"), ("investigation_deadline_minutes", "ten")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="investigation_deadline_minutes-error""#));
    let (status, _, body) =
        admin.post("/admin/users", &[("username", "x"), ("role", "reporter"), ("node_code", "U1"), ("password", "short")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"id="username-error""#) && body.contains(r#"id="password-error""#));
}

async fn a_form_posted_from_another_site_is_refused(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Yoon Ara").await.to_string();
    let b = Browser::signed_in(app, "reporter_u1").await;
    let id = Uuid::new_v4().to_string();
    let r = b
        .http
        .post(format!("{}/report", b.base))
        .header("origin", "http://evil.example")
        .header("content-type", FORM)
        .body(encode(&[("id", id.as_str()), ("person_id", person.as_str()), ("symptoms", "fever")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = b.http.post(format!("{}/sign-out", b.base)).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count(cordon_store::audit::Table::Reports).await, 0);
    assert_eq!(b.get("/report").await.0, StatusCode::OK, "still signed in");
}

async fn the_worker_acknowledges_a_task_from_the_task_page(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Lee Bo-ra").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.9)).await;
    let task = intake["task"]["id"].as_str().unwrap().to_owned();
    let case = intake["case"]["id"].as_str().unwrap().to_owned();
    let b = Browser::signed_in(app, "worker_c1").await;
    let (_, _, page) = b.get("/tasks").await;
    assert!(page.contains("Lee Bo-ra") && page.contains(&format!("/tasks/{task}/acknowledge")));
    let (status, headers, _) = b.post(&format!("/tasks/{task}/acknowledge"), &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/tasks?done=acknowledged"));
    let (_, body) = app.get("p1_officer", &format!("/tasks/{task}")).await;
    assert_eq!(body["status"], "acknowledged");
    // Acknowledging twice is a conflict shown on the task page, not a crash.
    let (status, _, page) = b.post(&format!("/tasks/{task}/acknowledge"), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains(r#"class="field-error" role="alert""#), "{page}");
    // The worker classifies the case; an impossible move is shown at the field.
    let (status, _, _) = b.post(&format!("/cases/{case}/classification"), &[("status", "confirmed")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = b.post(&format!("/cases/{case}/classification"), &[("status", "suspected")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="status-error""#));
    let officer = Browser::signed_in(app, "p1_officer").await;
    let (_, _, board) = officer.get("/board/live?node=P1").await;
    assert!(board.contains("Lee Bo-ra"), "{board}");
}

async fn pages_speak_the_language_asked_for(app: &TestApp) {
    let b = Browser::new(app);
    let r = b.http.get(format!("{}/sign-in", b.base)).header("accept-language", "ko-KR,ko;q=0.9,en;q=0.5").send().await.unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains(r#"<html lang="ko">"#) && body.contains("로그인"));
    let (status, headers, _) = b.post("/lang", &[("lang", "ko"), ("next", "/sign-in")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/sign-in"));
    let (_, _, body) = b.get("/sign-in").await;
    assert!(body.contains("로그인"), "the cookie keeps the choice");
}

async fn the_curve_and_the_map_count_reports_by_day_and_area(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Jang Se-ri").await;
    app.report("reporter_u1", "U1", person, &["fever"], Some(38.4)).await;
    let other = app.resident("reporter_u1", "U1", "Moon Ha-na").await;
    app.report("reporter_u1", "U1", other, &["rash"], None).await;
    let b = Browser::signed_in(app, "nation_officer").await;
    let (status, _, curve) = b.get("/curve?node=P1&days=7").await;
    assert_eq!(status, StatusCode::OK);
    assert!(curve.contains("<svg"), "the curve is drawn");
    // Today (the test clock's day): 2 reports, 1 suspected case, no other status.
    let row = r#"<tr><td>2026-11-23</td><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0</td></tr>"#;
    assert!(curve.contains(row), "{curve}");
    let (status, _, map) = b.get("/map?node=KR").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(map.matches(r#"class="region""#).count(), 2, "one shape per province");
    // P1 holds 1000 residents: 2 reports in 7 days are 200 per 100,000; P2 has none.
    let p1 = r#"<td><a href="/map?node=P1">P1</a></td><td>P1 name</td><td class="num">2</td><td class="num">1000</td><td class="num">200.0</td>"#;
    let p2 =
        r#"<td><a href="/map?node=P2">P2</a></td><td>P2 name</td><td class="num">0</td><td class="num">1000</td><td class="num">0.0</td>"#;
    assert!(map.contains(p1) && map.contains(p2), "{map}");
    let (_, _, board) = b.get("/board/live?node=KR").await;
    assert!(board.contains(r#"data-tile="reports-today"><span class="tile-value">2</span>"#), "{board}");
}

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
    let (_, tasks) = app.get("worker_c1", "/tasks?mine=true&open=true").await;
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
    let (_, list) = app.get("p2_officer", "/handovers").await;
    assert_eq!(list[0]["accepted_by"], serde_json::json!(app.seed.user("p2_officer").id));
    let (_, _, page) = b.get("/handovers?done=accepted").await;
    assert!(page.contains("Handover taken on.") && !page.contains(&accept), "{page}");
}

async fn a_border_officer_records_an_arrival_and_sees_the_decision(app: &TestApp) {
    app.add_border_post().await;
    let b = Browser::new(app);
    let (_, headers, _) = b.post("/sign-in", &[("username", "border_p1"), ("password", PASSWORD)]).await;
    assert_eq!(location(&headers), "/arrivals", "the border officer lands on the arrivals page");
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
    let (_, arrivals) = app.get("p1_officer", "/arrivals").await;
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
    let (status, _, page) =
        admin.post("/entry-rules/closures", &[("point_of_entry_code", "POE-1"), ("from", "2026-12-10"), ("to", "2026-12-01")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="to-error""#), "{page}");
    let (_, settings) = app.get("admin", "/settings").await;
    assert!(settings["entry_rules"].as_array().unwrap().is_empty() && settings["entry_closures"].as_array().unwrap().is_empty());

    let (status, headers, _) = admin.post("/entry-rules/countries", &[("country", "jp"), ("rule", "home_quarantine")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/entry-rules?done=saved"));
    let (status, _, _) =
        admin.post("/entry-rules/closures", &[("point_of_entry_code", "POE-1"), ("from", "2026-12-01"), ("to", "2026-12-10")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, settings) = app.get("admin", "/settings").await;
    assert_eq!(settings["entry_rules"], serde_json::json!([{"country": "JP", "rule": "home_quarantine"}]));
    assert_eq!(settings["entry_closures"][0]["point_of_entry_code"], "POE-1");

    let officer = Browser::signed_in(app, "p1_officer").await;
    let (_, _, page) = officer.get("/arrivals").await;
    assert!(page.contains("<strong>JP</strong>: Quarantine at home") && page.contains("2026-12-01 – 2026-12-10"), "{page}");
    assert_eq!(officer.post("/entry-rules/countries", &[("country", "CN"), ("rule", "no_quarantine")]).await.0, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.post("/entry-rules/countries/remove", &[("country", "JP")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, settings) = app.get("admin", "/settings").await;
    assert!(settings["entry_rules"].as_array().unwrap().is_empty());
}

/// The address of the link marked `rel` (`next`, `prev`) in a page.
fn rel_link(page: &str, rel: &str) -> Option<String> {
    let end = page.find(&format!(r#"" rel="{rel}">"#))?;
    let start = page[..end].rfind(r#"href=""#)? + r#"href=""#.len();
    Some(page[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

/// The values of the `data-{attr}` attributes of a page, in order.
fn ids_in(page: &str, attr: &str) -> Vec<String> {
    page.split(&format!(r#"data-{attr}=""#)).skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}

/// The "51–100 of 4,212" line under a list.
fn range_of(page: &str) -> &str {
    page.split("<p data-range>").nth(1).and_then(|rest| rest.split("</p>").next()).unwrap_or("")
}

/// Follows the `next` links from `start`, returning each page's rows (the
/// `data-{attr}` ids) and checking each link keeps `kept`.
async fn walk(b: &Browser, start: &str, attr: &str, kept: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut next = Some(start.to_owned());
    while let Some(path) = next.take() {
        let (status, _, page) = b.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        next = rel_link(&page, "next");
        if let Some(link) = &next {
            assert!(kept.iter().all(|k| link.contains(k)), "the next link keeps {kept:?}: {link}");
        }
        pages.push((page.clone(), ids_in(&page, attr)));
        assert!(pages.len() <= 10, "the pages end");
    }
    pages
}

async fn the_orders_list_pages_through_every_order_once_and_keeps_its_filter(app: &TestApp) {
    let case = app.case_in("reporter_u1", "U1", "Index Passenger").await;
    let listed = app.list_contacts("worker_c1", &case, "U1", "Passenger", 120).await;
    app.list_contacts("worker_c1", &case, "U3", "Visitor", 3).await;
    let mut expected: std::collections::HashSet<String> = listed.iter().map(|l| l["order"]["id"].as_str().unwrap().to_owned()).collect();
    for l in &listed[..5] {
        let order = l["order"]["id"].as_str().unwrap();
        let (status, body) =
            app.post("p1_officer", &format!("/orders/{order}/release"), serde_json::json!({"reason": "negative test"})).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        expected.remove(order);
    }

    let b = Browser::signed_in(app, "p1_officer").await;
    let pages = walk(&b, "/orders?node=C1&status=active", "order", &["node=C1", "status=active"]).await;
    let sizes: Vec<usize> = pages.iter().map(|(_, ids)| ids.len()).collect();
    assert_eq!(sizes, [50, 50, 15], "pages of 50");
    assert_eq!(range_of(&pages[0].0), "1–50 of 115");
    assert_eq!(range_of(&pages[1].0), "51–100 of 115");
    assert_eq!(range_of(&pages[2].0), "101–115 of 115");
    let seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let unique: std::collections::HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no order is shown twice");
    assert_eq!(unique, expected, "every active order of C1 is shown, and no other");

    // Back from the last page to the middle one, and on to the first.
    let previous = rel_link(&pages[2].0, "prev").expect("the last page links back");
    assert!(previous.contains("node=C1") && previous.contains("status=active"), "{previous}");
    let (_, _, middle) = b.get(&previous).await;
    assert_eq!(ids_in(&middle, "order"), pages[1].1);
    assert_eq!(range_of(&middle), "51–100 of 115");
    let (_, _, first) = b.get(&rel_link(&middle, "prev").expect("and back again")).await;
    assert_eq!(ids_in(&first, "order"), pages[0].1);
    assert!(rel_link(&first, "prev").is_none(), "the first page has no previous page");

    let (_, _, released) = b.get("/orders?node=P1&status=released").await;
    assert_eq!((ids_in(&released, "order").len(), range_of(&released)), (5, "1–5 of 5"));
    assert!(rel_link(&released, "next").is_none());
    let (status, _, body) = b.get("/orders?cursor=a.nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<h1>") && body.contains("cursor"), "{body}");
}

async fn the_handover_queue_narrows_to_a_node_and_pages(app: &TestApp) {
    let p1_case = app.case_in("reporter_u1", "U1", "Index Driver").await;
    let to_p2 = app.list_contacts("worker_c1", &p1_case, "U3", "Traveller", 60).await;
    let p2_case = app.case_in("reporter_u3", "U3", "Index Host").await;
    let to_p1 = app.list_contacts("worker_c2", &p2_case, "U1", "Guest", 2).await;
    let handover = |l: &serde_json::Value| l["handover"]["id"].as_str().expect("handed over").to_owned();

    let nation = Browser::signed_in(app, "nation_officer").await;
    let (status, _, page) = nation.get("/handovers?node=P1").await;
    assert_eq!(status, StatusCode::OK);
    let mut shown = ids_in(&page, "handover");
    shown.sort();
    let mut expected: Vec<String> = to_p1.iter().map(handover).collect();
    expected.sort();
    assert_eq!(shown, expected, "only the handovers received in P1");
    assert_eq!(range_of(&page), "1–2 of 2");

    let pages = walk(&nation, "/handovers?node=P2", "handover", &["node=P2"]).await;
    assert_eq!(pages.iter().map(|(_, ids)| ids.len()).collect::<Vec<_>>(), [50, 10]);
    assert_eq!((range_of(&pages[0].0), range_of(&pages[1].0)), ("1–50 of 60", "51–60 of 60"));
    assert!(pages[1].0.contains("60 waiting to be taken on."), "the whole queue is counted, not the page");
    let mut seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    seen.sort();
    let mut expected: Vec<String> = to_p2.iter().map(handover).collect();
    expected.sort();
    assert_eq!(seen, expected, "every handover into P2 once");

    let (_, _, board) = nation.get("/board?node=P2").await;
    for link in ["/orders?node=P2", "/handovers?node=P2", "/arrivals?node=P2"] {
        assert!(board.contains(&format!(r#"href="{link}""#)), "the board links {link}");
    }

    let p2 = Browser::signed_in(app, "p2_officer").await;
    let (status, headers, body) = p2.get("/handovers?node=P1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "P1 is outside P2's subtree");
    assert!(headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/html") && body.contains("<h1>"));
    let (_, _, page) = p2.get("/handovers?node=C2").await;
    let first = ids_in(&page, "handover").into_iter().next().expect("C2's queue");
    let accept = format!("/handovers/{first}/accept?node=C2");
    assert!(page.contains(&format!(r#"action="{accept}""#)), "{page}");
    let (status, headers, _) = p2.post(&accept, &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/handovers?node=C2&done=accepted"), "back to C2's queue");
}

async fn the_arrivals_list_pages_newest_first(app: &TestApp) {
    app.add_border_post().await;
    let b = Browser::signed_in(app, "border_p1").await;
    let mut registered = Vec::new();
    for i in 0..55 {
        let id = Uuid::new_v4().to_string();
        let (name, document) = (format!("Traveller {i:03}"), format!("JP{i:07}"));
        let form = [
            ("id", id.as_str()),
            ("point_of_entry_code", "POE-1"),
            ("person.full_name", name.as_str()),
            ("person.sex", "female"),
            ("person.birth_year", "1991"),
            ("person.unit_code", "U2"),
            ("travel_document", document.as_str()),
            ("origin_country", "JP"),
            ("arrived_on", "2026-11-23"),
            ("temperature_c", "36.6"),
        ];
        let (status, _, page) = b.post("/arrivals", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        registered.push(id);
        app.clock.advance(jiff::SignedDuration::from_secs(30));
    }
    let pages = walk(&b, "/arrivals", "arrival", &["node=P1"]).await;
    assert_eq!(pages.iter().map(|(_, ids)| ids.len()).collect::<Vec<_>>(), [50, 5]);
    assert_eq!((range_of(&pages[0].0), range_of(&pages[1].0)), ("1–50 of 55", "51–55 of 55"));
    let seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    registered.reverse();
    assert_eq!(seen, registered, "newest first, each once");
    assert!(pages[1].0.contains(r#"id="entry-rules""#), "the entry rules stay under the list");
}
