//! Roster shifts and the on-call lookup.

use std::fmt::Write as _;

use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::refusal::Record;
use cordon_core::roster::{self, Shift, ShiftInput};
use cordon_core::task::OnCall;
use cordon_core::user::User;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_code;
use crate::users::user_by_id;
use crate::{Store, Tx, exec};

const SHIFT_COLUMNS: &str = "id, worker_id, node_id, node_path, starts_at, ends_at";

type ShiftRow = (Uuid, Uuid, Uuid, String, i64, i64);

fn shift_from(r: ShiftRow) -> Result<Shift> {
    Ok(Shift {
        id: r.0,
        worker_id: r.1,
        node_id: r.2,
        node_path: NodePath::from_stored(r.3),
        starts_at: from_micros(r.4)?,
        ends_at: from_micros(r.5)?,
    })
}

/// The worker on call at `at` for `place`, looking only at `areas` (the place
/// and its ancestors, deepest first). Only active health workers count.
pub async fn on_call_in(c: &mut Conn<'_>, areas: &[NodePath], at: Timestamp) -> Result<Option<OnCall>> {
    if areas.is_empty() {
        return Ok(None);
    }
    // One query for every area: paths are few (the depth of the tree).
    let mut builder_sql = String::from(
        "SELECT s.id, s.worker_id, s.node_id, s.node_path, s.starts_at, s.ends_at FROM shifts s JOIN users u ON u.id = s.worker_id \
         WHERE u.active AND u.role = 'health_worker' AND s.starts_at <= $1 AND s.ends_at > $1 AND s.node_path IN (",
    );
    for i in 0..areas.len() {
        let _ = write!(builder_sql, "{}${}", if i == 0 { "" } else { ", " }, i + 2);
    }
    builder_sql.push(')');
    let rows: Vec<ShiftRow> = match c {
        Conn::Sqlite(c) => {
            let mut q = sqlx::query_as(AssertSqlSafe(builder_sql.as_str())).bind(micros(at));
            for a in areas {
                q = q.bind(a.as_str());
            }
            q.fetch_all(&mut **c).await?
        }
        Conn::Postgres(c) => {
            let mut q = sqlx::query_as(AssertSqlSafe(builder_sql.as_str())).bind(micros(at));
            for a in areas {
                q = q.bind(a.as_str());
            }
            q.fetch_all(&mut **c).await?
        }
    };
    let shifts = rows.into_iter().map(shift_from).collect::<Result<Vec<_>>>()?;
    Ok(roster::on_call(areas, &shifts, at))
}

/// A shift by id, inside any connection.
async fn shift_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Shift>> {
    let sql = format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE id = $1");
    let row: Option<ShiftRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(shift_from).transpose()
}

/// Stores a new shift with its audit record, as `actor`.
async fn insert_shift(tx: &mut Tx<'_>, actor: Uuid, shift: &Shift, now: Timestamp) -> Result<()> {
    let sql = format!("INSERT INTO shifts ({SHIFT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)");
    exec!(
        &mut tx.conn,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(shift.id)
            .bind(shift.worker_id)
            .bind(shift.node_id)
            .bind(shift.node_path.as_str())
            .bind(micros(shift.starts_at))
            .bind(micros(shift.ends_at)),
        execute
    )?;
    tx.audit(now, Some(actor), "shift.create", shift.id, None::<&()>, Some(shift)).await
}

impl Store {
    /// Puts a worker on call for an area, unchecked: the seeders' way
    /// (command officers go through [`Store::put_on_call`]).
    pub async fn add_shift(
        &self,
        actor: Uuid,
        worker_id: Uuid,
        area: &Node,
        starts_at: Timestamp,
        ends_at: Timestamp,
        now: Timestamp,
    ) -> Result<Shift> {
        let shift = Shift { id: Uuid::now_v7(), worker_id, node_id: area.id, node_path: area.path.clone(), starts_at, ends_at };
        self.write(async |tx| {
            insert_shift(tx, actor, &shift, now).await?;
            Ok(shift.clone())
        })
        .await
    }

    /// `officer` puts a health worker on call as `input` asks, in one
    /// transaction: the area its `node_code` names and the worker its
    /// `worker_id` names are loaded and [`roster::put_on_call`] decides.
    pub async fn put_on_call(&self, officer: &User, input: &ShiftInput, now: Timestamp) -> Result<Shift> {
        self.write(async |tx| {
            let area = node_by_code(&mut tx.conn, input.node_code.trim()).await?;
            let worker = user_by_id(&mut tx.conn, input.worker_id).await?;
            let shift = roster::put_on_call(officer, input, area.as_ref(), worker.as_ref(), Uuid::now_v7())?;
            insert_shift(tx, officer.id, &shift, now).await?;
            Ok(shift)
        })
        .await
    }

    /// A shift by id.
    pub async fn shift(&self, id: Uuid) -> Result<Option<Shift>> {
        self.read(async |c| shift_by_id(c, id).await).await
    }

    /// `officer` removes the shift `id`, in one transaction: the shift is
    /// loaded and [`roster::remove_by`] decides. Returns the shift removed.
    pub async fn remove_shift(&self, officer: &User, id: Uuid, now: Timestamp) -> Result<Shift> {
        self.write(async |tx| {
            let before = shift_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::Shift, id))?;
            roster::remove_by(officer, &before)?;
            exec!(&mut tx.conn, sqlx::query("DELETE FROM shifts WHERE id = $1").bind(id), execute)?;
            tx.audit(now, Some(officer.id), "shift.delete", id, Some(&before), None::<&()>).await?;
            Ok(before)
        })
        .await
    }

    /// Shifts at or below `path` that overlap `[from, to)`.
    pub async fn shifts(&self, path: &NodePath, from: Timestamp, to: Timestamp) -> Result<Vec<Shift>> {
        let pattern = subtree(path);
        let rows: Vec<ShiftRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT id, worker_id, node_id, node_path, starts_at, ends_at FROM shifts WHERE node_path LIKE $1 ESCAPE '\\' AND ends_at > $2 AND starts_at < $3 ORDER BY node_path, starts_at"
                    )
                    .bind(&pattern)
                    .bind(micros(from))
                    .bind(micros(to)),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(shift_from).collect()
    }

    /// The worker on call now for `place` (searching it and its ancestors).
    pub async fn on_call(&self, place: &NodePath, at: Timestamp) -> Result<Option<OnCall>> {
        let areas = place.self_and_ancestors();
        self.read(async |c| on_call_in(c, &areas, at).await).await
    }
}
