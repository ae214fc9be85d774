//! Feeding the quarantine side of the outbreak: the investigation record
//! (sample, home isolation, the laboratory result that confirms or
//! discards), the contacts the worker lists (each quarantined where they
//! live, handed over when that is another county), the daily follow-up
//! visits, and arrivals registered by border officers. Each goes through the
//! store call the API's action makes, with the same core checks.

use cordon_core::case::{CaseStatus, Classification};
use cordon_core::investigation::{InvestigationInput, IsolationDecision, IsolationPlace, LabResult, Sample, SampleKind};
use cordon_core::order::OrderKind;
use cordon_core::refusal::Record;
use cordon_sim::{ArrivalAction, ContactSpec, FollowUpVisit, ReportKey, SimTime, Simulation};
use cordon_store::StoreError;
use cordon_store::followups::VisitInput;
use jiff::Timestamp;
use uuid::Uuid;

use super::feed::{Feeder, Opened, TimeMap};
use super::setup::World;

impl Feeder {
    /// The worker's visit to a new case: from the tracing day on the
    /// investigation record (sample taken, home isolation), then a first
    /// classification, and the contacts listed.
    #[expect(clippy::too_many_arguments, reason = "one action's fields, passed through")]
    pub(super) async fn visit(
        &mut self,
        world: &World,
        sim: &Simulation,
        report: ReportKey,
        probable: bool,
        isolate: bool,
        contacts: &[ContactSpec],
        at: Timestamp,
        map: &TimeMap,
    ) -> anyhow::Result<()> {
        let Some(Opened { case, worker: Some(w), unit, .. }) = self.opened.get(&report) else { return Ok(()) };
        let (case, w, unit) = (*case, *w, *unit);
        let today = world.settings.local_date(at);
        // A case in a unit that held a gathering in the last two weeks was
        // there about half the time: the investigation names it.
        let gathering_id = unit.and_then(|u| self.measures.gathering_attended(u as usize, today));
        let input = InvestigationInput {
            exposure_history: Some("Interviewed at home; household and neighbours listed.".into()),
            sample: Some(Sample { kind: SampleKind::NasalSwab, taken_on: today, result: None }),
            isolation: isolate.then_some(IsolationDecision { place: IsolationPlace::Home, facility_code: None }),
            source_case_id: None,
            gathering_id,
        };
        // The investigation record (and its isolation order) from the tracing
        // day on; before it, the history keeps to classifications.
        let Some(worker) = world.by_id.get(&w) else { return Ok(()) };
        if isolate {
            let recorded = self.store.record_investigation(worker, case, &input, at).await.map(drop);
            if recorded.is_ok()
                && let Some(opened) = self.opened.get_mut(&report)
            {
                opened.investigation = Some(input);
            }
            self.refused(recorded)?;
        }
        if probable {
            let change = Classification { status: Some(CaseStatus::Probable), outcome: None };
            let classified = self.store.classify_case(worker, case, change, at).await;
            self.refused(classified.map(drop))?;
        }
        for c in contacts {
            let unit = &world.nodes[world.country.units[c.unit as usize]];
            let person = sim.resident(c.person).input(&unit.code, today.year());
            let exposure = world.settings.local_date(map.at(SimTime::at(c.exposure_day, 12 * 60))).min(today);
            let contact = c.input(person.clone(), exposure);
            let listed = self.store.list_contact(worker, case, &contact, at).await;
            match listed {
                Ok(listed) => {
                    self.persons.insert(c.person, listed.contact.person_id);
                    self.fed.contacts += 1;
                }
                Err(e) => self.refused(Err(e))?,
            }
        }
        Ok(())
    }

