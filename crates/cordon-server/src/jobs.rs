//! Background jobs: escalate overdue tasks and silent units.
//!
//! [`run_due`] does one pass and is what tests call after moving the clock;
//! [`spawn`] runs it on an interval in the server. With several servers on
//! one PostgreSQL database one server at a time runs a pass (an advisory
//! lock, [`cordon_store::Store::exclusively`]); the passes are idempotent
//! anyway (each task is re-checked inside its own transaction, silent units
//! are escalated once a day, follow-ups once per order and day), so a pass
//! cut short by a crash is simply finished by the next one.

use std::time::Duration;

use cordon_core::alert::Alert;
use cordon_core::escalation::Escalation;
use cordon_core::order::Order;
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
    /// Units escalated for not acknowledging a directive by the deadline.
    pub unacknowledged: Vec<Escalation>,
    /// Follow-up visit tasks created for today.
    pub follow_ups: Vec<Task>,
    /// Orders released because their last day passed.
    pub released: Vec<Order>,
    /// Notifications delivered.
    pub notified: usize,
    /// Alerts raised by the daily outbreak detection (once per local day).
    pub alerts: Vec<Alert>,
}

/// Runs every job once at the clock's current time.
pub async fn run_due(state: &AppState) -> Result<Pass, StoreError> {
    let now = state.now();
    let tasks = state.store.escalate_overdue_tasks(now).await?;
    let silent_units = state.store.escalate_silent_units(now).await?;
    let unacknowledged = state.store.escalate_unacknowledged_directives(now).await?;
    let released = state.store.release_due_orders(now).await?;
    let follow_ups = state.store.create_due_follow_ups(now).await?;
    let notified = deliver_notifications(state).await?;
    let alerts = crate::detection::run_daily(state).await?;
    Ok(Pass { tasks, silent_units, unacknowledged, follow_ups, released, notified, alerts })
}

/// The advisory lock key of the background jobs ("cordon" in ASCII).
pub const JOBS_LOCK: i64 = 0x636f_7264_6f6e;

/// Runs [`run_due`] every `every` until the server stops (skipping a pass
/// while another server on the same PostgreSQL database runs one); a pass
/// under way when the server stops is finished first.
#[must_use]
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                () = state.stopping.cancelled() => break,
            }
            match state.store.exclusively(JOBS_LOCK, async || run_due(&state).await).await {
                Ok(None) => tracing::debug!("another server is running the jobs"),
                Ok(Some(pass)) if !pass.tasks.is_empty() || !pass.silent_units.is_empty() || !pass.unacknowledged.is_empty() => {
                    tracing::info!(
                        tasks = pass.tasks.len(),
                        silent_units = pass.silent_units.len(),
                        unacknowledged = pass.unacknowledged.len(),
                        "escalated"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "background job failed"),
            }
        }
    })
}

/// Sends queued notifications through the configured channel; a failure
/// leaves the message queued for the next pass.
pub async fn deliver_notifications(state: &AppState) -> Result<usize, StoreError> {
    let mut sent = 0;
    for message in state.store.pending_notifications(200).await? {
        match state.notifier.send(&message).await {
            Ok(()) => {
                state.store.mark_notification_sent(message.id, state.notifier.channel(), state.now()).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(%error, channel = state.notifier.channel(), "notification not delivered; will retry");
                break;
            }
        }
    }
    Ok(sent)
}
