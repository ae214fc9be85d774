//! Background jobs: escalate overdue tasks and silent units.
//!
//! [`run_due`] does one pass and is what tests call after moving the clock;
//! [`spawn`] runs it on an interval in the server. With several servers on
//! one PostgreSQL database every pass is idempotent (each task is re-checked
//! inside its own transaction and silent units are escalated once a day), so
//! overlapping passes do no harm.

use std::time::Duration;

use cordon_core::escalation::Escalation;
use cordon_core::task::Task;
use cordon_store::StoreError;

use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default)]
pub struct Pass {
    /// Tasks escalated (or marked overdue at the top).
    pub tasks: Vec<Task>,
    /// Silent units escalated.
    pub silent_units: Vec<Escalation>,
}

/// Runs every job once at the clock's current time.
pub async fn run_due(state: &AppState) -> Result<Pass, StoreError> {
    let now = state.now();
    let tasks = state.store.escalate_overdue_tasks(now).await?;
    let silent_units = state.store.escalate_silent_units(now).await?;
    Ok(Pass { tasks, silent_units })
}

/// Runs [`run_due`] every `every` until the process ends.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match run_due(&state).await {
                Ok(pass) if !pass.tasks.is_empty() || !pass.silent_units.is_empty() => {
                    tracing::info!(tasks = pass.tasks.len(), silent_units = pass.silent_units.len(), "escalated");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "background job failed"),
            }
        }
    })
}
