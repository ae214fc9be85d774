//! `cordon bench data --reports N --database URL`: a national database of N
//! symptom reports, about half of them opening a case, spread over the
//! demo country's units (by population) and the days (an epidemic wave
//! peaking two thirds of the way in), with the demo's accounts (`command`,
//! password `cordon-demo`).
//!
//! The country and its staff are created through the same store calls as
//! `cordon demo`; the residents, reports, cases and investigation tasks go
//! through the bulk path (`Store::load_bulk`: multi-row inserts, one
//! transaction per batch, read-model triggers paused, secondary indexes set
//! aside), and the indexes, the read models and the daily counts are built
//! once at the end.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use cordon_core::case::{Case, CaseStatus, Outcome};
use cordon_core::person::Sex;
use cordon_core::report::{Report, Symptom};
use cordon_core::task::TaskStatus;
use cordon_sim::{Country, CountrySpec};
use cordon_store::Store;
use cordon_store::bulk_load::{BulkBatch, BulkCase, BulkPerson, BulkReport, BulkTask};
use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::super::demo::setup::{self, World};
use super::super::simulate::ScaleArg;
use crate::progress::{Progress, grouped};

/// Reports written per transaction.
const BATCH_REPORTS: u64 = 20_000;

/// `cordon bench data`.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// How many symptom reports to generate.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub reports: u64,
    /// Database URL (an empty database): `sqlite://FILE` or `postgres://...`.
    #[arg(long, env = "CORDON_DATABASE_URL")]
    pub database: String,
    /// Days of the wave, ending today.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: u32,
    /// The country's size.
    #[arg(long, value_enum, default_value = "country")]
    pub scale: ScaleArg,
    /// Seed of the country and of the data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Where the generated reports fall: days of the wave and units by population.
struct Spread {
    /// Cumulative weight of each day.
    days: Vec<f64>,
    /// Cumulative population of each unit (indexes into `country.units`).
    units: Vec<f64>,
    first: Date,
    today: Date,
}

impl Spread {
    fn new(country: &Country, days: u32, today: Date) -> anyhow::Result<Spread> {
        let n = f64::from(days);
        let peak = n * 2.0 / 3.0;
        let width = (n / 6.0).max(1.0);
        let mut total = 0.0;
        let days_cum = (0..days)
            .map(|d| {
                total += 0.05 + (-((f64::from(d) - peak) / width).powi(2)).exp();
                total
            })
            .collect();
        let mut people = 0.0;
        #[expect(clippy::cast_precision_loss, reason = "a population is far below 2^52")]
        let units_cum = country
            .units
            .iter()
            .map(|u| {
                people += country.areas[*u].population.max(1) as f64;
                people
            })
            .collect();
        let first = today.checked_sub(Span::new().days(i64::from(days) - 1))?;
        Ok(Spread { days: days_cum, units: units_cum, first, today })
    }

    /// A day offset and a unit index drawn from the wave.
    fn draw(&self, rng: &mut ChaCha8Rng) -> (usize, usize) {
        let pick = |cum: &[f64], rng: &mut ChaCha8Rng| {
            let x = rng.random_range(0.0..*cum.last().unwrap_or(&1.0));
            cum.partition_point(|c| *c <= x).min(cum.len() - 1)
        };
        (pick(&self.days, rng), pick(&self.units, rng))
    }
}

/// Builds one batch of `n` reports.
struct Generator {
    world: Arc<World>,
    spread: Spread,
    rng: ChaCha8Rng,
    now: Timestamp,
    definition: String,
    /// The last resident with a case in each unit, who reports again without one.
    last_person: Vec<Option<Uuid>>,
}

impl Generator {
    fn batch(&mut self, n: u64) -> anyhow::Result<BulkBatch> {
        let mut batch = BulkBatch::default();
        for _ in 0..n {
            let (day_offset, unit) = self.spread.draw(&mut self.rng);
            let day = self.spread.first.checked_add(Span::new().days(i64::try_from(day_offset)?))?;
            let at = self.instant(day)?;
            if self.rng.random_bool(0.5) || self.last_person[unit].is_none() {
                self.with_case(&mut batch, unit, day, at)?;
            } else {
                self.without_case(&mut batch, unit, day, at);
            }
        }
        Ok(batch)
    }

    /// A random instant on the local `day` (before now).
    fn instant(&mut self, day: Date) -> anyhow::Result<Timestamp> {
        let start = self.world.settings.local_instant(day, 0);
        let end = self.world.settings.local_instant(day.tomorrow()?, 0).min(self.now);
        let span = (end.as_microsecond() - start.as_microsecond()).max(1);
        Ok(Timestamp::from_microsecond(start.as_microsecond() + self.rng.random_range(0..span))?)
    }

