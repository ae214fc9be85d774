//! The investigation record of a case: exposure history, the sample and its
//! laboratory result, the isolation decision and the source case.
//!
//! A laboratory result drives classification: a positive result confirms a
//! suspected or probable case, a negative one discards a suspected case, an
//! inconclusive one changes nothing.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::case::{self, Case, CaseError, CaseStatus, Classification};
use crate::gathering::Gathering;
use crate::jurisdiction::Facility;
use crate::order::{Order, OrderDraft, OrderKind, OrderPlace, OrderReason};
use crate::person::Person;
use crate::policy::{self, Action};
use crate::refusal::{Reason, Record};
use crate::settings::Settings;
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// What kind of sample was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// Nasopharyngeal swab.
    NasalSwab,
    /// Throat swab.
    ThroatSwab,
    /// Sputum.
    Sputum,
    /// Blood.
    Blood,
    /// Stool.
    Stool,
    /// Anything else.
    Other,
}

/// A laboratory result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabResult {
    /// The pathogen was found.
    Positive,
    /// It was not.
    Negative,
    /// The test could not tell.
    Inconclusive,
}

/// A sample sent to the laboratory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// What was sampled.
    pub kind: SampleKind,
    /// When.
    pub taken_on: Date,
    /// The result, once known.
    #[serde(default)]
    pub result: Option<LabResult>,
}

/// Where a case is isolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IsolationPlace {
    /// At home.
    Home,
    /// In an isolation or quarantine facility.
    Facility,
    /// In hospital.
    Hospital,
}

/// The isolation decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IsolationDecision {
    /// Where.
    pub place: IsolationPlace,
    /// The facility's code, for facility and hospital isolation.
    #[serde(default)]
    pub facility_code: Option<String>,
}

/// What a health worker records while investigating a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestigationInput {
    /// Where and how the person may have been infected.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub exposure_history: Option<String>,
    /// The sample, if one was taken.
    #[serde(default)]
    pub sample: Option<Sample>,
    /// The isolation decision, if made.
    #[serde(default)]
    pub isolation: Option<IsolationDecision>,
    /// The case this one caught it from, when known.
    #[serde(default)]
    pub source_case_id: Option<Uuid>,
    /// A registered gathering the person attended, named as the exposure (by
    /// its id); the case is then counted in that gathering's cluster.
    #[serde(default)]
    pub gathering_id: Option<Uuid>,
}

/// The stored investigation of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Investigation {
    /// The case.
    pub case_id: Uuid,
    /// Exposure history.
    pub exposure_history: Option<String>,
    /// The sample.
    pub sample: Option<Sample>,
    /// The isolation decision.
    pub isolation: Option<IsolationDecision>,
    /// The source case.
    pub source_case_id: Option<Uuid>,
    /// The registered gathering named as the exposure.
    #[serde(default)]
    pub gathering_id: Option<Uuid>,
    /// Who recorded it last.
    pub recorded_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl InvestigationInput {
    /// Checks the record against today's date and the case's own id.
    pub fn check(&self, case_id: Uuid, today: Date) -> Result<Option<String>, Invalid> {
        let mut p = Problems::default();
        let history = p.optional_text("exposure_history", self.exposure_history.as_deref(), 4000);
        if let Some(sample) = &self.sample
            && sample.taken_on > today
        {
            p.add("sample.taken_on", Reason::AfterToday { today });
        }
        if let Some(iso) = &self.isolation {
            let needs_facility = iso.place != IsolationPlace::Home;
            match (&iso.facility_code, needs_facility) {
                (None, true) => p.add("isolation.facility_code", Reason::FacilityRequired),
                (Some(_), false) => p.add("isolation.facility_code", Reason::HomeTakesNoFacility),
                _ => {}
            }
        }
        if self.source_case_id == Some(case_id) {
            p.add("source_case_id", Reason::OwnSource);
        }
        p.finish(history)
    }
}

