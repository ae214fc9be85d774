//! The read models: counts per node of the tree that the board, the curves,
//! the map and the summaries read instead of the millions of rows beneath
//! them (migrations 0012, 0013 and 0015).
//!
//! `report_counts` (reports by node, day and case status), `case_counts`
//! (cases by node, local day opened and status, with deaths), `case_curve`
//! (cases by node, onset or first-report day and status), `task_counts`
//! (tasks by node and status), `order_counts` (orders in force by node and
//! kind), `response_counts` (investigations by node, local day opened,
//! measure and delay, for the response times) and `case_totals` (cases to
//! date by node and status, for the map) hold one row per node of the tree,
//! every ancestor of the unit included (through `node_ancestors`). Triggers
//! keep them up to date in the transaction of every insert or update of a
//! report, case, task or order, so no writer can forget one; reports are
//! never updated nor deleted.
//!
//! [`Store::rebuild_read_models`] recomputes them from the base tables, in
//! one transaction: after a bulk load (which pauses the triggers with
//! [`Store::pause_read_models`]), on opening a database written before they
//! existed, and in the test that checks the maintained counts against a
//! rebuild.

use cordon_core::settings::Settings;

use crate::config::settings_in;
use crate::db::{Conn, micros};
use crate::error::Result;
use crate::{Store, exec};

/// The tables the read-model triggers watch.
const WATCHED: [&str; 4] = ["reports", "cases", "tasks", "orders"];

/// The recount of every read model from the base tables, grouped per unit
/// first and then rolled up to every ancestor.
const RECOUNT: [&str; 7] = [
    "INSERT INTO report_counts (node_path, day, case_status, count) \
     SELECT a.ancestor_path, x.day, x.status, SUM(x.n) FROM ( \
       SELECT r.unit_path, r.report_date AS day, COALESCE(c.status, '') AS status, COUNT(*) AS n \
         FROM reports r LEFT JOIN cases c ON c.id = r.case_id GROUP BY r.unit_path, r.report_date, COALESCE(c.status, '') \
     ) x JOIN node_ancestors a ON a.path = x.unit_path GROUP BY a.ancestor_path, x.day, x.status ORDER BY 1, 2, 3",
    "INSERT INTO case_counts (node_path, opened_date, status, cases, deaths) \
     SELECT a.ancestor_path, x.day, x.status, SUM(x.n), SUM(x.died) FROM ( \
       SELECT unit_path, COALESCE(opened_date, '') AS day, status, COUNT(*) AS n, \
              SUM(CASE WHEN outcome = 'died' THEN 1 ELSE 0 END) AS died \
         FROM cases GROUP BY unit_path, COALESCE(opened_date, ''), status \
     ) x JOIN node_ancestors a ON a.path = x.unit_path GROUP BY a.ancestor_path, x.day, x.status ORDER BY 1, 2, 3",
    "INSERT INTO case_curve (node_path, day, status, count) \
     SELECT a.ancestor_path, x.day, x.status, SUM(x.n) FROM ( \
       SELECT unit_path, COALESCE(onset_date, first_report_date) AS day, status, COUNT(*) AS n FROM cases \
        WHERE COALESCE(onset_date, first_report_date) IS NOT NULL \
        GROUP BY unit_path, COALESCE(onset_date, first_report_date), status \
     ) x JOIN node_ancestors a ON a.path = x.unit_path GROUP BY a.ancestor_path, x.day, x.status ORDER BY 1, 2, 3",
    "INSERT INTO task_counts (node_path, status, count) \
     SELECT a.ancestor_path, x.status, SUM(x.n) FROM ( \
       SELECT subject_path, status, COUNT(*) AS n FROM tasks GROUP BY subject_path, status \
     ) x JOIN node_ancestors a ON a.path = x.subject_path GROUP BY a.ancestor_path, x.status ORDER BY 1, 2",
    "INSERT INTO order_counts (node_path, kind, count) \
     SELECT a.ancestor_path, x.kind, SUM(x.n) FROM ( \
       SELECT person_path, kind, COUNT(*) AS n FROM orders WHERE status IN ('active', 'extended') GROUP BY person_path, kind \
     ) x JOIN node_ancestors a ON a.path = x.person_path GROUP BY a.ancestor_path, x.kind ORDER BY 1, 2",
    "INSERT INTO response_counts (node_path, day, measure, minutes, count) \
     SELECT a.ancestor_path, x.day, x.measure, x.minutes, SUM(x.n) FROM ( \
       SELECT subject_path, day, measure, minutes, COUNT(*) AS n FROM response_facts GROUP BY subject_path, day, measure, minutes \
     ) x JOIN node_ancestors a ON a.path = x.subject_path GROUP BY a.ancestor_path, x.day, x.measure, x.minutes ORDER BY 1, 2, 3, 4",
    "INSERT INTO case_totals (node_path, status, cases, deaths) \
     SELECT a.ancestor_path, x.status, SUM(x.n), SUM(x.died) FROM ( \
       SELECT unit_path, status, COUNT(*) AS n, SUM(CASE WHEN outcome = 'died' THEN 1 ELSE 0 END) AS died \
         FROM cases GROUP BY unit_path, status \
     ) x JOIN node_ancestors a ON a.path = x.unit_path GROUP BY a.ancestor_path, x.status ORDER BY 1, 2",
];

