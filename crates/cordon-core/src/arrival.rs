//! Arrivals at points of entry: screening and entry quarantine.
//!
//! A border officer registers each arrival with a travel document, origin,
//! route and screening (temperature, symptoms). A symptomatic arrival becomes
//! a symptom report like any other; every arrival is quarantined by the rule
//! in force for its origin country (by default: in a facility). A closed
//! point of entry accepts no arrivals.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::border::EntryError;
use crate::border::check_open;
use crate::directive::Directive;
use crate::jurisdiction::{Facility, FacilityKind, Node, NodePath};
use crate::order::{OrderDraft, OrderKind, OrderPlace, OrderReason};
use crate::person::{self, Person, PersonInput};
use crate::policy::{self, Action, Denied};
use crate::refusal::{Reason, Unit};
use crate::report::{ReportDraft, Symptom, TEMPERATURE_RANGE_C};
use crate::settings::{EntryRule, Settings};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// An arrival as registered by the border officer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// Code of the point of entry (a facility of kind `point_of_entry`).
    pub point_of_entry_code: String,
    /// The traveller; `unit_code` is where they will stay.
    pub person: PersonInput,
    /// Passport or other travel document number.
    #[schema(max_length = 64)]
    pub travel_document: String,
    /// ISO 3166 alpha-2 code of the country the journey started in.
    pub origin_country: String,
    /// Route (e.g. flight number, crossing).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub route: Option<String>,
    /// Day of arrival; today or yesterday.
    pub arrived_on: Date,
    /// Screening temperature in °C.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Symptoms at screening.
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    /// Code of the quarantine facility, for facility quarantine (default:
    /// the first quarantine centre at or above the point of entry).
    #[serde(default)]
    pub facility_code: Option<String>,
}

impl ArrivalInput {
    /// Checks what needs only the input and today's date.
    pub fn check(&self, today: Date) -> Result<(String, String, Option<String>), Invalid> {
        let mut p = Problems::default();
        let document = p.text("travel_document", &self.travel_document, 64);
        let country = self.origin_country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            p.add("origin_country", Reason::CountryCode);
        }
        let route = p.optional_text("route", self.route.as_deref(), 100);
        if self.arrived_on > today {
            p.add("arrived_on", Reason::AfterToday { today });
        } else if self.arrived_on < today.yesterday().unwrap_or(today) {
            p.add("arrived_on", Reason::TodayOrYesterday);
        }
        if let Some(t) = self.temperature_c {
            let (lo, hi) = TEMPERATURE_RANGE_C;
            if !t.is_finite() || t < lo || t > hi {
                p.add("temperature_c", Reason::Between { min: lo, max: hi, unit: Unit::Celsius });
            }
        }
        p.finish((document, country, route))
    }

    /// Whether the screening found anything to report.
    #[must_use]
    pub fn is_symptomatic(&self) -> bool {
        !self.symptoms.is_empty() || self.temperature_c.is_some_and(|t| t >= 37.5)
    }
}

/// A stored arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Arrival {
    /// Client identifier.
    pub id: Uuid,
    /// The point of entry (facility).
    pub point_of_entry_id: Uuid,
    /// The traveller.
    pub person_id: Uuid,
    /// Travel document number.
    pub travel_document: String,
    /// Origin country (ISO alpha-2).
    pub origin_country: String,
    /// Route.
    pub route: Option<String>,
    /// Day of arrival.
    pub arrived_on: Date,
    /// Screening temperature.
    pub temperature_c: Option<f64>,
    /// Screening symptoms.
    pub symptoms: Vec<Symptom>,
    /// The symptom report the screening produced.
    pub report_id: Option<Uuid>,
    /// The quarantine order.
    pub order_id: Option<Uuid>,
    /// The officer.
    pub registered_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: Timestamp,
}

/// The quarantine rule for arrivals from `country`.
#[must_use]
pub fn rule_for(settings: &Settings, country: &str) -> EntryRule {
    settings.entry_rules.iter().find(|r| r.country == country).map_or(settings.default_entry_rule, |r| r.rule)
}

/// The first quarantine centre at or above `path` (nearest first) among `facilities`.
#[must_use]
pub fn nearest_quarantine_centre<'a>(facilities: &'a [Facility], path: &NodePath) -> Option<&'a Facility> {
    path.self_and_ancestors()
        .into_iter()
        .find_map(|p| facilities.iter().find(|f| f.node_path == p && f.kind == FacilityKind::QuarantineCentre))
}

/// Why an arrival is not registered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A field is wrong or names nothing known.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The officer may not register arrivals at that point of entry.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The point of entry is closed on the day of arrival.
    #[error(transparent)]
    Closed(#[from] EntryError),
}

