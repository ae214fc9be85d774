//! Arrivals at points of entry: the border officer's form to register an
//! arrival (traveller, document, origin, route, screening), the arrivals of
//! a node's subtree, newest first and 50 a page, with the decision taken for each (the
//! quarantine order, and the report filed when the screening found
//! symptoms), and the entry rules in force.
//!
//! The form is translated into the API's `ArrivalInput` and registered by
//! `actions::arrivals::register`, as `POST /arrivals` is: the same checks,
//! the same access policy on the point of entry, the same idempotent client
//! id. Form fields carry the API's field paths (`person.unit_code`), so every
//! refusal lands next to its field.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use cordon_core::arrival::{Arrival, ArrivalInput};
use cordon_core::jurisdiction::{Facility, FacilityKind, Node};
use cordon_core::person::{PersonInput, Sex};
use cordon_core::policy::Action;
use cordon_core::report::Symptom;
use cordon_core::settings::Settings;
use cordon_store::paging::PageRequest;
use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use super::pager::{self, Pager};
use super::widgets::inbox::inbox;
use super::widgets::names::Names;
use super::widgets::quarantine::{ClosureLine, all_facilities, closure_lines, kind_label, place_label, rule_label};
use super::widgets::{SymptomBox, symptom_boxes};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, page_node, render, render_with, see_other};
use crate::actions::arrivals::register as register_arrival;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/arrivals", get(arrivals).post(register))
}

/// The fields of the form, shown next to their errors.
const FIELDS: [&str; 14] = [
    "point_of_entry_code",
    "person.full_name",
    "person.sex",
    "person.birth_year",
    "person.unit_code",
    "person.phone",
    "travel_document",
    "origin_country",
    "route",
    "arrived_on",
    "temperature_c",
    "symptoms",
    "facility_code",
    "person",
];

/// An arrival as listed, with the decision taken.
#[derive(Debug, Clone)]
pub struct ArrivalRow {
    /// The arrival's client id.
    pub id: String,
    /// Day of arrival.
    pub arrived_on: String,
    /// The traveller.
    pub person: String,
    /// Travel document.
    pub document: String,
    /// Origin country and route.
    pub origin: String,
    /// The point of entry.
    pub point_of_entry: String,
    /// Temperature and symptoms at screening.
    pub screening: String,
    /// The quarantine order (id and description), if one was issued.
    pub order: Option<(String, String)>,
    /// The case the screening report opened (id, status), if any.
    pub case: Option<(String, &'static str)>,
    /// Whether the screening filed a report.
    pub reported: bool,
    /// Whether it is the arrival just registered.
    pub just_registered: bool,
}

/// A line of the entry rules.
#[derive(Debug, Clone)]
pub struct RuleLine {
    /// A country or a point of entry.
    pub subject: String,
    /// The rule or the closed days.
    pub rule: String,
}

#[derive(Template)]
#[template(path = "arrivals.html")]
struct ArrivalsPage {
    t: Lang,
    c: Chrome,
    node: Node,
    rows: Vec<ArrivalRow>,
    pager: Pager,
    registered: Option<ArrivalRow>,
    can_register: bool,
    points_of_entry: Vec<(String, String, bool)>,
    facilities: Vec<(String, String, bool)>,
    sexes: Vec<(String, &'static str, bool)>,
    symptoms: Vec<SymptomBox>,
    v: FormData,
    errors: FieldErrors,
    today: String,
    default_rule: &'static str,
    quarantine_days: i16,
    country_rules: Vec<RuleLine>,
    closures: Vec<ClosureLine>,
    can_edit_rules: bool,
    inbox: String,
}

impl ArrivalsPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&FIELDS)
    }

    /// The element id of a field (dots are not welcome in ids used by CSS).
    #[expect(clippy::unused_self, reason = "the template calls its helpers as methods: self.id_of(field)")]
    fn id_of(&self, field: &str) -> String {
        field.replace('.', "-")
    }
}

/// The list's query.
#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    registered: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

