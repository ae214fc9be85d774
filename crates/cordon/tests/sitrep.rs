//! The situation report over a real demo database: every section rendered
//! as JSON, CSV and HTML, and not one bare number in any of them; the public
//! variant, read without signing in, holds none of the personal data the
//! database stores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

fn cordon() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cordon"))
}

/// A resident's name, phone, address, document number and id (in hex).
type PersonalFields = (String, Option<String>, Option<String>, Option<String>, String);

/// A server killed when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `db` on a free loopback port; the server and its address.
#[expect(clippy::zombie_processes, reason = "the Server guard kills and waits for it when the test ends")]
fn serve(db: &str) -> (Server, String) {
    let mut server = cordon().args(["serve", "--database", db, "--listen", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the server ended before listening");
        if let Some(rest) = line.split("cordon is listening on ").nth(1) {
            let addr = rest.trim().to_owned();
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            return (Server(server), addr);
        }
    }
}

/// Fails on any number in `json` outside a figure's `value`, `interval` or
/// `suppressed_below`.
fn assert_no_bare_numbers(json: &Value, path: &str) {
    match json {
        Value::Number(n) => panic!("a bare number {n} at {path}"),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| assert_no_bare_numbers(v, &format!("{path}[{i}]"))),
        Value::Object(map) => {
            let is_figure = ["measure", "counted", "period", "place", "source", "as_of", "label"].iter().all(|k| map.contains_key(*k));
            for (key, value) in map {
                if !(is_figure && matches!(key.as_str(), "value" | "interval" | "suppressed_below")) {
                    assert_no_bare_numbers(value, &format!("{path}.{key}"));
                }
            }
        }
        _ => {}
    }
}

/// Every digit in the text of `html` outside the figures' labels, dates and
/// times, the chart's drawing and the page's frame.
fn bare_digits_in_html(html: &str) -> Vec<String> {
    let body = html.split("<article class=\"sitrep").nth(1).unwrap().split("</article>").next().unwrap();
    let mut bare = Vec::new();
    for (i, piece) in body.split('<').enumerate().skip(1) {
        let (tag, text) = piece.split_once('>').unwrap_or((piece, ""));
        let inside_figure = tag.starts_with("li") && (tag.contains("data-figure") || tag.contains("class=\"note\""));
        if inside_figure || tag.starts_with("text") || tag.starts_with("title") || tag.starts_with("tspan") || tag.starts_with("a ") {
            continue;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for word in words {
            let dateish = word.trim_matches(|c: char| !c.is_ascii_digit()).chars().all(|c| c.is_ascii_digit() || c == '-' || c == ':');
            let code = word.chars().any(|c| c.is_ascii_alphabetic());
            if word.chars().any(|c| c.is_ascii_digit()) && !(dateish && word.contains(['-', ':'])) && !code {
                bare.push(format!("#{i} <{tag}> {word}"));
            }
        }
    }
    bare
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_situation_report_has_no_bare_number_and_its_public_variant_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    let db = format!("sqlite://{}", file.display());
    let built = cordon().args(["demo", "--database", &db, "--scale", "small", "--days", "14", "--no-serve"]).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let (_server, addr) = serve(&db);
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{addr}/api/v1/tokens"))
        .json(&json!({"username": "command", "password": "cordon-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap();

    let report: Value = http.get(format!("{addr}/api/v1/sitrep")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let sections: Vec<&str> = report["sections"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(
        sections,
        ["at_home", "orders", "rt", "completeness", "response_times", "abroad", "alerts", "measures", "curve", "areas"],
        "{report}"
    );
    assert_no_bare_numbers(&report, "sitrep");
    let figures = report.to_string().matches("\"label\"").count();
    assert!(figures > 100, "a demo report is full of figures: {figures}");
    let code = report["code"].as_str().unwrap().to_owned();

    for lang in ["en", "ko"] {
        let html = http.get(format!("{addr}/sitrep")).bearer_auth(token).header("accept-language", lang).send().await.unwrap();
        let html = html.text().await.unwrap();
        assert!(html.contains("<article class=\"sitrep") && html.contains("<svg"), "the page with its curve and map: {html}");
        assert_eq!(bare_digits_in_html(&html), Vec::<String>::new(), "{lang}");
    }
    let csv_text = http.get(format!("{addr}/api/v1/sitrep.csv")).bearer_auth(token).send().await.unwrap().text().await.unwrap();
    let mut lines = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = lines.headers().unwrap().iter().map(str::to_owned).collect();
    let (value, label, measure) = (9, 13, 2);
    assert_eq!((header[value].as_str(), header[label].as_str(), header[measure].as_str()), ("value", "label", "measure"));
    for record in lines.records() {
        let record = record.unwrap();
        assert!(record[value].is_empty() || (!record[label].is_empty() && !record[measure].is_empty()), "{record:?}");
    }

    let public: Value = http.get(format!("{addr}/api/v1/public/sitrep?node={code}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(public["public"], true, "{public}");
    assert_no_bare_numbers(&public, "public");
    let public_html = http.get(format!("{addr}/public/sitrep?node={code}")).send().await.unwrap().text().await.unwrap();
    assert!(public_html.contains("data-public-note"), "the public page, without signing in");
    let public_csv = http.get(format!("{addr}/api/v1/public/sitrep.csv?node={code}")).send().await.unwrap().text().await.unwrap();
    let everything = format!("{public}\n{public_html}\n{public_csv}");

    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let stored: Vec<PersonalFields> =
        sqlx::query_as("SELECT full_name, phone, address, document_number, lower(hex(id)) FROM persons").fetch_all(&pool).await.unwrap();
    assert!(stored.len() >= 10, "the demo registers residents: {}", stored.len());
    let mut checked = 0;
    for (name, phone, address, document, hex) in &stored {
        let id = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
        for value in [Some(name), phone.as_ref(), address.as_ref(), document.as_ref(), Some(&id)].into_iter().flatten() {
            if value.chars().count() >= 3 {
                assert!(!everything.contains(value.as_str()), "the public report holds personal data: {value}");
                checked += 1;
            }
        }
    }
    let notes: Vec<String> = sqlx::query_scalar("SELECT note FROM reports WHERE note IS NOT NULL").fetch_all(&pool).await.unwrap();
    for note in notes.iter().filter(|n| n.chars().count() >= 8) {
        assert!(!everything.contains(note.as_str()), "the public report holds a report's note: {note}");
    }
    assert!(checked > stored.len(), "names and more were looked for: {checked}");
}
