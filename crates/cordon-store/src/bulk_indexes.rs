//! The secondary indexes of the tables a bulk load fills (residents, cases,
//! reports, tasks), set aside for the load and built again after it.
//!
//! Each row inserted otherwise lands at a random place in a dozen indexes
//! (by unit and time, by day, by deadline ...); once they outgrow the page
//! cache every insert reads and writes pages all over the file, and the
//! load slows as it goes. Building an index once over the loaded rows is
//! one sort. Their definitions are kept in `read_model_state` under
//! `index:NAME` while they are away, so a load that stops half-way leaves
//! a database that builds them again when next opened.
//!
//! Indexes that back a constraint (primary keys, `UNIQUE` constraints) stay.

use crate::db::Conn;
use crate::error::Result;
use crate::read_models::{put_state, replay_state};
use crate::{Store, exec};

/// The tables a bulk load fills.
const BULK_TABLES: [&str; 4] = ["persons", "cases", "reports", "tasks"];

/// The name and definition of every index of the bulk tables that backs no
/// constraint.
async fn secondary_indexes(c: &mut Conn<'_>) -> Result<Vec<(String, String)>> {
    let tables = BULK_TABLES.map(|t| format!("'{t}'")).join(", ");
    let sql = match c {
        Conn::Sqlite(_) => {
            format!("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables}) ORDER BY name")
        }
        Conn::Postgres(_) => format!(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename IN ({tables}) \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.connamespace = to_regnamespace(i.schemaname)) \
             ORDER BY i.indexname"
        ),
    };
    Ok(exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql)), fetch_all)?)
}

/// Builds every index set aside, in the open transaction.
pub(crate) async fn restore_in(c: &mut Conn<'_>) -> Result<()> {
    if let Conn::Postgres(_) = c {
        // For this transaction's index builds, if any.
        exec!(c, sqlx::query("SET LOCAL maintenance_work_mem = '512MB'"), execute)?;
    }
    replay_state(c, "index:").await
}

impl Store {
    /// Drops the secondary indexes of residents, cases, reports and tasks
    /// for a bulk load, keeping their definitions to build them again with
    /// [`Store::restore_bulk_indexes`]. Pages are slow until then.
    pub async fn set_aside_bulk_indexes(&self) -> Result<()> {
        self.write(async |tx| {
            let c = &mut tx.conn;
            for (name, sql) in secondary_indexes(c).await? {
                put_state(c, &format!("index:{name}"), &sql).await?;
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}"))), execute)?;
            }
            Ok(())
        })
        .await
    }

    /// Builds again every index [`Store::set_aside_bulk_indexes`] dropped
    /// (nothing when none is away).
    pub async fn restore_bulk_indexes(&self) -> Result<()> {
        self.write(async |tx| restore_in(&mut tx.conn).await).await
    }
}
