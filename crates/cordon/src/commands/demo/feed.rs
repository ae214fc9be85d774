//! Feeds the simulation's actions through the store, as the API would:
//! the unit head registers the resident and files the report (parsed by the
//! core exactly as the API parses it), the worker who holds the task
//! acknowledges and completes it, the case is classified, units file their
//! daily reports, and the escalation jobs run on the simulated clock.
//!
//! The system decides: a report that meets no case definition opens no
//! task, a resident with an open case joins it, a task escalated past its
//! worker is acknowledged by whoever holds it then. Actions the rules refuse
//! are counted, not forced.

use std::collections::HashMap;

use anyhow::Context;
use cordon_core::case::{Classification, Outcome};
use cordon_core::daily::DailyReportInput;
use cordon_core::investigation::InvestigationInput;
use cordon_core::jurisdiction::Node;
use cordon_core::report::ReportInput;
use cordon_core::user::User;
use cordon_sim::{Action, ReportKey, Scheduled, SimTime, Simulation};
use cordon_store::{Store, StoreError};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::measures::Measures;
use super::setup::World;

/// How simulated times become instants.
#[derive(Debug, Clone)]
pub enum TimeMap {
    /// The history: day 0 is `start`, times are local wall-clock times in `zone`.
    History {
        /// The date of day 0.
        start: Date,
        /// The authority's time zone.
        zone: TimeZone,
    },
    /// Live: `sim` happens at `wall`, and simulated time runs `speed` times
    /// faster than real time from there.
    Live {
        /// A simulated instant.
        sim: SimTime,
        /// The real instant it maps to.
        wall: Timestamp,
        /// Simulated minutes per real minute.
        speed: f64,
    },
}

impl TimeMap {
    /// The instant of a simulated time.
    pub fn at(&self, t: SimTime) -> Timestamp {
        match self {
            TimeMap::History { start, zone } => t.civil(*start).to_zoned(zone.clone()).map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp()),
            TimeMap::Live { sim, wall, speed } => {
                let minutes = (f64::from(t.0) - f64::from(sim.0)) / speed;
                wall.saturating_add(SignedDuration::from_secs_f64(minutes * 60.0)).unwrap_or(*wall)
            }
        }
    }
}

/// What feeding did, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fed {
    /// Symptom reports filed.
    pub reports: u64,
    /// Residents registered.
    pub persons: u64,
    /// Cases opened.
    pub cases: u64,
    /// Tasks acknowledged.
    pub acknowledged: u64,
    /// Cases confirmed by the laboratory.
    pub confirmed: u64,
    /// Cases discarded.
    pub discarded: u64,
    /// Daily unit reports filed.
    pub daily: u64,
    /// Tasks escalated by the overdue job.
    pub escalated: u64,
    /// Silent units escalated.
    pub silent: u64,
    /// Contacts listed (each with a quarantine order).
    pub contacts: u64,
    /// Follow-up visits recorded.
    pub visits: u64,
    /// Arrivals registered at the border.
    pub arrivals: u64,
    /// Directives issued by the command.
    pub directives: u64,
    /// Units escalated for not acknowledging a directive in time.
    pub unacknowledged: u64,
    /// Gatherings registered, and how many of them were refused.
    pub gatherings: u64,
    /// Gatherings refused under the limit in force.
    pub gatherings_refused: u64,
    /// Rumours logged by unit heads.
    pub rumours: u64,
    /// Alert levels set.
    pub levels: u64,
    /// Actions the rules refused.
    pub refused: u64,
}

/// An investigation opened by a simulated report.
pub(super) struct Opened {
    /// The case.
    pub case: Uuid,
    /// Its investigation task.
    pub task: Uuid,
    /// The worker who acknowledged the task.
    pub worker: Option<Uuid>,
    /// The investigation recorded at the visit: sample day and isolation.
    pub investigation: Option<InvestigationInput>,
    /// The unit the case was reported in, when known.
    pub unit: Option<u32>,
}

