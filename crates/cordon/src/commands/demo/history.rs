//! The simulated past: feed every action that has already happened through
//! the store at its own simulated time, with the escalation jobs running
//! every ten simulated minutes (and the silent-unit pass once a day after
//! the silent hour), as the server would have, and the command's measures
//! each morning at nine.

use anyhow::Context;
use cordon_sim::{Scheduled, Simulation};
use jiff::{SignedDuration, Timestamp};

use super::feed::{Feeder, TimeMap};
use super::setup::World;
use crate::progress::Progress;

/// Simulated minutes between two passes of the escalation jobs.
const JOB_EVERY: SignedDuration = SignedDuration::from_mins(10);

/// The local hour of the command's daily measures.
const MEASURES_HOUR: i8 = 9;

/// A stretch of the past to feed: from `from` until `until`, the jobs'
/// silent-unit pass from `daily_from` on.
pub struct Stretch<'a> {
    /// What the progress shows, e.g. "history".
    pub label: &'a str,
    /// The date of simulated day 0.
    pub start: jiff::civil::Date,
    /// The whole days it covers, for the progress (0: part of today).
    pub days: u32,
    /// The first job pass (midnight of the first day).
    pub from: Timestamp,
    /// The last job pass (midnight after the last day, or now).
    pub until: Timestamp,
    /// The first date whose silent units are escalated.
    pub daily_from: jiff::civil::Date,
}

/// Feeds `actions` (in time order, all before `stretch.until`) and runs the
/// jobs over the stretch.
pub async fn feed(
    world: &World,
    sim: &Simulation,
    feeder: &mut Feeder,
    actions: &[Scheduled],
    map: &TimeMap,
    stretch: &Stretch<'_>,
) -> anyhow::Result<()> {
    let progress = Progress::new(actions.len() as u64, stretch.label, "actions");
    let mut jobs =
        Jobs { next: stretch.from, silent_done: None, measures_done: None, start: stretch.start, daily_from: stretch.daily_from };
    let mut shown_day = None;
    for s in actions {
        let at = map.at(s.at);
        jobs.run_until(world, sim, feeder, at).await?;
        if shown_day != Some(s.at.day()) {
            shown_day = Some(s.at.day());
            let date = world.settings.local_date(at);
            progress.set_label(match stretch.days {
                0 => format!("{} ({date})", stretch.label),
                days => format!("{}: day {} of {days} ({date})", stretch.label, s.at.day() + 1),
            });
        }
        feeder.apply(world, sim, s, at, map).await?;
        progress.inc(1);
    }
    jobs.run_until(world, sim, feeder, stretch.until).await?;
    progress.finish();
    Ok(())
}

/// The job clock of the simulated past.
struct Jobs {
    next: Timestamp,
    silent_done: Option<jiff::civil::Date>,
    measures_done: Option<jiff::civil::Date>,
    start: jiff::civil::Date,
    daily_from: jiff::civil::Date,
}

impl Jobs {
    /// Runs every pass due at or before `at`.
    async fn run_until(&mut self, world: &World, sim: &Simulation, feeder: &mut Feeder, at: Timestamp) -> anyhow::Result<()> {
        let silent_hour = world.settings.silent_unit_hour;
        while self.next <= at {
            let date = world.settings.local_date(self.next);
            let silent =
                self.silent_done != Some(date) && date >= self.daily_from && self.next >= world.settings.local_instant(date, silent_hour);
            // Orders are released and the day's follow-up tasks created once an hour.
            let hourly = self.next.as_second() % 3600 < JOB_EVERY.as_secs();
            feeder.jobs(self.next, silent, hourly).await?;
            if silent {
                self.silent_done = Some(date);
            }
            if self.measures_done != Some(date) && self.next >= world.settings.local_instant(date, MEASURES_HOUR) {
                let day = u32::try_from(self.start.until(date)?.get_days()).unwrap_or(0);
                feeder.measures(world, sim, (day, date), self.next).await?;
                self.measures_done = Some(date);
            }
            self.next = self.next.saturating_add(JOB_EVERY).context("the job clock ran off the calendar")?;
        }
        Ok(())
    }
}
