//! The server's logs as an operator reads them: `--log-format json` writes
//! one JSON object per line, and every line written while a request is
//! answered carries the request's id (the one the proxy sent, echoed in
//! the answer). PostgreSQL adds nothing here: the log does not depend on
//! the database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// `cordon serve --log-format json` on a fresh SQLite file; the child, its
/// address and the lines of its standard error as they come.
fn serve_json_logs(db: &str) -> (Child, String, mpsc::Receiver<String>) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(["serve", "--database", db, "--listen", "127.0.0.1:0", "--log-format", "json"])
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(server.stderr.take().unwrap());
    let (lines, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let addr = loop {
        let line = rx.recv_timeout(Duration::from_mins(1)).expect("the server says where it listens");
        if let Some(rest) = line.split("cordon is listening on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    (server, addr, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_log_line_of_a_request_carries_the_request_id_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let (mut server, addr, lines) = serve_json_logs(&db);

    // A failed sign-in is logged (a warning) while the request is answered.
    let answer = reqwest::Client::new()
        .post(format!("{addr}/api/v1/tokens"))
        .header("x-request-id", "proxy-7f3a9c")
        .json(&json!({"username": "nobody", "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.headers()["x-request-id"], "proxy-7f3a9c", "the id sent is echoed");

    let mut seen = Vec::new();
    let refused = loop {
        let line = lines.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("no sign-in line; saw:\n{}", seen.join("\n")));
        let Ok(object) = serde_json::from_str::<Value>(&line) else {
            // Only the plain notices printed for people (listening, stopping) are not JSON.
            assert!(line.starts_with("cordon ") || line.starts_with("Press ") || line.starts_with("Stopp"), "not JSON: {line}");
            continue;
        };
        seen.push(line);
        if object["fields"]["message"] == "sign-in refused" {
            break object;
        }
    };
    assert_eq!(refused["level"], "WARN");
    assert_eq!(refused["fields"]["username"], "nobody");
    assert_eq!(refused["span"]["request_id"], "proxy-7f3a9c", "{refused}");
    assert_eq!(refused["span"]["route"], "/api/v1/tokens");
    assert_eq!(refused["span"]["method"], "POST");

    server.kill().unwrap();
    server.wait().unwrap();
}
