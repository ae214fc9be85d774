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

use crate::db::{Conn, from_json, micros, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::{level_names, node_by_code};
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
        let sql = "SELECT lecture FROM lectures WHERE node_path LIKE $1 ESCAPE '\\' ORDER BY starts_at DESC, id LIMIT $2";
        self.documents_under((sql, "lectures.lecture"), path, limit).await
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
}
