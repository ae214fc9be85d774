//! The simulation: state, the daily step and the queue of actions.
//!
//! A stochastic, individual-based metapopulation SEIR model. Each resident
//! is susceptible, exposed, infectious or removed (one byte each); each
//! unit keeps its four counts. Every simulated day infections come in from
//! abroad, infectious residents infect household members, neighbours in
//! the unit, people in the district and, by travel, people in other
//! counties ([`crate::transmission`]); then the day's actions (reports,
//! acknowledgements, results, daily reports) are taken from a time-ordered
//! queue ([`crate::care`]). All randomness comes from one seeded ChaCha
//! stream consumed in a fixed order, so the same seed gives the same
//! outbreak.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Gamma, LogNormal, Normal};

use crate::SimError;
use crate::action::{Action, Scheduled, SimTime};
use crate::country::{Country, Level};
use crate::params::Parameters;
use crate::population::Population;
use crate::resident::Resident;

/// A resident's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum State {
    /// Susceptible.
    Susceptible = 0,
    /// Infected, not yet infectious.
    Exposed = 1,
    /// Infectious.
    Infectious = 2,
    /// Recovered or dead: removed.
    Removed = 3,
}

/// Residents of one area in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compartments {
    /// Susceptible.
    pub s: u64,
    /// Exposed.
    pub e: u64,
    /// Infectious.
    pub i: u64,
    /// Removed.
    pub r: u64,
}

impl Compartments {
    /// S + E + I + R.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.s + self.e + self.i + self.r
    }
}

/// Running totals since day 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Infections, local and imported.
    pub infections: u64,
    /// Infections brought in from abroad.
    pub imported: u64,
    /// Symptom reports about outbreak infections.
    pub outbreak_reports: u64,
    /// Symptom reports about other illness.
    pub background_reports: u64,
    /// Positive laboratory results.
    pub confirmed: u64,
    /// Deaths among confirmed cases.
    pub deaths: u64,
    /// Daily unit reports filed.
    pub daily_reports: u64,
}

/// One infection while it can still change state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Infection {
    pub person: u32,
    pub unit: u32,
    /// First infectious day; infectious for `infectiousness.len()` days.
    pub from: u32,
    pub symptomatic: bool,
    /// Individual multiplier of transmission outside the household (mean 1).
    pub nu: f32,
    /// Day of symptom onset (`u32::MAX`: no symptoms).
    pub onset: u32,
    /// First day of isolation after a report (`u32::MAX`: never).
    pub isolated_from: u32,
}

/// Distributions built once from the parameters.
pub(crate) struct Draws {
    pub incubation: LogNormal<f64>,
    pub nu: Gamma<f64>,
    pub report_delay: Gamma<f64>,
    pub ack: LogNormal<f64>,
    pub ack_missed: LogNormal<f64>,
    pub visit: LogNormal<f64>,
    pub lab: Gamma<f64>,
    pub outcome_spread: Normal<f64>,
    pub fever: Normal<f64>,
    pub normal_temperature: Normal<f64>,
}

fn gamma(mean: f64, sd: f64, name: &'static str) -> Result<Gamma<f64>, SimError> {
    let shape = (mean / sd).powi(2);
    Gamma::new(shape, mean / shape).map_err(|_| SimError::Parameter { name, reason: "gives no valid gamma distribution" })
}

fn lognormal(median: f64, sdlog: f64, name: &'static str) -> Result<LogNormal<f64>, SimError> {
    LogNormal::new(median.ln(), sdlog).map_err(|_| SimError::Parameter { name, reason: "gives no valid lognormal distribution" })
}

fn normal(mean: f64, sd: f64) -> Result<Normal<f64>, SimError> {
    Normal::new(mean, sd).map_err(|_| SimError::Parameter { name: "temperature", reason: "gives no valid normal distribution" })
}

/// Something queued, ordered by time and then by the order it was queued.
#[derive(Debug)]
struct Queued(SimTime, u64, Action);

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        (self.0, self.1) == (other.0, other.1)
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0, self.1).cmp(&(other.0, other.1))
    }
}

