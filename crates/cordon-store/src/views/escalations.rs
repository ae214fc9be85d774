//! Escalations with the case each leads to (through its task), for the
//! command's escalation list: one query with the task joined, rather than a
//! task read per line.

use cordon_core::escalation::Escalation;
use cordon_core::jurisdiction::NodePath;
use uuid::Uuid;

use crate::db::subtree;
use crate::error::Result;
use crate::escalations::escalation_from;
use crate::paging::Window;
use crate::{Store, exec};

/// An escalation and the case its task is about, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationLine {
    /// The escalation.
    pub escalation: Escalation,
    /// The case of the escalated task (none for a silent unit, or a task
    /// that follows an order).
    pub case_id: Option<Uuid>,
}

type LineRow = (Uuid, String, String, String, Option<Uuid>, Option<String>, Option<Uuid>, i64, Option<Uuid>, Option<Uuid>);

impl Store {
    /// Escalations about places at or below `path`, newest first, each with
    /// its task's case.
    pub async fn escalation_lines_under(&self, path: &NodePath, limit: i64) -> Result<Vec<EscalationLine>> {
        self.escalation_lines_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::escalation_lines_under`].
    pub async fn escalation_lines_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<EscalationLine>> {
        let pattern = subtree(path);
        let rows: Vec<LineRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT e.id, e.kind, e.scope_path, e.subject_path, e.task_id, e.date, e.to_worker_id, e.raised_at, e.directive_id, t.case_id \
                         FROM escalations e LEFT JOIN tasks t ON t.id = e.task_id \
                         WHERE e.subject_path LIKE $1 ESCAPE '\\' ORDER BY e.raised_at DESC, e.id LIMIT $2 OFFSET $3"
                    )
                    .bind(&pattern)
                    .bind(window.bounded_limit())
                    .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|r| {
                let case_id = r.9;
                let escalation = escalation_from((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8))?;
                Ok(EscalationLine { escalation, case_id })
            })
            .collect()
    }
}
