//! Spawning the application for a test and talking to it.

use std::net::SocketAddr;
use std::sync::Arc;

use cordon_core::jurisdiction::{FacilityKind, Node, NodeInput};
use cordon_core::user::{Role, User};
use cordon_server::clock::ManualClock;
use cordon_server::state::AppState;
use cordon_server::{Application, Config};
use cordon_store::Store;
use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Runs each named test body once per backend: `sqlite` always, `postgres`
/// when `CORDON_TEST_DATABASE_URL` is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                    super::$name(&app).await;
                    app.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if std::env::var_os("CORDON_TEST_DATABASE_URL").is_none() {
                        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL run skipped");
                        return;
                    }
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await;
                    super::$name(&app).await;
                    app.finish().await;
                }
            }
        )*
    };
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The start of every test's clock: a Monday morning, 09:00 UTC.
pub fn start_time() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

pub const PASSWORD: &str = "correct horse battery";

/// A running application with a seeded country.
pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
    url: String,
    pub seed: Seed,
}

/// The seeded jurisdictions and users.
///
/// ```text
/// KR (nation)
/// ├── P1 (province)
/// │   └── C1 (county) ── D1 (district) ── U1, U2 (units)
/// └── P2 (province)
///     └── C2 (county) ── D2 (district) ── U3 (unit)
/// ```
pub struct Seed {
    pub users: std::collections::HashMap<&'static str, User>,
    pub tokens: std::collections::HashMap<&'static str, String>,
}

impl Seed {
    pub fn user(&self, name: &str) -> &User {
        &self.users[name]
    }
}