/// The facts a decision about one arrival needs, as loaded in the transaction.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The border officer.
    pub officer: &'a User,
    /// Settings in force (entry rules, days).
    pub settings: &'a Settings,
    /// The directives over the point of entry (border closures among them).
    pub directives: &'a [Directive],
    /// The facility named by `point_of_entry_code`, of any kind.
    pub point_of_entry: Option<&'a Facility>,
    /// The node named by the traveller's `unit_code`.
    pub unit: Option<&'a Node>,
    /// The facility named by `facility_code`, of any kind.
    pub facility: Option<&'a Facility>,
    /// Every facility, to find the nearest quarantine centre.
    pub facilities: &'a [Facility],
    /// The arrival already registered under the input's id, if any.
    pub existing: Option<&'a Arrival>,
}

/// Identifiers for whatever registering an arrival creates.
#[derive(Debug, Clone, Copy)]
pub struct NewIds {
    /// For the traveller.
    pub person: Uuid,
    /// For the entry quarantine order.
    pub order: Uuid,
    /// For the screening report.
    pub report: Uuid,
}

/// What a new arrival leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Admission {
    /// The traveller, to register.
    pub person: Person,
    /// Where the traveller will stay.
    pub unit: Node,
    /// The point of entry.
    pub point_of_entry: Facility,
    /// The entry quarantine order, by the rule for the origin country.
    pub order: Option<OrderDraft>,
    /// The screening report, for a symptomatic arrival.
    pub report: Option<ReportDraft>,
    /// The arrival record.
    pub arrival: Arrival,
}

/// What registering an arrival comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The arrival's id was registered before; nothing new is written.
    AlreadyRegistered(Box<Arrival>),
    /// A new arrival.
    Admitted(Box<Admission>),
}

fn point_of_entry<'a>(cx: &Context<'a>) -> Result<&'a Facility, Invalid> {
    cx.point_of_entry
        .filter(|f| f.kind == FacilityKind::PointOfEntry)
        .ok_or_else(|| Invalid::field("point_of_entry_code", Reason::NoPointOfEntry))
}

fn quarantine_facility<'a>(input: &ArrivalInput, cx: &Context<'a>, poe: &Facility) -> Result<Option<&'a Facility>, Invalid> {
    match input.facility_code.as_deref() {
        Some(code) => cx
            .facility
            .filter(|f| matches!(f.kind, FacilityKind::QuarantineCentre | FacilityKind::Hospital))
            .map(Some)
            .ok_or_else(|| Invalid::field("facility_code", Reason::NoCentreCode { code: code.to_owned() })),
        None => Ok(nearest_quarantine_centre(cx.facilities, &poe.node_path)),
    }
}

