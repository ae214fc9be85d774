//! Cases: reading, listing and classifying.

use cordon_core::case::{self, Case, CaseStatus, Classification, Outcome};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, parse_enum, parse_opt_date, subtree};
use crate::error::{Result, StoreError};
use crate::paging::Window;
use crate::{Store, exec};

pub(crate) const CASE_COLUMNS: &str =
    "id, person_id, unit_id, unit_path, status, outcome, onset_date, definition_code, source_case_id, opened_at, updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    id: Uuid,
    person_id: Uuid,
    unit_id: Uuid,
    unit_path: String,
    status: String,
    outcome: Option<String>,
    onset_date: Option<String>,
    definition_code: String,
    source_case_id: Option<Uuid>,
    opened_at: i64,
    updated_at: i64,
}

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Case> {
        Ok(Case {
            id: r.id,
            person_id: r.person_id,
            unit_id: r.unit_id,
            unit_path: NodePath::from_stored(r.unit_path),
            status: parse_enum("cases.status", &r.status, CaseStatus::parse)?,
            outcome: r.outcome.map(|o| parse_enum("cases.outcome", &o, Outcome::parse)).transpose()?,
            onset_date: parse_opt_date("cases.onset_date", r.onset_date)?,
            definition_code: r.definition_code,
            source_case_id: r.source_case_id,
            opened_at: from_micros(r.opened_at)?,
            updated_at: from_micros(r.updated_at)?,
        })
    }
}

/// A case by id, inside any connection.
pub async fn case_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Case>> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
    let row: Option<CaseRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(Case::try_from).transpose()
}

/// The person's most recent open case (not discarded, no outcome).
pub async fn open_case_of(c: &mut Conn<'_>, person_id: Uuid) -> Result<Option<Case>> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE person_id = $1 AND status <> 'discarded' AND outcome IS NULL ORDER BY opened_at DESC LIMIT 1"
    );
    let row: Option<CaseRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(person_id), fetch_optional)?;
    row.map(Case::try_from).transpose()
}

/// Inserts a new case opened on the local day `opened_date` (kept for the read models).
pub async fn insert_case(c: &mut Conn<'_>, case: &Case, opened_date: jiff::civil::Date) -> Result<()> {
    let sql = format!("INSERT INTO cases ({CASE_COLUMNS}, opened_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
    exec!(
        c,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(case.id)
            .bind(case.person_id)
            .bind(case.unit_id)
            .bind(case.unit_path.as_str())
            .bind(case.status.as_str())
            .bind(case.outcome.map(Outcome::as_str))
            .bind(case.onset_date.map(|d| d.to_string()))
            .bind(&case.definition_code)
            .bind(case.source_case_id)
            .bind(micros(case.opened_at))
            .bind(micros(case.updated_at))
            .bind(opened_date.to_string()),
        execute
    )?;
    Ok(())
}

/// Writes a case's changeable fields.
pub async fn update_case(c: &mut Conn<'_>, case: &Case) -> Result<()> {
    exec!(
        c,
        sqlx::query("UPDATE cases SET status = $1, outcome = $2, onset_date = $3, updated_at = $4, source_case_id = $5 WHERE id = $6")
            .bind(case.status.as_str())
            .bind(case.outcome.map(Outcome::as_str))
            .bind(case.onset_date.map(|d| d.to_string()))
            .bind(micros(case.updated_at))
            .bind(case.source_case_id)
            .bind(case.id),
        execute
    )?;
    Ok(())
}

impl Store {
    /// A case by id.
    pub async fn case(&self, id: Uuid) -> Result<Option<Case>> {
        self.read(async |c| case_by_id(c, id).await).await
    }

    /// Cases at or below `path`, newest first, optionally of one status.
    pub async fn cases_under(&self, path: &NodePath, status: Option<CaseStatus>, limit: i64) -> Result<Vec<Case>> {
        self.cases_in_window(path, status, Window::first(limit)).await
    }

    /// One window of [`Store::cases_under`].
    pub async fn cases_in_window(&self, path: &NodePath, status: Option<CaseStatus>, window: Window) -> Result<Vec<Case>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE unit_path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR status = $2) ORDER BY opened_at DESC, id LIMIT $3 OFFSET $4"
        );
        let pattern = subtree(path);
        let rows: Vec<CaseRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str()))
                        .bind(&pattern)
                        .bind(status.map(CaseStatus::as_str))
                        .bind(window.bounded_limit())
                        .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(Case::try_from).collect()
    }

    /// `user` reclassifies the case `id` (or records its outcome), in one
    /// transaction: the case is loaded and [`case::classify_by`] decides.
    pub async fn classify_case(&self, user: &User, id: Uuid, change: Classification, now: Timestamp) -> Result<Case> {
        self.write(async |tx| {
            let before = case_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::Case, id))?;
            let after = case::classify_by(user, &before, change, now)?;
            update_case(&mut tx.conn, &after).await?;
            tx.audit(now, Some(user.id), "case.classify", id, Some(&before), Some(&after)).await?;
            tx.emit(Event::new(EventKind::CaseClassified, &after.unit_path, id, now, &after)).await?;
            Ok(after)
        })
        .await
    }
}
