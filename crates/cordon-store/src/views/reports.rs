//! Reports with where each stands, for the reporter's list, the command's
//! board and `GET /reports`: one query joins each report to its case and
//! that case's first investigation task; the core's [`ReportStatus::of`]
//! says what they mean.

use std::collections::HashMap;

use cordon_core::case::{CaseStatus, still_open};
use cordon_core::jurisdiction::NodePath;
use cordon_core::report::{Report, ReportStatus};
use cordon_core::task::TaskStatus;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{distinct, placeholders, rows_for};

use crate::db::{parse_enum, subtree};
use crate::error::Result;
use crate::paging::Window;
use crate::reports::{REPORT_COLUMNS, ReportRow, ReportWithStatus};
use crate::{Store, exec};

#[derive(sqlx::FromRow)]
struct StandingRow {
    #[sqlx(flatten)]
    report: ReportRow,
    case_status: Option<String>,
    case_outcome: Option<String>,
    investigation: Option<String>,
}

impl StandingRow {
    fn into_report(self) -> Result<ReportWithStatus> {
        let case_status = self.case_status.as_deref().map(|s| parse_enum("cases.status", s, CaseStatus::parse)).transpose()?;
        let investigation = self.investigation.as_deref().map(|s| parse_enum("tasks.status", s, TaskStatus::parse)).transpose()?;
        let has_outcome = self.case_outcome.is_some();
        let report = Report::try_from(self.report)?;
        // A report that names a case whose row is gone counts as open, as before.
        let case_open = report.case_id.map(|_| case_status.is_none_or(|s| still_open(s, has_outcome)));
        Ok(ReportWithStatus { status: ReportStatus::of(case_open, investigation), report })
    }
}

/// The case a report opened or joined, as a list of arrivals shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCase {
    /// The case.
    pub case_id: Uuid,
    /// Its status.
    pub status: CaseStatus,
}

impl Store {
    /// The case of each report among `report_ids` that has one, by report,
    /// in one query.
    pub async fn cases_of_reports(&self, report_ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, ReportCase>> {
        let ids = distinct(report_ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT r.id, c.id, c.status FROM reports r JOIN cases c ON c.id = r.case_id WHERE r.id IN ({})",
            placeholders(1, ids.len())
        );
        let rows: Vec<(Uuid, Uuid, String)> = rows_for(self, &sql, &ids).await?;
        rows.into_iter()
            .map(|(report, case_id, status)| {
                Ok((report, ReportCase { case_id, status: parse_enum("cases.status", &status, CaseStatus::parse)? }))
            })
            .collect()
    }

    /// Reports from places at or below `path`, newest first, with their
    /// status: one query, whatever the number of reports.
    pub async fn reports_under(&self, path: &NodePath, limit: i64) -> Result<Vec<ReportWithStatus>> {
        self.reports_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::reports_under`].
    pub async fn reports_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<ReportWithStatus>> {
        let columns = REPORT_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {columns}, c.status AS case_status, c.outcome AS case_outcome, \
             (SELECT t.status FROM tasks t WHERE t.case_id = r.case_id AND t.kind = 'investigation' \
              ORDER BY t.created_at LIMIT 1) AS investigation \
             FROM reports r LEFT JOIN cases c ON c.id = r.case_id \
             WHERE r.unit_path LIKE $1 ESCAPE '\\' ORDER BY r.received_at DESC, r.id LIMIT $2 OFFSET $3"
        );
        let pattern = subtree(path);
        let rows: Vec<StandingRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(window.bounded_limit()).bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(StandingRow::into_report).collect()
    }
}
