//! The store's error type.

use cordon_core::Invalid;
use cordon_core::case::CaseError;
use cordon_core::refusal::Record;
use cordon_core::task::TaskError;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An operation only SQLite offers (an online backup to a file) was
    /// asked of PostgreSQL, whose own tools do it (`pg_dump`, `pg_restore`).
    #[error("{0} works on SQLite only; for PostgreSQL use pg_dump -Fc and pg_restore (docs/BACKUP.md)")]
    SqliteOnly(&'static str),
    /// The database URL is not `sqlite:...` or `postgres://...`.
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://...")]
    UnsupportedUrl(String),
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The batch of changes this one was committed with (SQLite's group
    /// commit, see `group_commit`) failed to commit or was rolled back; the
    /// change was not stored and may be sent again.
    #[error("the change was not stored: {0}")]
    CommitFailed(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A referenced record does not exist.
    #[error("{record} {key} not found")]
    NotFound {
        /// Kind of record.
        record: Record,
        /// The key looked up.
        key: String,
    },
    /// A unique value is already taken.
    #[error("{field} {value:?} is already taken")]
    Taken {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// The input was refused by a domain rule.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A case cannot change as asked.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// A task cannot change as asked.
    #[error(transparent)]
    Task(#[from] TaskError),
    /// A record with this client id exists with different content.
    #[error(transparent)]
    IdReused(#[from] cordon_core::resend::IdReused),
    /// The node a request field names is unknown, of the wrong kind or out of reach.
    #[error(transparent)]
    NodeRefused(#[from] cordon_core::policy::NodeRefused),
    /// The person already has an order of the same kind in force.
    #[error(transparent)]
    AlreadyUnderOrder(#[from] cordon_core::order::AlreadyUnderOrder),
    /// An order cannot change as asked.
    #[error(transparent)]
    Order(#[from] cordon_core::order::OrderError),
    /// The point of entry is closed.
    #[error(transparent)]
    Entry(#[from] cordon_core::arrival::EntryError),
    /// An alert cannot change as asked.
    #[error(transparent)]
    Alert(#[from] cordon_core::alert::AlertError),
    /// A user's standing cannot change as asked.
    #[error(transparent)]
    Standing(#[from] cordon_core::user::StandingError),
    /// The user's role or jurisdiction does not allow the change.
    #[error(transparent)]
    Denied(#[from] cordon_core::policy::Denied),
    /// An export could not be written (a row the CSV writer refused).
    #[error("writing the export: {0}")]
    Export(String),
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored value in {column}: {value:?}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// The value found.
        value: String,
    },
}

impl StoreError {
    /// True when PostgreSQL gave the change up to a deadlock (SQLSTATE
    /// 40P01) or a serialization failure (40001): the same change may
    /// succeed when it runs again.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => matches!(e.code().as_deref(), Some("40P01" | "40001")),
            _ => false,
        }
    }

    /// A not-found error.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "callers pass Uuids and &strs, which are Copy; a reference would only add & at each call"
    )]
    pub fn not_found(record: Record, key: impl ToString) -> Self {
        StoreError::NotFound { record, key: key.to_string() }
    }

    /// Turns a unique-constraint violation into [`StoreError::Taken`].
    #[must_use]
    pub fn taken_or(e: sqlx::Error, field: &'static str, value: &str) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Taken { field, value: value.to_owned() },
            _ => StoreError::Database(e),
        }
    }
}

impl From<cordon_core::arrival::Refused> for StoreError {
    fn from(refused: cordon_core::arrival::Refused) -> Self {
        use cordon_core::arrival::Refused;
        match refused {
            Refused::Invalid(i) => StoreError::Invalid(i),
            Refused::Denied(d) => StoreError::Denied(d),
            Refused::Closed(c) => StoreError::Entry(c),
        }
    }
}

impl From<cordon_core::investigation::Refused> for StoreError {
    fn from(refused: cordon_core::investigation::Refused) -> Self {
        use cordon_core::investigation::Refused;
        match refused {
            Refused::Invalid(i) => StoreError::Invalid(i),
            Refused::Case(c) => StoreError::Case(c),
        }
    }
}

impl From<cordon_core::directive::Refused> for StoreError {
    fn from(refused: cordon_core::directive::Refused) -> Self {
        use cordon_core::directive::Refused;
        match refused {
            Refused::Invalid(i) => StoreError::Invalid(i),
            Refused::Denied(d) => StoreError::Denied(d),
        }
    }
}

impl From<cordon_core::task::Refused> for StoreError {
    fn from(refused: cordon_core::task::Refused) -> Self {
        use cordon_core::task::Refused;
        match refused {
            Refused::Denied(d) => StoreError::Denied(d),
            Refused::Invalid(i) => StoreError::Invalid(i),
            Refused::Task(t) => StoreError::Task(t),
        }
    }
}

impl From<cordon_core::case::Refused> for StoreError {
    fn from(refused: cordon_core::case::Refused) -> Self {
        use cordon_core::case::Refused;
        match refused {
            Refused::Denied(d) => StoreError::Denied(d),
            Refused::Case(c) => StoreError::Case(c),
        }
    }
}

impl From<cordon_core::jurisdiction::Refused> for StoreError {
    fn from(refused: cordon_core::jurisdiction::Refused) -> Self {
        use cordon_core::jurisdiction::Refused;
        match refused {
            Refused::Denied(d) => StoreError::Denied(d),
            Refused::Node(n) => StoreError::NodeRefused(n),
        }
    }
}

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
