//! Tasks: the worker's list, acknowledgement, completion, reassignment and
//! the escalation of overdue tasks.

use cordon_core::escalation::{Escalation, EscalationKind, scope_above};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::refusal::Record;
use cordon_core::task::{self, Task, TaskKind, TaskStatus};
use cordon_core::user::User;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::escalations::record_escalation;
use crate::paging::Window;
use crate::rosters::on_call_in;
use crate::users::user_by_id;
use crate::{Store, exec};

pub(crate) const TASK_COLUMNS: &str = "id, kind, case_id, order_id, due_on, person_id, subject_path, area_path, assignee_id, status, deadline, escalations, created_at, updated_at, note, acknowledged_at, acknowledged_in_time, visited_at";

#[derive(sqlx::FromRow)]
pub(crate) struct TaskRow {
    id: Uuid,
    kind: String,
    case_id: Option<Uuid>,
    order_id: Option<Uuid>,
    due_on: Option<String>,
    person_id: Uuid,
    subject_path: String,
    area_path: String,
    assignee_id: Option<Uuid>,
    status: String,
    deadline: i64,
    escalations: i64,
    created_at: i64,
    updated_at: i64,
    note: Option<String>,
    acknowledged_at: Option<i64>,
    acknowledged_in_time: Option<bool>,
    visited_at: Option<i64>,
}

impl TryFrom<TaskRow> for Task {
    type Error = StoreError;
    fn try_from(r: TaskRow) -> Result<Task> {
        Ok(Task {
            id: r.id,
            kind: parse_enum("tasks.kind", &r.kind, TaskKind::parse)?,
            case_id: r.case_id,
            order_id: r.order_id,
            due_on: crate::db::parse_opt_date("tasks.due_on", r.due_on)?,
            person_id: r.person_id,
            subject_path: NodePath::from_stored(r.subject_path),
            area_path: NodePath::from_stored(r.area_path),
            assignee_id: r.assignee_id,
            status: parse_enum("tasks.status", &r.status, TaskStatus::parse)?,
            deadline: from_micros(r.deadline)?,
            escalations: r.escalations,
            created_at: from_micros(r.created_at)?,
            updated_at: from_micros(r.updated_at)?,
            note: r.note,
            acknowledged_at: r.acknowledged_at.map(from_micros).transpose()?,
            acknowledged_in_time: r.acknowledged_in_time,
            visited_at: r.visited_at.map(from_micros).transpose()?,
        })
    }
}

/// A task by id, inside any connection.
pub async fn task_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Task>> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1");
    let row: Option<TaskRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(Task::try_from).transpose()
}

/// Inserts a new task created on the local day `created_date` (kept for the
/// response read model).
pub async fn insert_task(c: &mut Conn<'_>, t: &Task, created_date: jiff::civil::Date) -> Result<()> {
    let sql = format!(
        "INSERT INTO tasks ({TASK_COLUMNS}, created_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    );
    exec!(
        c,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(t.id)
            .bind(t.kind.as_str())
            .bind(t.case_id)
            .bind(t.order_id)
            .bind(t.due_on.map(|d| d.to_string()))
            .bind(t.person_id)
            .bind(t.subject_path.as_str())
            .bind(t.area_path.as_str())
            .bind(t.assignee_id)
            .bind(t.status.as_str())
            .bind(micros(t.deadline))
            .bind(t.escalations)
            .bind(micros(t.created_at))
            .bind(micros(t.updated_at))
            .bind(&t.note)
            .bind(t.acknowledged_at.map(micros))
            .bind(t.acknowledged_in_time)
            .bind(t.visited_at.map(micros))
            .bind(created_date.to_string()),
        execute
    )?;
    Ok(())
}

pub(crate) async fn update_task(c: &mut Conn<'_>, t: &Task) -> Result<()> {
    exec!(
        c,
        sqlx::query(
            "UPDATE tasks SET area_path = $1, assignee_id = $2, status = $3, deadline = $4, escalations = $5, updated_at = $6, note = $7, \
                     acknowledged_at = $8, acknowledged_in_time = $9, visited_at = $10 WHERE id = $11"
        )
        .bind(t.area_path.as_str())
        .bind(t.assignee_id)
        .bind(t.status.as_str())
        .bind(micros(t.deadline))
        .bind(t.escalations)
        .bind(micros(t.updated_at))
        .bind(&t.note)
        .bind(t.acknowledged_at.map(micros))
        .bind(t.acknowledged_in_time)
        .bind(t.visited_at.map(micros))
        .bind(t.id),
        execute
    )?;
    Ok(())
}

/// Filters for task lists.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only tasks assigned to this worker.
    pub assignee: Option<Uuid>,
    /// Only tasks in these statuses (all when empty).
    pub statuses: Vec<TaskStatus>,
}

