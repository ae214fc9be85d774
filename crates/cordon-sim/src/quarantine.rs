//! Contact tracing, isolation, quarantine and the border, from the tracing
//! day on: the investigating worker lists a case's household, some
//! neighbours and now and then a travel contact in another county; every
//! case is isolated and every contact and arrival quarantined, and visited
//! once a day until the order ends. An infected contact found ill at a
//! visit becomes a report there and then (and a case, linked to its source,
//! when it meets the definition). Quarantine cuts the transmission of
//! infected contacts from the day they are listed.

use cordon_core::contact::ExposureSetting;
use rand::Rng;

use crate::action::{Action, ArrivalAction, Cause, ContactSpec, FollowUpVisit, SimTime};
use crate::model::{Simulation, State};
use crate::transmission::poisson;

/// Countries residents come home from, with their shares of arrivals.
const ORIGINS: [(&str, f64); 6] = [("CN", 0.45), ("RU", 0.15), ("JP", 0.15), ("MN", 0.1), ("VN", 0.08), ("TH", 0.07)];

impl Simulation {
    /// The contacts listed for a case reported on `day`.
    pub(crate) fn contacts_of(&mut self, person: u32, unit: u32, day: u32) -> Vec<ContactSpec> {
        let mut out: Vec<ContactSpec> = Vec::new();
        let add = |sim: &mut Simulation, out: &mut Vec<ContactSpec>, c: ContactSpec| {
            let under_order = sim.ordered.get(&c.person).is_some_and(|&last| last >= day);
            if c.person != person && !under_order && !out.iter().any(|o| o.person == c.person) {
                out.push(c);
            }
        };
        for member in self.pop.household_of(person, unit) {
            let relation = ["spouse", "parent", "child", "sibling"][self.rng.random_range(0..4)];
            add(self, &mut out, ContactSpec { person: member, unit, setting: ExposureSetting::Household, relation, exposure_day: day });
        }
        let range = self.pop.unit_range(unit);
        for _ in 0..poisson(&mut self.rng, self.params.tracing.unit_contacts) {
            let other = self.rng.random_range(range.clone());
            let (setting, relation) =
                if self.rng.random_bool(0.5) { (ExposureSetting::Work, "colleague") } else { (ExposureSetting::Gathering, "neighbour") };
            let exposure_day = day.saturating_sub(self.rng.random_range(0..3));
            add(self, &mut out, ContactSpec { person: other, unit, setting, relation, exposure_day });
        }
        if self.rng.random_bool(self.params.tracing.travel_contact) {
            let row = &self.gravity[self.unit_county[unit as usize] as usize];
            let u: f64 = self.rng.random();
            let to = row.partition_point(|&c| c <= u).min(row.len() - 1);
            let (lo, hi) = self.county_range[to];
            let other = self.rng.random_range(lo..hi);
            let exposure_day = day.saturating_sub(self.rng.random_range(1..4));
            let spec = ContactSpec {
                person: other,
                unit: self.pop.unit_of(other),
                setting: ExposureSetting::Travel,
                relation: "fellow traveller",
                exposure_day,
            };
            add(self, &mut out, spec);
        }
        out
    }

    /// Puts a resident under an order that starts on day `start` and ends
    /// after day `last`: quarantine (or isolation) cuts an infection's
    /// transmission from tomorrow, and a follow-up visit is queued for every
    /// day after the start (as cordon creates the visit tasks), today's an
    /// hour or more from now if the working day allows.
    pub(crate) fn order(&mut self, person: u32, at: SimTime, start: u32, last: u32, isolation: bool) {
        let today = at.day();
        if self.ordered.get(&person).is_some_and(|&until| until >= today) && !isolation {
            return;
        }
        self.ordered.insert(person, last);
        if let Some(&slot) = self.slot_of.get(&person) {
            let inf = &mut self.slab[slot as usize];
            inf.isolated_from = inf.isolated_from.min(today + 1);
        }
        let first = at.plus_minutes(self.rng.random_range(75.0..180.0));
        if start < today && first.day() == today && first.minute_of_day() < 19 * 60 + 30 {
            let visit = FollowUpVisit { person, isolation, seen: true, temperature_c: None, symptoms: Vec::new(), report: None };
            self.schedule(first, Action::FollowUp(visit));
        }
        for day in today.max(start) + 1..=last {
            let at = SimTime::at(day, 9 * 60 + self.rng.random_range(0..8 * 60));
            let visit = FollowUpVisit { person, isolation, seen: true, temperature_c: None, symptoms: Vec::new(), report: None };
            self.schedule(at, Action::FollowUp(visit));
        }
    }

