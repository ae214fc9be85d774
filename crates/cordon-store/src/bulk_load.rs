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
use uuid::Uuid;

use crate::Store;
use crate::db::{Conn, micros};
use crate::error::Result;

/// Values per multi-row insert on SQLite.
const SQLITE_VALUES_PER_STATEMENT: usize = 600;

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
    /// The local day it was assigned.
    pub created_date: Date,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// Whether that was before the deadline.
    pub acknowledged_in_time: Option<bool>,
    /// When the worker was first there.
    pub visited_at: Option<Timestamp>,
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

/// One value of a generated row, as both backends store it.
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    Id(Uuid),
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Null, Into::into)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Cell {
        Cell::Text(value)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(value)
    }
}

impl From<f64> for Cell {
    fn from(value: f64) -> Cell {
        Cell::Real(value)
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Cell {
        Cell::Bool(value)
    }
}

impl From<Uuid> for Cell {
    fn from(value: Uuid) -> Cell {
        Cell::Id(value)
    }
}

impl From<Timestamp> for Cell {
    fn from(value: Timestamp) -> Cell {
        Cell::Int(micros(value))
    }
}

impl From<Date> for Cell {
    fn from(value: Date) -> Cell {
        Cell::Text(value.to_string())
    }
}

/// A generated row of one table: the table, its columns and its values in
/// their order.
trait BulkRow {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    fn cells(&self) -> Vec<Cell>;
}

impl BulkRow for BulkPerson {
    const TABLE: &'static str = "persons";
    const COLUMNS: &'static [&'static str] = &["id", "full_name", "name_key", "sex", "birth_year", "unit_id", "unit_path", "created_at"];
    fn cells(&self) -> Vec<Cell> {
        let name_key = cordon_core::person::name_key(&self.full_name);
        vec![
            self.id.into(),
            self.full_name.as_str().into(),
            name_key.into(),
            self.sex.as_str().into(),
            self.birth_year.into(),
            self.unit_id.into(),
            self.unit_path.as_str().into(),
            self.created_at.into(),
        ]
    }
}

impl BulkRow for BulkCase {
    const TABLE: &'static str = "cases";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "unit_id",
        "unit_path",
        "status",
        "outcome",
        "onset_date",
        "definition_code",
        "opened_at",
        "updated_at",
        "opened_date",
        "first_report_date",
    ];
    fn cells(&self) -> Vec<Cell> {
        let k = &self.case;
        vec![
            k.id.into(),
            k.person_id.into(),
            k.unit_id.into(),
            k.unit_path.as_str().into(),
            k.status.as_str().into(),
            k.outcome.map(Outcome::as_str).into(),
            k.onset_date.into(),
            k.definition_code.as_str().into(),
            k.opened_at.into(),
            k.updated_at.into(),
            self.opened_date.into(),
            self.first_report_date.into(),
        ]
    }
}

impl BulkRow for BulkReport {
    const TABLE: &'static str = "reports";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "unit_id",
        "unit_path",
        "reporter_id",
        "symptoms",
        "temperature_c",
        "onset_date",
        "received_at",
        "report_date",
        "case_id",
    ];
    fn cells(&self) -> Vec<Cell> {
        let r = &self.report;
        let symptoms = serde_json::to_string(&r.symptoms).unwrap_or_else(|_| "[]".to_owned());
        vec![
            r.id.into(),
            r.person_id.into(),
            r.unit_id.into(),
            r.unit_path.as_str().into(),
            r.reporter_id.into(),
            symptoms.into(),
            r.temperature_c.into(),
            r.onset_date.into(),
            r.received_at.into(),
            self.report_date.into(),
            r.case_id.into(),
        ]
    }
}