fn screening(t: Lang, a: &Arrival) -> String {
    let mut parts = Vec::new();
    if let Some(temp) = a.temperature_c {
        parts.push(format!("{temp:.1} °C"));
    }
    parts.extend(a.symptoms.iter().map(|s| t.symptom(*s).to_owned()));
    if parts.is_empty() { t.get("quarantine_screening_well").to_owned() } else { parts.join(", ") }
}

/// The page of arrivals asked for, and which one was just registered.
struct Listing {
    request: PageRequest<i64>,
    just: Option<Uuid>,
}

async fn arrival_rows(
    state: &AppState,
    t: Lang,
    node: &Node,
    facilities: &[Facility],
    listing: &Listing,
) -> WebResult<(Vec<ArrivalRow>, Pager)> {
    let page = state.store.arrivals_page(&node.path, &listing.request).await?;
    let pager = Pager::of(t, &page, &listing.request, "/arrivals", &[("node", node.code.as_str())]);
    let just = listing.just;
    let names = Names::of(state, page.items.iter().map(|a| a.person_id)).await?;
    let orders = state.store.orders_by_id(page.items.iter().filter_map(|a| a.order_id)).await?;
    let cases = state.store.cases_of_reports(page.items.iter().filter_map(|a| a.report_id)).await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for a in page.items {
        let person = names.get(a.person_id);
        let order = a.order_id.and_then(|id| orders.get(&id)).map(|o| {
            let text = format!("{} · {} · {}", kind_label(t, o.kind), place_label(t, o, facilities), t.fill("quarantine_until", o.ends_on));
            (o.id.to_string(), text)
        });
        let case = a.report_id.and_then(|id| cases.get(&id)).map(|c| (c.case_id.to_string(), t.case_status(c.status)));
        let point_of_entry =
            facilities.iter().find(|f| f.id == a.point_of_entry_id).map(|f| format!("{} ({})", f.name, f.code)).unwrap_or_default();
        let origin = match &a.route {
            Some(route) => format!("{} · {route}", a.origin_country),
            None => a.origin_country.clone(),
        };
        rows.push(ArrivalRow {
            id: a.id.to_string(),
            arrived_on: a.arrived_on.to_string(),
            person,
            document: a.travel_document.clone(),
            origin,
            point_of_entry,
            screening: screening(t, &a),
            order,
            case,
            reported: a.report_id.is_some(),
            just_registered: Some(a.id) == just,
        });
    }
    Ok((rows, pager))
}

fn rule_lines(t: Lang, settings: &Settings) -> Vec<RuleLine> {
    settings.entry_rules.iter().map(|r| RuleLine { subject: r.country.clone(), rule: rule_label(t, r.rule).to_owned() }).collect()
}

async fn arrivals_page(
    state: &AppState,
    viewer: &Viewer,
    node: Node,
    listing: &Listing,
    v: FormData,
    errors: FieldErrors,
) -> WebResult<ArrivalsPage> {
    let t = viewer.lang;
    let settings = state.store.settings().await?;
    let today = settings.local_date(state.now());
    let facilities = all_facilities(state).await?;
    let (rows, pager) = arrival_rows(state, t, &node, &facilities, listing).await?;
    let registered = rows.iter().find(|r| r.just_registered).cloned();
    let chosen_poe = v.get("point_of_entry_code");
    let points_of_entry: Vec<(String, String, bool)> = facilities
        .iter()
        .filter(|f| f.kind == FacilityKind::PointOfEntry && viewer.may(Action::RegisterArrival, &f.node_path).is_ok())
        .map(|f| (f.code.clone(), format!("{} ({})", f.name, f.code), f.code == chosen_poe))
        .collect();
    let chosen_facility = v.get("facility_code");
    let quarantine_facilities = facilities
        .iter()
        .filter(|f| matches!(f.kind, FacilityKind::QuarantineCentre | FacilityKind::Hospital))
        .map(|f| (f.code.clone(), format!("{} ({})", f.name, f.code), f.code == chosen_facility))
        .collect();
    let sex = v.get("person.sex");
    let sexes = [("female", "sex_female"), ("male", "sex_male"), ("other", "sex_other")]
        .iter()
        .map(|(value, key)| ((*value).to_owned(), t.get(key), *value == sex))
        .collect();
    let symptoms = symptom_boxes(t, &v);
    let country_rules = rule_lines(t, &settings);
    let closures = closure_lines(state, t, today).await?;
    Ok(ArrivalsPage {
        t,
        c: viewer.chrome(),
        node,
        rows,
        pager,
        registered,
        can_register: !points_of_entry.is_empty(),
        points_of_entry,
        facilities: quarantine_facilities,
        sexes,
        symptoms,
        v,
        errors,
        today: today.to_string(),
        default_rule: rule_label(t, settings.default_entry_rule),
        quarantine_days: settings.entry_quarantine_days,
        country_rules,
        closures,
        can_edit_rules: viewer.may(Action::ManageConfiguration, &viewer.user.node_path).is_ok(),
        inbox: inbox(state, viewer, "/arrivals").await?,
    })
}