/// The quarantine by the rule for `origin_country`: in `facility` (refused
/// without one), at home, or none.
fn entry_order(
    input: &ArrivalInput,
    (cx, poe, facility): (&Context<'_>, &Facility, Option<&Facility>),
    person: &Person,
    origin_country: &str,
) -> Result<Option<OrderDraft>, Invalid> {
    let place = match (rule_for(cx.settings, origin_country), facility) {
        (EntryRule::FacilityQuarantine, None) => {
            return Err(Invalid::field("facility_code", Reason::NoCentreFound));
        }
        (EntryRule::FacilityQuarantine, Some(f)) => Some((OrderPlace::Facility, Some(f))),
        (EntryRule::HomeQuarantine, _) => Some((OrderPlace::Home, None)),
        (EntryRule::NoQuarantine, _) => None,
    };
    Ok(place.map(|(place, facility)| OrderDraft {
        person_id: person.id,
        kind: OrderKind::Quarantine,
        place,
        facility_id: facility.map(|f| f.id),
        area_path: facility.map_or_else(|| person.unit_path.clone(), |f| f.node_path.clone()),
        reason: OrderReason::Arrival,
        case_id: None,
        starts_on: input.arrived_on,
        days: cx.settings.entry_quarantine_days,
        note: Some(format!("arrival from {origin_country} at {}", poe.code)),
    }))
}

/// The report `id` a symptomatic screening files about `person`.
fn screening_report(input: &ArrivalInput, id: Uuid, person: &Person, poe: &Facility) -> Option<ReportDraft> {
    input.is_symptomatic().then(|| {
        let mut symptoms = input.symptoms.clone();
        symptoms.sort();
        symptoms.dedup();
        ReportDraft {
            id,
            person_id: person.id,
            symptoms,
            temperature_c: input.temperature_c,
            onset_date: Some(input.arrived_on),
            note: Some(format!("screened at {}", poe.code)),
        }
    })
}

/// Decides what registering `input` leads to: the checks of the input, the
/// point of entry, the officer's right and the places named; then (for a new
/// id) the closure of the point of entry, the traveller, the quarantine by the
/// rule for the origin country and the report of a symptomatic screening.
pub fn decide(input: &ArrivalInput, cx: Context<'_>, ids: NewIds, now: Timestamp) -> Result<Outcome, Refused> {
    let today = cx.settings.local_date(now);
    let (travel_document, origin_country, route) = input.check(today)?;
    let poe = point_of_entry(&cx)?;
    policy::authorise(cx.officer, Action::RegisterArrival, &poe.node_path)?;
    let draft = input.person.parse(i32::from(today.year())).map_err(|e| e.prefixed("person"))?;
    let unit =
        cx.unit.ok_or_else(|| Invalid::field("person.unit_code", Reason::NoNode { code: input.person.unit_code.trim().to_owned() }))?;
    let facility = quarantine_facility(input, &cx, poe)?;
    if let Some(existing) = cx.existing {
        return Ok(Outcome::AlreadyRegistered(Box::new(existing.clone())));
    }
    check_open(cx.directives, poe, input.arrived_on)?;
    let person = person::register(ids.person, &draft, unit);
    let order = entry_order(input, (&cx, poe, facility), &person, &origin_country)?;
    let report = screening_report(input, ids.report, &person, poe);
    let arrival = Arrival {
        id: input.id,
        point_of_entry_id: poe.id,
        person_id: person.id,
        travel_document,
        origin_country,
        route,
        arrived_on: input.arrived_on,
        temperature_c: input.temperature_c,
        symptoms: input.symptoms.clone(),
        report_id: report.as_ref().map(|r| r.id),
        order_id: order.as_ref().map(|_| ids.order),
        registered_by: cx.officer.id,
        registered_at: now,
    };
    Ok(Outcome::Admitted(Box::new(Admission { person, unit: unit.clone(), point_of_entry: poe.clone(), order, report, arrival })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::CountryRule;
    use crate::user::Role;
    use jiff::civil::date;
    use proptest::prelude::*;

    const NOW: &str = "2026-11-23T10:00:00Z";

    fn now() -> Timestamp {
        NOW.parse().unwrap()
    }

    fn facility(code: &str, kind: FacilityKind, path: &NodePath) -> Facility {
        Facility {
            id: Uuid::from_u128(code.len() as u128 + 100),
            code: code.into(),
            name: code.into(),
            kind,
            node_id: Uuid::nil(),
            node_path: path.clone(),
        }
    }

    fn unit(path: &NodePath) -> Node {
        Node { id: Uuid::from_u128(4), code: "U1".into(), name: "U1".into(), level: 2, parent_id: None, population: 0, path: path.clone() }
    }

    fn input(facility_code: Option<&str>, temperature_c: Option<f64>) -> ArrivalInput {
        ArrivalInput {
            id: Uuid::from_u128(1),
            point_of_entry_code: "POE".into(),
            person: PersonInput {
                full_name: "Traveller".into(),
                sex: crate::person::Sex::Female,
                birth_year: 1990,
                unit_code: "U1".into(),
                phone: None,
                address: None,
                document_number: None,
                confirm_new: false,
            },
            travel_document: "M1234".into(),
            origin_country: "fr".into(),
            route: None,
            arrived_on: date(2026, 11, 23),
            temperature_c,
            symptoms: Vec::new(),
            facility_code: facility_code.map(str::to_owned),
        }
    }

    fn ids() -> NewIds {
        NewIds { person: Uuid::from_u128(11), order: Uuid::from_u128(12), report: Uuid::from_u128(13) }
    }

    struct World {
        settings: Settings,
        directives: Vec<Directive>,
        officer: User,
        facilities: Vec<Facility>,
        unit: Node,
    }

    impl World {
        fn new() -> World {
            let county = NodePath::root("KR").child("C1");
            let facilities = vec![
                facility("POE", FacilityKind::PointOfEntry, &county),
                facility("QC", FacilityKind::QuarantineCentre, &NodePath::root("KR")),
                facility("H1", FacilityKind::Hospital, &county),
            ];
            World {
                settings: Settings::default(),
                directives: Vec::new(),
                officer: crate::fixtures::user(Role::BorderOfficer, &county),
                facilities,
                unit: unit(&county.child("U1")),
            }
        }

        fn decide(&self, input: &ArrivalInput) -> Result<Outcome, Refused> {
            let by_code = |code: &str| self.facilities.iter().find(|f| f.code == code);
            let cx = Context {
                officer: &self.officer,
                settings: &self.settings,
                directives: &self.directives,
                point_of_entry: by_code(&input.point_of_entry_code),
                unit: Some(&self.unit),
                facility: input.facility_code.as_deref().and_then(by_code),
                facilities: &self.facilities,
                existing: None,
            };
            decide(input, cx, ids(), now())
        }
    }

    fn admitted(outcome: Result<Outcome, Refused>) -> Admission {
        match outcome {
            Ok(Outcome::Admitted(a)) => *a,
            other => panic!("expected an admission, got {other:?}"),
        }
    }

    #[test]
    fn an_arrival_is_quarantined_in_the_nearest_centre_by_default() {
        let world = World::new();
        let a = admitted(world.decide(&input(None, None)));
        let order = a.order.unwrap();
        assert_eq!((order.place, order.area_path.as_str()), (OrderPlace::Facility, "/KR/"));
        assert_eq!(a.arrival.order_id, Some(ids().order));
        assert_eq!((a.arrival.origin_country.as_str(), a.person.unit_path.clone()), ("FR", world.unit.path.clone()));
        assert!(a.report.is_none());
    }

    #[test]
    fn a_feverish_arrival_is_reported_and_home_quarantine_follows_the_country_rule() {
        let mut world = World::new();
        world.settings.entry_rules = vec![CountryRule { country: "FR".into(), rule: EntryRule::HomeQuarantine }];
        let a = admitted(world.decide(&input(None, Some(38.2))));
        assert_eq!(a.order.unwrap().place, OrderPlace::Home);
        let report = a.report.unwrap();
        assert_eq!((report.id, report.person_id, report.onset_date), (ids().report, ids().person, Some(date(2026, 11, 23))));
    }

    #[test]
    fn the_named_facility_must_be_a_quarantine_centre_or_hospital() {
        let world = World::new();
        let refused = world.decide(&input(Some("POE"), None)).unwrap_err();
        assert!(matches!(refused, Refused::Invalid(ref i) if i.errors[0].field == "facility_code"));
        assert!(admitted(world.decide(&input(Some("H1"), None))).order.is_some());
    }

    #[test]
    fn without_a_quarantine_centre_facility_quarantine_is_refused() {
        let mut world = World::new();
        world.facilities.retain(|f| f.kind != FacilityKind::QuarantineCentre);
        let refused = world.decide(&input(None, None)).unwrap_err();
        assert!(matches!(refused, Refused::Invalid(ref i) if i.errors[0].reason == Reason::NoCentreFound));
    }

    #[test]
    fn only_a_border_or_command_officer_registers_and_only_at_an_open_point_of_entry() {
        let mut world = World::new();
        world.officer.role = Role::HealthWorker;
        assert!(matches!(world.decide(&input(None, None)), Err(Refused::Denied(_))));
        let mut world = World::new();
        let border = |id, open, starts_on| {
            let measure = crate::directive::Measure::Border { point_of_entry_code: "POE".into(), open };
            let at = Timestamp::from_second(i64::try_from(id).unwrap()).unwrap();
            crate::fixtures::directive(id, &NodePath::root("KR"), measure, (starts_on, None), at)
        };
        world.directives = vec![border(1, true, date(2026, 11, 1)), border(2, false, date(2026, 11, 20))];
        let refused = world.decide(&input(None, None)).unwrap_err();
        let cited =
            EntryError::Closed { code: "POE".into(), from: date(2026, 11, 20), to: None, directive_id: Uuid::from_u128(2), version: 1 };
        assert_eq!(refused, Refused::Closed(cited));
    }

    #[test]
    fn an_arrival_sent_again_is_answered_with_the_first() {
        let world = World::new();
        let first = admitted(world.decide(&input(None, None))).arrival;
        let by_code = |code: &str| world.facilities.iter().find(|f| f.code == code);
        let cx = Context {
            officer: &world.officer,
            settings: &world.settings,
            directives: &world.directives,
            point_of_entry: by_code("POE"),
            unit: Some(&world.unit),
            facility: None,
            facilities: &world.facilities,
            existing: Some(&first),
        };
        assert_eq!(decide(&input(None, None), cx, ids(), now()), Ok(Outcome::AlreadyRegistered(Box::new(first))));
    }

    proptest! {
        /// Whatever the screening found, an arrival is reported exactly when
        /// it is symptomatic, and the arrival record points at that report.
        #[test]
        fn a_report_follows_the_screening(temperature in prop::option::of(35.0f64..41.0)) {
            let world = World::new();
            let a = admitted(world.decide(&input(None, temperature)));
            prop_assert_eq!(a.report.is_some(), temperature.is_some_and(|t| t >= 37.5));
            prop_assert_eq!(a.arrival.report_id, a.report.map(|r| r.id));
        }
    }
}
