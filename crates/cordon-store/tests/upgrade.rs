//! Upgrades: a database made by the first cordon (only migration 0001
//! applied) and filled with a country, staff, residents, reports, a case, a
//! task, audit records and events, opened by the current store,
//! which applies 0002..latest and seals the old audit records. Nothing is
//! lost, on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use cordon_store::Store;
use cordon_store::audit::{AuditFilter, Table};
use cordon_store::backup::latest_migration;
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

const T0: i64 = 1_795_000_000_000_000;

/// Ids of what the first cordon wrote.
struct Old {
    unit: Uuid,
    person: Uuid,
    case: Uuid,
    report: Uuid,
    reporter: Uuid,
}

/// Fills a database at schema 0001 through a plain pool of either backend.
macro_rules! fill_first_schema {
    ($pool:expr) => {{
        let pool = $pool;
        let ids = Old { unit: Uuid::now_v7(), person: Uuid::now_v7(), case: Uuid::now_v7(), report: Uuid::now_v7(), reporter: Uuid::now_v7() };
        for (depth, name) in [(0_i64, "nation"), (1, "province"), (2, "county"), (3, "district"), (4, "unit")] {
            sqlx::query("INSERT INTO levels (depth, name) VALUES ($1, $2)").bind(depth).bind(name).execute(&pool).await.unwrap();
        }
        let mut parent: Option<Uuid> = None;
        let mut path = String::from("/");
        for (level, code) in ["KR", "P1", "C1", "D1", "U1"].into_iter().enumerate() {
            let id = if code == "U1" { ids.unit } else { Uuid::now_v7() };
            path.push_str(code);
            path.push('/');
            sqlx::query("INSERT INTO nodes (id, code, name, level, parent_id, population, path) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id).bind(code).bind(format!("{code} name")).bind(i64::try_from(level).unwrap()).bind(parent).bind(1000_i64 + i64::try_from(level).unwrap()).bind(&path)
                .execute(&pool).await.unwrap();
            parent = Some(id);
        }
        let unit_path = "/KR/P1/C1/D1/U1/";
        sqlx::query("INSERT INTO users (id, username, display_name, role, node_id, node_path, phone, password_hash, active, created_at) VALUES ($1, 'head.u1', 'Unit head', 'reporter', $2, $3, '010-1234', 'argon-hash', TRUE, $4)")
            .bind(ids.reporter).bind(ids.unit).bind(unit_path).bind(T0).execute(&pool).await.unwrap();
        for (i, name) in ["Kim Mi-ok", "Lee Ha-na", "Park Ji-hoon"].into_iter().enumerate() {
            let id = if i == 0 { ids.person } else { Uuid::now_v7() };
            sqlx::query("INSERT INTO persons (id, full_name, name_key, sex, birth_year, unit_id, unit_path, address, created_at) VALUES ($1, $2, $3, 'female', 1984, $4, $5, '12 River Road', $6)")
                .bind(id).bind(name).bind(name.to_lowercase()).bind(ids.unit).bind(unit_path).bind(T0).execute(&pool).await.unwrap();
        }
        sqlx::query("INSERT INTO cases (id, person_id, unit_id, unit_path, status, onset_date, definition_code, opened_at, updated_at) VALUES ($1, $2, $3, $4, 'suspected', '2026-11-20', 'default', $5, $5)")
            .bind(ids.case).bind(ids.person).bind(ids.unit).bind(unit_path).bind(T0).execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO reports (id, person_id, unit_id, unit_path, reporter_id, symptoms, temperature_c, onset_date, note, received_at, report_date, case_id) VALUES ($1, $2, $3, $4, $5, $6, 38.8, '2026-11-20', 'came by bus', $7, '2026-11-21', $8)")
            .bind(ids.report).bind(ids.person).bind(ids.unit).bind(unit_path).bind(ids.reporter).bind(Json(json!(["fever", "cough"]))).bind(T0).bind(ids.case)
            .execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO daily_reports (id, unit_id, unit_path, date, ill_count, reporter_id, received_at) VALUES ($1, $2, $3, '2026-11-21', 4, $4, $5)")
            .bind(Uuid::now_v7()).bind(ids.unit).bind(unit_path).bind(ids.reporter).bind(T0).execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO tasks (id, kind, case_id, person_id, subject_path, area_path, status, deadline, escalations, created_at, updated_at) VALUES ($1, 'investigate', $2, $3, $4, $4, 'open', $5, 0, $5, $5)")
            .bind(Uuid::now_v7()).bind(ids.case).bind(ids.person).bind(unit_path).bind(T0).execute(&pool).await.unwrap();
        for i in 0..5_i64 {
            sqlx::query("INSERT INTO audit (at, actor_id, action, entity, entity_id, before, after) VALUES ($1, $2, 'report.create', 'report', $3, NULL, $4)")
                .bind(T0 + i).bind(ids.reporter).bind(format!("r{i}")).bind(Json(json!({"temperature_c": 38.8, "n": i, "symptoms": ["fever"]})))
                .execute(&pool).await.unwrap();
        }
        sqlx::query("INSERT INTO events (at, kind, path, entity_id, data) VALUES ($1, 'report.created', $2, $3, $4)")
            .bind(T0).bind(unit_path).bind(ids.report).bind(Json(json!({"unit": "U1"}))).execute(&pool).await.unwrap();
        pool.close().await;
        ids
    }};
}

async fn upgrade(url: &str, old: &Old) {
    let store = Store::open(url).await.expect("the current store opens a first-schema database");
    for (table, rows) in [
        (Table::Nodes, 5),
        (Table::Users, 1),
        (Table::Persons, 3),
        (Table::Cases, 1),
        (Table::Reports, 1),
        (Table::DailyReports, 1),
        (Table::Tasks, 1),
    ] {
        assert_eq!(store.count(table).await.unwrap(), rows, "{url}: {table:?}");
    }
    assert_eq!(store.count(Table::Audit).await.unwrap(), 6, "{url}: the 5 old records and the seal's");
    let unit = store.node_by_code("U1").await.unwrap().unwrap();
    assert_eq!((unit.id, unit.population, unit.path.as_str()), (old.unit, 1004, "/KR/P1/C1/D1/U1/"));
    let person = store.person(old.person).await.unwrap().unwrap();
    assert_eq!((person.full_name.as_str(), person.birth_year), ("Kim Mi-ok", 1984));
    let case = store.case(old.case).await.unwrap().unwrap();
    assert_eq!((case.person_id, case.onset_date.map(|d| d.to_string())), (old.person, Some("2026-11-20".into())));
    let report = store.report(old.report).await.unwrap().unwrap().report;
    assert_eq!((report.temperature_c, report.note.as_deref(), report.case_id), (Some(38.8), Some("came by bus"), Some(old.case)));
    let users = store.users_under(&unit.path, None).await.unwrap();
    assert_eq!((users[0].id, users[0].username.as_str(), users[0].active), (old.reporter, "head.u1", true));
    let audit = store.audit_log(&AuditFilter::default(), 10).await.unwrap();
    assert_eq!(audit[0].action, "audit.seal");
    assert_eq!(audit[0].after, Some(json!({"sealed_records": 5, "up_to_seq": 5})));
    assert_eq!(
        audit[5].after,
        Some(json!({"temperature_c": 38.8, "n": 0, "symptoms": ["fever"]})),
        "{url}: old records read back unchanged"
    );
    let chain = store.verify_audit_chain().await.unwrap();
    assert!(chain.intact && chain.head_seq == 6, "{url}: {chain}");
    assert_eq!(store.schema_version().await.unwrap(), Some(latest_migration(store.backend())));
    // And it works on: a new change is audited after the sealed records.
    let settings = store.settings().await.unwrap();
    store.save_settings(None, &settings, jiff::Timestamp::now()).await.unwrap();
    assert!(store.verify_audit_chain().await.unwrap().intact);
    store.close().await;
}

#[tokio::test]
async fn a_first_schema_sqlite_database_upgrades_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("first.db").display());
    let options = url.parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate!("migrations/sqlite").run_to(1, &pool).await.unwrap();
    let old = fill_first_schema!(pool);
    upgrade(&url, &old).await;
}

#[tokio::test]
async fn a_first_schema_postgres_database_upgrades_without_loss() {
    let Ok(base) = std::env::var("CORDON_TEST_DATABASE_URL") else {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL run skipped");
        return;
    };
    let name = format!("cordon_test_{}", Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::migrate!("migrations/postgres").run_to(1, &pool).await.unwrap();
    let old = fill_first_schema!(pool);
    upgrade(&url, &old).await;
}
