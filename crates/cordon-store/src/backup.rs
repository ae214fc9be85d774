//! Backups of an SQLite database while it serves, and what a restore checks
//! before it puts a file in place.
//!
//! [`Store::backup_to`] runs `VACUUM INTO` on a reading connection: SQLite
//! writes one consistent snapshot of the database (a read transaction, so
//! the writer carries on meanwhile, in WAL mode) into a new, compact file.
//! [`Store::schema_version`] and [`Store::holds_data`] let `cordon restore`
//! tell a cordon database from another file and an empty target from one
//! that holds data. PostgreSQL is backed up with its own `pg_dump` and
//! `pg_restore` (docs/BACKUP.md).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;

use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::{Store, exec};

/// The newest migration this build knows, by backend.
#[must_use]
pub fn latest_migration(backend: crate::Backend) -> i64 {
    let migrator = match backend {
        crate::Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        crate::Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    };
    migrator.iter().map(|m| m.version).max().unwrap_or_default()
}

/// The file an `sqlite:` URL names, or `None` for another URL (or an
/// in-memory database).
#[must_use]
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    (!file.as_os_str().is_empty() && file != Path::new(":memory:")).then(|| file.to_path_buf())
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `file` (which
    /// must not exist yet) while the database keeps serving.
    pub async fn backup_to(&self, file: &Path) -> Result<()> {
        let Db::Sqlite { readers, .. } = &self.db else { return Err(StoreError::SqliteOnly("cordon backup")) };
        let target = file.to_string_lossy().into_owned();
        sqlx::query("VACUUM INTO $1").bind(target).execute(readers).await?;
        Ok(())
    }

    /// The newest migration applied, or `None` when the database is not
    /// one of cordon's (no migration table, or none of its tables).
    pub async fn schema_version(&self) -> Result<Option<i64>> {
        let tables: i64 = self
            .read(async |c| {
                let sql = match c {
                    crate::Conn::Sqlite(_) => {
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'audit', 'nodes', 'users')"
                    }
                    crate::Conn::Postgres(_) => {
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() \
                         AND table_name IN ('_sqlx_migrations', 'audit', 'nodes', 'users')"
                    }
                };
                Ok(exec!(c, sqlx::query_scalar(sql), fetch_one)?)
            })
            .await?;
        if tables < 4 {
            return Ok(None);
        }
        let version: Option<i64> = self
            .read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success"), fetch_one)?))
            .await?;
        Ok(version)
    }

    /// Whether the database holds anything: a table other than cordon's
    /// (not a cordon database) or any jurisdiction, user, person, report
    /// or audit record.
    pub async fn holds_data(&self) -> Result<bool> {
        if self.schema_version().await?.is_none() {
            let any: i64 = self
                .read(async |c| {
                    let sql = match c {
                        crate::Conn::Sqlite(_) => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                        crate::Conn::Postgres(_) => "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                    };
                    Ok(exec!(c, sqlx::query_scalar(sql), fetch_one)?)
                })
                .await?;
            return Ok(any > 0);
        }
        let rows: i64 = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT (SELECT COUNT(*) FROM nodes) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM persons) \
                         + (SELECT COUNT(*) FROM reports) + (SELECT COUNT(*) FROM audit)"
                    ),
                    fetch_one
                )?)
            })
            .await?;
        Ok(rows > 0)
    }
}