/// The classification a laboratory result leads to, if any.
#[must_use]
pub fn classification_for(status: CaseStatus, result: LabResult) -> Option<CaseStatus> {
    match (result, status) {
        (LabResult::Positive, CaseStatus::Suspected | CaseStatus::Probable) => Some(CaseStatus::Confirmed),
        (LabResult::Negative, CaseStatus::Suspected) => Some(CaseStatus::Discarded),
        _ => None,
    }
}

/// Why an investigation record is not stored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A field is wrong or names nothing known.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The result would change a case that cannot change.
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// The facts a decision about one investigation record needs, as loaded in
/// the transaction.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The worker recording it.
    pub worker: &'a User,
    /// The case as it stands.
    pub case: &'a Case,
    /// The person the case is about.
    pub person: &'a Person,
    /// Settings in force (isolation days, the local day).
    pub settings: &'a Settings,
    /// The facility named by `isolation.facility_code`, of any kind.
    pub facility: Option<&'a Facility>,
    /// The case named by `source_case_id`.
    pub source: Option<&'a Case>,
    /// The gathering named by `gathering_id`.
    pub gathering: Option<&'a Gathering>,
    /// The person's isolation order in force, if any.
    pub isolation_in_force: Option<&'a Order>,
}

/// What recording an investigation leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// The record to store (replacing any earlier one).
    pub record: Investigation,
    /// The case after the record: its source, and the classification a
    /// laboratory result leads to. Unchanged when equal to the context's case.
    pub case: Case,
    /// The isolation order to issue, when isolation is decided and none is
    /// in force.
    pub isolation: Option<OrderDraft>,
}

fn isolation_order(decision: &IsolationDecision, cx: &Context<'_>, now: Timestamp) -> Result<OrderDraft, Invalid> {
    let (place, facility_id, area_path) = match (decision.place, cx.facility) {
        (IsolationPlace::Home, _) => (OrderPlace::Home, None, cx.person.unit_path.clone()),
        (_, Some(f)) => (OrderPlace::Facility, Some(f.id), f.node_path.clone()),
        (_, None) => return Err(Invalid::field("isolation.facility_code", Reason::NoFacility)),
    };
    Ok(OrderDraft {
        person_id: cx.person.id,
        kind: OrderKind::Isolation,
        place,
        facility_id,
        area_path,
        reason: OrderReason::Case,
        case_id: Some(cx.case.id),
        starts_on: cx.settings.local_date(now),
        days: cx.settings.isolation_days,
        note: None,
    })
}

