//! Read-only counts for the command's pages: the live board's totals, the
//! epidemic curve (reports and cases by day and case status) and the 7-day
//! report counts of a node's children for the map.
//!
//! Every count is read from the read models (`report_counts`, `case_curve`,
//! `case_counts`, `task_counts`; see [`crate::read_models`]): one row per node,
//! day and status, never a scan of the reports or cases beneath; days are
//! stored `YYYY-MM-DD`, so they compare and sort as text on both backends.

use cordon_core::case::CaseStatus;
use cordon_core::jurisdiction::{Node, NodePath};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::db::{micros, parse_date, parse_enum, subtree};
use crate::error::Result;
use crate::{Store, exec};

/// Counts of reports or cases for one day and one case status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// The day.
    pub date: Date,
    /// The case status; `None` for reports that did not meet a case definition.
    pub status: Option<CaseStatus>,
    /// How many.
    pub count: i64,
}

/// The numbers at the top of the command board for a subtree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardCounts {
    /// Symptom reports received on the given day.
    pub reports_today: i64,
    /// Tasks not yet done (assigned, acknowledged, overdue or escalated).
    pub open_tasks: i64,
    /// Open tasks whose acknowledgement deadline has passed.
    pub overdue_tasks: i64,
    /// Escalations raised since the given instant.
    pub recent_escalations: i64,
    /// Cases by classification, every status listed (zero when none).
    pub cases_by_status: Vec<(CaseStatus, i64)>,
}

/// Reports over a window for one child node, for the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildReports {
    /// The child node.
    pub node: Node,
    /// Symptom reports with a report day in the window, in the child's subtree.
    pub reports: i64,
}

type StatusCount = (String, Option<String>, i64);

impl Store {
    /// The rows of `sql` (day, case status, count; `$1` the node's path,
    /// `$2` and `$3` the first and last day) as day counts, the days read
    /// from `column`.
    async fn day_counts(
        &self,
        sql: &'static str,
        path: &NodePath,
        (from, to): (Date, Date),
        column: &'static str,
    ) -> Result<Vec<DayCount>> {
        let rows: Vec<StatusCount> = self
            .read(async |c| Ok(exec!(c, sqlx::query_as(sql).bind(path.as_str()).bind(from.to_string()).bind(to.to_string()), fetch_all)?))
            .await?;
        rows.into_iter()
            .map(|(day, status, count)| {
                let status = status.map(|s| parse_enum("cases.status", &s, CaseStatus::parse)).transpose()?;
                Ok(DayCount { date: parse_date(column, &day)?, status, count })
            })
            .collect()
    }

    /// Symptom reports at or below `path` by report day (`from..=to`) and by
    /// the status of the case each report opened or joined (`None`: no case).
    pub async fn reports_by_day(&self, path: &NodePath, from: Date, to: Date) -> Result<Vec<DayCount>> {
        self.day_counts(
            "SELECT day, NULLIF(case_status, ''), count FROM report_counts \
             WHERE node_path = $1 AND day >= $2 AND day <= $3 AND count <> 0 ORDER BY day, case_status",
            path,
            (from, to),
            "reports.report_date",
        )
        .await
    }

    /// Cases at or below `path` by day of onset (the day of the case's first
    /// report when the onset is unknown), `from..=to`, and by status.
    pub async fn cases_by_day(&self, path: &NodePath, from: Date, to: Date) -> Result<Vec<DayCount>> {
        self.day_counts(
            "SELECT day, status, count FROM case_curve \
             WHERE node_path = $1 AND day >= $2 AND day <= $3 AND count <> 0 ORDER BY day, status",
            path,
            (from, to),
            "cases.onset_date",
        )
        .await
    }

    /// For every child of `parent`: the symptom reports in its subtree with a
    /// report day in `from..=to`, children in code order.
    pub async fn child_reports(&self, parent: Uuid, from: Date, to: Date) -> Result<Vec<ChildReports>> {
        let rows: Vec<(Uuid, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT n.id, CAST(COALESCE(SUM(rc.count), 0) AS BIGINT) FROM nodes n LEFT JOIN report_counts rc \
                           ON rc.node_path = n.path AND rc.day >= $2 AND rc.day <= $3 \
                         WHERE n.parent_id = $1 GROUP BY n.id"
                    )
                    .bind(parent)
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        let counts: std::collections::HashMap<Uuid, i64> = rows.into_iter().collect();
        let children = self.children(parent).await?;
        Ok(children
            .into_iter()
            .map(|node| {
                let reports = counts.get(&node.id).copied().unwrap_or(0);
                ChildReports { node, reports }
            })
            .collect())
    }

    /// The board's totals for the subtree at `path`: reports on `today`, open
    /// and overdue tasks at `now`, escalations raised since `since`, cases by
    /// status.
    pub async fn board_counts(&self, path: &NodePath, today: Date, now: Timestamp, since: Timestamp) -> Result<BoardCounts> {
        let pattern = subtree(path);
        self.read(async |c| {
            let reports_today: i64 = exec!(
                c,
                sqlx::query_scalar("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM report_counts WHERE node_path = $1 AND day = $2")
                    .bind(path.as_str())
                    .bind(today.to_string()),
                fetch_one
            )?;
            let (open_tasks, marked_overdue): (i64, i64) = exec!(
                c,
                sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(CASE WHEN status <> 'done' THEN count ELSE 0 END), 0) AS BIGINT), \
                            CAST(COALESCE(SUM(CASE WHEN status = 'overdue' THEN count ELSE 0 END), 0) AS BIGINT) \
                       FROM task_counts WHERE node_path = $1"
                )
                .bind(path.as_str()),
                fetch_one
            )?;
            // Past their deadline but not yet marked by the jobs: few, found by the (status, deadline) index.
            let unmarked_overdue: i64 = exec!(
                c,
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM tasks WHERE status IN ('assigned', 'escalated') AND deadline <= $2 \
                     AND subject_path LIKE $1 ESCAPE '\\'"
                )
                .bind(&pattern)
                .bind(micros(now)),
                fetch_one
            )?;
            let overdue_tasks = marked_overdue + unmarked_overdue;
            let recent_escalations: i64 = exec!(
                c,
                sqlx::query_scalar("SELECT COUNT(*) FROM escalations WHERE subject_path LIKE $1 ESCAPE '\\' AND raised_at >= $2")
                    .bind(&pattern)
                    .bind(micros(since)),
                fetch_one
            )?;
            let by_status: Vec<(String, i64)> = exec!(
                c,
                sqlx::query_as("SELECT status, CAST(SUM(cases) AS BIGINT) FROM case_counts WHERE node_path = $1 GROUP BY status")
                    .bind(path.as_str()),
                fetch_all
            )?;
            let mut cases_by_status: Vec<(CaseStatus, i64)> = CaseStatus::ALL.iter().map(|s| (*s, 0)).collect();
            for (status, count) in by_status {
                let status = parse_enum("cases.status", &status, CaseStatus::parse)?;
                if let Some(slot) = cases_by_status.iter_mut().find(|(s, _)| *s == status) {
                    slot.1 = count;
                }
            }
            Ok(BoardCounts { reports_today, open_tasks, overdue_tasks, recent_escalations, cases_by_status })
        })
        .await
    }
}
