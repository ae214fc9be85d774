//! Every string the API takes, sent hostile: a NUL, a 100,000-character
//! value and invalid percent-encoding, in every path and query parameter and
//! every string field of every request body the OpenAPI document describes.
//! The answers must be 4xx problems (never a 5xx), a NUL must be refused
//! naming where it was and change nothing, and SQLite and PostgreSQL must
//! give the same answer to the same request.

use std::collections::BTreeMap;

use cordon_store::audit::Table;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::helpers::{Backend, TestApp};

/// The 100,000-character value.
fn huge() -> String {
    "x".repeat(100_000)
}

/// A value of the kind a schema asks for, following `$ref`s (depth-bounded).
fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return example(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[combinator].as_array().and_then(|a| a.iter().find(|s| s["type"] != "null")) {
            return example(doc, first, depth + 1);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|a| a.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut fields = Map::new();
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    fields.insert(name.clone(), example(doc, property, depth + 1));
                }
            }
            Value::Object(fields)
        }
        Some("array") => json!([example(doc, &schema["items"], depth + 1)]),
        Some("integer") => json!(1),
        Some("number") => json!(37.5),
        Some("boolean") => json!(false),
        Some("string") => match schema["format"].as_str() {
            Some("uuid") => json!(uuid::Uuid::new_v4()),
            Some("date") => json!("2026-11-23"),
            Some("date-time") => json!("2026-11-23T09:00:00Z"),
            _ => json!("U1"),
        },
        _ => Value::Null,
    }
}

/// The JSON paths (`a.b[0]`) of every string in `value`.
fn string_paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(prefix.to_owned()),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| string_paths(v, &format!("{prefix}[{i}]"), out)),
        Value::Object(fields) => {
            for (k, v) in fields {
                string_paths(v, &if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, out);
            }
        }
        _ => {}
    }
}

/// `value` with the string at `path` replaced by `with`.
fn replaced(value: &Value, path: &str, with: &str) -> Value {
    let mut out = value.clone();
    let mut at = &mut out;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        at = &mut at[name];
        if let Some(i) = index {
            at = &mut at[i];
        }
    }
    *at = Value::String(with.to_owned());
    out
}

