//! Who infects whom: imports from abroad, and each infectious resident's
//! household, unit, district and travel contacts on one day.
//!
//! Within the household every susceptible member is infected with a daily
//! probability that compounds to the household attack rate over the
//! infectious period. Outside it, an infection causes on average
//! `R0 − (household share)` infections over its infectious period, spread
//! over the days by the infectiousness profile, scaled by its individual
//! gamma multiplier (overdispersion), by isolation once reported and by the
//! command's measures; each contact falls in the unit, the district or
//! (gravity model) another county, and infects only a susceptible resident.

use rand::Rng;
use rand_distr::{Distribution, Poisson};

use crate::action::{Action, Cause, SimTime, SymptomReport};
use crate::model::{Infection, Simulation, State};

/// A Poisson draw that is 0 for a mean of 0 (or anything not positive).
pub(crate) fn poisson(rng: &mut impl Rng, mean: f64) -> u32 {
    if !(mean > 0.0 && mean.is_finite()) {
        return 0;
    }
    match Poisson::new(mean) {
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a Poisson draw: whole, ≥ 0, clamped to u32::MAX")]
        Ok(p) => p.sample(rng).min(f64::from(u32::MAX)) as u32,
        Err(_) => 0,
    }
}

impl Simulation {
    /// Infections brought in by travellers returning through the points of
    /// entry; from the tracing day on they pass the border's screening.
    pub(crate) fn import(&mut self, day: u32) {
        let p = &self.params.imports;
        let growth = 2f64.powf(f64::from(day) / p.doubling_days).min(p.max_growth);
        let border = if self.measures_on(day) { 1.0 - p.border_reduction } else { 1.0 };
        let mean = p.per_10m_day * f64::from(self.pop.len()) / 1e7 * growth * border;
        let seeds = if day == 0 { p.seed_infections } else { 0 };
        let n = seeds + poisson(&mut self.rng, mean);
        for _ in 0..n {
            let (entry, person) = self.traveller();
            if self.state[person as usize] == State::Susceptible as u8 {
                let unit = self.pop.unit_of(person);
                self.infect(person, unit, day);
                self.totals.imported += 1;
                if day >= self.params.tracing.from_day && !self.entries.is_empty() {
                    self.arrive(day, entry, person);
                }
            }
        }
    }

    /// One day of transmission from every infectious resident.
    pub(crate) fn transmit(&mut self, day: u32) {
        let length = self.infectious_days();
        let d = &self.params.disease;
        let shares = d.setting_shares;
        let share_total: f64 = shares.iter().sum();
        let hh_rate = d.household_attack_rate;
        let reduction = if self.measures_on(day) { self.params.response.measures_reduction } else { [0.0; 3] };
        let weights: Vec<f64> = shares.iter().zip(reduction).map(|(s, r)| s / share_total * (1.0 - r)).collect();
        let outside: f64 = weights.iter().sum();
        let iso_out = 1.0 - self.params.response.isolation_outside;
        let iso_home = 1.0 - self.params.response.isolation_household;
        for slot in 0..self.slab.len() {
            if !self.live[slot] {
                continue;
            }
            let inf = self.slab[slot];
            if day < inf.from || day >= inf.from + length {
                continue;
            }
            let w = self.profile[(day - inf.from) as usize];
            let rel = if inf.symptomatic { self.relative.0 } else { self.relative.1 };
            let isolated = day >= inf.isolated_from;
            // Household.
            let home = self.pop.household_of(inf.person, inf.unit);
            if home.end - home.start > 1 {
                let sar = (hh_rate * rel).min(0.99);
                let p = 1.0 - (1.0 - sar).powf(w * if isolated { iso_home } else { 1.0 });
                for member in home {
                    if member != inf.person && self.state[member as usize] == State::Susceptible as u8 && self.rng.random_bool(p) {
                        self.infect(member, inf.unit, day);
                    }
                }
            }
            // Unit, district and travel.
            let mean = self.r_outside * f64::from(inf.nu) * rel * w * outside * if isolated { iso_out } else { 1.0 };
            let contacts = poisson(&mut self.rng, mean);
            for _ in 0..contacts {
                let pick = self.rng.random_range(0.0..outside);
                let (lo, hi) = if pick < weights[0] {
                    let r = self.pop.unit_range(inf.unit);
                    (r.start, r.end)
                } else if pick < weights[0] + weights[1] {
                    self.unit_district[inf.unit as usize]
                } else {
                    let row = &self.gravity[self.unit_county[inf.unit as usize] as usize];
                    let u: f64 = self.rng.random();
                    let to = row.partition_point(|&c| c <= u).min(row.len() - 1);
                    self.county_range[to]
                };
                let target = self.rng.random_range(lo..hi);
                if self.state[target as usize] == State::Susceptible as u8 {
                    let unit = if self.pop.unit_range(inf.unit).contains(&target) { inf.unit } else { self.pop.unit_of(target) };
                    self.infect(target, unit, day);
                }
            }
        }
    }

