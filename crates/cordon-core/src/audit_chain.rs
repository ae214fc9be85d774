//! The audit chain: every audit record carries the hash of the record before
//! it (`prev_hash`) and a hash of its own content and that link (`hash`), so
//! that changing, removing or slipping in a record anywhere breaks the chain
//! from that record on, and cutting records off the end disagrees with the
//! chain's head (the last sequence number and hash, kept in its own row).
//!
//! This module is pure: the canonical encoding that is hashed, the hash, and
//! the walk that checks stored records one at a time (in constant memory)
//! and names the first broken one. `cordon-store` seals records as it writes
//! them and feeds the walk from the database; the server and the CLI show
//! its [`ChainReport`].
//!
//! The canonical encoding of a record is the JSON array
//! `["cordon-audit-v1", seq, at, actor_id, action, entity, entity_id, before,
//! after, prev_hash]` written without spaces, object keys sorted by their
//! UTF-8 bytes, numbers as `serde_json` writes them (a float's shortest form
//! that reads back as the same value, `-0.0` as `0.0`), strings escaped as
//! `serde_json` escapes them, and an absent `before`/`after` as `null`.
//! `at` is Unix microseconds; `actor_id` the hyphenated lowercase UUID or
//! `null`. The hash is the lowercase hex SHA-256 of that text's bytes; the
//! first record's `prev_hash` is [`GENESIS`].

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

/// The `prev_hash` of the first record: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The name of the encoding, hashed with every record so that a later
/// encoding cannot be confused with this one.
pub const SCHEME: &str = "cordon-audit-v1";

/// What of an audit record is hashed (besides its link to the record before).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Content<'a> {
    /// Sequence number.
    pub seq: i64,
    /// When, in Unix microseconds.
    pub at: i64,
    /// Who, or `None` for the system.
    pub actor_id: Option<Uuid>,
    /// What was done (`case.create`).
    pub action: &'a str,
    /// The kind of entity.
    pub entity: &'a str,
    /// The entity's id.
    pub entity_id: &'a str,
    /// The entity before the change.
    pub before: Option<&'a Value>,
    /// The entity after the change.
    pub after: Option<&'a Value>,
}

/// Writes `value` as canonical JSON onto `out`.
pub fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f == 0.0 => out.push_str("0.0"),
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // A string always serialises; the fallback is never taken.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// The canonical JSON text of `value`.
#[must_use]
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// The canonical encoding of a record linked to `prev_hash`: the text whose
/// SHA-256 is the record's hash.
#[must_use]
pub fn encode(content: &Content<'_>, prev_hash: &str) -> String {
    let mut out = String::with_capacity(256);
    out.push('[');
    write_string(SCHEME, &mut out);
    let _ = write!(out, ",{},{},", content.seq, content.at);
    match content.actor_id {
        Some(id) => write_string(&id.hyphenated().to_string(), &mut out),
        None => out.push_str("null"),
    }
    for text in [content.action, content.entity, content.entity_id] {
        out.push(',');
        write_string(text, &mut out);
    }
    for document in [content.before, content.after] {
        out.push(',');
        write_canonical(document.unwrap_or(&Value::Null), &mut out);
    }
    out.push(',');
    write_string(prev_hash, &mut out);
    out.push(']');
    out
}

/// The hash of a record linked to `prev_hash`: lowercase hex SHA-256 of its
/// canonical encoding.
#[must_use]
pub fn record_hash(content: &Content<'_>, prev_hash: &str) -> String {
    let digest = Sha256::digest(encode(content, prev_hash).as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// An audit record as stored, read back for the walk: the JSON documents as
/// the database returns their text, the link and hash as stored (`None` when
/// the column is empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredRecord {
    /// Sequence number.
    pub seq: i64,
    /// When, in Unix microseconds.
    pub at: i64,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// What was done.
    pub action: String,
    /// The kind of entity.
    pub entity: String,
    /// The entity's id.
    pub entity_id: String,
    /// The entity before, as JSON text.
    pub before: Option<String>,
    /// The entity after, as JSON text.
    pub after: Option<String>,
    /// The hash of the record before, as stored.
    pub prev_hash: Option<String>,
    /// This record's hash, as stored.
    pub hash: Option<String>,
}

impl StoredRecord {
    /// The hash its content and stored link give, or `None` when a JSON
    /// document is not JSON (which only a change outside cordon makes).
    #[must_use]
    pub fn computed_hash(&self) -> Option<String> {
        let before: Option<Value> = self.before.as_deref().map(serde_json::from_str).transpose().ok()?;
        let after: Option<Value> = self.after.as_deref().map(serde_json::from_str).transpose().ok()?;
        let content = Content {
            seq: self.seq,
            at: self.at,
            actor_id: self.actor_id,
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            before: before.as_ref(),
            after: after.as_ref(),
        };
        Some(record_hash(&content, self.prev_hash.as_deref().unwrap_or_default()))
    }
}

/// The chain's head as stored: the last record's sequence number and hash
/// (`0` and [`GENESIS`] while the log is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Head {
    /// The last record's sequence number.
    pub last_seq: i64,
    /// The last record's hash.
    pub last_hash: String,
}

