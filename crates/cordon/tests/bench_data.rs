//! `cordon bench data` end to end on both databases: the generated reports
//! are all there, the indexes set aside for the load are back, the read
//! models it rebuilt equal a rebuild, the command account is there, and a second
//! run into the same database is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod support;

use std::process::Command;

use cordon_store::Store;
use cordon_store::audit::Table;
use support::fresh_pg;

const REPORTS: i64 = 3000;

fn bench_data(url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(["bench", "data", "--reports", &REPORTS.to_string(), "--scale", "small", "--days", "14", "--database", url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

async fn generated_database_is_whole(url: &str) {
    let out = bench_data(url);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Indexed in") && stderr.contains("Sign in as `command`"), "{stderr}");

    let store = Store::open(url).await.unwrap();
    assert_eq!(store.count(Table::Reports).await.unwrap(), REPORTS);
    let cases = store.count(Table::Cases).await.unwrap();
    assert!(cases > REPORTS / 4 && cases < REPORTS, "about half the reports open a case: {cases}");
    let away: i64 = store
        .read(async |c| {
            let sql = "SELECT COUNT(*) FROM read_model_state WHERE key LIKE 'index:%' OR key LIKE 'paused:%'";
            Ok(match c {
                cordon_store::Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(&mut **c).await?,
                cordon_store::Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_one(&mut **c).await?,
            })
        })
        .await
        .unwrap();
    assert_eq!(away, 0, "no index nor trigger is left aside");
    let loaded = store.read_model_rows().await.unwrap();
    assert!(loaded.iter().any(|r| r.starts_with("response|")), "the response read model was built");
    store.rebuild_read_models().await.unwrap();
    assert_eq!(store.read_model_rows().await.unwrap(), loaded, "the counts after the load are a rebuild's");
    let command = store.user_with_password("command").await.unwrap();
    assert!(command.is_some_and(|(_, hash)| hash.starts_with("$argon2")), "the demo's command account is there");
    store.close().await;

    let again = bench_data(url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a jurisdiction tree"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_sqlite_database_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    generated_database_is_whole(&format!("sqlite://{}", dir.path().join("bench.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_postgres_database_is_whole() {
    let Some(url) = fresh_pg().await else {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL run skipped");
        return;
    };
    generated_database_is_whole(&url).await;
}