/// The simulated outbreak in a generated country.
pub struct Simulation {
    pub(crate) params: Parameters,
    pub(crate) seed: u64,
    pub(crate) pop: Population,
    /// Per unit: its district's and its county's residents, and the county's index.
    pub(crate) unit_district: Vec<(u32, u32)>,
    pub(crate) unit_county: Vec<u32>,
    pub(crate) county_range: Vec<(u32, u32)>,
    /// Per county, cumulative travel probabilities to every county.
    pub(crate) gravity: Vec<Vec<f64>>,
    /// Points of entry: cumulative traffic, county index and kind (`AIR`,
    /// `PORT` or `BC`, from the facility code).
    pub(crate) entries: Vec<(f64, u32, &'static str)>,
    pub(crate) state: Vec<u8>,
    pub(crate) counts: Vec<[u32; 4]>,
    pub(crate) slab: Vec<Infection>,
    pub(crate) live: Vec<bool>,
    pub(crate) free: Vec<u32>,
    /// The slab slot of each resident's current infection.
    pub(crate) slot_of: HashMap<u32, u32>,
    /// Residents under an order, with its last simulated day.
    pub(crate) ordered: HashMap<u32, u32>,
    /// Residents whose illness was found at a follow-up visit or at the
    /// border (their unit head's later report is not sent).
    pub(crate) found: HashSet<u32>,
    queue: BinaryHeap<Reverse<Queued>>,
    queued: u64,
    pub(crate) next_report: u64,
    pub(crate) day: u32,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) draws: Draws,
    pub(crate) undependable: Vec<bool>,
    /// Per unit, reports on each of the last five days (ring by day).
    pub(crate) recent: Vec<[u16; 5]>,
    pub(crate) measures_from: Option<u32>,
    pub(crate) totals: Totals,
    /// Infectiousness per day of the infectious period, normalised.
    pub(crate) profile: Vec<f64>,
    /// Relative infectiousness of symptomatic and asymptomatic infections,
    /// scaled so that the population mean is 1.
    pub(crate) relative: (f64, f64),
    /// Reproduction number outside the household.
    pub(crate) r_outside: f64,
}

/// For each county, the cumulative share of trips to each other county, by a
/// gravity model (population over squared distance, plus 30 km).
fn gravity(country: &Country, counties: &[usize]) -> Vec<Vec<f64>> {
    counties
        .iter()
        .map(|&from| {
            let mut acc = 0.0;
            let mut row: Vec<f64> = counties
                .iter()
                .map(|&to| {
                    if to != from {
                        let d = country.areas[from].bounds.distance_km(&country.areas[to].bounds) + 30.0;
                        acc += country.areas[to].population as f64 / (d * d);
                    }
                    acc
                })
                .collect();
            for x in &mut row {
                *x /= acc.max(f64::MIN_POSITIVE);
            }
            row
        })
        .collect()
}

/// The points of entry as cumulative traffic, with their county and kind
/// (`AIR`, `PORT`, or `BC` for a border crossing).
fn entries(country: &Country, county_index: &[u32]) -> Vec<(f64, u32, &'static str)> {
    let mut acc = 0.0;
    country
        .points_of_entry
        .iter()
        .map(|p| {
            acc += p.traffic;
            let code = country.facilities.get(p.facility).map_or("", |f| f.code.as_str());
            let kind = ["AIR", "PORT"].into_iter().find(|k| code.ends_with(k)).unwrap_or("BC");
            (acc, county_index[p.area], kind)
        })
        .collect()
}

impl Draws {
    /// The distributions the parameters describe.
    fn of(params: &Parameters) -> Result<Draws, SimError> {
        let d = &params.disease;
        let r = &params.reporting;
        let s = &params.response;
        Ok(Draws {
            incubation: LogNormal::new(d.incubation_meanlog, d.incubation_sdlog)
                .map_err(|_| SimError::Parameter { name: "disease.incubation_sdlog", reason: "gives no valid lognormal" })?,
            nu: Gamma::new(d.dispersion_k, 1.0 / d.dispersion_k)
                .map_err(|_| SimError::Parameter { name: "disease.dispersion_k", reason: "gives no valid gamma" })?,
            report_delay: gamma(r.onset_to_report_mean_days, r.onset_to_report_sd_days, "reporting.onset_to_report")?,
            ack: lognormal(s.ack_median_minutes, s.ack_sdlog, "response.ack_median_minutes")?,
            ack_missed: lognormal(30.0, 0.6, "response.ack_missed")?,
            visit: lognormal(s.visit_median_minutes, 0.5, "response.visit_median_minutes")?,
            lab: gamma(s.lab_turnaround_hours, s.lab_turnaround_hours / 3.0, "response.lab_turnaround_hours")?,
            outcome_spread: normal(0.0, 3.0)?,
            fever: normal(38.4, 0.5)?,
            normal_temperature: normal(36.6, 0.3)?,
        })
    }
}