    fn person(&mut self, batch: &mut BulkBatch, unit: usize, at: Timestamp) -> Uuid {
        let node = &self.world.nodes[self.world.country.units[unit]];
        let id = Uuid::now_v7();
        let sex = if self.rng.random_bool(0.5) { Sex::Female } else { Sex::Male };
        let full_name = cordon_sim::names::person(&mut self.rng);
        let birth_year = self.rng.random_range(1930..2024);
        batch.persons.push(BulkPerson {
            id,
            full_name,
            sex,
            birth_year,
            unit_id: node.id,
            unit_path: node.path.as_str().to_owned(),
            created_at: at,
        });
        id
    }

    fn report(&self, unit: usize, person_id: Uuid, symptoms: Vec<Symptom>, temperature_c: Option<f64>, at: Timestamp) -> Report {
        let node = &self.world.nodes[self.world.country.units[unit]];
        Report {
            id: Uuid::now_v7(),
            person_id,
            unit_id: node.id,
            unit_path: node.path.clone(),
            reporter_id: self.world.heads[unit].id,
            symptoms,
            temperature_c,
            onset_date: None,
            note: None,
            received_at: at,
            case_id: None,
        }
    }

    /// When a task of `status` assigned `at` was acknowledged (5 minutes to
    /// 4 hours later) and visited (half an hour to 10 hours after that),
    /// never after now.
    fn responses(&mut self, status: TaskStatus, at: Timestamp) -> anyhow::Result<(Option<Timestamp>, Option<Timestamp>)> {
        if status == TaskStatus::Assigned {
            return Ok((None, None));
        }
        let acknowledged = at.checked_add(SignedDuration::from_secs(self.rng.random_range(300..14_400)))?.min(self.now);
        if status != TaskStatus::Done {
            return Ok((Some(acknowledged), None));
        }
        let visited = acknowledged.checked_add(SignedDuration::from_secs(self.rng.random_range(1_800..36_000)))?.min(self.now);
        Ok((Some(acknowledged), Some(visited)))
    }

    fn with_case(&mut self, batch: &mut BulkBatch, unit: usize, day: Date, at: Timestamp) -> anyhow::Result<()> {
        let person_id = self.person(batch, unit, at);
        self.last_person[unit] = Some(person_id);
        let onset = day.checked_sub(Span::new().days(self.rng.random_range(0..3)))?;
        let age = self.spread.today.since(day)?.get_days();
        let (status, outcome) = self.classification(age);
        let world = Arc::clone(&self.world);
        let node = &world.nodes[world.country.units[unit]];
        let case = Case {
            id: Uuid::now_v7(),
            person_id,
            unit_id: node.id,
            unit_path: node.path.clone(),
            status,
            outcome,
            onset_date: Some(onset),
            definition_code: self.definition.clone(),
            source_case_id: None,
            opened_at: at,
            updated_at: at,
        };
        let temperature = 38.0 + f64::from(self.rng.random_range(0..16_u8)) / 10.0;
        let mut report = self.report(unit, person_id, vec![Symptom::Fever, Symptom::Cough], Some(temperature), at);
        report.onset_date = Some(onset);
        report.case_id = Some(case.id);
        let worker = &world.workers[self.rng.random_range(0..world.workers.len())];
        let deadline = at.checked_add(SignedDuration::from_hours(2))?;
        let task_status = match age {
            0 if deadline > self.now => TaskStatus::Assigned,
            0 | 1 => TaskStatus::Acknowledged,
            _ => TaskStatus::Done,
        };
        let (acknowledged_at, visited_at) = self.responses(task_status, at)?;
        batch.tasks.push(BulkTask {
            id: Uuid::now_v7(),
            case_id: case.id,
            person_id,
            subject_path: node.path.as_str().to_owned(),
            area_path: worker.area.path.as_str().to_owned(),
            assignee_id: Some(worker.user.id),
            status: task_status,
            deadline,
            created_at: at,
            created_date: day,
            acknowledged_at,
            acknowledged_in_time: acknowledged_at.map(|a| a <= deadline),
            visited_at,
        });
        batch.cases.push(BulkCase { case, opened_date: day, first_report_date: day });
        batch.reports.push(BulkReport { report, report_date: day });
        Ok(())
    }

    /// Where a case opened `age` days ago stands: the last days' cases are
    /// still suspected, older ones classified, a few confirmed ones died.
    fn classification(&mut self, age: i32) -> (CaseStatus, Option<Outcome>) {
        if age < 2 {
            return (CaseStatus::Suspected, None);
        }
        let x: f64 = self.rng.random();
        match x {
            x if x < 0.55 => (CaseStatus::Discarded, None),
            x if x < 0.65 => (CaseStatus::Probable, None),
            x if x < 0.655 => (CaseStatus::Confirmed, Some(Outcome::Died)),
            x if x < 0.9 => (CaseStatus::Confirmed, Some(Outcome::Recovered)),
            _ => (CaseStatus::Confirmed, None),
        }
    }

