//! `cordon demo`: a generated country (about 25 million residents by
//! default, `--scale small` for a few hundred thousand), staffed around the
//! clock, with a simulated outbreak of `--days` days already run through the
//! real system, served on http://127.0.0.1:8080 while the outbreak goes on
//! live.
//!
//! The country and the outbreak come from `cordon-sim` (same `--seed`, same
//! outbreak); everything is written through the same core rules and store
//! calls as the API, so cases, tasks, escalations, audit records and events
//! are real. See docs/SIMULATION.md.

mod feed;
mod history;
mod live;
mod quarantine;
mod setup;

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use cordon_core::user::Role;
use cordon_sim::{Country, CountrySpec, Level, Parameters, SimTime, Simulation};
use cordon_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{Span, Timestamp};

use super::DatabaseArgs;
use super::serve::{ServeArgs, serve};
use super::simulate::ScaleArg;
use setup::{Account, DEMO_PASSWORD};

/// Flags of `cordon demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Database URL for the demo.
    #[arg(long, env = "CORDON_DATABASE_URL", default_value = "sqlite://cordon-demo.db")]
    pub database: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Replace an existing demo database without asking.
    #[arg(long)]
    pub force: bool,
    /// Build the demo and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Seed of the country and the outbreak: the same seed, the same outbreak.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Size of the country.
    #[arg(long, value_enum, default_value = "country")]
    pub scale: ScaleArg,
    /// Days of history before today.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: u32,
    /// Simulated time per real time once the history is built (1 = real time).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
}

/// Runs `cordon demo`.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    super::init_logging();
    if !(args.speed.is_finite() && args.speed > 0.0 && args.speed <= 10_000.0) {
        bail!("--speed must be a number above 0 and at most 10000");
    }
    prepare_database(&args)?;
    let db = DatabaseArgs { database: args.database.clone() };
    let store = db.open().await?;
    if store.root_node().await?.is_some() {
        bail!("{} already holds jurisdictions; use an empty PostgreSQL database for the demo", args.database);
    }
    let started = Instant::now();
    store.set_bulk_loading(true).await?;
    let (live, shifts) = build(&store, &args).await?;
    store.set_bulk_loading(false).await?;
    summary(&live, shifts, started.elapsed());
    print_accounts(&live.world.accounts);
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    let task = live::spawn(store.clone(), live);
    let serve_args = ServeArgs { db, listen: args.listen, secure_cookies: false, job_interval: 30, notify_webhook: None };
    let served = serve(&serve_args, store).await;
    task.abort();
    served
}

/// Builds the country, its staff and rosters and the history; returns what
/// the live task needs and the number of shifts added.
async fn build(store: &Store, args: &DemoArgs) -> anyhow::Result<(live::Live, u64)> {
    let country = Country::generate(&CountrySpec::of(args.scale.into()), args.seed).context("generating the country")?;
    let now = Timestamp::now();
    let zone = jiff::tz::TimeZone::get("Asia/Seoul").unwrap_or(jiff::tz::TimeZone::UTC);
    let today = now.to_zoned(zone.clone()).date();
    let start = today.checked_sub(Span::new().days(i64::from(args.days)))?;
    let params = Parameters::demo(args.days);
    let daily_from_day = params.daily_reports_from_day;
    let mut sim = Simulation::new(&country, params, args.seed).context("setting up the simulation")?;
    eprintln!(
        "Building the demo: {} residents in {} units ({} provinces), {} days of outbreak from {start} (seed {}).",
        country.nation().population,
        country.units.len(),
        country.at_level(Level::Province).count(),
        args.days,
        args.seed
    );
    let setup_at = SimTime::at(0, 6 * 60).civil(start).to_zoned(zone.clone())?.timestamp();
    let clock = Instant::now();
    let bar = bar(setup::planned_writes(&country), "setting up the country")?;
    let world = setup::build(store, country, args.seed, setup_at, &bar).await?;
    bar.finish_and_clear();
    let setup_took = clock.elapsed();
    let until = today.checked_add(Span::new().days(3))?;
    let days = (until - start).get_days().max(0) as u64;
    let bar = bar_with(days * world.workers.len() as u64, "rosters", "shifts")?;
    let mut shifts = 0;
    let mut day = start.yesterday()?;
    while day < until {
        let next = day.tomorrow()?;
        shifts += setup::roster(store, &world, day, next, setup_at).await?;
        bar.set_position(shifts);
        day = next;
    }
    bar.finish_and_clear();
    let rosters_took = clock.elapsed() - setup_took;
    let map = feed::TimeMap::History { start, zone };
    let mut feeder = feed::Feeder::new(store.clone());
    let daily_from = cordon_sim::action::day_date(start, daily_from_day);
    let later = history::run(&world, &mut sim, &mut feeder, args.days, &map, daily_from, now).await?;
    eprintln!(
        "Country and staff {:.0} s, rosters {:.0} s, history {:.0} s.",
        setup_took.as_secs_f64(),
        rosters_took.as_secs_f64(),
        (clock.elapsed() - setup_took - rosters_took).as_secs_f64()
    );
    // From here on, simulated time runs against the real clock, from now.
    let day0 = map.at(SimTime::at(0, 0));
    let minutes = now.duration_since(day0).as_secs().max(0) / 60;
    let anchor = SimTime(u32::try_from(minutes).context("the history is too long")?);
    let map = feed::TimeMap::Live { sim: anchor, wall: now, speed: args.speed };
    Ok((live::Live { world, sim, feeder, later, map, rostered_until: until }, shifts))
}

fn bar(len: u64, msg: &'static str) -> anyhow::Result<ProgressBar> {
    bar_with(len, msg, "writes")
}