/// Every row of every read model with a count other than zero, as text, in
/// key order (zero rows are left by decrements and mean nothing).
const SNAPSHOT: [&str; 7] = [
    "SELECT 'report|' || node_path || '|' || day || '|' || case_status || '|' || CAST(count AS TEXT) FROM report_counts \
     WHERE count <> 0 ORDER BY node_path, day, case_status",
    "SELECT 'case|' || node_path || '|' || opened_date || '|' || status || '|' || CAST(cases AS TEXT) || '|' || CAST(deaths AS TEXT) \
     FROM case_counts WHERE cases <> 0 OR deaths <> 0 ORDER BY node_path, opened_date, status",
    "SELECT 'curve|' || node_path || '|' || day || '|' || status || '|' || CAST(count AS TEXT) FROM case_curve \
     WHERE count <> 0 ORDER BY node_path, day, status",
    "SELECT 'task|' || node_path || '|' || status || '|' || CAST(count AS TEXT) FROM task_counts WHERE count <> 0 ORDER BY node_path, status",
    "SELECT 'order|' || node_path || '|' || kind || '|' || CAST(count AS TEXT) FROM order_counts WHERE count <> 0 ORDER BY node_path, kind",
    "SELECT 'response|' || node_path || '|' || day || '|' || measure || '|' || CAST(minutes AS TEXT) || '|' || CAST(count AS TEXT) \
     FROM response_counts WHERE count <> 0 ORDER BY node_path, day, measure, minutes",
    "SELECT 'total|' || node_path || '|' || status || '|' || CAST(cases AS TEXT) || '|' || CAST(deaths AS TEXT) FROM case_totals \
     WHERE cases <> 0 OR deaths <> 0 ORDER BY node_path, status",
];

/// Sets `key` of `read_model_state` to `value`.
pub(crate) async fn put_state(c: &mut Conn<'_>, key: &str, value: &str) -> Result<()> {
    exec!(
        c,
        sqlx::query("INSERT INTO read_model_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value),
        execute
    )?;
    Ok(())
}

/// Runs, in key order, the statements kept in `read_model_state` under keys
/// starting with `prefix` (the text of what was set aside), and forgets
/// each once run.
pub(crate) async fn replay_state(c: &mut Conn<'_>, prefix: &str) -> Result<()> {
    let kept: Vec<(String, String)> = exec!(
        c,
        sqlx::query_as("SELECT key, value FROM read_model_state WHERE key LIKE $1 ORDER BY key").bind(format!("{prefix}%")),
        fetch_all
    )?;
    for (key, sql) in kept {
        exec!(c, sqlx::query(sqlx::AssertSqlSafe(sql)), execute)?;
        exec!(c, sqlx::query("DELETE FROM read_model_state WHERE key = $1").bind(key), execute)?;
    }
    Ok(())
}

/// Stops the triggers (SQLite: drops them, keeping their text in
/// `read_model_state`; PostgreSQL: disables them). Idempotent.
async fn pause(c: &mut Conn<'_>) -> Result<()> {
    match c {
        Conn::Sqlite(_) => {
            let triggers: Vec<(String, String)> = exec!(
                c,
                sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'read\\_models\\_%' ESCAPE '\\'"),
                fetch_all
            )?;
            for (name, sql) in triggers {
                if name == "read_models_node_insert" {
                    continue;
                }
                put_state(c, &format!("paused:{name}"), &sql).await?;
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {name}"))), execute)?;
            }
        }
        Conn::Postgres(_) => {
            for table in WATCHED {
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} DISABLE TRIGGER USER"))), execute)?;
            }
            exec!(
                c,
                sqlx::query(
                    "INSERT INTO read_model_state (key, value) VALUES ('paused:postgres', 'disabled') ON CONFLICT (key) DO NOTHING"
                ),
                execute
            )?;
        }
    }
    Ok(())
}

/// Starts the triggers again.
async fn resume(c: &mut Conn<'_>) -> Result<()> {
    match c {
        Conn::Sqlite(_) => {
            replay_state(c, "paused:").await?;
        }
        Conn::Postgres(_) => {
            for table in WATCHED {
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} ENABLE TRIGGER USER"))), execute)?;
            }
            exec!(c, sqlx::query("DELETE FROM read_model_state WHERE key LIKE 'paused:%'"), execute)?;
        }
    }
    Ok(())
}

