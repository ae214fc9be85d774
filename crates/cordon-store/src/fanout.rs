//! Live updates across servers on one PostgreSQL database.
//!
//! Every write transaction that emits events also sends a PostgreSQL
//! notification naming them (`pg_notify`, delivered only if it commits, in
//! commit order). Each server runs [`Store::relay_events`], which listens on
//! the channel and publishes the events other servers committed to its own
//! subscribers, next to the ones it committed itself. A server that misses
//! notifications (its listening connection dropped) loses nothing for good:
//! the events stay in the outbox, and a client catches up by `Last-Event-ID`.
//! SQLite has one server by construction, so there is nothing to relay.

use cordon_core::event::Event;
use sqlx::postgres::PgListener;
use uuid::Uuid;

use crate::Store;
use crate::db::Db;
use crate::error::Result;
use crate::events::events_by_seq;

/// The notification channel.
pub(crate) const CHANNEL: &str = "cordon_events";

/// Sequence numbers per notification: PostgreSQL caps a payload at 8,000 bytes.
const SEQS_PER_PAYLOAD: usize = 400;

/// The payloads announcing `events`: `"<instance>:<seq>,<seq>,…"`.
pub(crate) fn payloads(instance: Uuid, events: &[Event]) -> Vec<String> {
    events
        .chunks(SEQS_PER_PAYLOAD)
        .map(|chunk| {
            let seqs: Vec<String> = chunk.iter().map(|e| e.seq.to_string()).collect();
            format!("{}:{}", instance.simple(), seqs.join(","))
        })
        .collect()
}

/// Reads a payload back: the announcing server and the sequence numbers.
pub(crate) fn parse(payload: &str) -> Option<(Uuid, Vec<i64>)> {
    let (instance, seqs) = payload.split_once(':')?;
    let instance = Uuid::parse_str(instance).ok()?;
    let seqs = seqs.split(',').map(|s| s.parse().ok()).collect::<Option<Vec<i64>>>()?;
    Some((instance, seqs))
}

impl Store {
    /// Publishes to this store's subscribers the events that other servers
    /// commit to the same PostgreSQL database, until the listening connection
    /// fails (then it returns the error; call it again to resume). On SQLite
    /// it returns at once.
    ///
    /// # Errors
    /// The database error that ended the listening.
    pub async fn relay_events(&self) -> Result<()> {
        let Db::Postgres(pool) = &self.db else { return Ok(()) };
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        loop {
            let notification = listener.recv().await?;
            let Some((from, seqs)) = parse(notification.payload()) else {
                tracing::warn!(payload = notification.payload(), "ignored a malformed event notification");
                continue;
            };
            if from == self.instance {
                continue;
            }
            for event in events_by_seq(pool, &seqs).await? {
                // Nobody listening here is fine: the outbox keeps the event.
                let _ = self.events.send(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_reads_back_and_stays_under_the_postgres_limit() {
        let instance = Uuid::new_v4();
        let events: Vec<Event> = (0..1000)
            .map(|i| Event {
                seq: 9_000_000_000_000 + i,
                kind: cordon_core::event::EventKind::ReportReceived,
                path: cordon_core::jurisdiction::NodePath::from_stored("/KR/".to_owned()),
                entity_id: Uuid::new_v4(),
                at: jiff::Timestamp::UNIX_EPOCH,
                data: serde_json::Value::Null,
            })
            .collect();
        let payloads = payloads(instance, &events);
        assert_eq!(payloads.len(), 3);
        let mut seen = Vec::new();
        for p in &payloads {
            assert!(p.len() < 8000, "{} bytes", p.len());
            let (from, seqs) = parse(p).unwrap();
            assert_eq!(from, instance);
            seen.extend(seqs);
        }
        assert_eq!(seen, events.iter().map(|e| e.seq).collect::<Vec<_>>());
        assert_eq!(parse("nonsense"), None);
        assert_eq!(parse(&format!("{}:1,x", instance.simple())), None);
    }
}
