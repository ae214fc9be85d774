//! The simulator's promises: the same seed gives the same outbreak, nobody
//! is lost or created (S + E + I + R is each unit's population every day),
//! and everything it emits passes the API's own validation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use cordon_core::report::Symptom;
use cordon_sim::{Action, Cause, Country, CountrySpec, Parameters, Scale, Scheduled, Simulation};
use jiff::civil::date;
use uuid::Uuid;

fn small() -> Country {
    Country::generate(&CountrySpec::of(Scale::Small), 11).unwrap()
}

fn run(country: &Country, seed: u64, days: u32) -> Vec<Vec<Scheduled>> {
    let params = Parameters { daily_reports_from_day: days.saturating_sub(5), ..Parameters::default() };
    let mut sim = Simulation::new(country, params, seed).unwrap();
    (0..days).map(|_| sim.step()).collect()
}

#[test]
fn the_same_seed_gives_the_same_outbreak() {
    let country = small();
    let a = run(&country, 42, 60);
    assert_eq!(a, run(&country, 42, 60));
    assert_ne!(a, run(&country, 43, 60), "another seed should give another outbreak");
    let reports = a.iter().flatten().filter(|s| matches!(s.action, Action::Report(_))).count();
    assert!(reports > 50, "only {reports} reports in 60 days");
}

#[test]
fn every_unit_keeps_its_population_every_day() {
    let country = small();
    let mut sim = Simulation::new(&country, Parameters::default(), 5).unwrap();
    for _ in 0..70 {
        sim.step();
        for unit in (0_u32..).take(country.units.len()) {
            let kept = sim.compartments(unit);
            assert_eq!(kept.total(), country.unit(unit).population, "unit {unit} on day {}", sim.day());
            assert_eq!(kept, sim.recount(unit), "unit {unit} on day {}", sim.day());
        }
    }
    let n = sim.national();
    assert_eq!(n.total(), country.nation().population);
    assert!(n.r > 0, "nobody ever recovered: {n:?}");
    assert_eq!(sim.totals().infections, n.e + n.i + n.r);
}

#[test]
fn actions_come_in_time_order_and_follow_their_report() {
    let days = run(&small(), 8, 60);
    let mut seen = std::collections::BTreeSet::new();
    let mut last = None;
    for (day, actions) in days.iter().enumerate() {
        for s in actions {
            assert_eq!(s.at.day() as usize, day);
            assert!(last.is_none_or(|l| l <= s.at), "out of order at {:?}", s.at);
            last = Some(s.at);
            match &s.action {
                Action::Report(r) => {
                    seen.insert(r.key);
                }
                Action::Acknowledge(k) | Action::Complete(k) => assert!(seen.contains(k)),
                Action::Visit { report, .. } | Action::LabResult { report, .. } | Action::Outcome { report, .. } => {
                    assert!(seen.contains(report));
                }
                Action::FollowUp(v) => assert!(v.report.is_none_or(|k| seen.insert(k) || seen.contains(&k))),
                Action::Arrival(a) => {
                    if let Some(k) = a.report {
                        seen.insert(k);
                    }
                }
                Action::Daily(_) => {}
            }
        }
    }
}