impl Simulation {
    /// Builds the simulation for a country; nobody is infected yet.
    pub fn new(country: &Country, params: Parameters, seed: u64) -> Result<Simulation, SimError> {
        params.check()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(2);
        let pop = Population::new(country, &mut rng);
        let counties: Vec<usize> = country.at_level(Level::County).collect();
        let mut county_index = vec![0u32; country.areas.len()];
        for (i, &c) in (0_u32..).zip(&counties) {
            county_index[c] = i;
        }
        let range = |area| {
            let r = pop.area_range(country, area);
            (r.start, r.end)
        };
        let unit_district = country.units.iter().map(|&u| range(country.ancestor(u, Level::District))).collect();
        let unit_county = country.units.iter().map(|&u| county_index[country.ancestor(u, Level::County)]).collect();
        let county_range: Vec<(u32, u32)> = counties.iter().map(|&c| range(c)).collect();
        let gravity = gravity(country, &counties);
        let entries = entries(country, &county_index);
        let draws = Draws::of(&params)?;
        let d = &params.disease;
        let total: f64 = d.infectiousness.iter().sum();
        let profile = d.infectiousness.iter().map(|w| w / total).collect();
        let mean_rel = d.symptomatic_fraction + (1.0 - d.symptomatic_fraction) * d.asymptomatic_relative;
        let relative = (1.0 / mean_rel, d.asymptomatic_relative / mean_rel);
        let household_r = d.household_attack_rate * (pop.mean_household_seen() - 1.0);
        let r_outside = (d.r0 - household_r).max(0.0);
        let units = pop.units();
        let undependable = (0..units).map(|_| rand::Rng::random_bool(&mut rng, params.daily.undependable_units)).collect();
        let n = pop.len() as usize;
        Ok(Simulation {
            params,
            seed,
            unit_district,
            unit_county,
            county_range,
            gravity,
            entries,
            state: vec![State::Susceptible as u8; n],
            counts: (0_u32..)
                .take(units)
                .map(|u| {
                    let r = pop.unit_range(u);
                    [r.end - r.start, 0, 0, 0]
                })
                .collect(),
            pop,
            slab: Vec::new(),
            live: Vec::new(),
            free: Vec::new(),
            slot_of: HashMap::new(),
            ordered: HashMap::new(),
            found: HashSet::new(),
            queue: BinaryHeap::new(),
            queued: 0,
            next_report: 0,
            day: 0,
            rng,
            draws,
            undependable,
            recent: vec![[0; 5]; units],
            measures_from: None,
            totals: Totals::default(),
            profile,
            relative,
            r_outside,
        })
    }

    /// The next day to simulate (the number of days done so far).
    #[must_use]
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Running totals.
    #[must_use]
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// The day from which the command's measures are in force, once ordered.
    #[must_use]
    pub fn measures_from(&self) -> Option<u32> {
        self.measures_from
    }

    /// Number of residents.
    #[must_use]
    pub fn population(&self) -> u32 {
        self.pop.len()
    }

    /// A unit's residents in each state, as kept up to date by the model.
    #[must_use]
    pub fn compartments(&self, unit: u32) -> Compartments {
        let c = self.counts[unit as usize];
        Compartments { s: c[0].into(), e: c[1].into(), i: c[2].into(), r: c[3].into() }
    }

    /// A unit's residents in each state, counted resident by resident (slow;
    /// for checking [`Simulation::compartments`]).
    #[must_use]
    pub fn recount(&self, unit: u32) -> Compartments {
        let mut c = Compartments::default();
        for p in self.pop.unit_range(unit) {
            match self.state[p as usize] {
                0 => c.s += 1,
                1 => c.e += 1,
                2 => c.i += 1,
                _ => c.r += 1,
            }
        }
        c
    }

    /// The whole country's residents in each state.
    #[must_use]
    pub fn national(&self) -> Compartments {
        let mut c = Compartments::default();
        for u in &self.counts {
            c.s += u64::from(u[0]);
            c.e += u64::from(u[1]);
            c.i += u64::from(u[2]);
            c.r += u64::from(u[3]);
        }
        c
    }

    /// Who resident `person` is (name, sex, age, address); always the same.
    #[must_use]
    pub fn resident(&self, person: u32) -> Resident {
        let unit = self.pop.unit_of(person);
        let household = self.pop.household_of(person, unit).start;
        let house = household - self.pop.unit_range(unit).start + 1;
        Resident::of(self.seed, person, household, house)
    }

