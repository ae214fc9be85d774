//! Crash safety: `cordon serve` under concurrent clients filing fever
//! reports is killed with SIGKILL at random moments and started again on the
//! same database, on SQLite and (when `CORDON_TEST_DATABASE_URL` is set) on a
//! fresh PostgreSQL database. Each client gives every report its own id and
//! sends it again, unchanged, until it is answered; the intake answers a
//! resent id with what was stored the first time. At the end every
//! acknowledged report is stored exactly once, nothing unacknowledged is
//! stored, and each report has everything its transaction writes (its audit
//! record and event, its case with the case's audit record, event,
//! investigation task and escalation): nothing half-written is visible.
//!
//! Bounded to about a minute per database. `CORDON_CRASH_KILLS` (default 20)
//! sets how many kills, `CORDON_CRASH_CLIENTS` (default 16) how many clients,
//! `CORDON_CRASH_MAX_UP_MS` (default 1500) the longest the server runs
//! between two kills.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod check;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{Value, json};
use uuid::Uuid;

/// One test at a time: both loops share two cores with the server.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TREE: &str = "code,name,parent_code,population\nKR,Korea,,1000\nP1,North,KR,1000\nC1,River,P1,1000\nD1,East,C1,1000\n\
U1,Unit 1,D1,1000\nU2,Unit 2,D1,1000\nU3,Unit 3,D1,1000\nU4,Unit 4,D1,1000\n";
const UNITS: [&str; 4] = ["U1", "U2", "U3", "U4"];
const PASSWORD: &str = "unit head password";

