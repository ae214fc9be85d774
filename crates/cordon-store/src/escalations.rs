//! Escalations: reading them for the command, writing them for the jobs.

use cordon_core::escalation::{Escalation, EscalationKind, scope_above};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, parse_enum, parse_opt_date};
use crate::error::Result;
use crate::paging::Window;
use crate::rosters::on_call_in;
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

/// What a unit is escalated for: the kind, and the day or the directive.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitEscalation {
    /// Why.
    pub kind: EscalationKind,
    /// The day, for a silent unit.
    pub date: Option<jiff::civil::Date>,
    /// The directive, for one not acknowledged.
    pub directive_id: Option<Uuid>,
}

impl Store {
    /// Escalates the unit at `unit` to the level above it, passed to whoever
    /// is on call there (or above), in one transaction; `None` when it was
    /// already escalated for the same reason.
    pub(crate) async fn escalate_unit(&self, unit: &NodePath, about: UnitEscalation, now: Timestamp) -> Result<Option<Escalation>> {
        self.write(async |tx| {
            let scope = scope_above(unit);
            let next = on_call_in(&mut tx.conn, &scope.self_and_ancestors(), now).await?;
            let e = Escalation {
                id: Uuid::now_v7(),
                kind: about.kind,
                scope_path: next.as_ref().map(|o| o.area_path.clone()).unwrap_or(scope),
                subject_path: unit.clone(),
                task_id: None,
                date: about.date,
                directive_id: about.directive_id,
                to_worker_id: next.map(|o| o.worker_id),
                raised_at: now,
            };
            Ok(record_escalation(tx, &e, now).await?.then_some(e))
        })
        .await
    }
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
        self.escalations_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::escalations_under`].
    pub async fn escalations_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<Escalation>> {
        Ok(self.escalation_lines_in_window(path, window).await?.into_iter().map(|line| line.escalation).collect())
    }
}
