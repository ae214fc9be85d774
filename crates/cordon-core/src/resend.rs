//! Records sent again under the id their client made (a device on a bad
//! connection retries): the same record again is answered with the one
//! stored first; another record under that id is refused.

use uuid::Uuid;

use crate::refusal::{Reason, Record};

/// A client id already used by a different record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", Reason::from(self))]
pub struct IdReused {
    /// Kind of record.
    pub record: Record,
    /// The reused id.
    pub id: Uuid,
}

impl From<&IdReused> for Reason {
    fn from(e: &IdReused) -> Self {
        Reason::IdReused { record: e.record, id: e.id }
    }
}
