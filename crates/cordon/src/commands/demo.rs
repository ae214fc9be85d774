//! `cordon demo`: a generated country (about 25 million residents by
//! default, `--scale small` for a few hundred thousand), staffed around the
//! clock, with a simulated outbreak of `--days` days already run through the
//! real system, served on <http://127.0.0.1:8080> while the outbreak goes on
//! live.
//!
//! The address is bound first, so a port in use is reported before minutes
//! of building. A database that already holds a finished demo is served at
//! once (`--fresh` rebuilds it). The history covers whole days ending at
//! the last midnight, so the same seed gives the same history at any hour;
//! today's actions up to now are fed next, and the rest of today goes on
//! live.
//!
//! The country and the outbreak come from `cordon-sim`; everything is
//! written through the same core rules and store calls as the API, so cases,
//! tasks, escalations, audit records and events are real. See
//! docs/SIMULATION.md.

mod abroad;
mod feed;
mod history;
mod live;
mod measures;
mod quarantine;
mod record;
mod reopen;
pub(crate) mod setup;
mod summary;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use cordon_sim::{Country, CountrySpec, Level, Parameters, SimTime, Simulation};
use cordon_store::Store;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use super::DatabaseArgs;
use super::serve::{self, ServeArgs};
use super::simulate::ScaleArg;
use crate::progress::Progress;
use feed::TimeMap;
use record::DemoRecord;

/// Simulated time per real time in the live demo unless `--speed` says
/// otherwise: one simulated hour a minute, so that the board moves within a
/// minute even at night.
const DEFAULT_SPEED: f64 = 60.0;

/// Changes the build commits at a time: each change keeps its own savepoint
/// (a refusal undoes only its own writes), but the commit, its log writes and
/// its hand-offs to SQLite's thread are paid once per batch.
const CHANGES_PER_COMMIT: usize = 2_000;

/// Flags of `cordon demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Database URL for the demo.
    #[arg(long, env = "CORDON_DATABASE_URL", default_value = "sqlite://cordon-demo.db")]
    pub database: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Build a new demo, replacing the demo database if it exists (by
    /// default an existing demo is opened again).
    #[arg(long, visible_alias = "force")]
    pub fresh: bool,
    /// Build the demo and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Seed of the country and the outbreak: the same seed, the same outbreak [default: 1].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Size of the country [default: country].
    #[arg(long, value_enum)]
    pub scale: Option<ScaleArg>,
    /// Whole days of history before today [default: 90].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: Option<u32>,
    /// Simulated time per real time once the demo is live (60: a simulated
    /// hour a minute; 1: real time).
    #[arg(long, default_value_t = DEFAULT_SPEED)]
    pub speed: f64,
    #[command(flatten)]
    pub log: super::LogArgs,
}

/// What to build.
#[derive(Debug, Clone, Copy)]
struct Plan {
    seed: u64,
    scale: ScaleArg,
    days: u32,
    speed: f64,
}

/// Runs `cordon demo`.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    super::init_logging(args.log.log_format);
    if !(args.speed.is_finite() && args.speed > 0.0 && args.speed <= 10_000.0) {
        bail!("--speed must be a number above 0 and at most 10000");
    }
    let listener = if args.no_serve { None } else { Some(serve::bind(args.listen).await?) };
    if args.fresh {
        remove_sqlite_file(&args.database)?;
    }
    let db = DatabaseArgs { database: args.database.clone() };
    let store = db.open().await?;
    let plan = Plan {
        seed: args.seed.unwrap_or(1),
        scale: args.scale.unwrap_or(ScaleArg::Country),
        days: args.days.unwrap_or(90),
        speed: args.speed,
    };
    let live = match DemoRecord::load(&store).await? {
        Some(record) => {
            record.check_asked(args.seed, args.scale, args.days, &args.database)?;
            eprintln!(
                "Opening the demo in {} (seed {}, {} scale, {} days from {}, built {}); add --fresh to build a new one.",
                args.database,
                record.seed,
                record.scale,
                record.days,
                record.start,
                record.built_at.strftime("%Y-%m-%d %H:%M UTC")
            );
            reopen::reopen(&store, &record, Timestamp::now(), args.speed).await?
        }
        None if store.root_node().await?.is_some() => bail!(
            "{} holds jurisdictions but no finished demo (an interrupted build, or another database): \
             add --fresh to replace an SQLite demo file, or give an empty database",
            args.database
        ),
        None => build_and_record(&store, &plan, Timestamp::now()).await?,
    };
    summary::accounts(&live.world.accounts);
    let Some(listener) = listener else {
        store.close().await;
        return Ok(());
    };
    let serve_args = ServeArgs {
        db,
        listen: args.listen,
        secure_cookies: false,
        job_interval: 30,
        notify_webhook: None,
        public_url: None,
        trusted_proxies: Vec::new(),
        metrics_token: None,
        log: args.log.clone(),
        database_pool: 16,
        write_batch: 64,
    };
    let app = serve::application(&serve_args, listener, store.clone());
    let task = live::spawn(store.clone(), live, app.state().stopping.clone());
    let served = serve::serve(&serve_args, app).await;
    if tokio::time::timeout(Duration::from_secs(2), task).await.is_err() {
        tracing::warn!("the live demo did not stop in time");
    }
    store.close().await;
    eprintln!("cordon stopped. `cordon demo` opens this demo again; `--fresh` builds a new one.");
    served
}

/// Builds the demo, records it as finished, and prints what it holds.
async fn build_and_record(store: &Store, plan: &Plan, now: Timestamp) -> anyhow::Result<live::Live> {
    let started = Instant::now();
    store.set_bulk_loading(true).await?;
    let (live, built) = build(store, plan, now).await?;
    store.set_bulk_loading(false).await?;
    DemoRecord::new(plan.seed, plan.scale, plan.days, built.start, Timestamp::now()).save(store).await?;
    summary::built(&live, &built, started.elapsed());
    Ok(live)
}

