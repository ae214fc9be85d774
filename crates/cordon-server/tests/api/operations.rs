//! The operator's endpoints: `/metrics` (route templates and counts, the
//! workload gauges read at scrape time, who may read it), `/healthz` and
//! `/readyz` (and its 503 when the database is gone or not migrated), and
//! the request id echoed in every answer.

use std::net::SocketAddr;
use std::sync::Arc;

use cordon_server::{Application, Config};
use cordon_store::Store;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    metrics_count_requests_by_route_template,
    metrics_read_the_workload_at_scrape_time,
    metrics_are_refused_through_a_proxy_and_without_the_token,
    health_and_readiness_answer_without_a_session,
    readiness_fails_when_the_database_is_gone_or_not_migrated,
    every_answer_carries_a_request_id,
);

/// The text `/metrics` answers at `addr`.
async fn scrape(app: &TestApp, addr: SocketAddr) -> String {
    let answer = app.http.get(format!("http://{addr}/metrics")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    answer.text().await.unwrap()
}

/// The value of the sample whose line starts with `name` and holds every one of `labels`.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| line.starts_with(name) && line[name.len()..].starts_with(['{', ' ']))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

async fn metrics_count_requests_by_route_template(app: &TestApp) {
    let labels = ["method=\"GET\"", "route=\"/api/v1/cases/{id}\"", "status=\"4xx\""];
    let before = sample(&scrape(app, app.addr).await, "cordon_http_requests_total", &labels).unwrap_or(0.0);
    let asked: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
    for id in &asked {
        let (status, _) = app.get("nation_officer", &format!("/cases/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let text = scrape(app, app.addr).await;
    // The recorder is the process's: tests running beside this one may add to the count, never take from it.
    let after = sample(&text, "cordon_http_requests_total", &labels).unwrap();
    assert!(after - before >= 3.0, "three more requests counted under the template: {before} then {after}");
    assert!(sample(&text, "cordon_http_request_duration_seconds_bucket", &[labels[1], "le=\"+Inf\""]).unwrap() >= 3.0, "{text}");
    assert!(sample(&text, "cordon_http_request_duration_seconds_count", &labels).unwrap() >= 3.0);
    for id in &asked {
        assert!(!text.contains(&id.to_string()), "the path asked never becomes a label");
    }
    assert!(text.contains("# TYPE cordon_http_request_duration_seconds histogram"), "latencies are a true histogram");
}

async fn metrics_read_the_workload_at_scrape_time(app: &TestApp) {
    let text = scrape(app, app.addr).await;
    assert_eq!(sample(&text, "cordon_database_up", &[]), Some(1.0));
    assert_eq!(sample(&text, "cordon_units", &[]), Some(3.0), "U1, U2 and U3");
    assert_eq!(sample(&text, "cordon_tasks_overdue", &[]), Some(0.0));
    assert_eq!(sample(&text, "cordon_units_silent", &[]), Some(0.0), "before the silent hour units are pending, not silent");
    let (pool, max) = match app.state.store.backend() {
        cordon_store::Backend::Sqlite => ("pool=\"writer\"", 1.0),
        cordon_store::Backend::Postgres => ("pool=\"main\"", 16.0),
    };
    assert_eq!(sample(&text, "cordon_db_pool_max_connections", &[pool]), Some(max), "{text}");
    assert!(sample(&text, "cordon_db_pool_connections", &[pool, "state=\"idle\""]).is_some());

    // A fever report opens a case and an investigation task, due within hours.
    app.case_in("reporter_u1", "U1", "Hong Gil-dong").await;
    let (status, _) = app
        .post("reporter_u1", "/daily-reports", json!({"id": Uuid::new_v4(), "unit_code": "U1", "date": "2026-11-23", "ill_count": 1}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let text = scrape(app, app.addr).await;
    let open: f64 = ["assigned", "acknowledged", "overdue", "escalated"]
        .iter()
        .map(|s| sample(&text, "cordon_tasks_open", &[&format!("status=\"{s}\"")]).unwrap())
        .sum();
    assert_eq!(open, 1.0, "{text}");
    assert_eq!(sample(&text, "cordon_units_reported_today", &[]), Some(1.0));

    // Past the deadline (the jobs have not run) and past the silent hour (21:00).
    app.clock.advance(SignedDuration::from_hours(12));
    let text = scrape(app, app.addr).await;
    assert_eq!(sample(&text, "cordon_tasks_overdue", &[]), Some(1.0), "{text}");
    assert_eq!(sample(&text, "cordon_units_silent", &[]), Some(2.0), "U2 and U3 filed nothing");

    // An open live stream is a subscriber.
    let stream = app.http.get(app.url("/events/stream")).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let text = scrape(app, app.addr).await;
    assert_eq!(sample(&text, "cordon_sse_subscribers", &[]), Some(1.0), "{text}");
    drop(stream);
}

/// Another server over the same store with `configure` applied.
async fn server_with(app: &TestApp, store: Store, configure: impl FnOnce(&mut Config)) -> SocketAddr {
    let mut config = crate::helpers::test_config();
    configure(&mut config);
    let server = Application::build(&config, store, Arc::new(app.clock.clone())).await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.run(std::future::pending()));
    addr
}

/// The status and problem document of a refused `/metrics`.
async fn refused(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let answer = request.send().await.unwrap();
    let status = answer.status();
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    (status, answer.json().await.unwrap())
}

async fn metrics_are_refused_through_a_proxy_and_without_the_token(app: &TestApp) {
    // No token configured: a direct loopback client reads them, a proxied request does not.
    let metrics = format!("http://{}/metrics", app.addr);
    let (status, problem) = refused(app.http.get(&metrics).header("x-forwarded-for", "203.0.113.9")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("metrics_loopback_only")), "{problem}");
    let (status, _) = refused(app.http.get(&metrics).header("forwarded", "for=203.0.113.9")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A session does not stand in for the rule.
    let (status, _) = refused(app.http.get(&metrics).bearer_auth(&app.seed.tokens["admin"]).header("x-real-ip", "203.0.113.9")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A token configured: only the token opens them, even from loopback.
    let addr = server_with(app, app.state.store.clone(), |c| c.metrics_token = Some("scrape-4b1d".into())).await;
    let metrics = format!("http://{addr}/metrics");
    let answer = app.http.get(&metrics).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(answer.headers()["www-authenticate"], "Bearer");
    let (status, problem) = refused(app.http.get(&metrics).bearer_auth("scrape-4b1e")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("metrics_token_required")));
    let (status, _) = refused(app.http.get(&metrics).bearer_auth(&app.seed.tokens["admin"])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an administrator's session is not the metrics token");
    let answer = app.http.get(&metrics).bearer_auth("scrape-4b1d").header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "with the token, through a proxy too");
    assert!(answer.text().await.unwrap().contains("cordon_units 3"));
}

async fn health_and_readiness_answer_without_a_session(app: &TestApp) {
    let healthz = app.http.get(format!("http://{}/healthz", app.addr)).send().await.unwrap();
    assert_eq!(healthz.status(), StatusCode::OK);
    assert_eq!(healthz.text().await.unwrap(), "ok");
    let readyz = app.http.get(format!("http://{}/readyz", app.addr)).send().await.unwrap();
    assert_eq!(readyz.status(), StatusCode::OK);
    let ready: Value = readyz.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert!(ready["migration"].as_i64().unwrap() >= 11, "{ready}");
}

async fn readiness_fails_when_the_database_is_gone_or_not_migrated(app: &TestApp) {
    // A server whose store was closed under it: unreachable, but still alive.
    let gone = Store::open(app.database_url()).await.unwrap();
    let addr = server_with(app, gone.clone(), |_| ()).await;
    gone.close().await;
    let (status, problem) = refused(app.http.get(format!("http://{addr}/readyz"))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("database_unreachable")), "{problem}");
    assert_eq!(app.http.get(format!("http://{addr}/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let text = app.http.get(format!("http://{addr}/metrics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(sample(&text, "cordon_database_up", &[]), Some(0.0), "metrics still answer, saying the counts are missing");

    // A database that answers but was never migrated (a fresh file, or a new PostgreSQL schema).
    let fresh = match app.state.store.backend() {
        cordon_store::Backend::Sqlite => {
            let dir = std::path::Path::new(app.database_url().trim_start_matches("sqlite://")).parent().unwrap().to_owned();
            Store::connect(&format!("sqlite://{}", dir.join("never-migrated.db").display())).await.unwrap()
        }
        cordon_store::Backend::Postgres => {
            let schema = format!("empty_{}", Uuid::new_v4().simple());
            let admin = sqlx::PgPool::connect(app.database_url()).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&admin).await.unwrap();
            admin.close().await;
            let separator = if app.database_url().contains('?') { '&' } else { '?' };
            Store::connect(&format!("{}{separator}options[search_path]={schema}", app.database_url())).await.unwrap()
        }
    };
    let addr = server_with(app, fresh, |_| ()).await;
    let (status, problem) = refused(app.http.get(format!("http://{addr}/readyz"))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("migrations_not_current")), "{problem}");
    let pending: Vec<i64> = problem["params"]["pending"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(pending.first(), Some(&1), "every migration is pending: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("pending: 1, 2"), "{problem}");
}

async fn every_answer_carries_a_request_id(app: &TestApp) {
    let id_of = |answer: &reqwest::Response| answer.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned());
    let sent = app.http.get(app.url("/cases")).header("x-request-id", "lb-0a1b2c3d").send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(id_of(&sent).as_deref(), Some("lb-0a1b2c3d"), "the proxy's id is kept, on a refusal too");

    let made = app.http.get(format!("http://{}/healthz", app.addr)).send().await.unwrap();
    let made = id_of(&made).expect("an id is made when none is sent");
    assert!(made.parse::<Uuid>().is_ok(), "{made}");

    for unsound in ["two words", "{\"a\":1}", &"x".repeat(129)] {
        let answer = app.http.get(format!("http://{}/nowhere", app.addr)).header("x-request-id", unsound).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        let replaced = id_of(&answer).unwrap();
        assert!(replaced.parse::<Uuid>().is_ok(), "{unsound:?} is replaced by a new id, not {replaced:?}");
    }
}