/// A blank form: a fresh client id, today's date.
async fn blank_form(state: &AppState) -> WebResult<FormData> {
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    v.set("arrived_on", state.store.settings().await?.local_date(state.now()).to_string());
    Ok(v)
}

async fn arrivals(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let listing =
        Listing { request: pager::requested(q.cursor.as_deref())?, just: q.registered.as_deref().and_then(|id| id.parse::<Uuid>().ok()) };
    let v = blank_form(&state).await?;
    render(&arrivals_page(&state, &viewer, node, &listing, v, FieldErrors::none()).await?)
}

/// Reads the form into the API's input, noting fields that cannot be read.
fn arrival_input(v: &FormData, id: Uuid, errors: &mut FieldErrors) -> Option<ArrivalInput> {
    let sex = Sex::parse(v.get("person.sex"));
    if sex.is_none() {
        errors.key("person.sex", "reason_choose");
    }
    let birth_year = v.get("person.birth_year").parse::<i32>().ok();
    if birth_year.is_none() {
        errors.key("person.birth_year", "reason_whole_number");
    }
    let arrived_on = v.get("arrived_on").parse::<Date>().ok();
    if arrived_on.is_none() {
        errors.key("arrived_on", "reason_date");
    }
    let temperature_c = match v.opt("temperature_c") {
        None => Some(None),
        Some(text) => text.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
    };
    if temperature_c.is_none() {
        errors.key("temperature_c", "reason_number");
    }
    if v.opt("point_of_entry_code").is_none() {
        errors.key("point_of_entry_code", "reason_choose");
    }
    let symptoms: Vec<Symptom> = v.all("symptoms").filter_map(Symptom::parse).collect();
    let person = PersonInput {
        full_name: v.get("person.full_name").to_owned(),
        sex: sex?,
        birth_year: birth_year?,
        unit_code: v.get("person.unit_code").to_owned(),
        phone: v.opt("person.phone").map(str::to_owned),
        address: v.opt("person.address").map(str::to_owned),
        document_number: None,
        confirm_new: false,
    };
    Some(ArrivalInput {
        id,
        point_of_entry_code: v.get("point_of_entry_code").to_owned(),
        person,
        travel_document: v.get("travel_document").to_owned(),
        origin_country: v.get("origin_country").to_owned(),
        route: v.opt("route").map(str::to_owned),
        arrived_on: arrived_on?,
        temperature_c: temperature_c?,
        symptoms,
        facility_code: v.opt("facility_code").map(str::to_owned),
    })
}

async fn register(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    let id = v.get("id").parse::<Uuid>().unwrap_or_else(|_| Uuid::new_v4());
    v.set("id", id.to_string());
    let mut errors = FieldErrors::none();
    let input = arrival_input(&v, id, &mut errors);
    if let (Some(input), true) = (input, errors.is_empty()) {
        match register_arrival(&state, &viewer.user, &input).await {
            Ok(done) => return Ok(see_other(&format!("/arrivals?registered={}", done.arrival.id))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let node = page_node(&state, &viewer, None).await?;
    let listing = Listing { request: PageRequest::first(pager::PAGE_SIZE), just: None };
    let page = arrivals_page(&state, &viewer, node, &listing, v, errors).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