    fn without_case(&mut self, batch: &mut BulkBatch, unit: usize, day: Date, at: Timestamp) {
        let person_id = self.last_person[unit].unwrap_or_default();
        let symptom = [Symptom::Rash, Symptom::Headache, Symptom::RunnyNose, Symptom::Fatigue][self.rng.random_range(0..4)];
        let report = self.report(unit, person_id, vec![symptom], None, at);
        batch.reports.push(BulkReport { report, report_date: day });
    }
}

/// Generates `reports` reports in batches and sends them to the loader
/// until all are sent, generation fails or the loader has gone.
fn generate(mut generator: Generator, reports: u64, sender: &tokio::sync::mpsc::Sender<anyhow::Result<(u64, BulkBatch)>>) {
    let mut made = 0;
    while made < reports {
        let n = BATCH_REPORTS.min(reports - made);
        let batch = generator.batch(n);
        let failed = batch.is_err();
        if sender.blocking_send(batch.map(|b| (n, b))).is_err() || failed {
            return;
        }
        made += n;
    }
}

/// `cordon bench data`.
pub async fn run(args: DataArgs) -> anyhow::Result<()> {
    super::super::init_logging(super::super::LogFormat::Text);
    let started = Instant::now();
    let store = Store::open(&args.database).await.with_context(|| format!("opening the database {}", args.database))?;
    if store.root_node().await?.is_some() {
        bail!("{} already holds a jurisdiction tree: give an empty database", args.database);
    }
    let country = Country::generate(&CountrySpec::of(args.scale.into()), args.seed).context("generating the country")?;
    let now = Timestamp::now();
    let setup_at = now.checked_sub(SignedDuration::from_hours(24 * i64::from(args.days) + 24))?;
    eprintln!(
        "Generating {} reports over {} days in {} units into {}.",
        grouped(args.reports),
        args.days,
        grouped(country.units.len() as u64),
        args.database
    );
    let progress = Progress::new(setup::planned_writes(&country), "setting up the country", "writes");
    let world = setup::build(&store, country, args.seed, setup_at, &progress).await?;
    progress.finish();
    let definition = store.definitions().await?.into_iter().next().map(|d| d.code).context("no case definition is stored")?;
    let today = world.settings.local_date(now);
    let spread = Spread::new(&world.country, args.days, today)?;
    let units = world.country.units.len();
    let settings = world.settings.clone();
    let generator = Generator {
        world: Arc::new(world),
        spread,
        rng: ChaCha8Rng::seed_from_u64(args.seed),
        now,
        definition,
        last_person: vec![None; units],
    };
    store.set_bulk_loading(true).await?;
    store.pause_read_models().await?;
    store.set_aside_bulk_indexes().await?;
    let progress = Progress::new(args.reports, "reports, cases and tasks", "reports");
    // One thread generates the next batches while this one loads the last.
    let (sender, mut batches) = tokio::sync::mpsc::channel(2);
    let producer = std::thread::spawn(move || generate(generator, args.reports, &sender));
    while let Some(next) = batches.recv().await {
        let (n, batch): (u64, BulkBatch) = next?;
        store.load_bulk(&batch).await?;
        progress.inc(n);
    }
    producer.join().map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    progress.finish();
    let loaded = started.elapsed();
    eprintln!("Loaded in {:.0} s; building the indexes ...", loaded.as_secs_f64());
    let indexing = Instant::now();
    store.restore_bulk_indexes().await?;
    let indexed = indexing.elapsed();
    eprintln!("Indexed in {:.0} s; rebuilding the read models and the daily counts ...", indexed.as_secs_f64());
    let rebuild = Instant::now();
    store.rebuild_read_models().await?;
    let fever = cordon_core::detection::DetectionConfig::default().fever_min_temperature_c;
    store.refresh_counts(&settings, fever, today).await?;
    store.set_bulk_loading(false).await?;
    store.analyze().await?;
    store.close().await;
    eprintln!(
        "Done in {:.0} s (load {:.0} s, indexes {:.0} s, read models and counts {:.0} s). Sign in as `command`, password `{}`.",
        started.elapsed().as_secs_f64(),
        loaded.as_secs_f64(),
        indexed.as_secs_f64(),
        rebuild.elapsed().as_secs_f64(),
        setup::DEMO_PASSWORD
    );
    Ok(())
}