/// Turns actions into store calls and remembers the simulated-to-stored ids.
pub struct Feeder {
    pub(super) store: Store,
    /// Whether the demo was opened again: residents met before are looked
    /// up as the probable duplicates they are instead of registered anew.
    reopened: bool,
    pub(super) persons: HashMap<u32, Uuid>,
    pub(super) opened: HashMap<ReportKey, Opened>,
    /// The command's measures so far.
    pub(super) measures: Measures,
    /// Running counts.
    pub fed: Fed,
}

impl Feeder {
    /// A feeder writing to `store`.
    pub fn new(store: Store) -> Feeder {
        Feeder { store, reopened: false, persons: HashMap::new(), opened: HashMap::new(), measures: Measures::new(), fed: Fed::default() }
    }

    /// A feeder for a demo opened again, which knows none of the stored ids.
    pub fn reopened(store: Store) -> Feeder {
        Feeder { reopened: true, measures: Measures::default(), ..Feeder::new(store) }
    }

    /// Applies one action at `at`; `map` dates its onset days.
    pub async fn apply(&mut self, world: &World, sim: &Simulation, s: &Scheduled, at: Timestamp, map: &TimeMap) -> anyhow::Result<()> {
        let result = match &s.action {
            Action::Report(r) => {
                let unit = &world.nodes[world.country.units[r.unit as usize]];
                let head = &world.heads[r.unit as usize];
                let today = world.settings.local_date(at);
                let person = self.person(world, sim, r.person, unit, head, at).await?;
                let onset = world.settings.local_date(map.at(SimTime::at(r.onset_day, 12 * 60))).min(today);
                // Dates follow the time map, so that a sped-up live demo stays on the real calendar.
                let input = ReportInput { onset_date: Some(onset), ..r.input(Uuid::now_v7(), person, &unit.code, onset) };
                let draft = input.parse(today).map_err(|e| anyhow::anyhow!("the simulated report does not validate: {e:?}"))?;
                match self.store.submit_report(head, &draft, &unit.code, at).await {
                    Ok(intake) => {
                        self.fed.reports += 1;
                        if let (Some(case), Some(task)) = (&intake.case, &intake.task) {
                            self.fed.cases += 1;
                            self.opened.insert(
                                r.key,
                                Opened { case: case.id, task: task.id, worker: None, investigation: None, unit: Some(r.unit) },
                            );
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Action::Acknowledge(key) => self.acknowledge(world, *key, at).await,
            Action::Visit { report, probable, isolate, contacts, .. } => {
                return self.visit(world, sim, *report, *probable, *isolate, contacts, at, map).await;
            }
            Action::Complete(report) => match self.opened.get(report).and_then(|o| Some((o.task, world.by_id.get(&o.worker?)?))) {
                Some((task, worker)) => {
                    let note = "Visited; sample taken; isolated at home pending the result.";
                    self.store.complete_task(worker, task, Some(note), at).await.map(drop)
                }
                None => Ok(()),
            },
            Action::LabResult { report, positive } => self.lab_result(world, *report, *positive, at).await,
            Action::Outcome { report, died } => match self.opened.get(report).and_then(|o| Some((o.case, world.by_id.get(&o.worker?)?))) {
                Some((case, worker)) => {
                    let outcome = if *died { Outcome::Died } else { Outcome::Recovered };
                    self.store.classify_case(worker, case, Classification { status: None, outcome: Some(outcome) }, at).await.map(drop)
                }
                None => Ok(()),
            },
            Action::Daily(d) => {
                let unit = &world.nodes[world.country.units[d.unit as usize]];
                let today = world.settings.local_date(at);
                let input = DailyReportInput {
                    id: Uuid::now_v7(),
                    unit_code: unit.code.clone(),
                    date: today,
                    ill_count: i64::from(d.ill_count),
                    note: None,
                };
                let note = input.check(today).map_err(|e| anyhow::anyhow!("the simulated daily report does not validate: {e:?}"))?;
                let filed = self.store.file_daily_report(&world.heads[d.unit as usize], &input, note, at).await;
                if filed.as_ref().is_ok_and(|f| f.created) {
                    self.fed.daily += 1;
                }
                filed.map(drop)
            }
            Action::FollowUp(visit) => self.follow_up(world, visit, at).await,
            Action::Arrival(arrival) => self.arrival(world, sim, arrival, at).await,
        };
        self.refused(result)
    }

    /// The stored id of a simulated resident, registering them the first time.
    pub(super) async fn person(
        &mut self,
        world: &World,
        sim: &Simulation,
        who: u32,
        unit: &Node,
        head: &User,
        at: Timestamp,
    ) -> anyhow::Result<Uuid> {
        if let Some(id) = self.persons.get(&who) {
            return Ok(*id);
        }
        let year = world.settings.local_date(at).year();
        let input = sim.resident(who).input(&unit.code, year);
        let draft = input.parse(i32::from(year)).map_err(|e| anyhow::anyhow!("the simulated resident does not validate: {e:?}"))?;
        let id = match self.store.register_person(head, &draft, &unit.code, !self.reopened, at).await.context("registering a resident")? {
            cordon_store::persons::Registration::Registered(p) => p.id,
            cordon_store::persons::Registration::ProbableDuplicates(d) => d.first().map(|p| p.id).context("no duplicate offered")?,
        };
        self.fed.persons += 1;
        self.persons.insert(who, id);
        Ok(id)
    }

    /// Whoever holds the task now acknowledges it.
    async fn acknowledge(&mut self, world: &World, key: ReportKey, at: Timestamp) -> Result<(), StoreError> {
        let Some(opened) = self.opened.get_mut(&key) else { return Ok(()) };
        let Some(task) = self.store.task(opened.task).await? else { return Ok(()) };
        let Some(worker) = task.assignee_id.filter(|_| task.status.awaits_acknowledgement()) else { return Ok(()) };
        let Some(user) = world.by_id.get(&worker) else { return Ok(()) };
        self.store.acknowledge_task(user, task.id, at).await?;
        opened.worker = Some(worker);
        self.fed.acknowledged += 1;
        Ok(())
    }

    /// Counts a refusal by the rules; passes on failures of the database.
    pub(super) fn refused(&mut self, result: Result<(), StoreError>) -> anyhow::Result<()> {
        match result {
            Ok(()) => Ok(()),
            // A lost commit is no refusal: the build stops rather than go on without what it held.
            Err(
                e @ (StoreError::Database(_)
                | StoreError::CommitFailed(_)
                | StoreError::Migration(_)
                | StoreError::UnsupportedUrl(_)
                | StoreError::Corrupt { .. }),
            ) => Err(e.into()),
            Err(e) => {
                tracing::debug!(error = %e, "the system refused a simulated action");
                self.fed.refused += 1;
                Ok(())
            }
        }
    }

    /// Runs the background jobs at `at`, as the server's would: escalation
    /// of overdue tasks always, the silent-unit pass when `silent` is set,
    /// the release of ended orders, the day's follow-up tasks and the units
    /// late to acknowledge a directive when `orders` (hourly) is set.
    pub async fn jobs(&mut self, at: Timestamp, silent: bool, orders: bool) -> anyhow::Result<()> {
        self.fed.escalated += self.store.escalate_overdue_tasks(at).await.context("escalating overdue tasks")?.len() as u64;
        if silent {
            self.fed.silent += self.store.escalate_silent_units(at).await.context("escalating silent units")?.len() as u64;
        }
        if orders {
            // Hourly is fine for a deadline of a day, and the pass reads every
            // unit under each directive in force.
            let late = self.store.escalate_unacknowledged_directives(at).await.context("escalating unacknowledged directives")?;
            self.fed.unacknowledged += late.len() as u64;
            self.store.release_due_orders(at).await.context("releasing ended orders")?;
            self.store.create_due_follow_ups(at).await.context("creating the day's follow-up visits")?;
        }
        Ok(())
    }
}
