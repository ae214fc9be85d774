//! The HTML pages: sign-in with a cookie, the same access policy as the API,
//! forms that work without JavaScript, errors shown next to their field, and
//! cross-site posts refused.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use serde_json::json;
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
    pages_carry_form_tokens_and_security_headers,
    the_curve_and_the_map_count_reports_by_day_and_area,
);

/// A browser-like client: keeps cookies, does not follow redirects.
pub(crate) struct Browser {
    http: reqwest::Client,
    base: String,
    /// The session's form token, as the pages put it in every form.
    token: Option<String>,
}

impl Browser {
    pub(crate) fn new(app: &TestApp) -> Browser {
        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: format!("http://{}", app.addr), token: None }
    }

    pub(crate) async fn signed_in(app: &TestApp, user: &str) -> Browser {
        let mut b = Browser::new(app);
        let (status, headers, _) = b.post("/sign-in", &[("username", user), ("password", PASSWORD), ("next", "")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "sign in as {user}");
        assert!(headers.get(LOCATION).is_some());
        let secret = headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("cordon_session=").and_then(|rest| rest.split(';').next()))
            .expect("the session cookie");
        b.token = Some(cordon_server::csrf::token_for(secret));
        b
    }

    /// The session's form token, as a page's forms carry it.
    pub(crate) fn form_token(&self) -> &str {
        self.token.as_deref().unwrap_or("")
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }

    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
        let mut fields = form.to_vec();
        if let Some(token) = &self.token {
            fields.push(("csrf", token));
        }
        let r = self.http.post(format!("{}{path}", self.base)).header("content-type", FORM).body(encode(&fields)).send().await.unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }

    /// Posts a `multipart/form-data` form holding one file, as a browser's
    /// upload does.
    pub(crate) async fn post_file(&self, path: &str, field: &str, file_name: &str, content: &[u8]) -> (StatusCode, HeaderMap, String) {
        let boundary = "cordon-test-boundary-7MA4YWxkTrZu0gW";
        let token = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", self.form_token());
        let mut body = format!(
            "{token}--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

fn encode(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}

pub(crate) fn location(headers: &HeaderMap) -> &str {
    headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
}

// alerts: the list, the alert page with its chart, the review forms, and
// the error page for a malformed id in an address.
on_both_backends!(an_officer_finds_an_alert_reads_its_chart_and_reviews_it, a_malformed_id_in_a_page_address_gets_the_error_page);

/// A GET in Korean.
pub(crate) async fn get_in_korean(b: &Browser, path: &str) -> (StatusCode, String) {
    let r = b.http.get(format!("{}{path}", b.base)).header("accept-language", "ko-KR,ko;q=0.9").send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn an_officer_finds_an_alert_reads_its_chart_and_reviews_it(app: &TestApp) {
    crate::alerts::baseline_and_outbreak(app).await;
    app.advance_and_run_jobs(jiff::SignedDuration::ZERO).await;
    let (_, found) = app.list("p1_officer", "/alerts?under=D1&syndrome=fever").await;
    let id = found[0]["id"].as_str().expect("the outbreak raised an alert for D1").to_owned();

    let b = Browser::signed_in(app, "p1_officer").await;
    the_board_and_the_list_lead_to_the_alert(&b, &id).await;
    the_alert_page_draws_the_series(&b, &id).await;
    a_worker_reads_the_alert_and_another_province_does_not(app, &id).await;
    bad_review_input_changes_nothing(app, &b, &id).await;
    the_officer_reviews_then_verifies_the_alert(app, &b, &id).await;
    a_settled_alert_offers_no_more_forms(app, &b, &id).await;
}

/// The alert's status as the API reports it.
async fn alert_status(app: &TestApp, id: &str) -> String {
    app.get("p1_officer", &format!("/alerts/{id}")).await.1["status"].as_str().unwrap().to_owned()
}

/// The board counts the new alerts (D1, C1, P1; fever and suspected cases)
/// and leads to them; the list shows the officer's subtree, newest first,
/// filtered by status.
async fn the_board_and_the_list_lead_to_the_alert(b: &Browser, id: &str) {
    let (_, _, board) = b.get("/board/live?node=P1").await;
    assert!(board.contains(r#"data-tile="new-alerts" href="/alerts?node=P1&#38;status=new"><span class="tile-value">6</span>"#), "{board}");
    let (_, _, page) = b.get("/board?node=P1").await;
    assert!(page.contains(r#"<a href="/alerts""#), "the navigation links the alerts: {page}");

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
}

/// The alert page draws the series: bars, the expected value, the bound and
/// the alarm marked.
async fn the_alert_page_draws_the_series(b: &Browser, id: &str) {
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
}

/// A worker reads the alert but is offered no form and may not post one;
/// another province does not see it.
async fn a_worker_reads_the_alert_and_another_province_does_not(app: &TestApp, id: &str) {
    let worker = Browser::signed_in(app, "worker_c1").await;
    let (status, _, seen) = worker.get(&format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!seen.contains("<form method=\"post\" action=\"/alerts/"), "no review form for a health worker");
    assert_eq!(worker.post(&format!("/alerts/{id}/review"), &[("note", "looking")]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(Browser::signed_in(app, "p2_officer").await.get(&format!("/alerts/{id}")).await.0, StatusCode::NOT_FOUND);
}

/// Bad input: the error at its place, nothing changed.
async fn bad_review_input_changes_nothing(app: &TestApp, b: &Browser, id: &str) {
    let audit_before = app.count(cordon_store::audit::Table::Audit).await;
    let (status, _, page) = b.post(&format!("/alerts/{id}/verify"), &[("note", "too early")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("an alert that is new cannot become verified; it must be under_review first"), "{page}");
    let (status, _, page) = b.post(&format!("/alerts/{id}/review"), &[("note", "   ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="review-note-error""#) && page.contains(r#"aria-invalid="true""#), "{page}");
    assert_eq!(alert_status(app, id).await, "new");
    assert_eq!(app.count(cordon_store::audit::Table::Audit).await, audit_before, "nothing was written");
}

/// Review, then verify, each with a note, each a redirect after the post.
async fn the_officer_reviews_then_verifies_the_alert(app: &TestApp, b: &Browser, id: &str) {
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
    let (_, audit) = app.list("admin", &format!("/audit?entity=alert&entity_id={id}")).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["alert.verify", "alert.review", "alert.raise"]);
}

/// Settled: no more forms; a stale form is refused, in the visitor's language.
async fn a_settled_alert_offers_no_more_forms(app: &TestApp, b: &Browser, id: &str) {
    let (_, _, page) = b.get(&format!("/alerts/{id}")).await;
    assert!(!page.contains(&format!(r#"action="/alerts/{id}/"#)) && page.contains("Verified"), "{page}");
    let r = b
        .http
        .post(format!("{}/alerts/{id}/discard", b.base))
        .header("content-type", FORM)
        .header("accept-language", "ko")
        .body(encode(&[("note", "changed my mind"), ("csrf", b.form_token())]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("확인됨 상태의 경보는 배제 상태가 될 수 없습니다"), "{page}");
    assert_eq!(alert_status(app, id).await, "verified");
    let (_, _, board) = b.get("/board/live?node=P1").await;
    assert!(board.contains(r#"<span class="tile-value">5</span><span class="tile-label">New alerts</span>"#), "{board}");
    let (status, page) = get_in_korean(b, &format!("/alerts/{id}")).await;
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
    let report = [("id", id.as_str()), ("person_id", person.as_str()), ("symptoms", "fever")];
    // Neither Origin nor Sec-Fetch-Site: a Referer from elsewhere, or no
    // form token, is refused; so is a token with a foreign Origin.
    for (headers, token) in [
        (vec![("referer", "http://evil.example/form.html")], Some(b.form_token())),
        (vec![], None),
        (vec![], Some("0123456789abcdef0123456789abcdef")),
        (vec![("origin", "http://evil.example")], Some(b.form_token())),
    ] {
        let mut fields = report.to_vec();
        fields.extend(token.map(|t| ("csrf", t)));
        let mut request = b.http.post(format!("{}/report", b.base)).header("content-type", FORM).body(encode(&fields));
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::FORBIDDEN, "{headers:?} with token {token:?}");
    }
    let api = b
        .http
        .post(format!("{}/api/v1/reports", b.base))
        .json(&json!({"id": id, "person_id": person, "unit_code": "U1", "symptoms": ["fever"]}));
    assert_eq!(api.send().await.unwrap().status(), StatusCode::FORBIDDEN, "the API with a cookie and no Origin");
    assert_eq!(app.count(cordon_store::audit::Table::Reports).await, 0);
    assert_eq!(b.get("/report").await.0, StatusCode::OK, "still signed in");
}

/// Every post form of a page carries the session's form token, and pages
/// tell the browser to run only this site's code and never to frame them.
async fn pages_carry_form_tokens_and_security_headers(app: &TestApp) {
    let b = Browser::signed_in(app, "reporter_u1").await;
    let (status, headers, page) = b.get("/report").await;
    assert_eq!(status, StatusCode::OK);
    let forms = page.matches(r#"method="post""#).count();
    assert!(forms > 0 && page.matches(&format!(r#"name="csrf" value="{}""#, b.form_token())).count() == forms, "{page}");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let person = app.resident("reporter_u1", "U1", "Yoon Bora").await.to_string();
    let id = Uuid::new_v4().to_string();
    let plain = b.http.post(format!("{}/report", b.base)).header("content-type", FORM);
    let r =
        plain.body(encode(&[("id", &id), ("person_id", &person), ("symptoms", "fever"), ("csrf", b.form_token())])).send().await.unwrap();
    assert!(r.status().is_redirection() || r.status().is_success(), "the form token alone is enough: {}", r.status());
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
