//! Daily follow-up of orders in force: one visit task a day for the worker on
//! call for the order's area, the visit record, and symptoms at a visit turned
//! into a report that runs through the case definition like any other.

use cordon_core::event::{Event, EventKind};
use cordon_core::order::Order;
use cordon_core::refusal::Record;
use cordon_core::report::ReportDraft;
use cordon_core::task::{self, Subject, Task, TaskKind, TaskStatus};
use cordon_core::user::User;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cases::update_case;
use crate::config::settings_in;
use crate::db::micros;
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_id;
use crate::orders::{convert_in, order_by_id};
use crate::persons::person_by_id;
use crate::reports::{Intake, intake_in};
use crate::rosters::on_call_in;
use crate::tasks::{insert_task, task_by_id, update_task};
use crate::{Store, exec};

pub use cordon_core::visit::VisitInput;
use cordon_core::visit::{self, Visited};

/// What recording a visit did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct VisitOutcome {
    /// The completed task.
    pub task: Task,
    /// The report the symptoms produced, with its case and task.
    pub intake: Option<Intake>,
    /// The order, converted if the person became a case.
    pub order: Order,
}

impl Store {
    /// Creates today's follow-up task for every order in force that has none
    /// yet. Returns the new tasks.
    pub async fn create_due_follow_ups(&self, now: Timestamp) -> Result<Vec<Task>> {
        let settings = self.settings().await?;
        let today = settings.local_date(now);
        let due: Vec<Uuid> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT o.id FROM orders o WHERE o.status IN ('active', 'extended') AND o.starts_on < $1 AND o.ends_on >= $1 \
                         AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = o.id AND t.due_on = $1) ORDER BY o.id LIMIT 20000"
                    )
                    .bind(today.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        let due_at = settings.local_instant(today, settings.follow_up_due_hour);
        let deadline = if due_at > now { due_at.duration_since(now) } else { settings.escalation_deadline() };
        let mut created = Vec::new();
        for id in due {
            let task = self
                .write(async |tx| {
                    let Some(order) = order_by_id(&mut tx.conn, id).await? else { return Ok(None) };
                    let exists: Option<Uuid> = exec!(
                        &mut tx.conn,
                        sqlx::query_scalar("SELECT id FROM tasks WHERE order_id = $1 AND due_on = $2").bind(id).bind(today.to_string()),
                        fetch_optional
                    )?;
                    if exists.is_some() || !order.status.in_force() {
                        return Ok(None);
                    }
                    let on_call = on_call_in(&mut tx.conn, &order.area_path.self_and_ancestors(), now).await?;
                    let subject = Subject {
                        kind: TaskKind::FollowUp,
                        case_id: order.case_id,
                        order_id: Some(order.id),
                        due_on: Some(today),
                        person_id: order.person_id,
                        path: order.area_path.clone(),
                    };
                    let t = task::assign(Uuid::now_v7(), subject, on_call.as_ref(), deadline.max(SignedDuration::from_mins(1)), now);
                    insert_task(&mut tx.conn, &t, today).await?;
                    tx.audit(now, None, "task.assign", t.id, None::<&()>, Some(&t)).await?;
                    tx.emit(Event::new(EventKind::TaskAssigned, &t.subject_path, t.id, now, &t)).await?;
                    Ok(Some(t))
                })
                .await?;
            created.extend(task);
        }
        Ok(created)
    }

    /// The assigned worker records a follow-up visit; it completes the task.
    /// The task is loaded in the transaction and [`visit::record_by`]
    /// decides. Symptoms or fever become a report filed by the worker; if
    /// that opens a case, the quarantine converts and the new case is linked
    /// to its source.
    pub async fn record_visit(&self, worker: &User, task_id: Uuid, visit: &VisitInput, now: Timestamp) -> Result<VisitOutcome> {
        self.write(async |tx| {
            let before = task_by_id(&mut tx.conn, task_id).await?.ok_or_else(|| StoreError::not_found(Record::Task, task_id))?;
            let Visited { order_id, done, note } = visit::record_by(worker, &before, visit, now)?;
            update_task(&mut tx.conn, &done).await?;
            tx.audit(now, Some(worker.id), "task.complete", task_id, Some(&before), Some(&done)).await?;
            tx.emit(Event::new(EventKind::TaskCompleted, &done.subject_path, task_id, now, &done)).await?;

            let mut order = order_by_id(&mut tx.conn, order_id).await?.ok_or_else(|| StoreError::not_found(Record::Order, order_id))?;
            let feverish = visit.temperature_c.is_some_and(|t| t >= 37.5);
            let mut intake = None;
            let mut report_id = None;
            if visit.seen && (feverish || !visit.symptoms.is_empty()) {
                let person = person_by_id(&mut tx.conn, order.person_id).await?.ok_or_else(|| StoreError::not_found(Record::Person, order.person_id))?;
                let unit = node_by_id(&mut tx.conn, person.unit_id).await?.ok_or_else(|| StoreError::not_found(Record::Jurisdiction, person.unit_id))?;
                let today = settings_in(&mut tx.conn).await?.local_date(now);
                let mut symptoms = visit.symptoms.clone();
                symptoms.sort();
                symptoms.dedup();
                let draft = ReportDraft { id: Uuid::now_v7(), person_id: person.id, symptoms, temperature_c: visit.temperature_c, onset_date: Some(today), note: Some("found at a follow-up visit".into()) };
                let filed = intake_in(tx, worker, &draft, &unit, now).await?;
                report_id = Some(filed.report.id);
                if let (Some(case), Some(source)) = (&filed.case, order.case_id) {
                    if filed.task.is_some() && case.source_case_id.is_none() && case.id != source {
                        let mut linked = case.clone();
                        linked.source_case_id = Some(source);
                        update_case(&mut tx.conn, &linked).await?;
                        tx.audit(now, Some(worker.id), "case.link_source", case.id, Some(case), Some(&linked)).await?;
                        exec!(&mut tx.conn, sqlx::query("UPDATE contacts SET became_case_id = $1 WHERE person_id = $2 AND case_id = $3").bind(case.id).bind(person.id).bind(source), execute)?;
                    }
                    if let Some(converted) = convert_in(tx, Some(worker.id), person.id, now).await? {
                        order = converted;
                    }
                }
                intake = Some(filed);
            }
            exec!(
                &mut tx.conn,
                sqlx::query("INSERT INTO visits (task_id, order_id, seen, temperature_c, symptoms, note, report_id, visited_by, visited_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(task_id)
                    .bind(order_id)
                    .bind(visit.seen)
                    .bind(visit.temperature_c)
                    .bind(Json(&visit.symptoms))
                    .bind(&note)
                    .bind(report_id)
                    .bind(worker.id)
                    .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(worker.id), "visit.record", task_id, None::<&()>, Some(visit)).await?;
            tx.emit(Event::new(EventKind::VisitRecorded, &done.subject_path, task_id, now, visit)).await?;
            Ok(VisitOutcome { task: done, intake, order })
        })
        .await
    }

    /// How many follow-up tasks of an order are still open (for boards).
    pub async fn open_follow_ups(&self, order_id: Uuid) -> Result<i64> {
        let statuses = [TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Escalated, TaskStatus::Overdue].map(TaskStatus::as_str);
        self.read(async |c| {
            Ok(exec!(
                c,
                sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE order_id = $1 AND status IN ($2, $3, $4, $5)")
                    .bind(order_id)
                    .bind(statuses[0])
                    .bind(statuses[1])
                    .bind(statuses[2])
                    .bind(statuses[3]),
                fetch_one
            )?)
        })
        .await
    }
}