/// A path template with its parameters filled: uuids for ids, a unit code otherwise.
fn filled(template: &str, parameters: &[Value], hostile: Option<(&str, &str)>) -> String {
    let mut path = template.to_owned();
    for p in parameters.iter().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap();
        let value = match hostile {
            Some((target, value)) if target == name => value.to_owned(),
            _ if p["schema"]["format"] == "uuid" => uuid::Uuid::new_v4().to_string(),
            _ => "U1".to_owned(),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// What one hostile request was and how it was answered.
type Answers = BTreeMap<String, u16>;

async fn send(app: &TestApp, user: &str, method: &Method, path_and_query: &str, body: Option<&Value>) -> (StatusCode, String, Value) {
    let mut request =
        app.http.request(method.clone(), format!("http://{}/api/v1{path_and_query}", app.addr)).bearer_auth(&app.seed.tokens[user]);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.timeout(std::time::Duration::from_mins(1)).send().await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    // A live stream that accepted the request never ends: its status is the answer.
    if kind.starts_with("text/event-stream") {
        return (status, kind, Value::Null);
    }
    let text = response.text().await.unwrap();
    (status, kind, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Sends a request line of `len` bytes over a raw connection (an URI longer
/// than the client library will build) and returns the status.
async fn raw_status(app: &TestApp, target: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let token = &app.seed.tokens["nation_officer"];
    let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n", app.addr);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = vec![0u8; 12];
    tokio::time::timeout(std::time::Duration::from_mins(1), stream.read_exact(&mut head))
        .await
        .expect("the server answers a long request line within a minute")
        .unwrap();
    String::from_utf8_lossy(&head[9..12]).parse().unwrap()
}

/// The start of an answer, for a failure message.
fn short(body: &Value) -> String {
    body.to_string().chars().take(300).collect()
}

fn check_answer(case: &str, status: StatusCode, kind: &str, body: &Value) {
    let case: String = case.chars().take(200).collect();
    assert!(status.is_client_error() || status.is_success(), "{case}: {status} {}", short(body));
    if status.is_client_error() {
        assert_eq!(kind, "application/problem+json", "{case}: {status} {}", short(body));
    }
}

/// The rows hostile requests must leave as they were (refused sign-ins are
/// audited, so the audit log is not among them).
async fn written(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in
        [Table::Reports, Table::DailyReports, Table::Cases, Table::Tasks, Table::Persons, Table::Users, Table::Nodes, Table::Escalations]
    {
        counts.push(app.count(table).await);
    }
    counts
}

/// Every hostile request of the document, as `user`; their answers by case.
async fn hostile_requests(app: &TestApp, user: &str) -> Answers {
    let (_, doc) = app.get(user, "/openapi.json").await;
    let mut answers = Answers::new();
    let audited = written(app).await;
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method_name, operation) in item.as_object().unwrap() {
            let Ok(method) = method_name.to_uppercase().parse::<Method>() else { continue };
            let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
            let body = operation["requestBody"]["content"]["application/json"]["schema"].clone();
            let body = (!body.is_null()).then(|| example(&doc, &body, 0));
            // Parameters: NUL, a long value and broken percent-encoding.
            for p in &parameters {
                let name = p["name"].as_str().unwrap();
                for (label, value) in [("nul", "%00"), ("long", &"y".repeat(60_000)[..]), ("percent", "%ff%zz%")] {
                    let target = if p["in"] == "path" {
                        filled(template, &parameters, Some((name, value)))
                    } else {
                        format!("{}?{name}={value}", filled(template, &parameters, None))
                    };
                    let case = format!("{method_name} {template} {name}={label}");
                    let (status, kind, answer) = send(app, user, &method, &target, body.as_ref()).await;
                    check_answer(&case, status, &kind, &answer);
                    if label == "nul" {
                        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {}", short(&answer));
                    }
                    answers.insert(case, status.as_u16());
                }
            }
            // Body fields: each string a NUL, then each a 100,000-character value.
            let Some(body) = body else { continue };
            let mut paths = Vec::new();
            string_paths(&body, "", &mut paths);
            let target = filled(template, &parameters, None);
            for field in &paths {
                let case = format!("{method_name} {template} body {field}=nul");
                let (status, kind, answer) = send(app, user, &method, &target, Some(&replaced(&body, field, "a\u{0}b"))).await;
                check_answer(&case, status, &kind, &answer);
                assert_eq!(
                    (status, answer["errors"][0]["field"].as_str()),
                    (StatusCode::UNPROCESSABLE_ENTITY, Some(field.as_str())),
                    "{case}: {}",
                    short(&answer)
                );
                answers.insert(case, status.as_u16());
                let case = format!("{method_name} {template} body {field}=long");
                let (status, kind, answer) = send(app, user, &method, &target, Some(&replaced(&body, field, &huge()))).await;
                check_answer(&case, status, &kind, &answer);
                answers.insert(case, status.as_u16());
            }
        }
    }
    let accepted: Vec<&String> =
        answers.iter().filter(|(case, s)| (200..300).contains(*s) && !case.starts_with("get ")).map(|(c, _)| c).collect();
    assert_eq!(written(app).await, audited, "no hostile request of {user} changed anything; accepted: {accepted:?}");
    let long_query = format!("/api/v1/persons?search={}", huge());
    answers.insert("uri of 100,000 characters".to_owned(), raw_status(app, &long_query).await);
    answers
}

async fn answers_on(backend: Backend) -> Answers {
    let app = TestApp::spawn(backend).await;
    let mut answers = Answers::new();
    for user in ["nation_officer", "admin", "reporter_u1"] {
        for (case, status) in hostile_requests(&app, user).await {
            answers.insert(format!("{user}: {case}"), status);
        }
    }
    app.finish().await;
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_get_the_same_clear_refusal_on_both_databases() {
    let sqlite = answers_on(Backend::Sqlite).await;
    assert!(sqlite.len() > 500, "every parameter and field was tried: {}", sqlite.len());
    assert!(sqlite.values().all(|&s| s < 500), "no 5xx");
    eprintln!("hostile inputs: {} requests, none answered 5xx", sqlite.len());
    if std::env::var_os("CORDON_TEST_DATABASE_URL").is_none() {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL comparison skipped");
        return;
    }
    let postgres = answers_on(Backend::Postgres).await;
    let differ: Vec<_> =
        sqlite.iter().filter(|(case, status)| postgres.get(*case) != Some(status)).map(|(case, s)| (case, s, postgres.get(case))).collect();
    assert!(differ.is_empty(), "answers differ between SQLite and PostgreSQL: {differ:#?}");
}
