//! Records sent again under the id their client made (a device on a bad
//! connection retries): the same record again is answered with the one
//! stored first; another record under that id is refused.

use uuid::Uuid;

/// A client id already used by a different record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a different {entity} with id {id} already exists")]
pub struct IdReused {
    /// Kind of record.
    pub entity: &'static str,
    /// The reused id.
    pub id: Uuid,
}
