//! Audit records: who changed what, when, from what to what.
//!
//! Every change in cordon writes one record in the same transaction as the
//! change itself; the log is append-only.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One audited change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditRecord {
    /// Sequence number in the log.
    pub seq: i64,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who (a user), or `None` for the system's own jobs.
    pub actor_id: Option<Uuid>,
    /// What was done, e.g. `report.create`.
    pub action: String,
    /// The kind of entity, e.g. `case`.
    pub entity: String,
    /// The entity's id.
    pub entity_id: String,
    /// The entity before the change.
    pub before: Option<serde_json::Value>,
    /// The entity after the change.
    pub after: Option<serde_json::Value>,
    /// The record's hash in the audit chain (see `audit_chain`): note the
    /// last one off the machine to detect a rewrite of the whole log later.
    pub hash: Option<String>,
}