/// Decides what recording `input` on the context's case leads to: the
/// fields are checked, the facility must exist, and the source case and the
/// gathering named as exposure must lie in the worker's jurisdiction; a
/// laboratory result classifies the case; an isolation decision issues an
/// isolation order unless one is in force.
pub fn decide(input: &InvestigationInput, cx: Context<'_>, now: Timestamp) -> Result<Recording, Refused> {
    let before = cx.case;
    let history = input.check(before.id, cx.settings.local_date(now))?;
    if let (Some(code), None) = (input.isolation.as_ref().and_then(|i| i.facility_code.as_deref()), cx.facility) {
        return Err(Invalid::field("isolation.facility_code", Reason::NoFacilityCode { code: code.to_owned() }).into());
    }
    if input.source_case_id.is_some() {
        let in_reach = cx.source.is_some_and(|source| policy::authorise(cx.worker, Action::Read, &source.unit_path).is_ok());
        if !in_reach {
            return Err(Invalid::field("source_case_id", Reason::NoCaseHere).into());
        }
    }
    if let Some(id) = input.gathering_id {
        let in_reach = cx.gathering.is_some_and(|g| g.id == id && policy::authorise(cx.worker, Action::Read, &g.unit_path).is_ok());
        if !in_reach {
            return Err(Invalid::field("gathering_id", Reason::NotFound { record: Record::Gathering, key: id.to_string() }).into());
        }
    }
    let record = Investigation {
        case_id: before.id,
        exposure_history: history,
        sample: input.sample.clone(),
        isolation: input.isolation.clone(),
        source_case_id: input.source_case_id.or(before.source_case_id),
        gathering_id: input.gathering_id,
        recorded_by: cx.worker.id,
        updated_at: now,
    };
    let mut case = Case { source_case_id: record.source_case_id, updated_at: now, ..before.clone() };
    if let Some(result) = record.sample.as_ref().and_then(|s| s.result)
        && let Some(to) = classification_for(case.status, result)
    {
        case = case::classify(&case, Classification { status: Some(to), outcome: None }, now)?;
    }
    let isolation = match &record.isolation {
        Some(decision) => Some(isolation_order(decision, &cx, now)?).filter(|_| cx.isolation_in_force.is_none()),
        None => None,
    };
    Ok(Recording { record, case, isolation })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_results_drive_classification() {
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Positive), Some(CaseStatus::Confirmed));
        assert_eq!(classification_for(CaseStatus::Probable, LabResult::Positive), Some(CaseStatus::Confirmed));
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Negative), Some(CaseStatus::Discarded));
        assert_eq!(classification_for(CaseStatus::Probable, LabResult::Negative), None, "a negative test does not undo a probable case");
        assert_eq!(classification_for(CaseStatus::Suspected, LabResult::Inconclusive), None);
        assert_eq!(classification_for(CaseStatus::Discarded, LabResult::Positive), None);
    }

    fn fixtures() -> (User, Case, Person) {
        let c1 = crate::jurisdiction::NodePath::root("KR").child("C1");
        let worker = crate::fixtures::user(crate::user::Role::HealthWorker, &c1);
        (worker, crate::fixtures::case(1, 2, &c1.child("U1")), crate::fixtures::resident(2, &c1.child("U1")))
    }

    fn recorded(input: &InvestigationInput, source: Option<&Case>, in_force: Option<&Order>) -> Result<Recording, Refused> {
        recorded_at(input, source, None, in_force)
    }

    fn recorded_at(
        input: &InvestigationInput,
        source: Option<&Case>,
        gathering: Option<&Gathering>,
        in_force: Option<&Order>,
    ) -> Result<Recording, Refused> {
        let (worker, case, person) = fixtures();
        let settings = Settings::default();
        let cx = Context {
            worker: &worker,
            case: &case,
            person: &person,
            settings: &settings,
            facility: None,
            source,
            gathering,
            isolation_in_force: in_force,
        };
        decide(input, cx, Timestamp::UNIX_EPOCH)
    }

    fn home_isolation(result: Option<LabResult>) -> InvestigationInput {
        InvestigationInput {
            exposure_history: Some("market".into()),
            sample: Some(Sample { kind: SampleKind::NasalSwab, taken_on: jiff::civil::date(1970, 1, 1), result }),
            isolation: Some(IsolationDecision { place: IsolationPlace::Home, facility_code: None }),
            source_case_id: None,
            gathering_id: None,
        }
    }

    #[test]
    fn a_positive_result_confirms_and_home_isolation_is_ordered() {
        let out = recorded(&home_isolation(Some(LabResult::Positive)), None, None).unwrap();
        assert_eq!(out.case.status, CaseStatus::Confirmed);
        let order = out.isolation.unwrap();
        assert_eq!((order.kind, order.place, order.case_id), (OrderKind::Isolation, OrderPlace::Home, Some(Uuid::from_u128(1))));
    }

    #[test]
    fn no_second_isolation_is_ordered_while_one_is_in_force() {
        let first = recorded(&home_isolation(None), None, None).unwrap().isolation.unwrap();
        let in_force = crate::order::issue(Uuid::from_u128(5), first, Timestamp::UNIX_EPOCH);
        assert!(recorded(&home_isolation(None), None, Some(&in_force)).unwrap().isolation.is_none());
    }

    #[test]
    fn the_source_case_must_lie_in_the_workers_jurisdiction() {
        let (_, case, _) = fixtures();
        let input = InvestigationInput { source_case_id: Some(Uuid::from_u128(9)), ..home_isolation(None) };
        let elsewhere = Case { id: Uuid::from_u128(9), unit_path: crate::jurisdiction::NodePath::root("KR").child("C2"), ..case.clone() };
        let refused = recorded(&input, Some(&elsewhere), None).unwrap_err();
        assert!(matches!(refused, Refused::Invalid(ref i) if i.errors[0].reason == Reason::NoCaseHere));
        assert!(matches!(recorded(&input, None, None), Err(Refused::Invalid(_))));
        let nearby = Case { id: Uuid::from_u128(9), ..case };
        assert_eq!(recorded(&input, Some(&nearby), None).unwrap().case.source_case_id, Some(Uuid::from_u128(9)));
    }

    fn wedding(id: u128, unit: &crate::jurisdiction::NodePath) -> Gathering {
        Gathering {
            id: Uuid::from_u128(id),
            unit_id: Uuid::from_u128(id + 1),
            unit_path: unit.clone(),
            place: "Village hall".into(),
            starts_at: jiff::civil::date(1970, 1, 1).at(18, 0, 0, 0),
            expected_size: 12,
            setting: crate::directive::Setting::Indoor,
            purpose: "wedding".into(),
            verdict: crate::gathering::Verdict::Allowed { limit: None },
            registered_by: Uuid::from_u128(3),
            registered_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_gathering_named_as_exposure_must_exist_and_lie_in_the_workers_jurisdiction() {
        let kr = crate::jurisdiction::NodePath::root("KR");
        let input = InvestigationInput { gathering_id: Some(Uuid::from_u128(20)), ..home_isolation(None) };
        let nearby = wedding(20, &kr.child("C1").child("U2"));
        assert_eq!(recorded_at(&input, None, Some(&nearby), None).unwrap().record.gathering_id, Some(Uuid::from_u128(20)));
        let elsewhere = wedding(20, &kr.child("C2").child("U3"));
        let not_found = Reason::NotFound { record: Record::Gathering, key: Uuid::from_u128(20).to_string() };
        for gathering in [Some(&elsewhere), None] {
            let refused = recorded_at(&input, None, gathering, None).unwrap_err();
            assert!(matches!(refused, Refused::Invalid(ref i) if i.errors[0].field == "gathering_id" && i.errors[0].reason == not_found));
        }
        let other = wedding(21, &kr.child("C1").child("U2"));
        assert!(recorded_at(&input, None, Some(&other), None).is_err(), "the gathering loaded must be the one named");
        assert_eq!(recorded(&home_isolation(None), None, None).unwrap().record.gathering_id, None, "naming none links none");
    }

    #[test]
    fn a_named_facility_must_exist() {
        let input = InvestigationInput {
            isolation: Some(IsolationDecision { place: IsolationPlace::Hospital, facility_code: Some("H9".into()) }),
            ..home_isolation(None)
        };
        let refused = recorded(&input, None, None).unwrap_err();
        assert!(matches!(refused, Refused::Invalid(ref i) if i.errors[0].reason == Reason::NoFacilityCode { code: "H9".into() }));
    }

    #[test]
    fn facility_isolation_needs_a_facility() {
        let input = InvestigationInput {
            exposure_history: None,
            sample: None,
            isolation: Some(IsolationDecision { place: IsolationPlace::Facility, facility_code: None }),
            source_case_id: None,
            gathering_id: None,
        };
        assert_eq!(input.check(Uuid::nil(), jiff::civil::date(2026, 1, 1)).unwrap_err().errors[0].field, "isolation.facility_code");
    }
}
