//! Sign-in that resists guessing: failures slowed per account and per
//! address (429 with Retry-After, then a lockout the real user outlasts),
//! every refusal audited, idle browser sessions ended, sessions and tokens
//! listed and revoked one by one, passwords changed by their user and reset
//! by an administrator (then changed before anything else), and password
//! lengths bounded; the account page does the same without JavaScript.

use jiff::SignedDuration;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;
use crate::web::{Browser, get_in_korean, location};

on_both_backends!(
    guessing_is_slowed_then_locked_out_and_the_user_signs_in_after,
    many_names_from_one_address_meet_the_address_limit,
    behind_a_trusted_proxy_each_client_meets_its_own_address_limit,
    an_idle_browser_session_ends_and_a_device_token_does_not,
    tokens_are_listed_and_revoked_one_by_one,
    a_user_changes_their_own_password,
    an_administrator_resets_a_password_and_the_user_must_change_it,
    passwords_longer_than_1024_characters_are_refused,
    the_account_page_changes_the_password_and_revokes_sessions,
);

/// Asks for a device token; returns the status, the `Retry-After` header and the body.
async fn attempt(app: &TestApp, username: &str, password: &str) -> (StatusCode, Option<u64>, Value) {
    let r = app
        .http
        .post(app.url("/tokens"))
        .json(&json!({"username": username, "password": password, "device": "phone"}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let retry = r.headers().get(RETRY_AFTER).map(|v| v.to_str().unwrap().parse().unwrap());
    if status == StatusCode::TOO_MANY_REQUESTS {
        assert_eq!(r.headers()[CONTENT_TYPE], "application/problem+json");
    }
    (status, retry, r.json().await.unwrap())
}

/// Calls the API with a bearer token of one's own.
async fn call_with(app: &TestApp, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = app.http.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The audit records of refused sign-ins, newest first.
async fn refusals(app: &TestApp) -> Vec<Value> {
    let (status, records) = app.list("admin", "/audit?entity=session&limit=500").await;
    assert_eq!(status, StatusCode::OK, "{records}");
    records.as_array().unwrap().iter().filter(|r| r["action"] == "session.refused").cloned().collect()
}

async fn guessing_is_slowed_then_locked_out_and_the_user_signs_in_after(app: &TestApp) {
    for guess in 0..5 {
        let (status, _, body) = attempt(app, "worker_c1", &format!("guess number {guess}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let (status, retry, body) = attempt(app, "worker_c1", "guess number 5").await;
    assert_eq!((status, retry), (StatusCode::TOO_MANY_REQUESTS, Some(2)), "{body}");
    assert_eq!((body["code"].as_str(), body["params"]["retry_after"].as_u64()), (Some("too_many_attempts"), Some(2)));
    let (status, _, _) = attempt(app, "worker_c1", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "while waiting, not even the right password is checked");

    // Each further failure doubles the wait, until the tenth locks the account for 15 minutes.
    let mut waits = Vec::new();
    for guess in 5..10 {
        let (_, retry, _) = attempt(app, "worker_c1", "again").await;
        let wait = retry.unwrap();
        waits.push(wait);
        app.clock.advance(SignedDuration::from_secs(i64::try_from(wait).unwrap()));
        let (status, _, _) = attempt(app, "worker_c1", &format!("guess number {guess}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(waits, [2, 4, 8, 16, 32]);
    let (status, retry, _) = attempt(app, "worker_c1", PASSWORD).await;
    assert_eq!((status, retry), (StatusCode::TOO_MANY_REQUESTS, Some(900)), "locked out");

    // Others signing in from the same address are not held back by it.
    let (status, _, _) = attempt(app, "worker_c2", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED);

    app.clock.advance(SignedDuration::from_secs(899));
    assert_eq!(attempt(app, "worker_c1", PASSWORD).await.0, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(attempt(app, "worker_c1", PASSWORD).await.0, StatusCode::CREATED, "the lockout is over");
    assert_eq!(attempt(app, "worker_c1", "one typo").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(app, "worker_c1", PASSWORD).await.0, StatusCode::CREATED, "the success reset the count");

    let refused = refusals(app).await;
    let whys = |why: &str| refused.iter().filter(|r| r["after"]["why"] == why && r["after"]["username"] == "worker_c1").count();
    assert_eq!((whys("wrong_password"), whys("throttled")), (11, 9), "every refusal is audited with why");
    assert!(refused.iter().all(|r| r["after"]["address"] == "127.0.0.1" && r["actor_id"].is_null()));
    let text = serde_json::to_string(&refused).unwrap();
    assert!(!text.contains("guess number") && !text.contains(PASSWORD), "never the password");
}

async fn many_names_from_one_address_meet_the_address_limit(app: &TestApp) {
    for n in 0..20 {
        let (status, _, _) = attempt(app, &format!("nobody{n}"), "password spraying").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let (status, retry, _) = attempt(app, "worker_p1", PASSWORD).await;
    assert_eq!((status, retry), (StatusCode::TOO_MANY_REQUESTS, Some(2)), "the address's own limit holds everyone on it");
    app.clock.advance(SignedDuration::from_secs(2));
    assert_eq!(attempt(app, "worker_p1", PASSWORD).await.0, StatusCode::CREATED);
    let unknown = refusals(app).await.iter().filter(|r| r["after"]["why"] == "unknown_user").count();
    assert_eq!(unknown, 20);
}

/// Asks `server` for a device token as the proxy forwarding for `client` would.
async fn attempt_via(app: &TestApp, server: std::net::SocketAddr, client: &str, username: &str, password: &str) -> StatusCode {
    let body = json!({"username": username, "password": password, "device": "phone"});
    let r = app.http.post(format!("http://{server}/api/v1/tokens")).header("x-forwarded-for", client).json(&body).send().await.unwrap();
    r.status()
}

async fn behind_a_trusted_proxy_each_client_meets_its_own_address_limit(app: &TestApp) {
    let proxied = app.server_behind_a_proxy().await;
    for n in 0..20 {
        let status = attempt_via(app, proxied, "1.2.3.4, 203.0.113.7", &format!("nobody{n}"), "password spraying").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let sprayer = attempt_via(app, proxied, "203.0.113.7", "worker_p1", PASSWORD).await;
    assert_eq!(sprayer, StatusCode::TOO_MANY_REQUESTS, "the forwarded client is held, whatever it put before the proxy's entry");
    assert_eq!(attempt_via(app, proxied, "198.51.100.20", "worker_p1", PASSWORD).await, StatusCode::CREATED, "another client is not");
    let refused = refusals(app).await;
    assert!(refused.iter().filter(|r| r["after"]["why"] == "unknown_user").all(|r| r["after"]["address"] == "203.0.113.7"));
    // The server that trusts no proxy judges the peer, whatever the header says.
    assert_eq!(attempt_via(app, app.addr, "198.51.100.20", "worker_p1", PASSWORD).await, StatusCode::CREATED);
    let direct = refusals(app).await.len();
    attempt_via(app, app.addr, "198.51.100.21", "worker_p1", "wrong").await;
    let newest = &refusals(app).await[0];
    assert_eq!((refusals(app).await.len(), &newest["after"]["address"]), (direct + 1, &json!("127.0.0.1")));
}

async fn an_idle_browser_session_ends_and_a_device_token_does_not(app: &TestApp) {
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let r = browser.post(app.url("/session")).json(&json!({"username": "p1_officer", "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let whoami = async || browser.get(app.url("/session")).send().await.unwrap().status();
    for _ in 0..3 {
        app.clock.advance(SignedDuration::from_mins(29));
        assert_eq!(whoami().await, StatusCode::OK, "used within 30 minutes, the session lives on");
    }
    app.clock.advance(SignedDuration::from_mins(30));
    assert_eq!(whoami().await, StatusCode::UNAUTHORIZED, "30 minutes idle end it");
    assert_eq!(app.get("p1_officer", "/session").await.0, StatusCode::OK, "a device token has no idle limit");
}

async fn tokens_are_listed_and_revoked_one_by_one(app: &TestApp) {
    let (status, _, issued) = attempt(app, "worker_c1", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED);
    let phone = issued["token"].as_str().unwrap().to_owned();
    let (status, listed) = app.list("worker_c1", "/tokens").await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed.as_array().unwrap().clone();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().all(|s| s["kind"] == "bearer" && s.get("token").is_none() && s["expires_at"].is_string()));
    assert_eq!(listed.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_id = listed.iter().find(|s| s["device"] == "phone").unwrap()["id"].as_str().unwrap().to_owned();

    assert_eq!(call_with(app, &phone, reqwest::Method::GET, "/session", None).await.0, StatusCode::OK);
    let path = format!("/tokens/{phone_id}");
    assert_eq!(app.call("worker_c2", reqwest::Method::DELETE, &path, None).await.0, StatusCode::NOT_FOUND, "not another's");
    assert_eq!(app.call("worker_c1", reqwest::Method::DELETE, &path, None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call_with(app, &phone, reqwest::Method::GET, "/session", None).await.0, StatusCode::UNAUTHORIZED, "revoked");
    assert_eq!(app.get("worker_c1", "/session").await.0, StatusCode::OK, "the other token still works");

    // An administrator lists and revokes another user's (audited); a command officer may not.
    let worker = app.seed.user("worker_c1").id;
    assert_eq!(app.get("p1_officer", &format!("/users/{worker}/tokens")).await.0, StatusCode::NOT_FOUND);
    let (status, theirs) = app.list("admin", &format!("/users/{worker}/tokens")).await;
    assert_eq!(status, StatusCode::OK);
    let id = theirs[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(theirs[0]["current"], false);
    assert_eq!(app.call("admin", reqwest::Method::DELETE, &format!("/tokens/{id}"), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.get("worker_c1", "/session").await.0, StatusCode::UNAUTHORIZED);
    let (_, audit) = app.list("admin", "/audit?entity=session&limit=500").await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "session.revoke").count(), 2);
    assert!(actions.contains(&"session.list"), "the administrator's look is audited");
}

async fn a_user_changes_their_own_password(app: &TestApp) {
    let (_, _, issued) = attempt(app, "reporter_u1", PASSWORD).await;
    let laptop = issued["token"].as_str().unwrap().to_owned();
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let put = reqwest::Method::PUT;
    let (status, body) = call_with(app, &laptop, put.clone(), "/account/password", Some(change("wrong one", "a new passphrase"))).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password")), "{body}");
    let (status, body) = call_with(app, &laptop, put.clone(), "/account/password", Some(change(PASSWORD, "short"))).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("too_short")), "{body}");
    let (status, body) = call_with(app, &laptop, put.clone(), "/account/password", Some(change(PASSWORD, PASSWORD))).await;
    assert_eq!(body["errors"][0]["code"], "same_password", "{status} {body}");
    let (status, body) = call_with(app, &laptop, put, "/account/password", Some(change(PASSWORD, "a new passphrase"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    assert_eq!(call_with(app, &laptop, reqwest::Method::GET, "/session", None).await.0, StatusCode::OK, "this session stays");
    assert_eq!(app.get("reporter_u1", "/session").await.0, StatusCode::UNAUTHORIZED, "the others end");
    assert_eq!(attempt(app, "reporter_u1", PASSWORD).await.0, StatusCode::UNAUTHORIZED, "the old password no longer works");
    assert_eq!(attempt(app, "reporter_u1", "a new passphrase").await.0, StatusCode::CREATED);
    let (_, audit) = app.list("admin", "/audit?entity=user&limit=50").await;
    assert!(audit.as_array().unwrap().iter().any(|r| r["action"] == "user.password_change"), "{audit}");
}

async fn an_administrator_resets_a_password_and_the_user_must_change_it(app: &TestApp) {
    let worker = app.seed.user("worker_p1").id;
    let path = format!("/users/{worker}/password");
    assert_eq!(app.post("p1_officer", &path, json!({})).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.post("admin", &path, json!({"password": "short"})).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")));
    let (status, reset) = app.post("admin", &path, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    let temporary = reset["temporary_password"].as_str().unwrap().to_owned();
    assert_eq!(temporary.chars().count(), 16);
    assert_eq!(app.get("worker_p1", "/session").await.0, StatusCode::UNAUTHORIZED, "the reset ends their sessions");
    assert_eq!(attempt(app, "worker_p1", PASSWORD).await.0, StatusCode::UNAUTHORIZED);

    let (status, _, issued) = attempt(app, "worker_p1", &temporary).await;
    assert_eq!(status, StatusCode::CREATED);
    let token = issued["token"].as_str().unwrap().to_owned();
    let (status, body) = call_with(app, &token, reqwest::Method::GET, "/tasks", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("password_change_required")), "{body}");
    assert_eq!(call_with(app, &token, reqwest::Method::GET, "/session", None).await.0, StatusCode::OK);
    assert_eq!(call_with(app, &token, reqwest::Method::GET, "/tokens", None).await.0, StatusCode::OK);

    // The browser is sent to the account page from everywhere else.
    let b = Browser::new(app);
    let (status, _, _) = b.post("/sign-in", &[("username", "worker_p1"), ("password", &temporary), ("next", "")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, headers, _) = b.get("/tasks").await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/account"));
    let (status, _, page) = b.get("/account").await;
    assert!(status == StatusCode::OK && page.contains(r#"id="must-change""#), "{page}");

    let change = json!({"current_password": temporary, "new_password": "chosen by the worker"});
    assert_eq!(call_with(app, &token, reqwest::Method::PUT, "/account/password", Some(change)).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call_with(app, &token, reqwest::Method::GET, "/tasks", None).await.0, StatusCode::OK, "free again");
    let (_, audit) = app.list("admin", &format!("/audit?entity=user&entity_id={worker}")).await;
    let reset = audit.as_array().unwrap().iter().find(|r| r["action"] == "user.password_reset").expect("the reset is audited");
    assert_eq!(reset["actor_id"], app.seed.user("admin").id.to_string());
    assert!(!audit.to_string().contains(&temporary), "never the password");
}

async fn passwords_longer_than_1024_characters_are_refused(app: &TestApp) {
    let long = "x".repeat(1025);
    let user = json!({"username": "long_pw", "display_name": "Long", "role": "reporter", "node_code": "U1", "password": long});
    let (status, body) = app.post("admin", "/users", user).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")), "{body}");
    assert_eq!(body["errors"][0]["params"]["max"], 1024);
    let ok = json!({"username": "long_pw", "display_name": "Long", "role": "reporter", "node_code": "U1", "password": "x".repeat(1024)});
    assert_eq!(app.post("admin", "/users", ok).await.0, StatusCode::CREATED, "1,024 is allowed");
    let worker = app.seed.user("worker_c2").id;
    assert_eq!(
        app.post("admin", &format!("/users/{worker}/password"), json!({"password": long})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let change = json!({"current_password": PASSWORD, "new_password": long});
    assert_eq!(app.call("worker_c2", reqwest::Method::PUT, "/account/password", Some(change)).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // At sign-in a 100,000-character password is refused before any hashing.
    let started = std::time::Instant::now();
    let (status, _, body) = attempt(app, "worker_c2", &"y".repeat(100_000)).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let too_long = refusals(app).await.iter().filter(|r| r["after"]["why"] == "password_too_long").count();
    assert_eq!(too_long, 1);
}

async fn the_account_page_changes_the_password_and_revokes_sessions(app: &TestApp) {
    let b = Browser::signed_in(app, "worker_c1").await;
    let (status, _, page) = b.get("/tasks").await;
    assert!(status == StatusCode::OK && page.contains(r#"href="/account""#), "the header links the account page");
    let (status, _, page) = b.get("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Where you are signed in") && page.contains("Device token") && page.contains("(this one)"), "{page}");
    let (_, korean) = get_in_korean(&b, "/account").await;
    assert!(korean.contains("내 계정") && korean.contains("로그인된 곳"));

    // Revoke the device token the test signed in with, from its row.
    let (_, listed) = app.list("worker_c1", "/tokens").await;
    let token_id = listed.as_array().unwrap().iter().find(|s| s["kind"] == "bearer").unwrap()["id"].as_str().unwrap().to_owned();
    assert!(page.contains(&format!(r#"action="/account/sessions/{token_id}/revoke""#)));
    let (status, headers, _) = b.post(&format!("/account/sessions/{token_id}/revoke"), &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/account?done=revoked"));
    assert_eq!(app.get("worker_c1", "/session").await.0, StatusCode::UNAUTHORIZED);

    let form = |current: &'static str, new: &'static str, again: &'static str| {
        [("current_password", current), ("new_password", new), ("new_password_again", again)]
    };
    let (status, _, page) = b.post("/account/password", &form(PASSWORD, "a fresh passphrase", "a different one")).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains(r#"id="new_password_again-error""#), "{page}");
    let (status, _, page) = b.post("/account/password", &form("not mine", "a fresh passphrase", "a fresh passphrase")).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains(r#"id="current_password-error""#), "{page}");
    let (status, headers, _) = b.post("/account/password", &form(PASSWORD, "a fresh passphrase", "a fresh passphrase")).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/account?done=changed"));
    assert_eq!(attempt(app, "worker_c1", "a fresh passphrase").await.0, StatusCode::CREATED);

    // The administrator's users page resets a password and shows the generated one once.
    let admin = Browser::signed_in(app, "admin").await;
    let worker = app.seed.user("worker_c2").id;
    let (_, _, users) = admin.get("/admin/users").await;
    assert!(users.contains(&format!(r#"action="/admin/users/{worker}/password""#)), "{users}");
    let (status, _, done) = admin.post(&format!("/admin/users/{worker}/password"), &[("password", "")]).await;
    assert!(status == StatusCode::OK && done.contains(r#"id="temporary-password""#), "{done}");
    let (status, _, refused) = admin.post(&format!("/admin/users/{worker}/password"), &[("password", "short")]).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && refused.contains(r#"id="password-error""#), "{refused}");
}
