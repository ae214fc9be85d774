//! Escalations: reading them for the command, writing them for the jobs.

use cordon_core::escalation::{Escalation, EscalationKind};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, parse_enum, parse_opt_date};
use crate::error::Result;
use crate::{Store, Tx, exec};

pub(crate) type EscalationRow = (Uuid, String, String, String, Option<Uuid>, Option<String>, Option<Uuid>, i64, Option<Uuid>);

pub(crate) fn escalation_from(r: EscalationRow) -> Result<Escalation> {
    Ok(Escalation {
        id: r.0,
        kind: parse_enum("escalations.kind", &r.1, EscalationKind::parse)?,
        scope_path: NodePath::from_stored(r.2),
        subject_path: NodePath::from_stored(r.3),
        task_id: r.4,
        date: parse_opt_date("escalations.date", r.5)?,
        to_worker_id: r.6,
        raised_at: from_micros(r.7)?,
        directive_id: r.8,
    })
}

/// Stores an escalation with its audit record and event.
pub(crate) async fn record_escalation(tx: &mut Tx<'_>, e: &Escalation, now: Timestamp) -> Result<bool> {
    if !insert_escalation(&mut tx.conn, e).await? {
        return Ok(false);
    }
    tx.audit(now, None, "escalation.raise", e.id, None::<&()>, Some(e)).await?;
    tx.emit(Event::new(EventKind::Escalated, &e.subject_path, e.id, now, e)).await?;
    Ok(true)
}

/// Inserts an escalation; returns false when it already existed (a unit is
/// escalated as silent at most once a day).
pub async fn insert_escalation(c: &mut Conn<'_>, e: &Escalation) -> Result<bool> {
    let inserted: Option<Uuid> = exec!(
        c,
        sqlx::query_scalar(
            "INSERT INTO escalations (id, kind, scope_path, subject_path, task_id, date, to_worker_id, raised_at, directive_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT DO NOTHING RETURNING id"
        )
        .bind(e.id)
        .bind(e.kind.as_str())
        .bind(e.scope_path.as_str())
        .bind(e.subject_path.as_str())
        .bind(e.task_id)
        .bind(e.date.map(|d| d.to_string()))
        .bind(e.to_worker_id)
        .bind(micros(e.raised_at))
        .bind(e.directive_id),
        fetch_optional
    )?;
    Ok(inserted.is_some())
}

impl Store {
    /// Escalations about places at or below `path`, newest first (the lines
    /// of [`Store::escalation_lines_under`] without their cases).
    pub async fn escalations_under(&self, path: &NodePath, limit: i64) -> Result<Vec<Escalation>> {
        Ok(self.escalation_lines_under(path, limit).await?.into_iter().map(|line| line.escalation).collect())
    }
}
