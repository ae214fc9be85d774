//! What people do once someone is ill: unit heads report symptoms (for the
//! outbreak and for the background of other illness), health workers
//! acknowledge, visit and classify, the laboratory answers, cases end, and
//! every unit files its daily report (some late, a few never).

use cordon_core::definition::CaseDefinition;
use cordon_core::report::{ReportDraft, Symptom};
use rand::Rng;
use rand_distr::Distribution;
use uuid::Uuid;

use crate::action::{Action, Cause, ReportKey, SimTime, SymptomReport, UnitDailyReport};
use crate::model::Simulation;
use crate::transmission::poisson;

/// Symptom frequencies among confirmed cases, after Guan et al. 2020 (NEJM
/// 382:1708, 1,099 patients): fever 88.7%, cough 67.8%, fatigue 38.1%,
/// shortness of breath 18.7%, myalgia 14.9%, sore throat 13.9%, headache
/// 13.6%, nausea or vomiting 5.0%, nasal congestion 4.8%, diarrhoea 3.8%;
/// loss of taste or smell 40% (Menni et al. 2020, Nat Med 26:1037, found 65%
/// among app users who tested positive; lower here for a general population).
const OUTBREAK: [(Symptom, f64); 11] = [
    (Symptom::Fever, 0.887),
    (Symptom::Cough, 0.678),
    (Symptom::Fatigue, 0.381),
    (Symptom::LossOfTasteOrSmell, 0.40),
    (Symptom::ShortnessOfBreath, 0.187),
    (Symptom::MusclePain, 0.149),
    (Symptom::SoreThroat, 0.139),
    (Symptom::Headache, 0.136),
    (Symptom::Vomiting, 0.05),
    (Symptom::RunnyNose, 0.048),
    (Symptom::Diarrhoea, 0.038),
];

/// A common cold (three quarters of the background).
const COLD: [(Symptom, f64); 7] = [
    (Symptom::RunnyNose, 0.8),
    (Symptom::SoreThroat, 0.5),
    (Symptom::Cough, 0.45),
    (Symptom::Headache, 0.3),
    (Symptom::Fatigue, 0.25),
    (Symptom::Fever, 0.12),
    (Symptom::MusclePain, 0.1),
];

/// Gastro-enteritis (a fifth of the background).
const GASTRO: [(Symptom, f64); 4] = [(Symptom::Diarrhoea, 0.8), (Symptom::Vomiting, 0.5), (Symptom::Fatigue, 0.3), (Symptom::Fever, 0.2)];

/// Anything else (a rash, a headache).
const OTHER: [(Symptom, f64); 3] = [(Symptom::Rash, 0.7), (Symptom::Headache, 0.3), (Symptom::Fever, 0.3)];

impl Simulation {
    /// Reports of other illness: residents picked at random across the
    /// country, reported during the day.
    pub(crate) fn background(&mut self, day: u32) {
        let mean = self.params.reporting.background_per_100k_day * f64::from(self.pop.len()) / 1e5;
        for _ in 0..poisson(&mut self.rng, mean) {
            let person = self.rng.random_range(0..self.pop.len());
            let unit = self.pop.unit_of(person);
            let onset_day = day.saturating_sub(self.rng.random_range(0..3));
            let table: &[(Symptom, f64)] = match self.rng.random_range(0..20) {
                0..15 => &COLD,
                15..19 => &GASTRO,
                _ => &OTHER,
            };
            let symptoms = self.pick(table);
            let fever = symptoms.contains(&Symptom::Fever);
            let temperature_c = self.temperature(fever, 38.0);
            let at = SimTime::at(day, 7 * 60 + self.rng.random_range(0..14 * 60));
            let report = self.report(person, unit, symptoms, temperature_c, onset_day, Cause::Background);
            self.totals.background_reports += 1;
            self.schedule(at, Action::Report(report));
        }
    }

    /// Symptoms and measured temperature of a cold.
    pub(crate) fn cold_symptoms(&mut self) -> (Vec<Symptom>, Option<f64>) {
        let symptoms = self.pick(&COLD);
        let fever = symptoms.contains(&Symptom::Fever);
        (symptoms, self.temperature(fever, 38.0))
    }

    /// Symptoms and measured temperature of an outbreak case.
    pub(crate) fn outbreak_symptoms(&mut self) -> (Vec<Symptom>, Option<f64>) {
        let symptoms = self.pick(&OUTBREAK);
        let fever = symptoms.contains(&Symptom::Fever);
        (symptoms, self.temperature(fever, 38.4))
    }

    /// Draws symptoms independently; at least one.
    fn pick(&mut self, table: &[(Symptom, f64)]) -> Vec<Symptom> {
        let mut symptoms: Vec<Symptom> = table.iter().filter(|(_, p)| self.rng.random_bool(*p)).map(|(s, _)| *s).collect();
        if symptoms.is_empty() {
            symptoms.push(table[0].0);
        }
        symptoms.sort();
        symptoms
    }

    /// A measured temperature (or none): feverish around `fever_mean` °C.
    pub(crate) fn temperature(&mut self, fever: bool, fever_mean: f64) -> Option<f64> {
        if !self.rng.random_bool(self.params.reporting.temperature_measured) {
            return None;
        }
        let t = if fever {
            (self.draws.fever.sample(&mut self.rng) - 38.4 + fever_mean).clamp(37.5, 40.8)
        } else {
            self.draws.normal_temperature.sample(&mut self.rng).clamp(35.6, 37.4)
        };
        Some((t * 10.0).round() / 10.0)
    }

