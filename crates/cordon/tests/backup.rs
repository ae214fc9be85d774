//! Backups, restores and the audit chain from the command line: a backup
//! taken while another process writes restores to the same rows with an
//! intact chain; a restore refuses to replace data, a file that is not a
//! cordon database, and a backup whose chain is broken; `cordon audit
//! verify` exits 0 on an intact chain and 1 naming the record an SQL edit
//! broke, on both databases; PostgreSQL's `pg_dump -Fc` / `pg_restore`
//! round trip keeps the chain.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use cordon_store::{Conn, Store};
use support::fresh_pg;

fn cordon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cordon")).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn sqlite(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A database with a small tree and a user, made by the binary.
fn country(dir: &Path, name: &str) -> String {
    let url = sqlite(&dir.join(name));
    let csv = dir.join("tree.csv");
    std::fs::write(&csv, "code,name,parent_code,population\nKR,Korea,,1000\nP1,North,KR,1000\nU1,Unit 1,P1,1000\n").unwrap();
    let out = cordon(&["import", "jurisdictions", "--database", &url, csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let add = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(["user", "add", "--database", &url, "--username", "chief", "--role", "administrator", "--node", "KR"])
        .env("CORDON_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", text(&add));
    url
}

/// One audited change: a row in `levels` and its audit record, together.
async fn write_one(store: &Store, i: i64) {
    store
        .write(async |tx| {
            let sql = "INSERT INTO levels (depth, name) VALUES ($1, $2)";
            match &mut tx.conn {
                Conn::Sqlite(c) => sqlx::query(sql).bind(100 + i).bind(format!("test {i}")).execute(&mut **c).await.map(|_| ())?,
                Conn::Postgres(c) => sqlx::query(sql).bind(100 + i).bind(format!("test {i}")).execute(&mut **c).await.map(|_| ())?,
            }
            tx.audit(jiff::Timestamp::now(), None, "level.test", i, None::<&()>, Some(&serde_json::json!({"depth": 100 + i}))).await
        })
        .await
        .unwrap();
}

async fn rows(url: &str, sql: &'static str) -> Vec<(i64, String)> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_the_same_rows_with_an_intact_chain() {
    let dir = tempfile::tempdir().unwrap();
    let live = country(dir.path(), "live.db");
    let store = Store::open(&live).await.unwrap();
    let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicI64::new(0)));
    let writer = {
        let (store, stop, written) = (store.clone(), stop.clone(), written.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                write_one(&store, i).await;
                i += 1;
                written.store(i, Ordering::Relaxed);
            }
        })
    };
    while written.load(Ordering::Relaxed) < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let backup = dir.path().join("backup.db");
    let before = written.load(Ordering::Relaxed);
    let out = {
        let args = ["backup", backup.to_str().unwrap(), "--database", &live].map(str::to_owned);
        tokio::task::spawn_blocking(move || Command::new(env!("CARGO_BIN_EXE_cordon")).args(&args).output().unwrap()).await.unwrap()
    };
    let during = written.load(Ordering::Relaxed) - before;
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("audit chain intact up to seq"), "{}", text(&out));
    while written.load(Ordering::Relaxed) < before + during + 10 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    store.close().await;
    eprintln!("{during} changes committed while the backup ran");

    let restored = sqlite(&dir.path().join("restored.db"));
    let out = cordon(&["restore", backup.to_str().unwrap(), "--database", &restored]);
    assert!(out.status.success(), "{}", text(&out));
    // The restored database: a prefix of the live log, and each change whole.
    let live_log = rows(&live, "SELECT seq, hash FROM audit ORDER BY seq").await;
    let restored_log = rows(&restored, "SELECT seq, hash FROM audit ORDER BY seq").await;
    assert!(restored_log.len() > 30 && restored_log.len() < live_log.len(), "{} of {}", restored_log.len(), live_log.len());
    assert_eq!(restored_log[..], live_log[..restored_log.len()], "the same records with the same hashes");
    let levels = rows(&restored, "SELECT depth, name FROM levels WHERE depth >= 100 ORDER BY depth").await;
    let audited = rows(&restored, "SELECT seq, entity_id FROM audit WHERE action = 'level.test' ORDER BY seq").await;
    assert_eq!(levels.len(), audited.len(), "no change without its audit record, nor the reverse");
    let live_levels = rows(&live, "SELECT depth, name FROM levels WHERE depth >= 100 ORDER BY depth").await;
    assert_eq!(levels[..], live_levels[..levels.len()]);
    for sql in ["SELECT level, code FROM nodes ORDER BY code", "SELECT created_at, username FROM users ORDER BY username"] {
        assert_eq!(rows(&restored, sql).await, rows(&live, sql).await, "{sql}");
    }
    let reopened = Store::open(&restored).await.unwrap();
    let chain = reopened.verify_audit_chain().await.unwrap();
    assert!(chain.intact && chain.records == restored_log.len() as u64, "{chain}");
    reopened.close().await;
}