#[test]
fn everything_emitted_passes_the_api_validation() {
    let country = small();
    let start = date(2026, 3, 1);
    let mut params = Parameters { daily_reports_from_day: 50, ..Parameters::default() };
    params.tracing.from_day = 45;
    let mut sim = Simulation::new(&country, params, 3).unwrap();
    let (mut reports, mut daily, mut outbreak, mut background, mut contacts_listed, mut arrivals) = (0, 0, 0, 0, 0, 0);
    for _ in 0..70 {
        for s in sim.step() {
            let today = s.at.date(start);
            match &s.action {
                Action::Report(r) => {
                    let unit = country.unit(r.unit);
                    let input = r.input(Uuid::now_v7(), Uuid::now_v7(), &unit.code, start);
                    let draft = input.parse(today).unwrap_or_else(|e| panic!("{r:?} on {today}: {e:?}"));
                    assert!(!draft.symptoms.is_empty());
                    assert_eq!(sim.unit_of(r.person), r.unit);
                    let person = sim.resident(r.person).input(&unit.code, today.year());
                    person.parse(i32::from(today.year())).unwrap_or_else(|e| panic!("{person:?}: {e:?}"));
                    reports += 1;
                    match r.cause {
                        Cause::Outbreak => outbreak += 1,
                        Cause::Background => background += 1,
                    }
                    if r.symptoms.contains(&Symptom::Fever) && r.temperature_c.is_some_and(|t| t >= 37.5) {
                        assert!(r.meets_definition);
                    }
                }
                Action::Daily(d) => {
                    let input = d.input(Uuid::now_v7(), &country.unit(d.unit).code, start);
                    input.check(today).unwrap_or_else(|e| panic!("{d:?}: {e:?}"));
                    daily += 1;
                }
                Action::Visit { contacts, .. } => {
                    for c in contacts {
                        let person = sim.resident(c.person).input(&country.unit(c.unit).code, today.year());
                        let exposure = cordon_sim::action::day_date(start, c.exposure_day);
                        c.input(person, exposure).check(today).unwrap_or_else(|e| panic!("{c:?}: {e:?}"));
                        contacts_listed += 1;
                    }
                }
                Action::Arrival(a) => {
                    let person = sim.resident(a.person).input(&country.unit(a.unit).code, today.year());
                    let poe = &country.facilities[country.points_of_entry[a.point_of_entry].facility].code;
                    a.input(Uuid::now_v7(), poe, person, today).check(today).unwrap_or_else(|e| panic!("{a:?}: {e:?}"));
                    arrivals += 1;
                }
                _ => {}
            }
        }
    }
    assert!(outbreak > 0 && background > 0, "{outbreak} outbreak and {background} background reports");
    assert!(reports > 0 && daily > country.units.len() * 15, "{reports} reports, {daily} daily reports");
    assert!(contacts_listed > 0 && arrivals > 0, "{contacts_listed} contacts, {arrivals} arrivals");
}

#[test]
fn the_command_orders_measures_once_cases_are_confirmed() {
    let country = small();
    let mut sim = Simulation::new(&country, Parameters::default(), 9).unwrap();
    for _ in 0..80 {
        sim.step();
    }
    let from = sim.measures_from().expect("measures by day 80");
    assert!(from > 3 && from < 80, "{from}");
    assert!(sim.totals().confirmed > 0);
}

#[test]
fn listed_contacts_are_visited_every_day_and_the_infected_ones_are_found() {
    let country = small();
    let mut params = Parameters::default();
    params.tracing.from_day = 20;
    let mut sim = Simulation::new(&country, params, 4).unwrap();
    let mut listed = std::collections::BTreeMap::new();
    let (mut visits, mut found) = (0, 0);
    for _ in 0..75 {
        for s in sim.step() {
            match &s.action {
                Action::Visit { contacts, .. } => {
                    assert!(s.at.day() >= 20 || contacts.is_empty());
                    for c in contacts {
                        listed.insert(c.person, c.exposure_day);
                    }
                }
                Action::FollowUp(v) if !v.isolation => {
                    let exposure = listed.get(&v.person).copied().unwrap_or(s.at.day());
                    assert!(s.at.day() <= exposure + 14, "a visit after the quarantine ended");
                    visits += 1;
                    if v.report.is_some() && !v.symptoms.is_empty() {
                        found += 1;
                    }
                }
                _ => {}
            }
        }
    }
    assert!(listed.len() > 20, "{} contacts", listed.len());
    assert!(visits > listed.len() * 5, "{visits} visits for {} contacts", listed.len());
    assert!(found > 0, "no quarantined contact was ever found ill");
}
