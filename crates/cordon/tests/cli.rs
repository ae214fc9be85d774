//! The binary end to end: import, add users, serve, and a report that
//! survives the server being killed right after it was acknowledged.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_report_survives_a_killed_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let csv = dir.path().join("tree.csv");
    std::fs::write(&csv, TREE).unwrap();
    let out = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5 created, 0 updated, 0 unchanged");
    let again = cordon().args(["import", "jurisdictions", "--database", &db]).arg(&csv).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "0 created, 0 updated, 5 unchanged", "re-importing is safe");
    let add = cordon()
        .args(["user", "add", "--database", &db, "--username", "head.u1", "--role", "reporter", "--node", "U1"])
        .env("CORDON_PASSWORD", "unit head password")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));

    let mut server = cordon().args(["serve", "--database", &db, "--listen", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = BufReader::new(server.stderr.take().unwrap());
    let mut addr = String::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("cordon is listening on ").nth(1) {
            addr = rest.trim().to_owned();
            break;
        }
    }
    assert!(addr.starts_with("http://127.0.0.1:"), "the server says where it listens");

    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{addr}/api/v1/tokens"))
        .json(&json!({"username": "head.u1", "password": "unit head password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let person: Value = http
        .post(format!("{addr}/api/v1/persons"))
        .bearer_auth(&token)
        .json(&json!({"full_name": "Kim", "sex": "male", "birth_year": 1970, "unit_code": "U1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