#[tokio::test]
async fn a_restore_refuses_data_in_place_other_files_and_a_broken_chain() {
    let dir = tempfile::tempdir().unwrap();
    let live = country(dir.path(), "live.db");
    let backup = dir.path().join("backup.db");
    assert!(cordon(&["backup", backup.to_str().unwrap(), "--database", &live]).status.success());
    let again = cordon(&["backup", backup.to_str().unwrap(), "--database", &live]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again).contains("the file exists already"), "{}", text(&again));

    let target = dir.path().join("target.db");
    let _ = country(dir.path(), "target.db");
    let refused = cordon(&["restore", backup.to_str().unwrap(), "--database", &sqlite(&target)]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused).contains("holds data; restoring would replace it (add --force"), "{}", text(&refused));
    let forced = cordon(&["restore", backup.to_str().unwrap(), "--database", &sqlite(&target), "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(!PathBuf::from(format!("{}.restoring", target.display())).exists());

    let csv = dir.path().join("tree.csv");
    let not_sqlite = cordon(&["restore", csv.to_str().unwrap(), "--database", &sqlite(&dir.path().join("a.db"))]);
    assert!(text(&not_sqlite).contains("tree.csv: not an SQLite database"), "{}", text(&not_sqlite));
    let other = dir.path().join("other.db");
    let pool = sqlx::SqlitePool::connect(&format!("{}?mode=rwc", sqlite(&other))).await.unwrap();
    sqlx::raw_sql("CREATE TABLE notes (body TEXT)").execute(&pool).await.unwrap();
    pool.close().await;
    let foreign = cordon(&["restore", other.to_str().unwrap(), "--database", &sqlite(&dir.path().join("b.db"))]);
    assert!(text(&foreign).contains("other.db: not a cordon database"), "{}", text(&foreign));

    let pool = sqlx::SqlitePool::connect(&sqlite(&backup)).await.unwrap();
    sqlx::raw_sql("UPDATE audit SET at = at - 1 WHERE seq = 2").execute(&pool).await.unwrap();
    pool.close().await;
    let broken = cordon(&["restore", backup.to_str().unwrap(), "--database", &sqlite(&dir.path().join("c.db"))]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(text(&broken).contains("audit chain broken at seq 2: content changed"), "{}", text(&broken));
    assert!(!dir.path().join("c.db").exists(), "nothing was put in place");
}

async fn tamper(url: &str, sql: &'static str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn audit_verify_exits_one_naming_the_record_an_sql_edit_broke_on_both_databases() {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![sqlite(&dir.path().join("v.db"))];
    urls.extend(fresh_pg().await);
    for url in urls {
        let store = Store::open(&url).await.unwrap();
        for i in 0..6 {
            write_one(&store, i).await;
        }
        store.close().await;
        let ok = cordon(&["audit", "verify", "--database", &url]);
        assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
        assert!(text(&ok).starts_with("audit chain intact up to seq 6 (6 records); head hash "), "{}", text(&ok));
        tamper(&url, "UPDATE audit SET actor_id = NULL, at = at + 1 WHERE seq = 2").await;
        let broken = cordon(&["audit", "verify", "--database", &url]);
        assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
        assert!(text(&broken).contains("audit chain broken at seq 2: content changed"), "{url}: {}", text(&broken));
        tamper(&url, "DELETE FROM audit WHERE seq >= 5").await;
        let json = cordon(&["audit", "verify", "--json", "--database", &url]);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(
            (report["intact"].as_bool(), report["fault"]["seq"].as_i64()),
            (Some(false), Some(2)),
            "the first broken record: {report}"
        );
    }
}

/// `pg_dump` or `pg_restore`: on the PATH, else in a Debian PostgreSQL folder.
fn pg_tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).map(|d| d.join(name));
    let debian = std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten().map(|e| e.path().join("bin").join(name));
    on_path.chain(debian).find(|p| p.is_file())
}

#[tokio::test]
async fn pg_dump_and_pg_restore_keep_every_row_and_the_chain() {
    let (Some(pg_dump), Some(pg_restore)) = (pg_tool("pg_dump"), pg_tool("pg_restore")) else {
        eprintln!("pg_dump or pg_restore not found on PATH nor in /usr/lib/postgresql/*/bin; test skipped");
        return;
    };
    let Some(source) = fresh_pg().await else {
        eprintln!("CORDON_TEST_DATABASE_URL is not set; PostgreSQL run skipped");
        return;
    };
    let store = Store::open(&source).await.unwrap();
    for i in 0..25 {
        write_one(&store, i).await;
    }
    let before = store.verify_audit_chain().await.unwrap();
    store.close().await;
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("cordon.dump");
    let out = Command::new(pg_dump).args(["-Fc", "-f", dump.to_str().unwrap(), &source]).output().unwrap();
    assert!(out.status.success(), "pg_dump: {}", text(&out));
    let target = fresh_pg().await.unwrap();
    let out = Command::new(pg_restore).args(["--no-owner", "--exit-on-error", "-d", &target, dump.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "pg_restore: {}", text(&out));
    let restored = Store::open(&target).await.unwrap();
    let after = restored.verify_audit_chain().await.unwrap();
    assert!(after.intact, "{after}");
    assert_eq!((after.head_seq, &after.head_hash), (before.head_seq, &before.head_hash));
    write_one(&restored, 99).await;
    assert!(restored.verify_audit_chain().await.unwrap().intact, "the restored database takes new changes");
    restored.close().await;
    let verify = cordon(&["audit", "verify", "--database", &target]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
}
