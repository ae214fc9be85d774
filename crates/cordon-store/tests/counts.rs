//! Counting per node, syndrome and day at the scale the anchors warn about:
//! 300,000 reports and 300,000 cases over a year in 8,500 units. Ignored by
//! default (it loads a large database); run it with
//! `cargo test -p cordon-store --release --test counts -- --ignored --nocapture`
//! (and `CORDON_TEST_DATABASE_URL` for PostgreSQL) to print the timings
//! recorded in docs/DETECTION.md.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use std::time::Instant;

use cordon_core::detection::Syndrome;
use cordon_core::jurisdiction::NodePath;
use cordon_core::settings::Settings;
use cordon_store::Store;
use cordon_store::counts::{day_from_number, day_number, week_number};
use jiff::civil::date;
use sqlx::{Postgres, QueryBuilder, Sqlite};
use uuid::Uuid;

const UNITS: usize = 8_500;
const ROWS: usize = 300_000;
const DAY_MICROS: i64 = 86_400_000_000;

/// The tree: KR → 17 provinces → 10 counties → 10 districts → 5 units.
fn tree() -> Vec<(Uuid, Option<Uuid>, String, i64, String)> {
    let mut nodes = vec![(Uuid::now_v7(), None, "KR".to_owned(), 0, "/KR/".to_owned())];
    for p in 0..17 {
        let (pid, ppath) = (Uuid::now_v7(), format!("/KR/P{p}/"));
        nodes.push((pid, Some(nodes[0].0), format!("P{p}"), 1, ppath.clone()));
        for c in 0..10 {
            let (cid, cpath) = (Uuid::now_v7(), format!("{ppath}C{p}.{c}/"));
            nodes.push((cid, Some(pid), format!("C{p}.{c}"), 2, cpath.clone()));
            for d in 0..10 {
                let (did, dpath) = (Uuid::now_v7(), format!("{cpath}D{p}.{c}.{d}/"));
                nodes.push((did, Some(cid), format!("D{p}.{c}.{d}"), 3, dpath.clone()));
                for u in 0..5 {
                    nodes.push((Uuid::now_v7(), Some(did), format!("U{p}.{c}.{d}.{u}"), 4, format!("{dpath}U{p}.{c}.{d}.{u}/")));
                }
            }
        }
    }
    nodes
}