    /// Builds a report with the next key.
    pub(crate) fn report(
        &mut self,
        person: u32,
        unit: u32,
        symptoms: Vec<Symptom>,
        temperature_c: Option<f64>,
        onset_day: u32,
        cause: Cause,
    ) -> SymptomReport {
        let key = ReportKey(self.next_report);
        self.next_report += 1;
        let meets_definition = meets_default_definition(&symptoms, temperature_c);
        SymptomReport { key, person, unit, symptoms, temperature_c, onset_day, cause, meets_definition }
    }

    /// Queues what follows a report that opens an investigation: the
    /// acknowledgement (late when the first worker misses it), the visit,
    /// the end of the task, the laboratory result and, for a confirmed case,
    /// its outcome.
    pub(crate) fn follow_up(&mut self, at: SimTime, report: &SymptomReport) {
        if !report.meets_definition {
            return;
        }
        let s = &self.params.response;
        let night = !(7..22).contains(&(at.minute_of_day() / 60));
        let ack = if self.rng.random_bool(s.ack_missed) {
            s.deadline_minutes + self.draws.ack_missed.sample(&mut self.rng)
        } else {
            self.draws.ack.sample(&mut self.rng) * if night { 1.5 } else { 1.0 }
        };
        let ack_at = at.plus_minutes(ack);
        let visit_at = ack_at.plus_minutes(self.draws.visit.sample(&mut self.rng));
        let typical = report.symptoms.contains(&Symptom::Fever)
            && (report.symptoms.contains(&Symptom::Cough) || report.symptoms.contains(&Symptom::LossOfTasteOrSmell));
        let p_probable = if report.cause == Cause::Outbreak && typical { s.probable_at_visit } else { s.probable_at_visit / 12.0 };
        let probable = self.rng.random_bool(p_probable);
        let done_at = visit_at.plus_minutes(self.rng.random_range(30.0..90.0));
        let lab_at = visit_at.plus_minutes(self.draws.lab.sample(&mut self.rng) * 60.0);
        let positive = match report.cause {
            Cause::Outbreak => self.rng.random_bool(s.test_sensitivity),
            Cause::Background => !self.rng.random_bool(s.test_specificity),
        };
        let key = report.key;
        let tracing = at.day() >= self.params.tracing.from_day;
        let contacts = if tracing { self.contacts_of(report.person, report.unit, visit_at.day()) } else { Vec::new() };
        self.schedule(ack_at, Action::Acknowledge(key));
        self.schedule(visit_at, Action::Visit { report: key, person: report.person, probable, isolate: tracing, contacts });
        self.schedule(done_at, Action::Complete(key));
        self.schedule(lab_at, Action::LabResult { report: key, positive });
        if positive {
            let d = &self.params.disease;
            let died = report.cause == Cause::Outbreak && self.rng.random_bool(d.case_fatality);
            let days = if died { d.onset_to_death_days } else { d.onset_to_recovery_days };
            let end = f64::from(report.onset_day) + 0.5 + days + self.draws.outcome_spread.sample(&mut self.rng);
            let end = SimTime::from_days(end).max(lab_at.plus_minutes(24.0 * 60.0));
            let end = SimTime::at(end.day(), 9 * 60 + self.rng.random_range(0..9 * 60)).max(lab_at.plus_minutes(60.0));
            self.schedule(end, Action::Outcome { report: key, died });
        }
    }

    /// Queues every unit's daily report for `day` (from the configured first
    /// day on): most before the due hour, some late, a few never.
    pub(crate) fn daily_reports(&mut self, day: u32) {
        if day < self.params.daily_reports_from_day {
            return;
        }
        let p = self.params.daily.clone();
        let mild = self.params.reporting.mild_ill_per_100k / 1e5;
        for unit in (0_u32..).take(self.pop.units()) {
            let silent = if self.undependable[unit as usize] { p.undependable_silent } else { p.silent };
            if self.rng.random_bool(silent) {
                continue;
            }
            let minute = if self.rng.random_bool(p.late) {
                p.due_hour * 60 + self.rng.random_range(0..180)
            } else {
                // Mostly in the morning: the earlier of two uniform times.
                let window = (p.due_hour - 7) * 60;
                let a = self.rng.random_range(0..window);
                let b = self.rng.random_range(0..window);
                7 * 60 + a.min(b)
            };
            let r = self.pop.unit_range(unit);
            let known: u32 = self.recent[unit as usize].iter().map(|&n| u32::from(n)).sum();
            let ill_count = known + poisson(&mut self.rng, f64::from(r.end - r.start) * mild);
            self.schedule(SimTime::at(day, minute), Action::Daily(UnitDailyReport { unit, day, ill_count }));
        }
    }
}

/// Whether a report meets cordon's built-in suspected-case definition
/// (evaluated by the core, so the simulation expects what cordon decides).
#[must_use]
pub fn meets_default_definition(symptoms: &[Symptom], temperature_c: Option<f64>) -> bool {
    let draft =
        ReportDraft { id: Uuid::nil(), person_id: Uuid::nil(), symptoms: symptoms.to_vec(), temperature_c, onset_date: None, note: None };
    CaseDefinition::default_suspected().rule.is_met_by(&draft)
}