    /// Infects a susceptible resident on `day`: draws the course of the
    /// infection and, if it will be reported, queues the report.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "days drawn for the course are ≥ 0 and far inside u32 (`as` floors them, and saturates); nu is kept as f32 \
                  to save memory; slots number live infections, fewer than the residents (at most u32::MAX)"
    )]
    pub(crate) fn infect(&mut self, person: u32, unit: u32, day: u32) {
        self.set_state(person, unit, State::Exposed);
        self.totals.infections += 1;
        let d = &self.params.disease;
        let incubation = self.draws.incubation.sample(&mut self.rng);
        let latent = (incubation - d.presymptomatic_days).round().max(1.0) as u32;
        let symptomatic = self.rng.random_bool(d.symptomatic_fraction);
        let nu = self.draws.nu.sample(&mut self.rng) as f32;
        let mut isolated_from = u32::MAX;
        let onset = f64::from(day) + self.rng.random::<f64>() + incubation;
        if symptomatic && self.rng.random_bool(self.params.reporting.report_probability) {
            let delay = self.draws.report_delay.sample(&mut self.rng);
            let at = self.waking(SimTime::from_days(onset + delay));
            let report = self.outbreak_report(person, unit, onset as u32);
            if report.meets_definition {
                isolated_from = at.day() + u32::from(at.minute_of_day() >= 12 * 60);
            }
            self.totals.outbreak_reports += 1;
            self.schedule(at, Action::Report(report));
        }
        let onset = if symptomatic { onset as u32 } else { u32::MAX };
        let infection = Infection { person, unit, from: day + latent, symptomatic, nu, onset, isolated_from };
        let slot = if let Some(slot) = self.free.pop() {
            self.slab[slot as usize] = infection;
            self.live[slot as usize] = true;
            slot
        } else {
            self.slab.push(infection);
            self.live.push(true);
            self.slab.len() as u32 - 1
        };
        self.slot_of.insert(person, slot);
    }

    /// Moves a night-time report to the next morning, as most unit heads
    /// would (one in five still reports at night).
    pub(crate) fn waking(&mut self, at: SimTime) -> SimTime {
        let hour = at.minute_of_day() / 60;
        if (7..22).contains(&hour) || self.rng.random_bool(0.2) {
            return at;
        }
        let day = if hour >= 22 { at.day() + 1 } else { at.day() };
        SimTime::at(day, 7 * 60 + self.rng.random_range(0..120))
    }

    /// The report about an outbreak infection (symptoms after Guan et al.).
    fn outbreak_report(&mut self, person: u32, unit: u32, onset_day: u32) -> SymptomReport {
        let (symptoms, temperature_c) = self.outbreak_symptoms();
        self.report(person, unit, symptoms, temperature_c, onset_day, Cause::Outbreak)
    }
}
