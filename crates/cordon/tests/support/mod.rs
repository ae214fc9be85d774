//! What the binary's tests share.
#![allow(clippy::unwrap_used)] // a test fails loudly on what it did not expect

use uuid::Uuid;

/// A fresh PostgreSQL database on the test server, when there is one
/// (`CORDON_TEST_DATABASE_URL`).
pub async fn fresh_pg() -> Option<String> {
    let base = std::env::var("CORDON_TEST_DATABASE_URL").ok()?;
    let name = format!("cordon_test_{}", Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    Some(format!("{}/{name}", base.rsplit_once('/').unwrap().0))
}
