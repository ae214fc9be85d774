//! Reading the event outbox, so a client that reconnects can catch up.

use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::{from_micros, subtree};
use crate::error::{Result, StoreError};
use crate::{Store, exec};

impl Store {
    /// Events after `seq` about places at or below `path`, oldest first.
    pub async fn events_since(&self, path: &NodePath, seq: i64, limit: i64) -> Result<Vec<Event>> {
        let pattern = subtree(path);
        let addressed: Vec<String> = EventKind::ADDRESSED.iter().map(|k| format!("'{}'", k.as_str())).collect();
        let sql = format!(
            "SELECT seq, at, kind, path, entity_id, data FROM events WHERE seq > $1 \
             AND (path LIKE $2 ESCAPE '\\' OR (kind IN ({}) AND $4 LIKE path || '%')) ORDER BY seq LIMIT $3",
            addressed.join(", ")
        );
        let rows: Vec<EventRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(seq).bind(&pattern).bind(limit.clamp(1, 1000)).bind(path.as_str()),
                    fetch_all
                )?)
            })
            .await?;
        // LIKE reads `_` in a code as any character: keep what truly reaches the user.
        Ok(rows.into_iter().map(event_of_row).collect::<Result<Vec<_>>>()?.into_iter().filter(|e| e.reaches(path)).collect())
    }
}

/// An outbox row: seq, at, kind, path, entity, data.
type EventRow = (i64, i64, String, String, Uuid, Json<serde_json::Value>);

fn event_of_row((seq, at, kind, path, entity_id, data): EventRow) -> Result<Event> {
    let kind = serde_json::from_value::<EventKind>(serde_json::Value::String(kind.clone()))
        .map_err(|_| StoreError::Corrupt { column: "events.kind", value: kind })?;
    Ok(Event { seq, kind, path: NodePath::from_stored(path), entity_id, at: from_micros(at)?, data: data.0 })
}

/// The events with these sequence numbers, oldest first: what another server
/// committed and announced (PostgreSQL only, see [`Store::relay_events`]).
pub(crate) async fn events_by_seq(pool: &sqlx::PgPool, seqs: &[i64]) -> Result<Vec<Event>> {
    let rows: Vec<EventRow> = sqlx::query_as("SELECT seq, at, kind, path, entity_id, data FROM events WHERE seq = ANY($1) ORDER BY seq")
        .bind(seqs)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(event_of_row).collect()
}