/// What a build did, for its summary.
struct Built {
    /// The date of day 0.
    start: jiff::civil::Date,
    /// The last whole day of history (yesterday).
    last: jiff::civil::Date,
    /// Shifts put on the roster.
    shifts: u64,
    /// What the whole days of history fed (the same for the same seed).
    history: feed::Fed,
    /// The simulated outbreak at the end of the history.
    totals: cordon_sim::Totals,
    /// When today's actions were fed up to.
    now: Timestamp,
}

/// Builds the country, its staff and rosters, the whole days of history
/// and today up to `now`, committing [`CHANGES_PER_COMMIT`] changes at a
/// time ([`Store::hold_commits`]); returns what the live task needs.
async fn build(store: &Store, plan: &Plan, now: Timestamp) -> anyhow::Result<(live::Live, Built)> {
    store.hold_commits(CHANGES_PER_COMMIT);
    // The build's future holds the whole history's state across its awaits: on the heap.
    let built = Box::pin(build_held(store, plan, now)).await;
    // Committed even after a failure, so that the writer is free again.
    let released = store.release_commits().await;
    let built = built?;
    released.context("committing the last changes of the build")?;
    Ok(built)
}

/// [`build`] while its commits are held.
async fn build_held(store: &Store, plan: &Plan, now: Timestamp) -> anyhow::Result<(live::Live, Built)> {
    let country = Country::generate(&CountrySpec::of(plan.scale.into()), plan.seed).context("generating the country")?;
    let zone = TimeZone::get("Asia/Seoul").unwrap_or(TimeZone::UTC);
    let today = now.to_zoned(zone.clone()).date();
    let start = today.checked_sub(Span::new().days(i64::from(plan.days)))?;
    let params = Parameters::demo(plan.days);
    let daily_from = cordon_sim::action::day_date(start, params.daily_reports_from_day);
    let mut sim = Simulation::new(&country, params, plan.seed).context("setting up the simulation")?;
    eprintln!(
        "Building the demo: {} residents in {} units ({} provinces), {} days of outbreak from {start} (seed {}).",
        crate::progress::grouped(country.nation().population),
        crate::progress::grouped(country.units.len() as u64),
        country.at_level(Level::Province).count(),
        plan.days,
        plan.seed
    );
    let map = TimeMap::History { start, zone };
    let setup_at = map.at(SimTime::at(0, 6 * 60));
    let progress = Progress::new(setup::planned_writes(&country), "setting up the country", "writes");
    let world = setup::build(store, country, plan.seed, setup_at, &progress).await?;
    progress.finish();
    let until = today.checked_add(Span::new().days(3))?;
    let shifts = rosters(store, &world, start.yesterday()?, until, setup_at).await?;
    let mut feeder = feed::Feeder::new(store.clone());
    let past: Vec<_> = (0..plan.days).flat_map(|_| sim.step()).collect();
    let midnight = map.at(SimTime::at(plan.days, 0));
    let stretch =
        history::Stretch { label: "history", start, days: plan.days, from: map.at(SimTime::at(0, 0)), until: midnight, daily_from };
    history::feed(&world, &sim, &mut feeder, &past, &map, &stretch).await?;
    let (history, totals) = (feeder.fed, sim.totals());
    let mut today_actions = sim.step();
    let later = today_actions.split_off(today_actions.partition_point(|s| map.at(s.at) <= now));
    let stretch = history::Stretch { label: "today so far", start, days: 0, from: midnight, until: now, daily_from };
    history::feed(&world, &sim, &mut feeder, &today_actions, &map, &stretch).await?;
    let live_map = live_map(&map, now, plan.speed)?;
    let live = live::Live { world, sim, feeder, later, map: live_map, rostered_until: until };
    Ok((live, Built { start, last: today.yesterday()?, shifts, history, totals, now }))
}

/// Puts every worker on call from `from` until before `until`.
async fn rosters(
    store: &Store,
    world: &setup::World,
    from: jiff::civil::Date,
    until: jiff::civil::Date,
    at: Timestamp,
) -> anyhow::Result<u64> {
    let days = u64::from((until - from).get_days().max(0).unsigned_abs());
    let progress = Progress::new(days * world.workers.len() as u64, "rosters", "shifts");
    let mut shifts = 0;
    let mut day = from;
    while day < until {
        let next = day.tomorrow()?;
        shifts += setup::roster(store, world, day, next, at).await?;
        progress.set_position(shifts);
        day = next;
    }
    progress.finish();
    Ok(shifts)
}

/// From `now` on, simulated time runs `speed` times faster than real time
/// from where the history's calendar puts `now`.
fn live_map(history: &TimeMap, now: Timestamp, speed: f64) -> anyhow::Result<TimeMap> {
    let day0 = history.at(SimTime::at(0, 0));
    let minutes = now.duration_since(day0).as_secs().max(0) / 60;
    let sim = SimTime(u32::try_from(minutes).context("the demo's history is too long")?);
    Ok(TimeMap::Live { sim, wall: now, speed })
}

/// Removes an SQLite demo file and its journal (`--fresh`); a PostgreSQL
/// database cannot be emptied this way.
fn remove_sqlite_file(database: &str) -> anyhow::Result<()> {
    let Some(path) = database.strip_prefix("sqlite://").or_else(|| database.strip_prefix("sqlite:")) else {
        bail!("--fresh replaces SQLite demo files only; for PostgreSQL, drop and create the database ({database}) instead");
    };
    let path = path.split('?').next().unwrap_or(path);
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{path}{suffix}"));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