/// A server's configuration for tests: a free loopback port, no background
/// jobs (tests run them by hand), nothing in front of it.
pub fn test_config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        secure_cookies: false,
        job_interval: None,
        notify_webhook: None,
        public_url: None,
        trusted_proxies: Vec::new(),
        metrics_token: None,
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = match backend {
            Backend::Sqlite => (format!("sqlite://{}", dir.path().join("cordon.db").display()), None),
            Backend::Postgres => {
                let base = std::env::var("CORDON_TEST_DATABASE_URL").unwrap();
                let name = format!("cordon_test_{}", Uuid::new_v4().simple());
                let admin = sqlx::PgPool::connect(&base).await.expect("connect to CORDON_TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
                admin.close().await;
                (with_database(&base, &name), Some((base, name)))
            }
        };
        let store = Store::open(&url).await.expect("open store");
        let clock = ManualClock::new(start_time());
        let config = test_config();
        let app = Application::build(&config, store.clone(), Arc::new(clock.clone())).await.unwrap();
        let addr = app.local_addr().unwrap();
        let state = app.state();
        tokio::spawn(app.run(std::future::pending()));
        let seed = seed(&store, start_time()).await;
        let mut test = TestApp { addr, state, clock, http: reqwest::Client::new(), _dir: dir, pg, url, seed };
        for name in
            ["admin", "nation_officer", "p1_officer", "p2_officer", "worker_c1", "worker_p1", "worker_c2", "reporter_u1", "reporter_u3"]
        {
            let token = test.sign_in_token(name).await;
            test.seed.tokens.insert(name, token);
        }
        test
    }

    /// This test's database URL (SQLite file or PostgreSQL database).
    pub fn database_url(&self) -> &str {
        &self.url
    }

    /// Another store on this test's PostgreSQL database (another server's
    /// view of it); `None` on SQLite.
    pub async fn second_store(&self) -> Option<Store> {
        let (base, name) = self.pg.as_ref()?;
        Some(Store::open(&with_database(base, name)).await.expect("open the same database"))
    }

    /// Starts another server on this test's PostgreSQL database (as behind a
    /// load balancer) and returns its address; `None` on SQLite.
    pub async fn second_server(&self) -> Option<SocketAddr> {
        let store = self.second_store().await?;
        let config = test_config();
        let app = Application::build(&config, store, Arc::new(self.clock.clone())).await.unwrap();
        let addr = app.local_addr().unwrap();
        tokio::spawn(app.run(std::future::pending()));
        Some(addr)
    }

    /// Starts another server on this test's store that trusts loopback as a
    /// reverse proxy (`--trusted-proxy 127.0.0.1`) and returns its address.
    pub async fn server_behind_a_proxy(&self) -> SocketAddr {
        let config = Config { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..test_config() };
        let app = Application::build(&config, self.state.store.clone(), Arc::new(self.clock.clone())).await.unwrap();
        let addr = app.local_addr().unwrap();
        tokio::spawn(app.run(std::future::pending()));
        addr
    }

    /// Drops the PostgreSQL database, if any.
    pub async fn finish(self) {
        self.state.store.close().await;
        if let Some((base, name)) = self.pg
            && let Ok(admin) = sqlx::PgPool::connect(&base).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&admin).await;
            admin.close().await;
        }
    }

    pub fn clock_now(&self) -> Timestamp {
        use cordon_server::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/api/v1{}", self.addr, path)
    }

    pub async fn sign_in_token(&self, user: &str) -> String {
        let r = self
            .http
            .post(self.url("/tokens"))
            .json(&json!({"username": user, "password": PASSWORD, "device": "test"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "sign in as {user}");
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// Sends a request as `user` (a seeded user name) with an optional JSON body.
    pub async fn call(&self, user: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(&self.seed.tokens[user]);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, user: &str, path: &str) -> (StatusCode, Value) {
        self.call(user, Method::GET, path, None).await
    }

    /// GETs a list: on 200 checks the page's shape (`items`, `next_cursor`)
    /// and answers its items; any other answer as it came.
    pub async fn list(&self, user: &str, path: &str) -> (StatusCode, Value) {
        let (status, body) = self.get(user, path).await;
        if status != StatusCode::OK {
            return (status, body);
        }
        let page = body.as_object().unwrap_or_else(|| panic!("{path}: a list answers a page object, not {body}"));
        assert!(page.contains_key("next_cursor") && page.len() == 2, "{path}: a page holds items and next_cursor: {body}");
        (status, page["items"].clone())
    }

    pub async fn post(&self, user: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(user, Method::POST, path, Some(body)).await
    }

    /// Registers a resident of `unit` as `user` and returns their id.
    pub async fn resident(&self, user: &str, unit: &str, name: &str) -> Uuid {
        let (status, body) =
            self.post(user, "/persons", json!({"full_name": name, "sex": "female", "birth_year": 1984, "unit_code": unit})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().parse().unwrap()
    }

    /// Files a symptom report with a fresh id.
    pub async fn report(&self, user: &str, unit: &str, person: Uuid, symptoms: &[&str], temperature: Option<f64>) -> (StatusCode, Value) {
        self.post(
            user,
            "/reports",
            json!({"id": Uuid::new_v4(), "person_id": person, "unit_code": unit, "symptoms": symptoms, "temperature_c": temperature}),
        )
        .await
    }

    /// Opens a case on a new resident of `unit` (reported by `reporter`) and
    /// returns its id.
    pub async fn case_in(&self, reporter: &str, unit: &str, name: &str) -> String {
        let person = self.resident(reporter, unit, name).await;
        let (status, intake) = self.report(reporter, unit, person, &["fever"], Some(38.8)).await;
        assert_eq!(status, StatusCode::CREATED, "{intake}");
        intake["case"]["id"].as_str().unwrap().to_owned()
    }

    /// Lists `n` new people living in `unit` as contacts of `case` (as the
    /// health worker `worker`), exposed on one of the last four days, so each
    /// is quarantined until one of four days; returns each listing.
    pub async fn list_contacts(&self, worker: &str, case: &str, unit: &str, name: &str, n: usize) -> Vec<Value> {
        let mut listed = Vec::with_capacity(n);
        for i in 0..n {
            let exposed = format!("2026-11-{}", 23 - i % 4);
            let contact = json!({
                "new_person": {"full_name": format!("{name} {i:03}"), "sex": "male", "birth_year": 1990, "unit_code": unit},
                "relation": "fellow passenger", "exposure_date": exposed, "setting": "travel"
            });
            let (status, body) = self.post(worker, &format!("/cases/{case}/contacts"), contact).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            listed.push(body);
        }
        listed
    }

    /// Moves the clock and runs the background jobs once.
    pub async fn advance_and_run_jobs(&self, by: SignedDuration) -> cordon_server::jobs::Pass {
        self.clock.advance(by);
        cordon_server::jobs::run_due(&self.state).await.unwrap()
    }

    pub async fn count(&self, table: cordon_store::audit::Table) -> i64 {
        self.state.store.count(table).await.unwrap()
    }

    /// The node with this code.
    pub async fn node(&self, code: &str) -> Node {
        self.state.store.node_by_code(code).await.unwrap().unwrap_or_else(|| panic!("no node {code}"))
    }

    /// Adds nodes to the tree, each `(code, parent code)` (see [`create_node`]).
    pub async fn add_nodes(&self, nodes: &[(&str, &str)]) {
        for (code, parent) in nodes {
            create_node(&self.state.store, code, Some(parent), self.clock_now()).await;
        }
    }

    /// Adds the active user `name` with `role` at the node `node`, with the
    /// password [`PASSWORD`] (see [`create_user`]).
    pub async fn add_user(&self, name: &str, role: Role, node: &str) -> User {
        create_user(&self.state.store, name, role, &self.node(node).await, self.clock_now()).await
    }

    /// A border post in P1: the point of entry POE-1, the provincial
    /// quarantine centre QC-P1 and the border officer `border_p1`; returns
    /// the officer's token.
    pub async fn add_border_post(&self) -> String {
        let (store, now) = (&self.state.store, self.clock_now());
        let p1 = self.node("P1").await;
        store.create_facility(None, "POE-1", "North crossing", FacilityKind::PointOfEntry, &p1, now).await.unwrap();
        store.create_facility(None, "QC-P1", "Provincial quarantine centre", FacilityKind::QuarantineCentre, &p1, now).await.unwrap();
        self.add_user("border_p1", Role::BorderOfficer, "P1").await;
        self.sign_in_token("border_p1").await
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (before_query, query) = url.split_once('?').map_or((url, None), |(a, b)| (a, Some(b)));
    let base = before_query.rsplit_once('/').map_or(before_query, |(a, _)| a);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The argon2 hash of [`PASSWORD`], made once for the whole test run.
pub fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).unwrap().to_string()
    })
}

/// Adds the node `code` under `parent` (named "`code` name", 1,000 residents).
async fn create_node(store: &Store, code: &str, parent: Option<&str>, now: Timestamp) -> Node {
    let input = NodeInput { code: code.into(), name: format!("{code} name"), parent_code: parent.map(Into::into), population: 1000 };
    store.create_node(None, &input, now).await.unwrap()
}

/// Adds the active user `name` (also their display name) with `role` at
/// `node`, with the password [`PASSWORD`].
async fn create_user(store: &Store, name: &str, role: Role, node: &Node, now: Timestamp) -> User {
    let user = User::anchored(Uuid::now_v7(), name, name, role, node);
    store.create_user(None, &user, password_hash(), now).await.unwrap()
}

async fn seed(store: &Store, now: Timestamp) -> Seed {
    let mut nodes = std::collections::HashMap::new();
    for (code, parent) in [
        ("KR", None),
        ("P1", Some("KR")),
        ("C1", Some("P1")),
        ("D1", Some("C1")),
        ("U1", Some("D1")),
        ("U2", Some("D1")),
        ("P2", Some("KR")),
        ("C2", Some("P2")),
        ("D2", Some("C2")),
        ("U3", Some("D2")),
    ] {
        nodes.insert(code, create_node(store, code, parent, now).await);
    }
    let mut users = std::collections::HashMap::new();
    for (name, role, node) in [
        ("admin", Role::Administrator, "KR"),
        ("nation_officer", Role::CommandOfficer, "KR"),
        ("p1_officer", Role::CommandOfficer, "P1"),
        ("p2_officer", Role::CommandOfficer, "P2"),
        ("worker_c1", Role::HealthWorker, "C1"),
        ("worker_p1", Role::HealthWorker, "P1"),
        ("worker_c2", Role::HealthWorker, "C2"),
        ("reporter_u1", Role::Reporter, "U1"),
        ("reporter_u3", Role::Reporter, "U3"),
    ] {
        users.insert(name, create_user(store, name, role, &nodes[node], now).await);
    }
    let day = SignedDuration::from_hours(24);
    let until = now.saturating_add(day).unwrap();
    store.add_shift(users["p1_officer"].id, users["worker_c1"].id, &nodes["C1"], now, until, now).await.unwrap();
    store.add_shift(users["p1_officer"].id, users["worker_p1"].id, &nodes["P1"], now, until, now).await.unwrap();
    Seed { users, tokens: std::collections::HashMap::new() }
}
