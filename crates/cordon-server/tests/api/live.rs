//! The live event stream.

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_command_sees_reports_and_tasks_live,
    a_reconnecting_client_catches_up_from_its_last_event,
    a_board_on_another_server_sees_what_this_one_commits
);

/// Reads the SSE stream until `want` event types have arrived (or 10 s pass).
async fn read_events(response: reqwest::Response, want: &[&str]) -> Vec<(String, Value)> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut seen: Vec<(String, Value)> = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !want.iter().all(|w| seen.iter().any(|(k, _)| k == w)) {
        let chunk = tokio::time::timeout_at(deadline, stream.next()).await.expect("events arrive in time").expect("stream open").unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let kind = block.lines().find_map(|l| l.strip_prefix("event: ")).map(str::to_owned);
            let data = block.lines().find_map(|l| l.strip_prefix("data: ")).map(|d| serde_json::from_str(d).unwrap());
            if let (Some(kind), Some(data)) = (kind, data) {
                seen.push((kind, data));
            }
        }
    }
    seen
}

async fn the_command_sees_reports_and_tasks_live(app: &TestApp) {
    let stream = app.http.get(app.url("/events/stream")).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let person = app.resident("reporter_u1", "U1", "Nam Gyu-ri").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.3)).await;
    let task_id = intake["task"]["id"].as_str().unwrap();
    app.post("worker_c1", &format!("/tasks/{task_id}/acknowledge"), serde_json::json!({})).await;
    let events = read_events(stream, &["report_received", "case_opened", "task_assigned", "task_acknowledged"]).await;
    let ack = events.iter().find(|(k, _)| k == "task_acknowledged").unwrap();
    assert_eq!(ack.1["data"]["status"], "acknowledged");
    assert_eq!(ack.1["entity_id"], intake["task"]["id"]);
}

async fn a_reconnecting_client_catches_up_from_its_last_event(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Go Eun-ji").await;
    app.report("reporter_u1", "U1", person, &["fever"], Some(38.3)).await;
    let (_, log) = app.list("p1_officer", "/events").await;
    let first = log[0]["seq"].as_i64().unwrap();
    let stream = app
        .http
        .get(app.url("/events/stream"))
        .bearer_auth(&app.seed.tokens["p1_officer"])
        .header("last-event-id", first.to_string())
        .send()
        .await
        .unwrap();
    let events = read_events(stream, &["case_opened", "task_assigned"]).await;
    assert!(events.iter().all(|(_, e)| e["seq"].as_i64().unwrap() > first), "only what came after the last id");
}

/// With several servers on one PostgreSQL database, a board streaming from
/// one server sees, live, what a unit head files through another (on SQLite
/// there is one server by construction, so the test has nothing to do there).
async fn a_board_on_another_server_sees_what_this_one_commits(app: &TestApp) {
    let Some(other) = app.second_server().await else { return };
    // Sessions live in the database: the same token signs in on either server.
    let stream =
        app.http.get(format!("http://{other}/api/v1/events/stream")).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    // Give the other server's listener a moment to subscribe before the commit.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let person = app.resident("reporter_u1", "U1", "Seo Ha-eun").await;
    let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.6)).await;
    let events = read_events(stream, &["report_received", "case_opened", "task_assigned"]).await;
    let task = events.iter().find(|(k, _)| k == "task_assigned").unwrap();
    assert_eq!(task.1["entity_id"], intake["task"]["id"]);
    let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "report_received").count(), 1, "each event once: {kinds:?}");
}