fn bar_with(len: u64, msg: &'static str, unit: &str) -> anyhow::Result<ProgressBar> {
    let template = format!("{{msg:<28}} [{{wide_bar}}] {{human_pos}}/{{human_len}} {unit} · {{per_sec}} · ETA {{eta}}");
    let bar =
        ProgressBar::new(len).with_style(ProgressStyle::with_template(&template).context("the progress template")?.progress_chars("=> "));
    bar.set_message(msg);
    bar.enable_steady_tick(Duration::from_millis(200));
    Ok(bar)
}

/// Removes an existing SQLite demo file after asking (or with `--force`).
fn prepare_database(args: &DemoArgs) -> anyhow::Result<()> {
    let Some(path) = args.database.strip_prefix("sqlite://").or_else(|| args.database.strip_prefix("sqlite:")) else { return Ok(()) };
    let path = std::path::Path::new(path.split('?').next().unwrap_or(path));
    if !path.exists() {
        return Ok(());
    }
    if !args.force {
        if !std::io::stdin().is_terminal() {
            bail!("{} exists; run again with --force to replace it", path.display());
        }
        eprint!("{} exists. Replace it with a new demo? [y/N] ", path.display());
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("kept the existing demo database; nothing changed");
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    Ok(())
}

fn summary(live: &live::Live, shifts: u64, took: Duration) {
    let f = live.feeder.fed;
    let t = live.sim.totals();
    eprintln!(
        "Built in {:.0} s: {} nodes, {} users, {} shifts; {} reports about {} residents, {} cases ({} confirmed, {} discarded), \
         {} acknowledgements, {} escalated tasks, {} daily reports, {} silent-unit escalations, {} contacts quarantined, \
         {} follow-up visits, {} arrivals; {} actions refused by the rules.",
        took.as_secs_f64(),
        live.world.nodes.len(),
        live.world.accounts.len(),
        shifts,
        f.reports,
        f.persons,
        f.cases,
        f.confirmed,
        f.discarded,
        f.acknowledged,
        f.escalated,
        f.daily,
        f.silent,
        f.contacts,
        f.visits,
        f.arrivals,
        f.refused
    );
    eprintln!(
        "The simulated outbreak so far: {} infections ({} imported), {} deaths{}.",
        t.infections,
        t.imported,
        t.deaths,
        live.sim.measures_from().map(|d| format!("; measures in force from day {d}")).unwrap_or_default()
    );
}

fn print_accounts(accounts: &[Account]) {
    println!("\nDemo accounts (password for all: {DEMO_PASSWORD}):");
    let mut shown = std::collections::HashSet::new();
    for a in accounts {
        // One example per role and level is enough to find one's way.
        if shown.insert((a.role, a.level)) {
            println!("  {:<28} {:<16} at {} ({:?})", a.username, a.role.as_str(), a.node, a.level);
        }
    }
    let first_unit = accounts.iter().find(|a| a.role == Role::Reporter).map(|a| a.node.as_str()).unwrap_or("");
    println!("  Every unit has a head (head.<unit code>, e.g. head.{first_unit}); every county, province and the nation");
    println!("  have health workers on call (worker.<code>.day and .night) and a command officer (command.<code>).\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use cordon_store::audit::Table;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_small_demo_fills_every_table_through_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let database = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = Store::open(&database).await.unwrap();
        let args = DemoArgs {
            database,
            listen: "127.0.0.1:0".parse().unwrap(),
            force: true,
            no_serve: true,
            seed: 2,
            scale: ScaleArg::Small,
            days: 40,
            speed: 1.0,
        };
        store.set_bulk_loading(true).await.unwrap();
        let (live, shifts) = build(&store, &args).await.unwrap();
        store.set_bulk_loading(false).await.unwrap();
        let tables = [
            Table::Reports,
            Table::DailyReports,
            Table::Cases,
            Table::Tasks,
            Table::Persons,
            Table::Escalations,
            Table::Audit,
            Table::Users,
            Table::Nodes,
            Table::Shifts,
        ];
        for table in tables {
            assert!(store.count(table).await.unwrap() > 0, "{table:?} is empty");
        }
        let fed = live.feeder.fed;
        assert_eq!(store.count(Table::Reports).await.unwrap() as u64, fed.reports);
        assert_eq!(store.count(Table::Shifts).await.unwrap() as u64, shifts);
        assert_eq!(store.count(Table::Nodes).await.unwrap() as usize, live.world.country.areas.len());
        assert!(fed.acknowledged > 0 && fed.confirmed > 0 && fed.discarded > 0 && fed.escalated > 0 && fed.silent > 0, "{fed:?}");
        assert!(fed.contacts > 0 && fed.visits > 0 && fed.arrivals > 0, "{fed:?}");
        let root = store.root_node().await.unwrap().unwrap();
        assert_eq!(store.boundaries_under(&root.path, Some(4)).await.unwrap().len(), live.world.country.units.len());
        // The quarantine side: orders, contacts handed over, arrivals, investigations.
        let all = cordon_store::orders::OrderFilter { path: root.path.clone(), in_force: false, status: None };
        let first = cordon_store::paging::PageRequest::first(10);
        assert!(store.orders_page(&all, &first).await.unwrap().total > 0);
        assert!(store.arrivals_page(&root.path, &cordon_store::paging::PageRequest::first(10)).await.unwrap().total > 0);
        assert!(store.handovers_page(&root.path, &cordon_store::paging::PageRequest::first(10)).await.unwrap().total > 0);
        let confirmed = store.cases_under(&root.path, Some(cordon_core::case::CaseStatus::Confirmed), 1).await.unwrap();
        assert!(store.investigation(confirmed[0].id).await.unwrap().is_some());
    }
}