impl BulkRow for BulkTask {
    const TABLE: &'static str = "tasks";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "kind",
        "case_id",
        "person_id",
        "subject_path",
        "area_path",
        "assignee_id",
        "status",
        "deadline",
        "escalations",
        "created_at",
        "updated_at",
        "created_date",
        "acknowledged_at",
        "acknowledged_in_time",
        "visited_at",
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            self.id.into(),
            "investigation".into(),
            self.case_id.into(),
            self.person_id.into(),
            self.subject_path.as_str().into(),
            self.area_path.as_str().into(),
            self.assignee_id.into(),
            self.status.as_str().into(),
            self.deadline.into(),
            0_i64.into(),
            self.created_at.into(),
            self.created_at.into(),
            self.created_date.into(),
            self.acknowledged_at.into(),
            self.acknowledged_in_time.into(),
            self.visited_at.into(),
        ]
    }
}

/// `INSERT INTO table (columns) VALUES ($1, ...), ...` for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
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

/// Appends `text` to a `COPY ... FROM STDIN` text-format line, its
/// backslashes, tabs and line breaks escaped.
fn copy_text(line: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '\\' => line.push_str("\\\\"),
            '\t' => line.push_str("\\t"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            other => line.push(other),
        }
    }
}

/// `rows` in PostgreSQL's `COPY` text format: tab-separated, `\N` for null.
fn copy_lines<R: BulkRow>(rows: &[R]) -> String {
    let mut out = String::with_capacity(rows.len() * 160);
    for row in rows {
        for (i, cell) in row.cells().into_iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match cell {
                Cell::Null => out.push_str("\\N"),
                Cell::Text(t) => copy_text(&mut out, &t),
                Cell::Int(n) => {
                    let _ = write!(out, "{n}");
                }
                Cell::Real(x) => {
                    let _ = write!(out, "{x}");
                }
                Cell::Bool(b) => out.push_str(if b { "t" } else { "f" }),
                Cell::Id(id) => {
                    let _ = write!(out, "{id}");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Writes `rows`: PostgreSQL by `COPY ... FROM STDIN`; SQLite by multi-row
/// inserts of a few hundred values each (sqlx looks each `$N` up by name,
/// which costs in proportion to the values of the statement, so larger
/// statements are slower per row).
async fn insert_rows<R: BulkRow>(c: &mut Conn<'_>, rows: &[R]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match c {
        Conn::Postgres(pg) => {
            let statement = format!("COPY {} ({}) FROM STDIN", R::TABLE, R::COLUMNS.join(", "));
            let mut copy = pg.copy_in_raw(&statement).await?;
            copy.send(copy_lines(rows).into_bytes()).await?;
            copy.finish().await?;
        }
        Conn::Sqlite(lite) => {
            let per_statement = (SQLITE_VALUES_PER_STATEMENT / R::COLUMNS.len()).max(1);
            for chunk in rows.chunks(per_statement) {
                let sql = insert_sql(R::TABLE, R::COLUMNS, chunk.len());
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for cell in chunk.iter().flat_map(BulkRow::cells) {
                    q = match cell {
                        Cell::Null => q.bind(None::<i64>),
                        Cell::Text(t) => q.bind(t),
                        Cell::Int(n) => q.bind(n),
                        Cell::Real(x) => q.bind(x),
                        Cell::Bool(b) => q.bind(b),
                        Cell::Id(id) => q.bind(id),
                    };
                }
                q.execute(&mut **lite).await?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Inserts one batch of generated rows in one transaction, parents
    /// first. Pause the read models first and rebuild them after the last
    /// batch.
    pub async fn load_bulk(&self, batch: &BulkBatch) -> Result<()> {
        self.write(async |tx| {
            insert_rows(&mut tx.conn, &batch.persons).await?;
            insert_rows(&mut tx.conn, &batch.cases).await?;
            insert_rows(&mut tx.conn, &batch.reports).await?;
            insert_rows(&mut tx.conn, &batch.tasks).await
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::{copy_text, insert_sql};

    #[test]
    fn copy_text_escapes_what_the_format_reserves() {
        let mut line = String::new();
        copy_text(&mut line, "a\tb\\c\nd\re \\N");
        assert_eq!(line, "a\\tb\\\\c\\nd\\re \\\\N");
    }

    #[test]
    fn a_multi_row_insert_numbers_every_value() {
        assert_eq!(insert_sql("t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