impl Head {
    /// The head of an empty log.
    #[must_use]
    pub fn empty() -> Head {
        Head { last_seq: 0, last_hash: GENESIS.to_owned() }
    }
}

/// What is wrong with the first broken record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Breach {
    /// The record's content no longer gives its hash: it was changed.
    ContentChanged,
    /// The record has no hash: it was added outside cordon.
    Unsealed,
    /// The record's `prev_hash` is not the hash of the record before it
    /// (`previous_seq`): that record, or this link, was rewritten.
    LinkBroken {
        /// The record before it.
        previous_seq: i64,
    },
    /// Records between `previous_seq` (or the start of the log) and this one
    /// were removed.
    RecordMissing {
        /// The last record still present before the gap.
        previous_seq: Option<i64>,
    },
    /// The record was slipped in: the record after it (`next_seq`) links
    /// past it to the record before.
    Inserted {
        /// The record whose link skips it.
        next_seq: i64,
    },
    /// The record lies after the chain's head: it was appended outside cordon.
    BeyondHead {
        /// The head's last sequence number.
        head_seq: i64,
    },
    /// Records at the end were removed: the log ends at `last_seq` (or is
    /// empty) while the head says it ends at `head_seq`.
    TailTruncated {
        /// The last record present.
        last_seq: Option<i64>,
        /// Where the head says the log ends.
        head_seq: i64,
    },
    /// The last record is not the one the head names (its hash differs).
    HeadMismatch,
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Breach::ContentChanged => f.write_str("content changed: the record no longer matches its hash"),
            Breach::Unsealed => f.write_str("record not sealed: it has no hash, so it was added outside cordon"),
            Breach::LinkBroken { previous_seq } => {
                write!(f, "link broken: its prev_hash is not the hash of record {previous_seq}, which was rewritten")
            }
            Breach::RecordMissing { previous_seq: Some(p) } => {
                write!(f, "record missing: records after {p} and before this one were removed")
            }
            Breach::RecordMissing { previous_seq: None } => {
                f.write_str("record missing: records before this one, at the start of the log, were removed")
            }
            Breach::Inserted { next_seq } => write!(f, "record inserted: record {next_seq} links past it to the record before"),
            Breach::BeyondHead { head_seq } => write!(f, "record after the head: the chain's head ends at {head_seq}"),
            Breach::TailTruncated { last_seq: Some(l), head_seq } => {
                write!(f, "tail truncated: the log ends at {l} but the chain's head says {head_seq}")
            }
            Breach::TailTruncated { last_seq: None, head_seq } => {
                write!(f, "tail truncated: the log is empty but the chain's head says {head_seq}")
            }
            Breach::HeadMismatch => f.write_str("head mismatch: the last record is not the one the chain's head names"),
        }
    }
}

/// The first broken record and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Fault {
    /// Its sequence number (for a truncated tail, the first missing one).
    pub seq: i64,
    /// What is wrong.
    pub breach: Breach,
    /// The same in words.
    pub reason: String,
}

impl Fault {
    fn new(seq: i64, breach: Breach) -> Fault {
        Fault { seq, reason: breach.to_string(), breach }
    }
}

/// The chain's state: intact, or broken at its first broken record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChainReport {
    /// Whether every record checked out and the log ends where the head says.
    pub intact: bool,
    /// How many records were checked.
    pub records: u64,
    /// The last record of the unbroken stretch from the start (`None` when
    /// none is, or the log is empty).
    pub intact_up_to: Option<i64>,
    /// The head's last sequence number.
    pub head_seq: i64,
    /// The head's hash: note it somewhere off this machine to detect later
    /// a rewrite of the whole log.
    pub head_hash: String,
    /// The first broken record, when the chain is broken.
    pub fault: Option<Fault>,
}

