//! The binary end to end: import, add users, serve, and a report that
//! survives the server being killed right after it was acknowledged; the
//! demo opened again without rebuilding; a stop asked by signal that ends
//! the process within seconds whatever is connected.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cordon_store::Store;
use cordon_store::audit::Table;
use serde_json::{Value, json};

fn cordon() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cordon"))
}

const TREE: &str =
    "code,name,parent_code,population\nKR,Korea,,1000\nP1,North,KR,1000\nC1,River,P1,1000\nD1,East,C1,1000\nU1,Unit 1,D1,1000\n";

#[test]
fn a_bad_jurisdiction_file_is_refused_with_line_and_column_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "code,name,parent_code,population\nKR,Korea,,1000\nP1,North,KR,many\n").unwrap();
    let out = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3, column 4 (population)"), "{stderr}");
    std::fs::write(&csv, "code,name,parent_code,population\nKR,Korea,,1000\nP1,North,XX,1\n").unwrap();
    let out = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3, column 3 (parent_code)") && stderr.contains("nothing was imported"), "{stderr}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let count = rt.block_on(async { Store::open(&db).await.unwrap().count(Table::Nodes).await.unwrap() });
    assert_eq!(count, 0, "the good first row was not imported either");
}

/// An SQLite database in `dir` with the test tree imported by the command
/// line: its URL, the CSV imported and what the import printed.
fn tree_database(dir: &std::path::Path) -> (String, std::path::PathBuf, String) {
    let db = format!("sqlite://{}", dir.join("c.db").display());
    let csv = dir.join("tree.csv");
    std::fs::write(&csv, TREE).unwrap();
    let out = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (db, csv, printed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_report_survives_a_killed_server() {
    let dir = tempfile::tempdir().unwrap();
    let (db, csv, imported) = tree_database(dir.path());
    assert_eq!(imported, "5 created, 0 updated, 0 unchanged");
    let again = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "0 created, 0 updated, 5 unchanged", "re-importing is safe");
    add_user(&db, "head.u1", "reporter", "U1", "unit head password");

    let (mut server, addr) = serve(&db);

    let http = reqwest::Client::new();
    let token = sign_in(&http, &addr, "head.u1", "unit head password").await;
    let person = post_json(
        &http,
        &format!("{addr}/api/v1/persons"),
        Some(&token),
        &json!({"full_name": "Kim", "sex": "male", "birth_year": 1970, "unit_code": "U1"}),
    )
    .await;
    let report_id = uuid::Uuid::new_v4();
    let response = http
        .post(format!("{addr}/api/v1/reports"))
        .bearer_auth(&token)
        .json(&json!({"id": report_id, "person_id": person["id"], "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.7}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);

    server.kill().unwrap(); // SIGKILL: no shutdown, no checkpoint
    server.wait().unwrap();

    let store = Store::open(&db).await.unwrap();
    assert_eq!(store.count(Table::Reports).await.unwrap(), 1);
    assert_eq!(store.count(Table::Cases).await.unwrap(), 1);
    assert!(store.report(report_id).await.unwrap().is_some());
}

/// Adds a user with `cordon user add`.
fn add_user(db: &str, username: &str, role: &str, node: &str, password: &str) {
    let add = cordon()
        .args(["user", "add", "--database", db, "--username", username, "--role", role, "--node", node])
        .env("CORDON_PASSWORD", password)
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
}

/// Starts `cordon serve` on a free loopback port; the child and its address.
fn serve(db: &str) -> (Child, String) {
    let mut server = cordon().args(["serve", "--database", db, "--listen", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let (addr, _) = listening(&mut server);
    (server, addr)
}

/// Reads the server's standard error up to the line that says where it
/// listens; returns the address and what came before. Whatever follows is
/// drained in the background so the server never blocks on a full pipe.
fn listening(server: &mut Child) -> (String, String) {
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut before = String::new();
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the server ended before listening:\n{before}");
        if let Some(rest) = line.split("cordon is listening on ").nth(1) {
            let addr = rest.trim().to_owned();
            assert!(addr.starts_with("http://127.0.0.1:"), "the server says where it listens: {line}");
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            return (addr, before);
        }
        before.push_str(&line);
    }
}

/// Waits up to `limit` for the process to end; its exit code and how long it took.
fn ended_within(child: &mut Child, limit: Duration) -> (Option<i32>, Duration) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code(), started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("the process was still running {limit:?} after it was asked to stop");
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill").args([format!("-{name}"), child.id().to_string()]).status().unwrap();
    assert!(sent.success());
}

/// A bearer token for `username`.
async fn sign_in(http: &reqwest::Client, addr: &str, username: &str, password: &str) -> String {
    let token = post_json(http, &format!("{addr}/api/v1/tokens"), None, &json!({"username": username, "password": password})).await;
    token["token"].as_str().unwrap().to_owned()
}

/// Posts `body` as JSON (with a bearer token when given) and reads the JSON answer.
async fn post_json(http: &reqwest::Client, url: &str, token: Option<&str>, body: &Value) -> Value {
    let mut request = http.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// Signs in as `username` (password `password`) and opens the live event stream.
async fn open_event_stream(addr: &str, username: &str, password: &str) -> reqwest::Response {
    let http = reqwest::Client::new();
    let token = sign_in(&http, addr, username, password).await;
    let stream = http.get(format!("{addr}/api/v1/events/stream")).bearer_auth(token).send().await.unwrap();
    assert_eq!(stream.status(), reqwest::StatusCode::OK);
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_the_server_within_seconds_even_with_an_event_stream_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = tree_database(dir.path());
    add_user(&db, "command", "command_officer", "KR", "command password");
    let (mut server, addr) = serve(&db);
    let mut stream = open_event_stream(&addr, "command", "command password").await;

    signal(&server, "INT");
    let (code, took) = ended_within(&mut server, Duration::from_secs(5));

    assert_eq!(code, Some(0), "a stop asked for is a clean exit");
    assert!(took < Duration::from_secs(5), "{took:?}");
    while let Ok(Some(_)) = stream.chunk().await {} // the stream was ended, not left hanging
}

#[test]
fn a_demo_on_a_port_in_use_fails_at_once_naming_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let started = Instant::now();
    let out = cordon().args(["demo", "--database", &db, "--listen", &addr]).stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5), "it failed only after {:?}", started.elapsed());
    assert!(stderr.contains(&format!("cannot listen on {addr}")), "{stderr}");
    assert!(!stderr.contains("Building"), "nothing was built: {stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_demo_opens_the_first_without_rebuilding_and_its_output_has_no_escape_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let built = cordon().args(["demo", "--database", &db, "--scale", "small", "--days", "14", "--no-serve"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&built.stdout), String::from_utf8_lossy(&built.stderr));
    assert!(built.status.success(), "{stderr}");
    assert!(stderr.contains("Building the demo") && stdout.contains("Demo accounts"), "{stderr}\n{stdout}");
    assert!(!stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'), "no escape codes when not on a terminal:\n{stderr}");

    let mut again = cordon()
        .args(["demo", "--database", &db, "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, before) = listening(&mut again);
    assert!(before.contains("Opening the demo in") && before.contains("--fresh"), "{before}");
    assert!(!before.contains("Building"), "it was not built again: {before}");
    let mut stream = open_event_stream(&addr, "command", "cordon-demo").await;

    signal(&again, "TERM");
    let (code, _) = ended_within(&mut again, Duration::from_secs(5));

    assert_eq!(code, Some(0));
    while let Ok(Some(_)) = stream.chunk().await {}
    let mut printed = String::new();
    again.stdout.take().unwrap().read_to_string(&mut printed).unwrap();
    assert!(printed.contains("head."), "the accounts are listed again: {printed}");
    let other_seed = cordon().args(["demo", "--database", &db, "--seed", "9", "--no-serve"]).output().unwrap();
    let refused = String::from_utf8_lossy(&other_seed.stderr);
    assert!(
        !other_seed.status.success() && refused.contains("holds the demo built with seed 1") && refused.contains("--fresh"),
        "{refused}"
    );
}

#[test]
fn owid_series_import_once_revise_in_place_and_print_labelled_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../cordon-core/tests/ref/owid/jhu_full_data_neighbours.csv");
    let import = |path: &str| cordon().args(["import", "owid", "--database", &db, path]).output().unwrap();
    let first = import(file);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        "1008 days of 3 locations: 1008 added, 0 revised, 0 unchanged; 0 alerts raised on the watch list"
    );
    let again = import(file);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "1008 days of 3 locations: 0 added, 0 revised, 1008 unchanged; 0 alerts raised on the watch list"
    );

    // A later file overlaps the last day with a revised count and adds one.
    let later = dir.path().join("later.csv");
    std::fs::write(
        &later,
        "date,location,new_cases,new_deaths,total_cases,total_deaths\n2021-01-07,Mongolia,9.0,,1246.0,1.0\n2021-01-08,Mongolia,-2.0,,1244.0,1.0\n",
    )
    .unwrap();
    let revised = import(later.to_str().unwrap());
    assert_eq!(
        String::from_utf8_lossy(&revised.stdout).trim(),
        "2 days of 1 locations: 1 added, 1 revised, 0 unchanged; 0 alerts raised on the watch list"
    );

    let figures = |location: &str, date: &str, json: bool| {
        let mut cmd = cordon();
        cmd.args(["figures", "abroad", "--database", &db, "--location", location, "--date", date]);
        if json {
            cmd.arg("--json");
        }
        cmd.output().unwrap()
    };
    let korea = figures("South Korea", "2021-01-07", true);
    let parsed: Value = serde_json::from_slice(&korea.stdout).unwrap();
    let total = parsed.as_array().unwrap().iter().find(|f| f["measure"] == "cumulative" && f["counted"] == "cases").unwrap();
    assert_eq!(total["value"], 67_358.0);
    assert_eq!(total["period"]["from"], "2020-01-22");
    assert_eq!(
        total["label"],
        "67,358 cases in total since 2020-01-22 (cumulative), South Korea, as of 2021-01-07 — source: JHU CSSE via Our World in Data"
    );
    let mongolia = String::from_utf8_lossy(&figures("Mongolia", "2021-01-08", false).stdout).into_owned();
    assert!(mongolia.contains("-2 cases on 2021-01-08 (new: a correction, the total was revised down)"), "{mongolia}");
    let unknown = figures("Russia", "2021-01-07", false);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("stored: Japan, Mongolia, South Korea"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "date,location,new_cases,new_deaths,total_cases,total_deaths\n2021-01-09,Japan,many,,1,\n").unwrap();
    let refused = import(bad.to_str().unwrap());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("line 2, column 3 (new_cases): \"many\" is not a number; nothing was imported")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_write_the_api_rows_to_a_file_or_standard_output_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("e.db").display());
    let tree = dir.path().join("tree.csv");
    std::fs::write(&tree, TREE).unwrap();
    assert!(cordon().args(["import", "jurisdictions", "--database", &db]).arg(&tree).output().unwrap().status.success());
    add_user(&db, "head.u1", "reporter", "U1", "unit head password");
    let (mut server, addr) = serve(&db);
    let http = reqwest::Client::new();
    let token = sign_in(&http, &addr, "head.u1", "unit head password").await;
    let person = post_json(
        &http,
        &format!("{addr}/api/v1/persons"),
        Some(&token),
        &json!({"full_name": "Kim, \"Mi-ok\"", "sex": "female", "birth_year": 1984, "unit_code": "U1"}),
    )
    .await;
    let report =
        json!({"id": uuid::Uuid::new_v4(), "person_id": person["id"], "unit_code": "U1", "symptoms": ["fever"], "temperature_c": 38.7});
    let intake = post_json(&http, &format!("{addr}/api/v1/reports"), Some(&token), &report).await;
    assert_eq!(intake["case"]["status"], "suspected", "{intake}");
    server.kill().unwrap();
    server.wait().unwrap();
    let export = |args: &[&str]| cordon().arg("export").args(args).args(["--database", &db]).output().unwrap();

    let cases = export(&["cases"]);
    assert!(cases.status.success(), "{}", String::from_utf8_lossy(&cases.stderr));
    let mut reader = csv::Reader::from_reader(cases.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((header[0].as_str(), rows.len()), ("case_id", 1));
    let at = |name: &str| rows[0][header.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(
        (at("case_id"), at("full_name"), at("unit_path")),
        (intake["case"]["id"].as_str().unwrap().to_owned(), "Kim, \"Mi-ok\"".to_owned(), "/KR/P1/C1/D1/U1/".to_owned())
    );

    let file = dir.path().join("reports.csv");
    let reports = export(&["reports", "--under", "D1", "--out", file.to_str().unwrap()]);
    assert!(reports.status.success() && reports.stdout.is_empty());
    assert!(String::from_utf8_lossy(&reports.stderr).contains("wrote 1 rows of East (D1)"), "{}", String::from_utf8_lossy(&reports.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);

    let fhir = export(&["cases", "--format", "fhir"]);
    let bundle: Value = serde_json::from_slice(&fhir.stdout).unwrap();
    assert_eq!((&bundle["resourceType"], &bundle["entry"][1]["resource"]["resourceType"]), (&json!("Bundle"), &json!("Condition")));
    let nodes = export(&["nodes", "--under", "KR", "--depth", "2"]);
    let tree: Value = serde_json::from_slice(&nodes.stdout).unwrap();
    assert_eq!(tree["features"].as_array().unwrap().len(), 2, "P1 and C1");
    assert_eq!(tree["features"][0]["properties"]["figures"]["cases"]["measure"], "cumulative");

    for (args, says) in [
        (&["reports", "--under", "NOWHERE"][..], "--under: no node has the code \"NOWHERE\""),
        (&["contacts", "--from", "2026-11-20", "--to", "2026-11-01"][..], "--to: must not be before 2026-11-20"),
        (&["orders", "--format", "fhir"][..], "--format: only cases export as fhir"),
        (&["nodes", "--depth", "4"][..], "--depth:"),
    ] {
        let refused = export(args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains(says), "{args:?}: {}", String::from_utf8_lossy(&refused.stderr));
    }
    let store = Store::open(&db).await.unwrap();
    let filter = cordon_store::audit::AuditFilter { entity: Some("export".into()), ..Default::default() };
    let audit = store.audit_log(&filter, 100).await.unwrap();
    assert_eq!(audit.len(), 4, "each export that ran is audited");
    assert!(audit.iter().all(|r| r.actor_id.is_none() && r.after.as_ref().unwrap()["via"] == "cli"));
    assert!(audit.iter().any(|r| r.action == "export.reports" && r.entity_id == "D1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_ingest_posts_reports_that_are_stored_and_prints_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = tree_database(dir.path());
    add_user(&db, "head.u1", "reporter", "U1", "unit head password");
    let (mut server, addr) = serve(&db);
    let http = reqwest::Client::new();
    let token = sign_in(&http, &addr, "head.u1", "unit head password").await;
    for name in ["Kim", "Lee", "Park"] {
        let body = json!({"full_name": name, "sex": "male", "birth_year": 1970, "unit_code": "U1"});
        post_json(&http, &format!("{addr}/api/v1/persons"), Some(&token), &body).await;
    }

    let args = ["bench", "ingest", "--url", &addr, "--clients", "3", "--duration", "2", "--user", "head.u1", "--json"].map(String::from);
    let bench =
        tokio::task::spawn_blocking(move || cordon().args(args).env("CORDON_BENCH_PASSWORD", "unit head password").output().unwrap())
            .await
            .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();

    assert!(bench.status.success(), "{}", String::from_utf8_lossy(&bench.stderr));
    let figures: Value = serde_json::from_slice(&bench.stdout).unwrap();
    for key in ["per_second", "p50_ms", "p99_ms", "max_ms"] {
        assert!(figures[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {figures}");
    }
    assert_eq!(figures["errors"], 0, "{figures}");
    let created = figures["created"].as_i64().unwrap();
    assert!(created > 0 && figures["reports"].as_i64() == Some(created), "every report had a fresh id: {figures}");
    let store = Store::open(&db).await.unwrap();
    assert_eq!(store.count(Table::Reports).await.unwrap(), created, "each report answered 201 is stored");
    store.close().await;
}
