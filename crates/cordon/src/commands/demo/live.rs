//! The demo keeps going while the server runs: a background task advances
//! the simulation day by day and feeds each action when its (real) time
//! comes, so the dashboard moves. `--speed N` runs simulated time N times
//! faster than real time; instants and dates stay on the real clock so the
//! server's "today" agrees. The task also keeps the rosters three days ahead.
//! The command's measures of each new day are taken when the day begins.
//! The server's own background job escalates overdue tasks, silent units
//! and unacknowledged directives.
//! The task stops between two actions when the server stops.

use std::collections::VecDeque;
use std::time::Duration;

use cordon_sim::{Scheduled, SimTime, Simulation};
use cordon_store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use tokio_util::sync::CancellationToken;

use super::feed::{Feeder, TimeMap};
use super::setup::{World, roster};

/// Everything the live task owns.
pub struct Live {
    /// The stored country.
    pub world: World,
    /// The simulation, advanced to the end of today.
    pub sim: Simulation,
    /// The feeder, with the ids of the history.
    pub feeder: Feeder,
    /// Today's actions still to come.
    pub later: Vec<Scheduled>,
    /// How simulated time maps onto real time from now on.
    pub map: TimeMap,
    /// The last day with shifts on the roster (exclusive).
    pub rostered_until: Date,
}

/// Starts the live task on the runtime; it ends when `stopping` is cancelled.
pub fn spawn(store: Store, live: Live, stopping: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut live = live;
        let mut buffer: VecDeque<Scheduled> = std::mem::take(&mut live.later).into();
        while !stopping.is_cancelled() {
            let wait = match step(&store, &mut live, &mut buffer, &stopping).await {
                Ok(wait) => wait,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "the live demo could not feed an action");
                    Duration::from_secs(10)
                }
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = stopping.cancelled() => {}
            }
        }
    })
}

/// Feeds what is due, steps the simulation when its next day has begun,
/// extends the rosters; says how long to wait for the next thing to do.
async fn step(store: &Store, live: &mut Live, buffer: &mut VecDeque<Scheduled>, stopping: &CancellationToken) -> anyhow::Result<Duration> {
    let now = Timestamp::now();
    while let Some(s) = buffer.front() {
        if live.map.at(s.at) > now || stopping.is_cancelled() {
            break;
        }
        let at = Timestamp::now();
        live.feeder.apply(&live.world, &live.sim, s, at, &live.map).await?;
        buffer.pop_front();
    }
    if buffer.is_empty() && live.map.at(SimTime::at(live.sim.day(), 0)) <= now {
        let day = live.sim.day();
        buffer.extend(live.sim.step());
        tracing::info!(day, actions = buffer.len(), "the simulation moved to a new day");
        let date = live.world.settings.local_date(now);
        live.feeder.measures(&live.world, &live.sim, (day, date), now).await?;
    }
    let today = live.world.settings.local_date(now);
    let horizon = today.checked_add(jiff::Span::new().days(3))?;
    if live.rostered_until < horizon {
        roster(store, &live.world, live.rostered_until, horizon, now).await?;
        live.rostered_until = horizon;
    }
    let next = buffer.front().map_or_else(|| live.map.at(SimTime::at(live.sim.day(), 0)), |s| live.map.at(s.at));
    let wait = next.duration_since(Timestamp::now()).unsigned_abs();
    Ok(if next <= Timestamp::now() { Duration::ZERO } else { wait.min(Duration::from_secs(30)) })
}