impl fmt::Display for ChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fault {
            None => write!(f, "audit chain intact up to seq {} ({} records); head hash {}", self.head_seq, self.records, self.head_hash),
            Some(fault) => write!(f, "audit chain broken at seq {}: {}", fault.seq, fault.reason),
        }
    }
}

/// What the walk keeps of the record before.
#[derive(Debug, Clone)]
struct Link {
    seq: i64,
    hash: String,
    /// Its own `prev_hash`.
    prev_hash: String,
    /// The seq of the record before it.
    earlier_seq: Option<i64>,
}

/// A walk over the stored records in ascending `seq`, one at a time: feed
/// each record to [`ChainWalk::check`] until it answers `false`, then ask
/// [`ChainWalk::finish`]. Holds only the previous record's link.
#[derive(Debug, Clone)]
pub struct ChainWalk {
    head: Head,
    /// The previous record.
    previous: Option<Link>,
    records: u64,
    fault: Option<Fault>,
}

impl ChainWalk {
    /// Starts a walk of the log whose head is `head`.
    #[must_use]
    pub fn new(head: Head) -> ChainWalk {
        ChainWalk { head, previous: None, records: 0, fault: None }
    }

    /// Checks the next record; `false` once a broken record was found (the
    /// rest need not be read).
    pub fn check(&mut self, record: &StoredRecord) -> bool {
        if self.fault.is_some() {
            return false;
        }
        self.records += 1;
        if let Some(fault) = self.breach(record) {
            self.fault = Some(fault);
            return false;
        }
        let earlier_seq = self.previous.as_ref().map(|p| p.seq);
        self.previous = Some(Link {
            seq: record.seq,
            hash: record.hash.clone().unwrap_or_default(),
            prev_hash: record.prev_hash.clone().unwrap_or_default(),
            earlier_seq,
        });
        true
    }

    fn breach(&self, record: &StoredRecord) -> Option<Fault> {
        let (Some(prev_hash), Some(hash)) = (&record.prev_hash, &record.hash) else {
            return Some(Fault::new(record.seq, Breach::Unsealed));
        };
        if record.seq > self.head.last_seq {
            return Some(Fault::new(record.seq, Breach::BeyondHead { head_seq: self.head.last_seq }));
        }
        if record.computed_hash().as_ref() != Some(hash) {
            return Some(Fault::new(record.seq, Breach::ContentChanged));
        }
        let Some(previous) = &self.previous else {
            return (prev_hash != GENESIS).then(|| Fault::new(record.seq, Breach::RecordMissing { previous_seq: None }));
        };
        if *prev_hash == previous.hash {
            return None;
        }
        if *prev_hash == previous.prev_hash {
            return Some(Fault::new(previous.seq, Breach::Inserted { next_seq: record.seq }));
        }
        if record.seq != previous.seq + 1 {
            return Some(Fault::new(record.seq, Breach::RecordMissing { previous_seq: Some(previous.seq) }));
        }
        Some(Fault::new(record.seq, Breach::LinkBroken { previous_seq: previous.seq }))
    }

    /// The chain's state once every record was fed (or the walk stopped).
    #[must_use]
    pub fn finish(self) -> ChainReport {
        let head_seq = self.head.last_seq;
        let fault = self.fault.clone().or_else(|| match &self.previous {
            None if head_seq == 0 && self.head.last_hash == GENESIS => None,
            None => Some(Fault::new(head_seq, Breach::TailTruncated { last_seq: None, head_seq })),
            Some(last) if last.seq < head_seq => {
                Some(Fault::new(last.seq + 1, Breach::TailTruncated { last_seq: Some(last.seq), head_seq }))
            }
            Some(last) if last.hash != self.head.last_hash => Some(Fault::new(last.seq, Breach::HeadMismatch)),
            Some(_) => None,
        });
        let last = self.previous.as_ref().map(|p| p.seq);
        // The faults named at the previous record (already taken into the
        // walk) end the intact stretch one record earlier.
        let intact_up_to = match fault.as_ref().map(|f| &f.breach) {
            Some(Breach::Inserted { .. } | Breach::HeadMismatch) => self.previous.as_ref().and_then(|p| p.earlier_seq),
            _ => last,
        };
        ChainReport { intact: fault.is_none(), records: self.records, intact_up_to, head_seq, head_hash: self.head.last_hash, fault }
    }
}

#[cfg(test)]
#[path = "audit_chain_tests.rs"]
mod tests;