/// The predicate of the partial index `tasks_open_by_deadline`, as a
/// further condition.
const OPEN_TASKS: &str = " AND status IN ('assigned', 'acknowledged', 'overdue', 'escalated')";

impl Store {
    /// A task by id.
    pub async fn task(&self, id: Uuid) -> Result<Option<Task>> {
        self.read(async |c| task_by_id(c, id).await).await
    }

    /// Tasks about places at or below `path`, or assigned to the filter's
    /// worker, soonest deadline first.
    pub async fn tasks_under(&self, path: &NodePath, filter: &TaskFilter, limit: i64) -> Result<Vec<Task>> {
        self.tasks_in_window(path, filter, Window::first(limit)).await
    }

    /// One window of [`Store::tasks_under`].
    pub async fn tasks_in_window(&self, path: &NodePath, filter: &TaskFilter, window: Window) -> Result<Vec<Task>> {
        let statuses: String = filter.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
        let status_clause = if statuses.is_empty() { String::new() } else { format!(" AND status IN ({statuses})") };
        let open_only = !filter.statuses.is_empty() && filter.statuses.iter().all(|s| *s != TaskStatus::Done);
        let query = |from: &str, also: &str| {
            format!(
                "SELECT {TASK_COLUMNS} FROM {from} WHERE (subject_path LIKE $1 ESCAPE '\\' OR assignee_id = $2) \
                 AND ($2 IS NULL OR assignee_id = $2){status_clause}{also} ORDER BY deadline, id LIMIT $3 OFFSET $4"
            )
        };
        // PostgreSQL proves by itself that a subset of the open statuses
        // falls under the partial index tasks_open_by_deadline (a second
        // status clause would only make it misjudge the rows: 103 estimated
        // for 25,000, and a sort of all of them).
        let postgres = query("tasks", "");
        // SQLite uses a partial index only when the query repeats its
        // predicate word for word, and for a subtree's open tasks by
        // deadline it is told to: walking them in deadline order stops at
        // the window's end, where its planner otherwise takes them by status
        // and sorts all of them (100 ms for 25,000 open tasks among 5 million).
        let sqlite = match (open_only, filter.assignee) {
            (false, _) => query("tasks", ""),
            (true, Some(_)) => query("tasks", OPEN_TASKS),
            (true, None) => query("tasks INDEXED BY tasks_open_by_deadline", OPEN_TASKS),
        };
        let pattern = subtree(path);
        let rows: Vec<TaskRow> = self
            .read(async |c| {
                let sql = if matches!(c, Conn::Sqlite(_)) { sqlite.as_str() } else { postgres.as_str() };
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql))
                        .bind(&pattern)
                        .bind(filter.assignee)
                        .bind(window.bounded_limit())
                        .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(Task::try_from).collect()
    }

    /// `worker` acknowledges the task `id` (they are on the way), in one
    /// transaction: the task is loaded and [`task::acknowledge_by`] decides.
    pub async fn acknowledge_task(&self, worker: &User, id: Uuid, now: Timestamp) -> Result<Task> {
        let decide = async |_: &mut Conn<'_>, t: &Task| Ok(task::acknowledge_by(worker, t, now)?);
        self.change_task(worker.id, id, "task.acknowledge", EventKind::TaskAcknowledged, now, decide).await
    }

