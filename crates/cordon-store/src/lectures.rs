//! Lectures: scheduled and attended, each change in one transaction with the
//! core deciding ([`lecture::schedule`], [`lecture::attend`]); coverage of a
//! topic over a subtree.

use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::lecture::{self, Attendance, AttendanceInput, Coverage, Lecture, LectureInput};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::db::{Conn, from_json, from_micros, micros, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::{level_names, node_by_code};
use crate::paging::Window;
use crate::{Store, exec};

/// The lecture `id`.
async fn lecture_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Lecture>> {
    let row: Option<String> = exec!(c, sqlx::query_scalar("SELECT lecture FROM lectures WHERE id = $1").bind(id), fetch_optional)?;
    row.map(|r| from_json("lectures.lecture", &r)).transpose()
}

impl Store {
    /// A health worker or command officer schedules a lecture; the same one
    /// sent again stores nothing.
    pub async fn schedule_lecture(&self, user: &User, input: &LectureInput, now: Timestamp) -> Result<Lecture> {
        self.write(async |tx| {
            if let Some(first) = lecture_by_id(&mut tx.conn, input.id).await? {
                return if first.topic == input.topic.trim() && first.starts_at == input.starts_at {
                    Ok(first)
                } else {
                    Err(cordon_core::resend::IdReused { record: Record::Lecture, id: input.id }.into())
                };
            }
            let node = node_by_code(&mut tx.conn, input.node_code.trim()).await?;
            let lecture = lecture::schedule(user, node.as_ref(), input)?;
            exec!(
                &mut tx.conn,
                sqlx::query("INSERT INTO lectures (id, node_id, node_path, topic, starts_at, lecture, scheduled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(lecture.id)
                    .bind(lecture.node_id)
                    .bind(lecture.node_path.as_str())
                    .bind(&lecture.topic)
                    .bind(lecture.starts_at.to_string())
                    .bind(serde_json::to_string(&lecture).unwrap_or_default())
                    .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(user.id), "lecture.schedule", lecture.id, None::<&()>, Some(&lecture)).await?;
            tx.emit(Event::new(EventKind::LectureScheduled, &lecture.node_path, lecture.id, now, &lecture)).await?;
            Ok(lecture)
        })
        .await
    }

    /// Records how many from a unit attended a lecture (replacing the unit's
    /// earlier figure), within the lecture's capacity.
    pub async fn record_attendance(&self, user: &User, lecture_id: Uuid, input: &AttendanceInput, now: Timestamp) -> Result<Attendance> {
        self.write(async |tx| {
            let lecture = lecture_by_id(&mut tx.conn, lecture_id).await?.ok_or_else(|| StoreError::not_found(Record::Lecture, lecture_id))?;
            let unit = node_by_code(&mut tx.conn, input.unit_code.trim()).await?;
            let others: i64 = exec!(
                &mut tx.conn,
                sqlx::query_scalar("SELECT CAST(COALESCE(SUM(attended), 0) AS BIGINT) FROM lecture_attendance WHERE lecture_id = $1 AND unit_id <> $2")
                    .bind(lecture_id)
                    .bind(unit.as_ref().map_or(Uuid::nil(), |u| u.id)),
                fetch_one
            )?;
            let others = u32::try_from(others).unwrap_or(u32::MAX);
            let attendance = lecture::attend(user, &lecture, unit.as_ref(), input, others, now)?;
            exec!(
                &mut tx.conn,
                sqlx::query("DELETE FROM lecture_attendance WHERE lecture_id = $1 AND unit_id = $2").bind(lecture_id).bind(attendance.unit_id),
                execute
            )?;
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO lecture_attendance (lecture_id, unit_id, unit_path, attended, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)"
                )
                .bind(lecture_id)
                .bind(attendance.unit_id)
                .bind(attendance.unit_path.as_str())
                .bind(i64::from(attendance.attended))
                .bind(user.id)
                .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(user.id), "lecture.attendance", lecture_id, None::<&()>, Some(&attendance)).await?;
            tx.emit(Event::new(EventKind::AttendanceRecorded, &attendance.unit_path, lecture_id, now, &attendance)).await?;
            Ok(attendance)
        })
        .await
    }

    /// The lectures serving `path` or any area below it, latest first (at most `limit`).
    pub async fn lectures_under(&self, path: &NodePath, limit: i64) -> Result<Vec<Lecture>> {
        self.lectures_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::lectures_under`].
    pub async fn lectures_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<Lecture>> {
        let sql = "SELECT lecture FROM lectures WHERE node_path LIKE $1 ESCAPE '\\' ORDER BY starts_at DESC, id LIMIT $2 OFFSET $3";
        self.documents_under((sql, "lectures.lecture"), path, window).await
    }

    /// Coverage of `topic` at or below `path`: the units with attendance at a
    /// lecture on it starting on or after `from`, out of all units.
    pub async fn lecture_coverage(&self, path: &NodePath, topic: &str, from: Date) -> Result<Coverage> {
        let pattern = subtree(path);
        self.read(async |c| {
            let deepest = i64::try_from(level_names(c).await?.len()).unwrap_or(1) - 1;
            let units: i64 = exec!(
                c,
                sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND level = $2").bind(&pattern).bind(deepest),
                fetch_one
            )?;
            let covered: i64 = exec!(
                c,
                sqlx::query_scalar(
                    "SELECT COUNT(DISTINCT a.unit_id) FROM lecture_attendance a JOIN lectures l ON l.id = a.lecture_id \
                     WHERE a.unit_path LIKE $1 ESCAPE '\\' AND l.topic = $2 AND l.starts_at >= $3 AND a.attended > 0"
                )
                .bind(&pattern)
                .bind(topic.trim())
                .bind(from.to_string()),
                fetch_one
            )?;
            Ok(Coverage { covered: u32::try_from(covered).unwrap_or(0), units: u32::try_from(units).unwrap_or(0) })
        })
        .await
    }

    /// A lecture by id.
    pub async fn lecture(&self, id: Uuid) -> Result<Option<Lecture>> {
        self.read(async |c| lecture_by_id(c, id).await).await
    }

    /// The lectures serving `path` from above: those scheduled for the node
    /// at `path` or an ancestor of it, starting on or after `from`, latest
    /// first (at most `limit`). What a unit head's units may attend.
    pub async fn lectures_over(&self, path: &NodePath, from: Date, limit: i64) -> Result<Vec<Lecture>> {
        let rows: Vec<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT lecture FROM lectures WHERE $1 LIKE node_path || '%' AND starts_at >= $2 ORDER BY starts_at DESC, id LIMIT $3"
                    )
                    .bind(path.as_str())
                    .bind(from.to_string())
                    .bind(limit),
                    fetch_all
                )?)
            })
            .await?;
        let lectures: Vec<Lecture> = rows.iter().map(|r| from_json("lectures.lecture", r)).collect::<Result<_>>()?;
        // LIKE reads `_` in a code as any character: keep only true ancestors.
        Ok(lectures.into_iter().filter(|l| l.node_path.contains(path)).collect())
    }

    /// The attendance recorded at a lecture by the units at or below `path`, by unit path.
    pub async fn lecture_attendance(&self, lecture_id: Uuid, path: &NodePath) -> Result<Vec<Attendance>> {
        let pattern = subtree(path);
        let rows: Vec<(Uuid, String, i64, Uuid, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT unit_id, unit_path, attended, recorded_by, recorded_at FROM lecture_attendance \
                         WHERE lecture_id = $1 AND unit_path LIKE $2 ESCAPE '\\' ORDER BY unit_path"
                    )
                    .bind(lecture_id)
                    .bind(&pattern),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(unit_id, unit_path, attended, recorded_by, recorded_at)| {
                Ok(Attendance {
                    lecture_id,
                    unit_id,
                    unit_path: NodePath::from_stored(unit_path),
                    attended: u32::try_from(attended).unwrap_or(0),
                    recorded_by,
                    recorded_at: from_micros(recorded_at)?,
                })
            })
            .collect()
    }

    /// Coverage of `topic` in each child of the node `parent` (by code): the
    /// units of the child with attendance at a lecture on it starting on or
    /// after `from`, out of all its units. Two grouped queries.
    pub async fn lecture_coverage_by_child(&self, parent: Uuid, topic: &str, from: Date) -> Result<Vec<ChildCoverage>> {
        self.read(async |c| {
            let deepest = i64::try_from(level_names(c).await?.len()).unwrap_or(1) - 1;
            let units: Vec<(String, String, i64)> = exec!(
                c,
                sqlx::query_as(
                    "SELECT n.code, n.name, COUNT(u.id) FROM nodes n LEFT JOIN nodes u \
                       ON u.path LIKE (REPLACE(n.path, '_', '\\_') || '%') ESCAPE '\\' AND u.level = $2 \
                     WHERE n.parent_id = $1 GROUP BY n.code, n.name ORDER BY n.code"
                )
                .bind(parent)
                .bind(deepest),
                fetch_all
            )?;
            let covered: Vec<(String, i64)> = exec!(
                c,
                sqlx::query_as(
                    "SELECT n.code, COUNT(DISTINCT a.unit_id) FROM nodes n JOIN lecture_attendance a \
                       ON a.unit_path LIKE (REPLACE(n.path, '_', '\\_') || '%') ESCAPE '\\' \
                     JOIN lectures l ON l.id = a.lecture_id \
                     WHERE n.parent_id = $1 AND l.topic = $2 AND l.starts_at >= $3 AND a.attended > 0 GROUP BY n.code"
                )
                .bind(parent)
                .bind(topic.trim())
                .bind(from.to_string()),
                fetch_all
            )?;
            let covered: std::collections::HashMap<String, i64> = covered.into_iter().collect();
            Ok(units
                .into_iter()
                .map(|(code, name, units)| {
                    let reached = covered.get(&code).copied().unwrap_or(0);
                    let coverage = Coverage { covered: u32::try_from(reached).unwrap_or(0), units: u32::try_from(units).unwrap_or(0) };
                    ChildCoverage { code, name, coverage }
                })
                .collect())
        })
        .await
    }
}

/// Lecture coverage of one child of a node.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ChildCoverage {
    /// The child's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its units reached, out of its units.
    pub coverage: Coverage,
}
