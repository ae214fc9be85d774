//! `cordon simulate`: generate the demo country and its outbreak without a
//! server or a database, and write every symptom report to a CSV file (one
//! a line, with its date, time and unit and the unit's district, county and
//! province), for load tests and for the statistics: the daily counts per
//! area are what outbreak detection reads.
//!
//! The outbreak is the demo's (`Parameters::demo`): the same `--seed`,
//! `--scale` and `--days` give the reports `cordon demo` stores. It also
//! serves as the simulator's benchmark: it prints how long the model took
//! (see docs/PERFORMANCE.md).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use cordon_sim::{Action, Country, CountrySpec, Level, Parameters, Scale, SimTime, Simulation, SymptomReport};
use jiff::civil::Date;

/// Size of the generated country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    /// A few hundred thousand residents.
    Small,
    /// About 25 million residents in 9-12 provinces.
    Country,
}

impl From<ScaleArg> for Scale {
    fn from(s: ScaleArg) -> Scale {
        match s {
            ScaleArg::Small => Scale::Small,
            ScaleArg::Country => Scale::Country,
        }
    }
}

/// Flags of `cordon simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Seed of the country and the outbreak: the same seed, the same outbreak.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Size of the country.
    #[arg(long, value_enum, default_value = "country")]
    pub scale: ScaleArg,
    /// Days to simulate.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Date of the first simulated day (default: `--days` days before today).
    #[arg(long)]
    pub start: Option<Date>,
    /// Where to write the reports (CSV); `-` for standard output.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `cordon simulate`.
pub fn run(args: &SimulateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let start = match args.start {
        Some(d) => d,
        None => jiff::Zoned::now().date().checked_sub(jiff::Span::new().days(i64::from(args.days))).context("computing the start date")?,
    };
    let country = Country::generate(&CountrySpec::of(args.scale.into()), args.seed).context("generating the country")?;
    let mut sim = Simulation::new(&country, Parameters::demo(args.days), args.seed).context("setting up the simulation")?;
    let built = started.elapsed();
    let out: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?)
    };
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(out));
    csv.write_record(COLUMNS)?;
    let mut model = built;
    let (mut outbreak, mut background) = (0u64, 0u64);
    for _ in 0..args.days {
        let t = Instant::now();
        let actions = sim.step();
        model += t.elapsed();
        for s in actions {
            let Action::Report(r) = s.action else { continue };
            write_report(&mut csv, &country, &sim, start, s.at, &r)?;
            match r.cause {
                cordon_sim::Cause::Outbreak => outbreak += 1,
                cordon_sim::Cause::Background => background += 1,
            }
        }
    }
    csv.flush().context("writing the reports")?;
    let t = sim.totals();
    eprintln!(
        "{} residents in {} units; {} days from {start}: {} infections ({} imported), {} reports ({outbreak} outbreak, {background} background), {} confirmed, {} deaths{}",
        sim.population(),
        country.units.len(),
        args.days,
        t.infections,
        t.imported,
        outbreak + background,
        t.confirmed,
        t.deaths,
        sim.measures_from().map(|d| format!("; measures from day {d}")).unwrap_or_default(),
    );
    eprintln!(
        "model {:.2} s (country and households {:.2} s), total {:.2} s",
        model.as_secs_f64(),
        built.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The columns of the CSV, in order.
const COLUMNS: [&str; 14] = [
    "date",
    "time",
    "unit_code",
    "district_code",
    "county_code",
    "province_code",
    "person",
    "sex",
    "age",
    "symptoms",
    "temperature_c",
    "onset_date",
    "meets_definition",
    "cause",
];

/// Writes one report as a line of the CSV.
fn write_report<W: Write>(
    csv: &mut csv::Writer<W>,
    country: &Country,
    sim: &Simulation,
    start: Date,
    at: SimTime,
    r: &SymptomReport,
) -> anyhow::Result<()> {
    let unit = country.units[r.unit as usize];
    let code = |level| country.areas[country.ancestor(unit, level)].code.as_str();
    let resident = sim.resident(r.person);
    let symptoms: Vec<&str> = r.symptoms.iter().map(|s| s.as_str()).collect();
    let civil = at.civil(start);
    Ok(csv.write_record([
        civil.date().to_string().as_str(),
        &civil.time().strftime("%H:%M").to_string(),
        code(Level::Unit),
        code(Level::District),
        code(Level::County),
        code(Level::Province),
        &r.person.to_string(),
        resident.sex.as_str(),
        &resident.age.to_string(),
        &symptoms.join(";"),
        &r.temperature_c.map(|t| format!("{t:.1}")).unwrap_or_default(),
        &cordon_sim::action::day_date(start, r.onset_day).to_string(),
        if r.meets_definition { "true" } else { "false" },
        r.cause.as_str(),
    ])?)
}
