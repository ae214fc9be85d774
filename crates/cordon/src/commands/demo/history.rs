//! The simulated past: run the outbreak from day 0 to today, then feed
//! every action that has already happened through the store at its own
//! simulated time, with the escalation jobs running every ten simulated
//! minutes (and the silent-unit pass once a day after the silent hour), as
//! the server would have.

use std::time::Duration;

use anyhow::Context;
use cordon_sim::{Scheduled, Simulation};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};

use super::feed::{Feeder, TimeMap};
use super::setup::World;

/// Simulated minutes between two passes of the escalation jobs.
const JOB_EVERY: SignedDuration = SignedDuration::from_mins(10);

/// Simulates days 0..=`today` and feeds what happened before `now` (the
/// silent-unit pass from `daily_from` on); returns the actions still to
/// come today.
pub async fn run(
    world: &World,
    sim: &mut Simulation,
    feeder: &mut Feeder,
    today: u32,
    map: &TimeMap,
    daily_from: jiff::civil::Date,
    now: Timestamp,
) -> anyhow::Result<Vec<Scheduled>> {
    let mut actions = Vec::new();
    for _ in 0..=today {
        actions.extend(sim.step());
    }
    let split = actions.partition_point(|s| map.at(s.at) <= now);
    let later = actions.split_off(split);
    let bar = ProgressBar::new(actions.len() as u64).with_style(
        ProgressStyle::with_template("{msg:<28} [{wide_bar}] {human_pos}/{human_len} actions · {per_sec} · ETA {eta}")
            .context("the progress template")?
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let first = actions.first().map(|s| map.at(s.at)).unwrap_or(now);
    let mut next_job = first;
    let mut silent_done = None;
    let silent_hour = world.settings.silent_unit_hour;
    let mut shown_day = None;
    for s in &actions {
        let at = map.at(s.at);
        while next_job <= at {
            let date = world.settings.local_date(next_job);
            let silent = silent_done != Some(date) && date >= daily_from && next_job >= world.settings.local_instant(date, silent_hour);
            // Orders are released and the day's follow-up tasks created once an hour.
            let hourly = next_job.as_second() % 3600 < JOB_EVERY.as_secs();
            feeder.jobs(next_job, silent, hourly).await?;
            if silent {
                silent_done = Some(date);
            }
            next_job = next_job.saturating_add(JOB_EVERY).context("the job clock ran off the calendar")?;
        }
        if shown_day != Some(s.at.day()) {
            shown_day = Some(s.at.day());
            bar.set_message(format!("history: day {} ({})", s.at.day(), world.settings.local_date(at)));
        }
        feeder.apply(world, sim, s, at, map).await?;
        bar.inc(1);
    }
    feeder.jobs(now, false, true).await?;
    bar.finish_and_clear();
    Ok(later)
}