    /// `worker` completes the task `id` with the note `note` as given, in one
    /// transaction: the task is loaded and [`task::complete_by`] decides.
    pub async fn complete_task(&self, worker: &User, id: Uuid, note: Option<&str>, now: Timestamp) -> Result<Task> {
        let decide = async |_: &mut Conn<'_>, t: &Task| Ok(task::complete_by(worker, t, note, now)?);
        self.change_task(worker.id, id, "task.complete", EventKind::TaskCompleted, now, decide).await
    }

    /// `officer` hands the task `id` to the health worker `worker_id`, in one
    /// transaction: the task, the worker and the settings are loaded and
    /// [`task::reassign_by`] decides.
    pub async fn reassign_task(&self, officer: &User, id: Uuid, worker_id: Uuid, now: Timestamp) -> Result<Task> {
        let decide = async |c: &mut Conn<'_>, t: &Task| {
            let worker = user_by_id(c, worker_id).await?;
            let deadline = settings_in(c).await?.investigation_deadline();
            Ok(task::reassign_by(officer, t, worker.as_ref(), deadline, now)?)
        };
        self.change_task(officer.id, id, "task.reassign", EventKind::TaskAssigned, now, decide).await
    }

    /// Loads the task `id`, lets `decide` rule on it (with the connection,
    /// to load what else it needs) and stores the result with its audit
    /// record and event, in one transaction.
    async fn change_task(
        &self,
        actor: Uuid,
        id: Uuid,
        action: &str,
        kind: EventKind,
        now: Timestamp,
        decide: impl AsyncFnOnce(&mut Conn<'_>, &Task) -> Result<Task>,
    ) -> Result<Task> {
        self.write(async |tx| {
            let before = task_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::Task, id))?;
            let after = decide(&mut tx.conn, &before).await?;
            update_task(&mut tx.conn, &after).await?;
            tx.audit(now, Some(actor), action, id, Some(&before), Some(&after)).await?;
            tx.emit(Event::new(kind, &after.subject_path, id, now, &after)).await?;
            Ok(after)
        })
        .await
    }

    /// Escalates every task whose deadline has passed unacknowledged: each
    /// goes to the on-call worker of an ancestor of its area, or stays overdue
    /// at the top. Returns the escalated tasks. Safe to run any time; one
    /// transaction per task so a failure leaves the rest done.
    pub async fn escalate_overdue_tasks(&self, now: Timestamp) -> Result<Vec<Task>> {
        let due: Vec<Uuid> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT id FROM tasks WHERE status IN ('assigned', 'escalated') AND deadline <= $1 ORDER BY deadline LIMIT 1000"
                    )
                    .bind(micros(now)),
                    fetch_all
                )?)
            })
            .await?;
        let mut escalated = Vec::new();
        for id in due {
            let done = self
                .write(async |tx| {
                    let Some(before) = task_by_id(&mut tx.conn, id).await? else { return Ok(None) };
                    if !task::is_due_for_escalation(&before, now) {
                        return Ok(None);
                    }
                    let settings = settings_in(&mut tx.conn).await?;
                    let above: Vec<NodePath> = before.area_path.parent().map(|p| p.self_and_ancestors()).unwrap_or_default();
                    let next = on_call_in(&mut tx.conn, &above, now).await?;
                    let after = task::escalate(&before, next.as_ref(), settings.escalation_deadline(), now)?;
                    update_task(&mut tx.conn, &after).await?;
                    let escalation = Escalation {
                        id: Uuid::now_v7(),
                        kind: EscalationKind::TaskOverdue,
                        scope_path: next.as_ref().map_or_else(|| scope_above(&before.area_path), |o| o.area_path.clone()),
                        subject_path: before.subject_path.clone(),
                        task_id: Some(id),
                        date: None,
                        directive_id: None,
                        to_worker_id: next.as_ref().map(|o| o.worker_id),
                        raised_at: now,
                    };
                    tx.audit(now, None, "task.escalate", id, Some(&before), Some(&after)).await?;
                    record_escalation(tx, &escalation, now).await?;
                    Ok(Some(after))
                })
                .await?;
            escalated.extend(done);
        }
        Ok(escalated)
    }
}