    /// The unit a resident lives in.
    #[must_use]
    pub fn unit_of(&self, person: u32) -> u32 {
        self.pop.unit_of(person)
    }

    /// Simulates the next day and returns its actions in time order.
    pub fn step(&mut self) -> Vec<Scheduled> {
        let day = self.day;
        for r in &mut self.recent {
            r[day as usize % 5] = 0;
        }
        self.import(day);
        self.arrivals(day);
        self.background(day);
        self.transmit(day);
        self.daily_reports(day);
        let end = SimTime::at(day + 1, 0);
        let mut out = Vec::new();
        while self.queue.peek().is_some_and(|Reverse(q)| q.0 < end) {
            let Some(Reverse(Queued(at, _, mut action))) = self.queue.pop() else { break };
            if self.happened(at, &mut action) {
                out.push(Scheduled { at, action });
            }
        }
        let trigger = self.params.response.measures_trigger_per_100k * f64::from(self.pop.len()) / 1e5;
        if self.measures_from.is_none() && self.totals.confirmed as f64 >= trigger.max(1.0) {
            self.measures_from = Some(day + 1 + self.params.response.measures_delay_days);
        }
        self.progress(day);
        self.day += 1;
        out
    }

    /// Queues an action.
    pub(crate) fn schedule(&mut self, at: SimTime, action: Action) {
        self.queued += 1;
        self.queue.push(Reverse(Queued(at, self.queued, action)));
    }

    /// Days an infection stays infectious: one per weight of the profile.
    #[expect(clippy::cast_possible_truncation, reason = "the profile has one weight per day, 8 (Disease::infectiousness)")]
    pub(crate) fn infectious_days(&self) -> u32 {
        self.profile.len() as u32
    }

    /// Moves every infection to its state for the next day and frees the
    /// removed ones.
    #[expect(clippy::cast_possible_truncation, reason = "slots number live infections, fewer than the residents (at most u32::MAX)")]
    fn progress(&mut self, day: u32) {
        let next = day + 1;
        let length = self.infectious_days();
        for slot in 0..self.slab.len() {
            if !self.live[slot] {
                continue;
            }
            let inf = self.slab[slot];
            let want = if next < inf.from {
                State::Exposed
            } else if next < inf.from + length {
                State::Infectious
            } else {
                State::Removed
            };
            self.set_state(inf.person, inf.unit, want);
            if want == State::Removed {
                self.live[slot] = false;
                self.free.push(slot as u32);
                self.slot_of.remove(&inf.person);
            }
        }
    }

    /// Changes a resident's state and the unit's counts.
    pub(crate) fn set_state(&mut self, person: u32, unit: u32, to: State) {
        let from = self.state[person as usize];
        if from != to as u8 {
            let c = &mut self.counts[unit as usize];
            c[from as usize] -= 1;
            c[to as usize] += 1;
            self.state[person as usize] = to as u8;
        }
    }

    /// Whether the command's measures are in force on `day`.
    pub(crate) fn measures_on(&self, day: u32) -> bool {
        self.measures_from.is_some_and(|d| day >= d)
    }

    /// Queued actions not yet due (for tests and the live demo's status).
    #[must_use]
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Updates the running state when an action happens (and completes
    /// what can only be known then); false drops the action.
    fn happened(&mut self, at: SimTime, action: &mut Action) -> bool {
        match action {
            Action::Report(r) => {
                if self.found.contains(&r.person) {
                    return false;
                }
                let slot = &mut self.recent[r.unit as usize][at.day() as usize % 5];
                *slot = slot.saturating_add(1);
                let r = r.clone();
                self.follow_up(at, &r);
            }
            Action::Visit { person, isolate, contacts, .. } => {
                if *isolate {
                    let start = at.day();
                    self.order(*person, at, start, start + self.params.tracing.isolation_days, true);
                }
                for c in contacts.clone() {
                    self.order(c.person, at, c.exposure_day, c.exposure_day + self.params.tracing.quarantine_days, false);
                }
            }
            Action::FollowUp(visit) => return self.visit(at, visit),
            Action::Arrival(arrival) => {
                let start = at.day();
                self.order(arrival.person, at, start, start + self.params.tracing.quarantine_days, false);
            }
            Action::LabResult { positive: true, .. } => self.totals.confirmed += 1,
            Action::Outcome { died: true, .. } => self.totals.deaths += 1,
            Action::Daily(_) => self.totals.daily_reports += 1,
            _ => {}
        }
        true
    }
}