fn cordon() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cordon"))
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_report_through_repeated_kills() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_loop("SQLite", &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_report_through_repeated_kills() {
    let Ok(base) = std::env::var("CORDON_TEST_DATABASE_URL") else {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL crash loop skipped");
        return;
    };
    let _one = ONE_AT_A_TIME.lock().await;
    let name = format!("cordon_crash_{}", Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base).await.expect("connect to CORDON_TEST_DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    let db = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    crash_loop("PostgreSQL", &db).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&admin).await.unwrap();
    admin.close().await;
}

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    /// Ids answered 2xx.
    acknowledged: Vec<Uuid>,
    /// Answered 201 (stored by this request).
    created: usize,
    /// Answered 200 on a resend: an earlier attempt had been stored but its answer was lost.
    already_stored: usize,
    /// Reports that needed more than one attempt.
    retried: usize,
    /// Attempts that got no answer (connection refused or reset, timeout).
    unanswered: usize,
    /// Answers other than 200 and 201, and reports never answered.
    unexpected: Vec<String>,
}

/// What the clients share with the loop that kills the server.
struct Shared {
    /// Where the server now listens.
    addr: RwLock<String>,
    /// Set when clients are to finish the report they are sending and stop.
    stop: AtomicBool,
    /// Set when clients are to give up even on an unanswered report.
    abandon: AtomicBool,
}

/// The server process and where it listens.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `cordon serve` on `db` on a free loopback port and waits until it listens.
    #[expect(clippy::zombie_processes, reason = "Server's Drop kills and waits for it, whatever ends the test")]
    fn start(db: &str) -> Server {
        let mut child = cordon()
            .args(["serve", "--database", db, "--listen", "127.0.0.1:0", "--job-interval", "3600"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut before = String::new();
        loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                let status = child.wait();
                panic!("the server ended before listening ({status:?}):\n{before}");
            }
            if let Some(rest) = line.split("cordon is listening on ").nth(1) {
                let addr = rest.trim().to_owned();
                std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
                return Server { child, addr };
            }
            before.push_str(&line);
        }
    }

    /// SIGKILL: no shutdown, no checkpoint, transactions cut wherever they are.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    /// A failed test leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Imports the units, adds a reporter for each, starts the server and
/// registers one resident per client; the server, and per client its token,
/// unit and person.
async fn prepare(db: &str, clients: usize) -> (Server, Vec<(String, &'static str, Uuid)>) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tree.csv");
    std::fs::write(&csv, TREE).unwrap();
    let out = cordon().args(["import", "jurisdictions", "--database", db]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for unit in UNITS {
        let username = format!("head.{}", unit.to_lowercase());
        let add = cordon()
            .args(["user", "add", "--database", db, "--username", &username, "--role", "reporter", "--node", unit])
            .env("CORDON_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    }
    let server = Server::start(db);
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for unit in UNITS {
        let body = json!({"username": format!("head.{}", unit.to_lowercase()), "password": PASSWORD});
        let token = post(&http, &format!("{}/api/v1/tokens", server.addr), None, &body).await;
        tokens.push(token["token"].as_str().unwrap().to_owned());
    }
    let mut people = Vec::new();
    for i in 0..clients {
        let (token, unit) = (&tokens[i % UNITS.len()], UNITS[i % UNITS.len()]);
        let body = json!({"full_name": format!("Resident {i} of {unit}"), "sex": if i % 2 == 0 { "female" } else { "male" },
            "birth_year": 1940 + i, "unit_code": unit});
        let person = post(&http, &format!("{}/api/v1/persons", server.addr), Some(token), &body).await;
        let id = person["id"].as_str().unwrap_or_else(|| panic!("a person was registered: {person}")).parse().unwrap();
        people.push((token.clone(), unit, id));
    }
    (server, people)
}

async fn post(http: &reqwest::Client, url: &str, token: Option<&str>, body: &Value) -> Value {
    let mut request = http.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// One client: files fever reports about `person` one after another, each
/// sent again until it is answered, until told to stop.
async fn client(shared: Arc<Shared>, token: String, unit: &'static str, person: Uuid) -> Tally {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut tally = Tally::default();
    while !shared.stop.load(Ordering::SeqCst) {
        let id = Uuid::new_v4();
        let body = json!({"id": id, "person_id": person, "unit_code": unit, "symptoms": ["fever", "cough"], "temperature_c": 38.6});
        let mut attempts = 0;
        loop {
            if shared.abandon.load(Ordering::SeqCst) {
                tally.unexpected.push(format!("report {id} was never answered"));
                return tally;
            }
            attempts += 1;
            let addr = shared.addr.read().unwrap().clone();
            // No answer, or an answer cut off by the kill: send the same report again.
            let sent = http.post(format!("{addr}/api/v1/reports")).bearer_auth(&token).json(&body).send().await;
            let answered = if let Ok(answer) = sent {
                let status = answer.status().as_u16();
                answer.text().await.ok().map(|text| (status, text))
            } else {
                None
            };
            let Some((status, text)) = answered else {
                tally.unanswered += 1;
                tokio::time::sleep(Duration::from_millis(30)).await;
                continue;
            };
            match status {
                201 => tally.created += 1,
                200 => tally.already_stored += 1,
                _ => tally.unexpected.push(format!("{status} for report {id}: {text}")),
            }
            if status == 200 || status == 201 {
                let intake: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(intake["report"]["id"], json!(id), "the answer is about the report sent");
                assert_eq!(intake["created"], json!(status == 201));
                tally.acknowledged.push(id);
            }
            break;
        }
        if attempts > 1 {
            tally.retried += 1;
        }
    }
    tally
}

/// Runs the loop on `db` and checks what it left.
async fn crash_loop(label: &str, db: &str) {
    let (kills, clients) = (setting("CORDON_CRASH_KILLS", 20), setting("CORDON_CRASH_CLIENTS", 16));
    let max_up = setting("CORDON_CRASH_MAX_UP_MS", 1500).max(200);
    let started = Instant::now();
    let (mut server, people) = prepare(db, usize::try_from(clients).unwrap()).await;
    let shared = Arc::new(Shared { addr: RwLock::new(server.addr.clone()), stop: AtomicBool::new(false), abandon: AtomicBool::new(false) });
    let running: Vec<_> =
        people.into_iter().map(|(token, unit, person)| tokio::spawn(client(Arc::clone(&shared), token, unit, person))).collect();
    for _ in 0..kills {
        let up = rand::rng().random_range(100..max_up);
        tokio::time::sleep(Duration::from_millis(up)).await;
        server.kill();
        let db = db.to_owned();
        server = tokio::task::spawn_blocking(move || Server::start(&db)).await.unwrap();
        server.addr.clone_into(&mut shared.addr.write().unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    shared.stop.store(true, Ordering::SeqCst);
    let abandon = Arc::clone(&shared);
    let watchdog = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_mins(1)).await;
        abandon.abandon.store(true, Ordering::SeqCst);
    });
    let mut total = Tally::default();
    for handle in running {
        let tally = handle.await.unwrap();
        total.acknowledged.extend(tally.acknowledged);
        total.created += tally.created;
        total.already_stored += tally.already_stored;
        total.retried += tally.retried;
        total.unanswered += tally.unanswered;
        total.unexpected.extend(tally.unexpected);
    }
    watchdog.abort();
    server.kill();

    let found = check::check(db, &total.acknowledged).await;
    eprintln!(
        "crash loop on {label}: {kills} kills (SIGKILL), {clients} clients, {} reports acknowledged ({} created, {} answered \
         on resend as already stored), {} retried after {} unanswered attempts, {found} found stored exactly once with their \
         audit, events, case, task and escalation; {:.1?}",
        total.acknowledged.len(),
        total.created,
        total.already_stored,
        total.retried,
        total.unanswered,
        started.elapsed()
    );
    assert!(total.unexpected.is_empty(), "unexpected answers: {:#?}", total.unexpected);
    assert_eq!(found, total.acknowledged.len());
    assert!(total.retried > 0, "the kills caught reports in flight");
}