    /// What the worker finds at a follow-up visit; false when there is no
    /// visit any more (the contact became a case).
    pub(crate) fn visit(&mut self, at: SimTime, visit: &mut FollowUpVisit) -> bool {
        if visit.isolation {
            visit.temperature_c = self.temperature(false, 38.0);
            return true;
        }
        if self.found.contains(&visit.person) {
            return false;
        }
        visit.seen = !self.rng.random_bool(self.params.tracing.visit_not_seen);
        let day = at.day();
        let ill = self.slot_of.get(&visit.person).map(|&s| self.slab[s as usize]).filter(|inf| inf.onset <= day);
        let unit = self.pop.unit_of(visit.person);
        let (cause, onset) = match ill {
            Some(inf) if self.state[visit.person as usize] != State::Removed as u8 => (Cause::Outbreak, inf.onset),
            _ if self.rng.random_bool(0.002) => (Cause::Background, day),
            _ => {
                visit.temperature_c = self.temperature(false, 38.0).or(Some(36.5));
                return true;
            }
        };
        let (symptoms, temperature) = match cause {
            Cause::Outbreak => self.outbreak_symptoms(),
            Cause::Background => self.cold_symptoms(),
        };
        visit.temperature_c = temperature.or(Some(if symptoms.contains(&cordon_core::report::Symptom::Fever) { 38.2 } else { 36.8 }));
        visit.symptoms.clone_from(&symptoms);
        if visit.seen {
            let report = self.report(visit.person, unit, symptoms, visit.temperature_c, onset.min(day), cause);
            visit.report = Some(report.key);
            if report.meets_definition {
                self.found.insert(visit.person);
                self.follow_up(at, &report);
            }
        }
        true
    }

    /// Residents coming home through the points of entry (healthy ones; the
    /// infected ones come through [`Simulation::import`]).
    pub(crate) fn arrivals(&mut self, day: u32) {
        if day < self.params.tracing.from_day {
            return;
        }
        let mean = self.params.tracing.arrivals_per_10m_day * f64::from(self.pop.len()) / 1e7;
        for _ in 0..poisson(&mut self.rng, mean) {
            let (entry, person) = self.traveller();
            self.arrive(day, entry, person);
        }
    }

    /// A point of entry and a resident coming home through it (living near
    /// it 40% of the time, anywhere otherwise).
    pub(crate) fn traveller(&mut self) -> (usize, u32) {
        let pick: f64 = self.rng.random();
        let entry = self.entries.iter().position(|e| pick < e.0).unwrap_or(self.entries.len().saturating_sub(1));
        let county = self.entries.get(entry).map_or(0, |e| e.1);
        let (lo, hi) = if self.rng.random_bool(0.4) { self.county_range[county as usize] } else { (0, self.pop.len()) };
        (entry, self.rng.random_range(lo..hi))
    }

    /// Queues the registration of an arrival at the border on `day`.
    pub(crate) fn arrive(&mut self, day: u32, entry: usize, person: u32) {
        let unit = self.pop.unit_of(person);
        let mut pick = self.rng.random_range(0.0..1.0);
        let mut origin_country = ORIGINS[0].0;
        for (code, share) in ORIGINS {
            if pick < share {
                origin_country = code;
                break;
            }
            pick -= share;
        }
        let route = match self.entries.get(entry).map_or("", |e| e.2) {
            "AIR" => format!("Flight DR{}", 100 + self.rng.random_range(0..900)),
            "PORT" => format!("Ferry {origin_country}-{}", 10 + self.rng.random_range(0..80)),
            _ => "Road crossing".to_owned(),
        };
        let travel_document = format!("M{:08}", (u64::from(person) * 7919 + self.seed) % 100_000_000);
        let at = SimTime::at(day, 6 * 60 + self.rng.random_range(0..17 * 60));
        let ill = self.slot_of.get(&person).map(|&s| self.slab[s as usize]).filter(|inf| inf.onset <= day);
        let (symptoms, temperature_c, report) = match ill {
            Some(inf) => {
                let (symptoms, t) = self.outbreak_symptoms();
                let t = t.or(Some(38.1));
                let report = self.report(person, unit, symptoms.clone(), t, inf.onset, Cause::Outbreak);
                let key = report.key;
                self.found.insert(person);
                self.follow_up(at, &report);
                (symptoms, t, Some(key))
            }
            None => (Vec::new(), self.temperature(false, 38.0).or(Some(36.6)), None),
        };
        let arrival =
            ArrivalAction { person, unit, point_of_entry: entry, origin_country, route, travel_document, temperature_c, symptoms, report };
        self.schedule(at, Action::Arrival(arrival));
    }
}