const SYMPTOMS: [&str; 4] = [r#"["fever"]"#, r#"["cough","sore_throat"]"#, r#"["diarrhoea"]"#, r#"["headache"]"#];

/// Loads the tree, one user and person, and the reports and cases, in
/// statements of 1,000 rows, through a plain sqlx pool of either backend.
macro_rules! load {
    ($db:ty, $pool:expr, $first_day:expr) => {{
        let pool = $pool;
        let nodes = tree();
        let units: Vec<_> = nodes.iter().filter(|n| n.3 == 4).cloned().collect();
        assert_eq!(units.len(), UNITS);
        for chunk in nodes.chunks(1000) {
            let mut q = QueryBuilder::<$db>::new("INSERT INTO nodes (id, parent_id, code, level, path, name, population) ");
            q.push_values(chunk, |mut b, n| {
                b.push_bind(n.0).push_bind(n.1).push_bind(n.2.clone()).push_bind(n.3).push_bind(n.4.clone()).push_bind(n.2.clone()).push_bind(1000_i64);
            });
            q.build().execute(&pool).await.unwrap();
        }
        let (user, person) = (Uuid::now_v7(), Uuid::now_v7());
        let (unit0, path0) = (units[0].0, units[0].4.clone());
        sqlx::query("INSERT INTO users (id, username, display_name, role, node_id, node_path, password_hash, active, created_at) VALUES ($1, 'u', 'u', 'reporter', $2, $3, 'x', TRUE, 0)")
            .bind(user).bind(unit0).bind(path0.clone()).execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO persons (id, full_name, name_key, sex, birth_year, unit_id, unit_path, created_at) VALUES ($1, 'p', 'p', 'female', 1980, $2, $3, 0)")
            .bind(person).bind(unit0).bind(path0).execute(&pool).await.unwrap();
        let rows: Vec<usize> = (0..ROWS).collect();
        for chunk in rows.chunks(1000) {
            let mut q = QueryBuilder::<$db>::new(
                "INSERT INTO reports (id, person_id, unit_id, unit_path, reporter_id, symptoms, temperature_c, received_at, report_date) ",
            );
            q.push_values(chunk, |mut b, &i| {
                let unit = &units[(i * 7919) % UNITS];
                let day = $first_day + i64::try_from(i % 365).unwrap();
                b.push_bind(Uuid::now_v7()).push_bind(person).push_bind(unit.0).push_bind(unit.4.clone()).push_bind(user)
                    .push_bind(sqlx::types::Json(serde_json::from_str::<serde_json::Value>(SYMPTOMS[i % 4]).unwrap()))
                    .push_bind(if i % 3 == 0 { Some(38.2) } else { None::<f64> })
                    .push_bind(day * DAY_MICROS + 36_000_000_000).push_bind(day_from_number(day).to_string());
            });
            q.build().execute(&pool).await.unwrap();
            let mut q = QueryBuilder::<$db>::new(
                "INSERT INTO cases (id, person_id, unit_id, unit_path, status, definition_code, opened_at, updated_at) ",
            );
            q.push_values(chunk, |mut b, &i| {
                let unit = &units[(i * 104_729) % UNITS];
                let at = ($first_day + i64::try_from(i % 365).unwrap()) * DAY_MICROS + i64::try_from(i % 86_400).unwrap() * 1_000_000;
                b.push_bind(Uuid::now_v7()).push_bind(person).push_bind(unit.0).push_bind(unit.4.clone())
                    .push_bind("suspected").push_bind("suspected").push_bind(at).push_bind(at);
            });
            q.build().execute(&pool).await.unwrap();
        }
        pool.close().await;
    }};
}

async fn measure(store: &Store, label: &str) {
    let settings = Settings { time_zone: "Asia/Seoul".into(), ..Settings::default() };
    let first = date(2025, 11, 23);
    let last = day_from_number(day_number(first) + 364);
    let today = last.tomorrow().unwrap();

    let t = Instant::now();
    let recount = store.refresh_counts(&settings, 37.5, today).await.unwrap();
    let full = t.elapsed();
    assert!(recount.from.unwrap() <= first);
    let t = Instant::now();
    store.refresh_counts(&settings, 37.5, today.tomorrow().unwrap()).await.unwrap();
    let next_day = t.elapsed();

    let kr = NodePath::root("KR");
    let t = Instant::now();
    let daily = store.daily_counts(&kr, 3, last.checked_sub(jiff::Span::new().days(27)).unwrap(), last).await.unwrap();
    let daily_time = t.elapsed();
    let t = Instant::now();
    let weekly = store.weekly_counts(&kr, 3, week_number(day_number(first)), week_number(day_number(last))).await.unwrap();
    let weekly_time = t.elapsed();

    let district = NodePath::from_stored("/KR/P3/C3.4/D3.4.5/".into());
    let t = Instant::now();
    let one = store.node_weekly_counts(&district, week_number(day_number(first)), week_number(day_number(last))).await.unwrap();
    let one_node = t.elapsed();
    assert!(!one.is_empty());

    let nation_fever: i64 =
        store.daily_counts(&kr, 0, first, last).await.unwrap().iter().filter(|c| c.syndrome == Syndrome::Fever).map(|c| c.count).sum();
    let nation_cases: i64 = store
        .daily_counts(&kr, 0, first, today)
        .await
        .unwrap()
        .iter()
        .filter(|c| c.syndrome == Syndrome::SuspectedCase)
        .map(|c| c.count)
        .sum();
    let fever = (0..ROWS).filter(|i| i % 3 == 0 || i % 4 == 0).count();
    assert_eq!(usize::try_from(nation_fever), Ok(fever), "measured 38.2 °C, or fever ticked and nothing measured");
    assert_eq!(usize::try_from(nation_cases), Ok(ROWS), "every case counted once at the nation");
    println!(
        "{label}: full count {full:.2?}, next day {next_day:.2?}, 28 days x 1,700 districts {daily_time:.2?} ({} rows), \
         52 weeks x 1,700 districts {weekly_time:.2?} ({} rows), one district's 52 weeks {one_node:.2?}",
        daily.len(),
        weekly.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "loads 600,000 rows; run by hand for the timings"]
async fn counting_300k_cases_per_node_and_day_stays_fast() {
    let first_day = day_number(date(2025, 11, 23));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let store = Store::open(&url).await.unwrap();
    load!(Sqlite, sqlx::SqlitePool::connect(&url).await.unwrap(), first_day);
    measure(&store, "SQLite").await;
    store.close().await;

    if let Ok(base) = std::env::var("CORDON_TEST_DATABASE_URL") {
        let name = format!("cordon_counts_{}", Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&base).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        let store = Store::open(&url).await.unwrap();
        load!(Postgres, sqlx::PgPool::connect(&url).await.unwrap(), first_day);
        measure(&store, "PostgreSQL").await;
        store.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&admin).await.unwrap();
    }
}