/// Fills `column` of `table` (the local day of `instant`) where it is
/// missing, one statement per local day.
async fn backfill_local_days(c: &mut Conn<'_>, settings: &Settings, table: &str, column: &str, instant: &str) -> Result<()> {
    let bounds = format!("SELECT MIN({instant}), MAX({instant}) FROM {table} WHERE {column} IS NULL");
    let (first, last): (Option<i64>, Option<i64>) = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(bounds)), fetch_one)?;
    let (Some(first), Some(last)) = (first, last) else { return Ok(()) };
    let fill = format!("UPDATE {table} SET {column} = $1 WHERE {column} IS NULL AND {instant} >= $2 AND {instant} < $3");
    let mut day = settings.local_date(crate::db::from_micros(first)?);
    let last = settings.local_date(crate::db::from_micros(last)?);
    while day <= last {
        let next = day.tomorrow().unwrap_or(day);
        exec!(
            c,
            sqlx::query(sqlx::AssertSqlSafe(fill.as_str()))
                .bind(day.to_string())
                .bind(micros(settings.local_instant(day, 0)))
                .bind(micros(settings.local_instant(next, 0))),
            execute
        )?;
        if next == day {
            break;
        }
        day = next;
    }
    Ok(())
}

/// Fills the local days the read models count by where they are missing:
/// `cases.opened_date`, `cases.first_report_date` and `tasks.created_date`.
async fn backfill_days(c: &mut Conn<'_>, settings: &Settings) -> Result<()> {
    backfill_local_days(c, settings, "cases", "opened_date", "opened_at").await?;
    backfill_local_days(c, settings, "tasks", "created_date", "created_at").await?;
    exec!(
        c,
        sqlx::query(
            "UPDATE cases SET first_report_date = (SELECT MIN(r.report_date) FROM reports r WHERE r.case_id = cases.id) \
             WHERE first_report_date IS NULL"
        ),
        execute
    )?;
    Ok(())
}

impl Store {
    /// Stops maintaining the read models until the next
    /// [`Store::rebuild_read_models`], for a bulk load that writes the base
    /// tables directly. Pages read stale counts in between.
    pub async fn pause_read_models(&self) -> Result<()> {
        self.write(async |tx| pause(&mut tx.conn).await).await
    }

    /// Recomputes every read model from the base tables in one transaction
    /// (building first any index a bulk load set aside, and filling the
    /// cases' opened and first-report days where missing), and maintains
    /// them from then on.
    pub async fn rebuild_read_models(&self) -> Result<()> {
        self.write(async |tx| {
            let c = &mut tx.conn;
            crate::bulk_indexes::restore_in(c).await?;
            pause(c).await?;
            let settings = settings_in(c).await?;
            backfill_days(c, &settings).await?;
            let tables = ["report_counts", "case_counts", "case_curve", "task_counts", "order_counts", "response_counts", "case_totals"];
            if let Conn::Postgres(_) = c {
                // TRUNCATE leaves no dead rows for the unique keys to check
                // against, and sorting the recount in memory fills each
                // table in key order.
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("TRUNCATE {}", tables.join(", ")))), execute)?;
                exec!(c, sqlx::query("SET LOCAL work_mem = '256MB'"), execute)?;
            } else {
                for table in tables {
                    exec!(c, sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))), execute)?;
                }
            }
            for sql in RECOUNT {
                exec!(c, sqlx::query(sqlx::AssertSqlSafe(sql)), execute)?;
            }
            resume(c).await?;
            put_state(c, "built", &jiff::Timestamp::now().to_string()).await?;
            Ok(())
        })
        .await
    }

    /// Builds the read models once on a database written before they
    /// existed (or left paused, or without its indexes, by an interrupted
    /// bulk load).
    pub(crate) async fn build_read_models_if_missing(&self) -> Result<()> {
        let built: Option<String> = self
            .read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT value FROM read_model_state WHERE key = 'built'"), fetch_optional)?))
            .await?;
        let paused: Option<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar("SELECT key FROM read_model_state WHERE key LIKE 'paused:%' OR key LIKE 'index:%' LIMIT 1"),
                    fetch_optional
                )?)
            })
            .await?;
        if built.is_none() || paused.is_some() {
            self.rebuild_read_models().await?;
        }
        Ok(())
    }

    /// Every non-zero row of every read model as a line of text, in key
    /// order: equal before and after [`Store::rebuild_read_models`] when the
    /// triggers kept them right.
    pub async fn read_model_rows(&self) -> Result<Vec<String>> {
        self.read(async |c| {
            let mut rows = Vec::new();
            for sql in SNAPSHOT {
                let part: Vec<String> = exec!(c, sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), fetch_all)?;
                rows.extend(part);
            }
            Ok(rows)
        })
        .await
    }
}
