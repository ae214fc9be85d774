//! What an operator watches: whether the database answers with its
//! migrations current (the server's `/readyz`), the connection pools, the
//! live-stream subscribers, and the workload gauges `/metrics` reads at
//! scrape time.
//!
//! Every read here is cheap whatever the number of reports: tasks are
//! counted through the `(status, deadline)` index over the open ones only,
//! and units by the tree (one index probe per unit into `daily_reports`),
//! never by scanning reports or cases.

use cordon_core::daily;
use cordon_core::task::TaskStatus;
use jiff::Timestamp;

use crate::db::{Db, micros, parse_enum};
use crate::error::Result;
use crate::{Store, exec};

/// Whether the database's schema is the one this binary was built for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migrations {
    /// Versions this binary carries that the database has not applied.
    pub pending: Vec<i64>,
    /// Versions the database applied that this binary does not know (a
    /// newer cordon migrated it).
    pub unknown: Vec<i64>,
    /// Versions whose application failed half-way.
    pub failed: Vec<i64>,
    /// The newest version applied that this binary knows.
    pub newest: Option<i64>,
}

impl Migrations {
    /// True when every migration of this binary is applied, none failed
    /// and none is unknown.
    #[must_use]
    pub fn current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty() && self.failed.is_empty()
    }
}

/// The state of one connection pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Which pool: `writer` and `readers` on SQLite, `main` on PostgreSQL.
    pub name: &'static str,
    /// Connections open now.
    pub open: u32,
    /// Of those, the ones not in use.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// The work waiting, country-wide, at one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workload {
    /// Tasks not yet done, by status (every open status listed, zero when none).
    pub open_tasks: Vec<(TaskStatus, i64)>,
    /// Open tasks past their acknowledgement deadline (overdue, or assigned
    /// or escalated with the deadline passed).
    pub overdue_tasks: i64,
    /// Units (nodes of the deepest level).
    pub units: i64,
    /// Units that filed their daily report for the local day.
    pub units_reported: i64,
    /// Units without a daily report for the local day once its silent hour
    /// has passed (zero before it: they are still pending).
    pub units_silent: i64,
}

/// The task statuses that are still open.
const OPEN: [TaskStatus; 4] = [TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Overdue, TaskStatus::Escalated];

impl Store {
    /// Asks the database for the migrations it applied and compares them
    /// with this binary's; fails when the database does not answer. A
    /// database that answers but has no migrations table (never migrated,
    /// or a dropped schema) has every migration pending.
    pub async fn migrations(&self) -> Result<Migrations> {
        let applied: std::result::Result<Vec<(i64, bool)>, sqlx::Error> = self
            .read(async |c| {
                exec!(c, sqlx::query_scalar::<_, i32>("SELECT 1"), fetch_one)?;
                Ok(exec!(c, sqlx::query_as("SELECT version, success FROM _sqlx_migrations"), fetch_all))
            })
            .await?;
        let applied = applied.unwrap_or_default();
        let known: Vec<i64> = match &self.db {
            Db::Sqlite { .. } => sqlx::migrate!("migrations/sqlite").iter().map(|m| m.version).collect(),
            Db::Postgres(_) => sqlx::migrate!("migrations/postgres").iter().map(|m| m.version).collect(),
        };
        Ok(Migrations {
            pending: known.iter().copied().filter(|v| !applied.iter().any(|(a, _)| a == v)).collect(),
            unknown: applied.iter().map(|(v, _)| *v).filter(|v| !known.contains(v)).collect(),
            failed: applied.iter().filter(|(_, success)| !success).map(|(v, _)| *v).collect(),
            newest: applied.iter().filter(|(v, success)| *success && known.contains(v)).map(|(v, _)| *v).max(),
        })
    }

    /// The connection pools: open, idle and most connections of each.
    #[must_use]
    pub fn pools(&self) -> Vec<PoolState> {
        fn state<DB: sqlx::Database>(name: &'static str, pool: &sqlx::Pool<DB>) -> PoolState {
            let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
            PoolState { name, open: pool.size(), idle, max: pool.options().get_max_connections() }
        }
        match &self.db {
            Db::Sqlite { writer, readers, .. } => vec![state("writer", writer), state("readers", readers)],
            Db::Postgres(pool) => vec![state("main", pool)],
        }
    }

    /// How many live-stream subscribers (server-sent-event connections of
    /// this process) are listening now.
    #[must_use]
    pub fn live_subscribers(&self) -> usize {
        self.events.receiver_count()
    }

    /// Open and overdue tasks at `now` and the units' daily reports for the
    /// local day, country-wide, in one read.
    pub async fn workload(&self, now: Timestamp) -> Result<Workload> {
        let settings = self.settings().await?;
        let today = settings.local_date(now);
        let deepest = i64::try_from(self.levels().await?.len()).unwrap_or(1) - 1;
        let (by_status, late, units, reported) = self
            .read(async |c| {
                let by_status: Vec<(String, i64)> = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT status, COUNT(*) FROM tasks \
                         WHERE status IN ('assigned', 'acknowledged', 'overdue', 'escalated') GROUP BY status"
                    ),
                    fetch_all
                )?;
                // Two index ranges of (status, deadline); an OR would not use the index on SQLite.
                let late: i64 = exec!(
                    c,
                    sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE status IN ('assigned', 'escalated') AND deadline <= $1")
                        .bind(micros(now)),
                    fetch_one
                )?;
                // One probe of the (unit_id, date) key per unit: the cost follows the tree, not the reports.
                let (units, reported): (i64, i64) = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT COUNT(*), COUNT(d.unit_id) FROM nodes n \
                         LEFT JOIN daily_reports d ON d.unit_id = n.id AND d.date = $2 WHERE n.level = $1"
                    )
                    .bind(deepest)
                    .bind(today.to_string()),
                    fetch_one
                )?;
                Ok((by_status, late, units, reported))
            })
            .await?;
        let mut open_tasks: Vec<(TaskStatus, i64)> = OPEN.iter().map(|s| (*s, 0)).collect();
        for (status, count) in by_status {
            let status = parse_enum("tasks.status", &status, TaskStatus::parse)?;
            if let Some(slot) = open_tasks.iter_mut().find(|(s, _)| *s == status) {
                slot.1 = count;
            }
        }
        let marked_overdue = open_tasks.iter().find(|(s, _)| *s == TaskStatus::Overdue).map_or(0, |(_, n)| *n);
        let units_silent = if daily::is_silent_past_hour(&settings, today, now) { units - reported } else { 0 };
        Ok(Workload { open_tasks, overdue_tasks: marked_overdue + late, units, units_reported: reported, units_silent })
    }
}
