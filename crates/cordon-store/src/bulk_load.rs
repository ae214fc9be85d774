//! The bulk path for generated national databases (`cordon bench data`):
//! residents, cases, reports and their investigation tasks written as
//! multi-row inserts, thousands of rows per statement, one transaction per
//! batch, without audit records or events (nothing happened: the rows are
//! made up to measure the pages).
//!
//! The read-model triggers are paused for the load
//! ([`Store::pause_read_models`]) and the counts rebuilt after it
//! ([`Store::rebuild_read_models`]), which is much faster than one upsert
//! per ancestor and row.

use std::fmt::Write as _;

use cordon_core::case::{Case, Outcome};
use cordon_core::person::Sex;
use cordon_core::report::Report;
use cordon_core::task::TaskStatus;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::{Conn, micros};
use crate::error::Result;
use crate::{Store, exec};

/// Rows per multi-row statement (under SQLite's 32,766 bound parameters).
const ROWS_PER_STATEMENT: usize = 1_000;

/// A resident to insert.
#[derive(Debug, Clone)]
pub struct BulkPerson {
    /// Identifier.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i64,
    /// The unit they live in.
    pub unit_id: Uuid,
    /// The unit's path.
    pub unit_path: String,
    /// When they were registered.
    pub created_at: Timestamp,
}

/// A case to insert, with the local day it was opened and the day of its first report.
#[derive(Debug, Clone)]
pub struct BulkCase {
    /// The case.
    pub case: Case,
    /// The local day it was opened.
    pub opened_date: Date,
    /// The day of its first report.
    pub first_report_date: Date,
}

/// A report to insert, with its local report day.
#[derive(Debug, Clone)]
pub struct BulkReport {
    /// The report.
    pub report: Report,
    /// The local day it was received.
    pub report_date: Date,
}

/// An investigation task to insert.
#[derive(Debug, Clone)]
pub struct BulkTask {
    /// Identifier.
    pub id: Uuid,
    /// The case investigated.
    pub case_id: Uuid,
    /// The case's person.
    pub person_id: Uuid,
    /// The case's unit path.
    pub subject_path: String,
    /// The area of the worker.
    pub area_path: String,
    /// The worker.
    pub assignee_id: Option<Uuid>,
    /// Where it stands.
    pub status: TaskStatus,
    /// The acknowledgement deadline.
    pub deadline: Timestamp,
    /// When it was assigned (and last changed).
    pub created_at: Timestamp,
}

/// One transaction's worth of generated rows.
#[derive(Debug, Clone, Default)]
pub struct BulkBatch {
    /// Residents.
    pub persons: Vec<BulkPerson>,
    /// Cases (of those residents).
    pub cases: Vec<BulkCase>,
    /// Reports (of those residents, some joining those cases).
    pub reports: Vec<BulkReport>,
    /// Investigation tasks (of those cases).
    pub tasks: Vec<BulkTask>,
}

/// `INSERT INTO table (columns) VALUES ($1, ...), ...` for `rows` rows.
fn insert_sql(table: &str, columns: &str, rows: usize) -> String {
    let width = columns.split(',').count();
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..width {
            if col > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "${}", row * width + col + 1);
        }
        sql.push(')');
    }
    sql
}

async fn insert_persons(c: &mut Conn<'_>, rows: &[BulkPerson]) -> Result<()> {
    let columns = "id, full_name, name_key, sex, birth_year, unit_id, unit_path, created_at";
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql("persons", columns, chunk.len());
        exec!(
            c,
            {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for p in chunk {
                    q = q.bind(p.id).bind(&p.full_name).bind(cordon_core::person::name_key(&p.full_name)).bind(p.sex.as_str());
                    q = q.bind(p.birth_year).bind(p.unit_id).bind(&p.unit_path).bind(micros(p.created_at));
                }
                q
            },
            execute
        )?;
    }
    Ok(())
}

async fn insert_cases(c: &mut Conn<'_>, rows: &[BulkCase]) -> Result<()> {
    let columns = "id, person_id, unit_id, unit_path, status, outcome, onset_date, definition_code, opened_at, updated_at, \
                   opened_date, first_report_date";
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql("cases", columns, chunk.len());
        exec!(
            c,
            {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for b in chunk {
                    let k = &b.case;
                    q = q.bind(k.id).bind(k.person_id).bind(k.unit_id).bind(k.unit_path.as_str()).bind(k.status.as_str());
                    q = q.bind(k.outcome.map(Outcome::as_str)).bind(k.onset_date.map(|d| d.to_string())).bind(&k.definition_code);
                    q = q.bind(micros(k.opened_at)).bind(micros(k.updated_at));
                    q = q.bind(b.opened_date.to_string()).bind(b.first_report_date.to_string());
                }
                q
            },
            execute
        )?;
    }
    Ok(())
}

async fn insert_reports(c: &mut Conn<'_>, rows: &[BulkReport]) -> Result<()> {
    let columns = "id, person_id, unit_id, unit_path, reporter_id, symptoms, temperature_c, onset_date, received_at, report_date, case_id";
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql("reports", columns, chunk.len());
        exec!(
            c,
            {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for b in chunk {
                    let r = &b.report;
                    q = q.bind(r.id).bind(r.person_id).bind(r.unit_id).bind(r.unit_path.as_str()).bind(r.reporter_id);
                    q = q.bind(Json(&r.symptoms)).bind(r.temperature_c).bind(r.onset_date.map(|d| d.to_string()));
                    q = q.bind(micros(r.received_at)).bind(b.report_date.to_string()).bind(r.case_id);
                }
                q
            },
            execute
        )?;
    }
    Ok(())
}

async fn insert_tasks(c: &mut Conn<'_>, rows: &[BulkTask]) -> Result<()> {
    let columns =
        "id, kind, case_id, person_id, subject_path, area_path, assignee_id, status, deadline, escalations, created_at, updated_at";
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql("tasks", columns, chunk.len());
        exec!(
            c,
            {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for t in chunk {
                    q = q.bind(t.id).bind("investigation").bind(t.case_id).bind(t.person_id).bind(&t.subject_path);
                    q = q.bind(&t.area_path).bind(t.assignee_id).bind(t.status.as_str()).bind(micros(t.deadline)).bind(0_i64);
                    q = q.bind(micros(t.created_at)).bind(micros(t.created_at));
                }
                q
            },
            execute
        )?;
    }
    Ok(())
}

impl Store {
    /// Inserts one batch of generated rows in one transaction, parents
    /// first. Pause the read models first and rebuild them after the last
    /// batch.
    pub async fn load_bulk(&self, batch: &BulkBatch) -> Result<()> {
        self.write(async |tx| {
            insert_persons(&mut tx.conn, &batch.persons).await?;
            insert_cases(&mut tx.conn, &batch.cases).await?;
            insert_reports(&mut tx.conn, &batch.reports).await?;
            insert_tasks(&mut tx.conn, &batch.tasks).await
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::insert_sql;

    #[test]
    fn a_multi_row_insert_numbers_every_value() {
        assert_eq!(insert_sql("t", "a, b", 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
