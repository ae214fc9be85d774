//! Reading the audit log (writing happens in [`crate::Tx::audit`]).

use cordon_core::audit::AuditRecord;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::from_micros;
use crate::error::Result;
use crate::{Store, exec};

type AuditRow =
    (i64, i64, Option<Uuid>, String, String, String, Option<Json<serde_json::Value>>, Option<Json<serde_json::Value>>, Option<String>);

/// Filters for the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this entity kind (`case`, `task`, ...).
    pub entity: Option<String>,
    /// Only this entity.
    pub entity_id: Option<String>,
    /// Only this actor.
    pub actor_id: Option<Uuid>,
    /// Only records before this sequence number (for paging back).
    pub before_seq: Option<i64>,
}

impl Store {
    /// The newest audit records matching the filter.
    pub async fn audit_log(&self, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditRecord>> {
        let rows: Vec<AuditRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT seq, at, actor_id, action, entity, entity_id, before, after, hash FROM audit \
                         WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) AND ($3 IS NULL OR actor_id = $3) AND ($4 IS NULL OR seq < $4) \
                         ORDER BY seq DESC LIMIT $5"
                    )
                    .bind(&filter.entity)
                    .bind(&filter.entity_id)
                    .bind(filter.actor_id)
                    .bind(filter.before_seq)
                    .bind(limit.clamp(1, 1000)),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(seq, at, actor_id, action, entity, entity_id, before, after, hash)| {
                Ok(AuditRecord {
                    seq,
                    at: from_micros(at)?,
                    actor_id,
                    action,
                    entity,
                    entity_id,
                    before: before.map(|j| j.0),
                    after: after.map(|j| j.0),
                    hash,
                })
            })
            .collect()
    }

    /// How many rows a table holds (for tests and the operator's status page).
    pub async fn count(&self, table: Table) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.as_str());
        self.read(async |c| Ok(exec!(c, sqlx::query_scalar(AssertSqlSafe(sql.as_str())), fetch_one)?)).await
    }
}

/// The tables whose size can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Symptom reports.
    Reports,
    /// Daily unit reports.
    DailyReports,
    /// Cases.
    Cases,
    /// Tasks.
    Tasks,
    /// Persons.
    Persons,
    /// Escalations.
    Escalations,
    /// Audit records.
    Audit,
    /// Users.
    Users,
    /// Nodes.
    Nodes,
    /// Shifts.
    Shifts,
}

impl Table {
    fn as_str(self) -> &'static str {
        match self {
            Table::Reports => "reports",
            Table::DailyReports => "daily_reports",
            Table::Cases => "cases",
            Table::Tasks => "tasks",
            Table::Persons => "persons",
            Table::Escalations => "escalations",
            Table::Audit => "audit",
            Table::Users => "users",
            Table::Nodes => "nodes",
            Table::Shifts => "shifts",
        }
    }
}
