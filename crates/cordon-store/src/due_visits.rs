//! Finding a person's follow-up visit that is still to be done: the task a
//! worker opens when they stand at the door of someone under an isolation
//! or quarantine order (the demo's simulated workers find theirs this way).

use cordon_core::order::OrderKind;
use cordon_core::task::Task;
use uuid::Uuid;

use crate::error::Result;
use crate::tasks::task_by_id;
use crate::{Store, exec};

impl Store {
    /// The newest follow-up task not yet done for the person's order of
    /// `kind` (isolation or quarantine), if any.
    pub async fn open_follow_up(&self, person_id: Uuid, kind: OrderKind) -> Result<Option<Task>> {
        let kind = match kind {
            OrderKind::Isolation => "isolation",
            OrderKind::Quarantine => "quarantine",
        };
        self.read(async |c| {
            let id: Option<Uuid> = exec!(
                c,
                sqlx::query_scalar(
                    "SELECT t.id FROM tasks t JOIN orders o ON o.id = t.order_id \
                     WHERE t.person_id = $1 AND t.kind = 'follow_up' AND t.status IN ('assigned', 'escalated', 'overdue') AND o.kind = $2 \
                     ORDER BY t.created_at DESC LIMIT 1"
                )
                .bind(person_id)
                .bind(kind),
                fetch_optional
            )?;
            match id {
                Some(id) => task_by_id(c, id).await,
                None => Ok(None),
            }
        })
        .await
    }
}