    /// The laboratory result: recorded on the investigation (which confirms
    /// or discards the case), or as a classification when no investigation
    /// was recorded.
    pub(super) async fn lab_result(&mut self, world: &World, report: ReportKey, positive: bool, at: Timestamp) -> Result<(), StoreError> {
        let Some(Opened { case, worker: Some(w), investigation, .. }) = self.opened.get(&report) else { return Ok(()) };
        let (case, w) = (*case, *w);
        let Some(worker) = world.by_id.get(&w) else { return Ok(()) };
        let result = if positive { LabResult::Positive } else { LabResult::Negative };
        let done = if let Some(mut input) = investigation.clone() {
            input.sample = input.sample.map(|s| Sample { result: Some(result), ..s });
            self.store.record_investigation(worker, case, &input, at).await.map(|r| r.case.status)
        } else {
            let status = if positive { CaseStatus::Confirmed } else { CaseStatus::Discarded };
            self.store.classify_case(worker, case, Classification { status: Some(status), outcome: None }, at).await.map(|c| c.status)
        }?;
        match done {
            CaseStatus::Confirmed => self.fed.confirmed += 1,
            CaseStatus::Discarded => self.fed.discarded += 1,
            _ => {}
        }
        Ok(())
    }

    /// A worker's daily visit to a person under an order: whoever holds the
    /// day's follow-up task records it; symptoms become a report there.
    pub(super) async fn follow_up(&mut self, world: &World, visit: &FollowUpVisit, at: Timestamp) -> Result<(), StoreError> {
        let Some(&person) = self.persons.get(&visit.person) else { return Err(StoreError::not_found(Record::Person, visit.person)) };
        let kind = if visit.isolation { OrderKind::Isolation } else { OrderKind::Quarantine };
        let task = self.store.open_follow_up(person, kind).await?.ok_or_else(|| StoreError::not_found(Record::Task, person))?;
        let worker = task.assignee_id.and_then(|w| world.by_id.get(&w)).ok_or_else(|| StoreError::not_found(Record::User, task.id))?;
        let note = match (visit.seen, visit.symptoms.is_empty()) {
            (false, _) => "Not at home; neighbours asked to call.",
            (true, true) => "Seen at home; well.",
            (true, false) => "Seen at home; unwell, reported.",
        };
        // Nothing is measured on a person not seen (the visit's rules refuse readings then).
        let (temperature_c, symptoms) = if visit.seen { (visit.temperature_c, visit.symptoms.clone()) } else { (None, Vec::new()) };
        let input = VisitInput { seen: visit.seen, temperature_c, symptoms, note: Some(note.to_owned()) };
        let outcome = self.store.record_visit(worker, task.id, &input, at).await?;
        self.fed.visits += 1;
        if let (Some(key), Some(intake)) = (visit.report, &outcome.intake) {
            self.fed.reports += 1;
            if let (Some(case), Some(task)) = (&intake.case, &intake.task) {
                self.fed.cases += 1;
                self.opened.insert(key, Opened { case: case.id, task: task.id, worker: None, investigation: None, unit: None });
            }
        }
        Ok(())
    }

    /// A border officer registers a resident coming home; they are
    /// quarantined by the rule for their origin, and a symptomatic arrival
    /// becomes a report.
    pub(super) async fn arrival(&mut self, world: &World, sim: &Simulation, a: &ArrivalAction, at: Timestamp) -> Result<(), StoreError> {
        let Some(entry) = world.entries.get(a.point_of_entry) else { return Ok(()) };
        let today = world.settings.local_date(at);
        let unit = &world.nodes[world.country.units[a.unit as usize]];
        let person = sim.resident(a.person).input(&unit.code, today.year());
        let input = a.input(Uuid::now_v7(), &entry.facility.code, person, today);
        let registered = self.store.register_arrival(&entry.officer, &input, at).await?;
        self.persons.insert(a.person, registered.arrival.person_id);
        self.fed.arrivals += 1;
        if let (Some(key), Some(intake)) = (a.report, &registered.intake) {
            self.fed.reports += 1;
            if let (Some(case), Some(task)) = (&intake.case, &intake.task) {
                self.fed.cases += 1;
                self.opened.insert(key, Opened { case: case.id, task: task.id, worker: None, investigation: None, unit: Some(a.unit) });
            }
        }
        Ok(())
    }
}
