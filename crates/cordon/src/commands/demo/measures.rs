//! The command's measures, each simulated morning at nine. Once the
//! simulated response begins (`Simulation::measures_from`), the national
//! command issues it as real directives: a gathering limit, masks and hand
//! washing, an order for explanatory lectures, a closed point of entry. Unit
//! heads acknowledge them, most the same day, some days late, a few never
//! (the directive job escalates those); they register gatherings, some
//! refused under the limit; county workers hold lectures that the units
//! attend; unit heads log what residents say, and each week the command
//! answers the most heard and sets every province's alert level as the
//! rules recommend.
//!
//! Everything goes through the store calls the API uses, so each refusal is
//! the system's own. Choices come from a hash of the day, the unit and what
//! is decided, so the same seed gives the same measures.

use std::collections::HashMap;

use anyhow::Context;
use cordon_core::alert_level::LevelInput;
use cordon_core::border::closure_texts;
use cordon_core::directive::{Amendment, Audience, DirectiveInput, Evidence, Measure, Setting, Terms, Texts};
use cordon_core::gathering::{GatheringInput, Verdict};
use cordon_core::lecture::{AttendanceInput, LectureInput};
use cordon_core::rumour::{Category, RumourInput};
use cordon_sim::{Level, Simulation};
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use uuid::Uuid;

use super::feed::Feeder;
use super::setup::{Half, World};

/// The topic of the lectures the command orders.
const TOPIC: &str = "How the fever spreads and how to stop it";

/// What residents are heard saying: the words, their category.
const SAYINGS: [(&str, Category); 6] = [
    ("It is just a cold, nobody needs to stay home", Category::Harmless),
    ("We eat garlic every day, so we do not get infected", Category::FalseRemedy),
    ("Vodka with pepper cures the fever", Category::FalseRemedy),
    ("The quarantine is only there to control us", Category::Distrust),
    ("The hospital is where you catch it; better not to report", Category::Fear),
    ("The water from the new well brought the fever", Category::Other),
];

/// Gatherings unit heads register: the purpose, the place.
const GATHERINGS: [(&str, &str); 5] = [
    ("Wedding", "Community hall"),
    ("Funeral", "The family's house"),
    ("Market day", "Main square"),
    ("Football match", "School ground"),
    ("Village meeting", "Unit office"),
];

/// A lecture scheduled by a county worker, to be attended on its day.
struct Held {
    id: Uuid,
    county: usize,
    day: Date,
    capacity: u32,
}

/// What the demo's command has done so far.
#[derive(Default)]
pub struct Measures {
    /// Whether the measures run (not on a demo opened again, which does not
    /// know what was issued before).
    active: bool,
    /// The directives issued and the day they were.
    issued: Vec<(Uuid, Date)>,
    /// Lectures not yet attended.
    lectures: Vec<Held>,
    /// The date of simulated day 0, from which draws count days.
    origin: Date,
    /// Gatherings allowed, by unit: their id and day.
    held: HashMap<usize, Vec<(Uuid, Date)>>,
}

impl Measures {
    /// Measures for a new demo.
    pub fn new() -> Measures {
        Measures { active: true, ..Measures::default() }
    }

    /// A gathering held in `unit` in the two weeks before `day` that a case
    /// of that unit attended (one time in two).
    pub fn gathering_attended(&self, unit: usize, day: Date) -> Option<Uuid> {
        let recent = self.held.get(&unit)?.iter().rev().find(|(_, held)| *held <= day && plus(*held, 14) >= day)?;
        (self.draw(500, day, unit) < 0.5).then_some(recent.0)
    }
}

impl Measures {
    /// A hash of what is decided (`what`), the simulated day of `day` and
    /// the unit: the same on the same simulated day whatever the calendar.
    fn mix(&self, what: u64, day: Date, unit: usize) -> u64 {
        let days = u64::try_from(self.origin.until(day).map_or(0, |s| s.get_days())).unwrap_or(0);
        let mut x = what.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ days.wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ (unit as u64);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// A number in [0, 1) drawn from what is decided, the day and the unit.
    fn draw(&self, what: u64, day: Date, unit: usize) -> f64 {
        (self.mix(what, day, unit) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A whole number in [0, n) drawn from what is decided, the day and the unit.
    fn pick(&self, what: u64, day: Date, unit: usize, n: u32) -> u32 {
        u32::try_from(self.mix(what, day, unit) % u64::from(n.max(1))).unwrap_or(0)
    }
}

fn plus(day: Date, days: i64) -> Date {
    day.checked_add(Span::new().days(days)).unwrap_or(day)
}

impl Feeder {
    /// The command's measures of `date` (simulated day `day`), at `at`.
    pub async fn measures(&mut self, world: &World, sim: &Simulation, (day, date): (u32, Date), at: Timestamp) -> anyhow::Result<()> {
        if !self.measures.active {
            return Ok(());
        }
        self.measures.origin = date.checked_sub(Span::new().days(i64::from(day)))?;
        let begun = sim.measures_from().is_some_and(|from| day >= from);
        if begun && self.measures.issued.is_empty() {
            self.issue(world, date, at).await?;
        }
        self.acknowledge_directives(world, date, at).await?;
        if !self.measures.issued.is_empty() {
            self.gatherings(world, date, at).await?;
            self.lectures(world, date, at).await?;
        }
        if sim.measures_from().is_some_and(|from| day + 10 >= from) {
            self.rumours(world, date, at).await?;
        }
        if date.weekday() == jiff::civil::Weekday::Monday || begun && self.measures.issued.iter().any(|(_, d)| *d == date) {
            self.weekly(world, date, at).await?;
        }
        Ok(())
    }

    /// The national command issues the four directives.
    async fn issue(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        let evidence = Evidence { note: Some("Confirmed cases passed the threshold for measures".into()), ..Evidence::default() };
        let words = |en: &str, ko: &str| Texts { en: en.into(), ko: ko.into() };
        let mut orders = vec![
            (
                Measure::GatheringLimit { max_people: 10, setting: Setting::Any },
                None,
                words("No gathering of more than 10 people, indoors or outdoors.", "실내외를 막론하고 10명이 넘는 모임을 금지합니다."),
            ),
            (
                Measure::Hygiene { masks: true, hand_washing: true, distance_m: Some(1.0) },
                None,
                words(
                    "Wear a mask outside the home, wash your hands often and keep one metre apart.",
                    "집 밖에서는 마스크를 쓰고, 손을 자주 씻고, 1미터 거리를 두십시오.",
                ),
            ),
            (
                Measure::LectureOrder { topic: TOPIC.into(), audience: Audience::Residents, by: plus(date, 21), coverage_target: 0.6 },
                Some(plus(date, 21)),
                words(
                    "Hold explanatory lectures on how the fever spreads: 60% of units within three weeks.",
                    "열병이 퍼지는 방식에 대한 설명 강연을 여십시오: 3주 안에 단위의 60%.",
                ),
            ),
        ];
        if let Some(entry) = world.entries.first() {
            let code = entry.facility.code.clone();
            let to = plus(date, 28);
            orders.push((
                Measure::Border { point_of_entry_code: code.clone(), open: false },
                Some(to),
                closure_texts(&code, date, Some(to)),
            ));
        }
        let nation = &world.nodes[0];
        for (measure, ends_on, text) in orders {
            let terms = Terms { measure, starts_on: date, ends_on, review_on: plus(date, 14), text, evidence: evidence.clone() };
            let input = DirectiveInput::new(Uuid::now_v7(), &nation.code, terms);
            let issued = self.store.issue_directive(&world.chief, &input, at).await.context("issuing the demo's directives")?;
            self.measures.issued.push((issued.directive.id, date));
            self.fed.directives += 1;
        }
        Ok(())
    }

    /// Unit heads acknowledge: 85% the day it is issued, 10% one to three
    /// days late, 5% never.
    async fn acknowledge_directives(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        for (k, (id, issued_on)) in self.measures.issued.clone().into_iter().enumerate() {
            let salt = 100 + k as u64;
            for (unit, head) in world.heads.iter().enumerate() {
                let roll = self.measures.draw(salt, issued_on, unit);
                let delay = match roll {
                    r if r < 0.85 => 0,
                    r if r < 0.95 => 1 + i64::from(self.measures.pick(salt + 50, issued_on, unit, 3)),
                    _ => continue,
                };
                if plus(issued_on, delay) != date {
                    continue;
                }
                let minutes = i64::from(self.measures.pick(salt + 60, issued_on, unit, 600));
                let when = at.saturating_add(Span::new().minutes(minutes)).unwrap_or(at);
                let result = self.store.acknowledge_directive(head, id, when).await;
                self.refused(result.map(drop))?;
            }
        }
        Ok(())
    }

    /// About one unit in a hundred (at least ten a day) registers a
    /// gathering each day; sizes
    /// from 4 to 30, so that the limit of 10 refuses many.
    async fn gatherings(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        let chance = 0.01f64.max(10.0 / world.heads.len().max(1) as f64);
        for (unit, head) in world.heads.iter().enumerate() {
            if self.measures.draw(200, date, unit) >= chance {
                continue;
            }
            let (purpose, place) = GATHERINGS[self.measures.pick(201, date, unit, 5) as usize];
            let starts_on = plus(date, 1 + i64::from(self.measures.pick(202, date, unit, 4)));
            let input = GatheringInput {
                id: Uuid::now_v7(),
                unit_code: world.nodes[world.country.units[unit]].code.clone(),
                place: place.into(),
                starts_at: starts_on.at(18, 0, 0, 0),
                expected_size: 4 + self.measures.pick(203, date, unit, 27),
                setting: if self.measures.draw(204, date, unit) < 0.6 { Setting::Indoor } else { Setting::Outdoor },
                purpose: purpose.into(),
            };
            match self.store.register_gathering(head, &input, at).await {
                Ok(registered) => {
                    self.fed.gatherings += 1;
                    if matches!(registered.gathering.verdict, Verdict::Refused { .. }) {
                        self.fed.gatherings_refused += 1;
                    } else {
                        self.measures.held.entry(unit).or_default().push((registered.gathering.id, starts_on));
                    }
                }
                Err(e) => self.refused(Err(e))?,
            }
        }
        Ok(())
    }

    /// Two days after the lecture order, each county's day worker schedules
    /// a lecture within the week; on its day a share of the county's units
    /// (from 30% to 90%, by county) attend.
    async fn lectures(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        if self.measures.issued.first().is_some_and(|(_, issued_on)| plus(*issued_on, 2) == date) {
            for worker in world.workers.iter().filter(|w| w.half == Half::Day) {
                let county = world.nodes.iter().position(|n| n.id == worker.area.id).unwrap_or(0);
                if world.country.areas[county].level != Level::County {
                    continue;
                }
                let area = &world.country.areas[county];
                let day = plus(date, 1 + i64::from(self.measures.pick(300, date, county, 6)));
                let capacity = 30 * u32::try_from(area.units.len()).unwrap_or(1).max(1);
                let input = LectureInput {
                    id: Uuid::now_v7(),
                    node_code: worker.area.code.clone(),
                    venue: format!("{} hospital hall", area.name),
                    topic: TOPIC.into(),
                    speaker: worker.user.display_name.clone(),
                    starts_at: day.at(14, 0, 0, 0),
                    capacity,
                    audience: Audience::Residents,
                };
                match self.store.schedule_lecture(&worker.user, &input, at).await {
                    Ok(lecture) => self.measures.lectures.push(Held { id: lecture.id, county, day, capacity }),
                    Err(e) => self.refused(Err(e))?,
                }
            }
        }
        let (due, later): (Vec<Held>, Vec<Held>) = std::mem::take(&mut self.measures.lectures).into_iter().partition(|l| l.day == date);
        self.measures.lectures = later;
        for lecture in due {
            self.attend(world, &lecture, at).await?;
        }
        Ok(())
    }

    /// The units of a lecture's county that come record how many attended.
    async fn attend(&mut self, world: &World, lecture: &Held, at: Timestamp) -> anyhow::Result<()> {
        let share = 0.3 + 0.6 * self.measures.draw(310, lecture.day, lecture.county);
        let units = world.country.areas[lecture.county].units.clone();
        let per_unit = (lecture.capacity / u32::try_from(units.len()).unwrap_or(1).max(1)).max(1);
        for unit in units.map(|u| u as usize) {
            if self.measures.draw(311, lecture.day, unit) >= share {
                continue;
            }
            let attended = 1 + self.measures.pick(312, lecture.day, unit, per_unit);
            let input = AttendanceInput { unit_code: world.nodes[world.country.units[unit]].code.clone(), attended };
            let when = at.saturating_add(Span::new().hours(7)).unwrap_or(at);
            let result = self.store.record_attendance(&world.heads[unit], lecture.id, &input, when).await;
            self.refused(result.map(drop))?;
        }
        Ok(())
    }

    /// From ten days before the measures, about one unit in two hundred (at
    /// least three a day) logs what residents say each day.
    async fn rumours(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        let chance = 0.005f64.max(3.0 / world.heads.len().max(1) as f64);
        for (unit, head) in world.heads.iter().enumerate() {
            if self.measures.draw(400, date, unit) >= chance {
                continue;
            }
            // Earlier sayings are heard more often than later ones.
            let first = self.measures.pick(401, date, unit, 6);
            let (text, category) = SAYINGS[self.measures.pick(402, date, unit, first + 1) as usize];
            let input = RumourInput {
                id: Uuid::now_v7(),
                unit_code: world.nodes[world.country.units[unit]].code.clone(),
                text: text.into(),
                category,
                heard_on: date,
                people: 1 + self.measures.pick(403, date, unit, 12),
            };
            let result = self.store.log_rumour(head, &input, at).await;
            if result.is_ok() {
                self.fed.rumours += 1;
            }
            self.refused(result.map(drop))?;
        }
        Ok(())
    }

    /// Each Monday (and the day measures begin): the command answers the
    /// week's most heard rumour and sets each province's level, and the
    /// nation's, as the rules recommend.
    async fn weekly(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        let nation = &world.nodes[0];
        let last_week = cordon_core::rumour::week_of(plus(date, -7));
        if let Some(top) = self.store.rumours_of_week(&nation.path, last_week, 1).await?.into_iter().find(|r| r.answer.is_none()) {
            let answer = Texts {
                en: "It is not a cold and nothing you eat or drink protects you: report fever to your unit head at once.".into(),
                ko: "감기가 아니며 먹거나 마시는 것으로 막을 수 없습니다: 열이 나면 즉시 단위 책임자에게 알리십시오.".into(),
            };
            let result = self.store.answer_rumour(&world.chief, top.id, &answer, at).await;
            self.refused(result.map(drop))?;
        }
        self.review(world, date, at).await?;
        let provinces = world.country.at_level(Level::Province).collect::<Vec<_>>();
        for area in std::iter::once(0).chain(provinces) {
            let node = &world.nodes[area];
            let signals = self.store.alert_signals(node, at).await?;
            let advised = cordon_core::alert_level::recommend(&signals);
            if advised.level == signals.current {
                continue;
            }
            let input = LevelInput { node_code: node.code.clone(), level: advised.level, note: Some("Set as the rules recommend".into()) };
            let result = self.store.set_alert_level(&world.chief, &input, signals, at).await;
            if result.is_ok() {
                self.fed.levels += 1;
            }
            self.refused(result.map(drop))?;
        }
        Ok(())
    }

    /// The command looks again at the open-ended directives past their
    /// review day and keeps them in force: an amendment with the same
    /// measure, from today, to be reviewed in two weeks.
    async fn review(&mut self, world: &World, date: Date, at: Timestamp) -> anyhow::Result<()> {
        for (id, _) in self.measures.issued.clone() {
            let Some(directive) = self.store.directive(id).await? else { continue };
            let Some(current) = directive.current() else { continue };
            if directive.revoked.is_some() || current.terms.ends_on.is_some() || current.terms.review_on >= date {
                continue;
            }
            let terms = Terms { starts_on: date, review_on: plus(date, 14), ..current.terms.clone() };
            let amendment = Amendment::new(terms, "Reviewed: stays in force for two more weeks");
            let result = self.store.amend_directive(&world.chief, id, &amendment, at).await;
            self.refused(result.map(drop))?;
        }
        Ok(())
    }
}
