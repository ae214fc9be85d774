//! The health worker's quarantine pages: a case's investigation record
//! (exposure, sample and result, isolation, source case, and a registered
//! gathering named as the exposure, chosen from those of the worker's
//! area), its contacts (list
//! and add; each contact gets a quarantine order where they live), and the
//! follow-up visit of a person under an order.
//!
//! The forms are translated into the API's inputs (`InvestigationInput`,
//! `ContactInput`, `VisitInput`) and pass the same checks as
//! `PUT /cases/{id}/investigation`, `POST /cases/{id}/contacts` and
//! `POST /tasks/{id}/visit`; form fields carry the API's field paths
//! (`sample.taken_on`), so every error lands next to its field.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::case::Case;
use cordon_core::contact::{ContactInput, ExposureSetting};
use cordon_core::investigation::{InvestigationInput, IsolationDecision, Sample};
use cordon_core::person::{PersonInput, Sex};
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::refusal::Record;
use cordon_core::report::Symptom;
use cordon_store::followups::VisitInput;
use jiff::civil::Date;
use uuid::Uuid;

use super::widgets::community::gathering_label;
use super::widgets::names::{Names, person_name};
use super::widgets::task_list::task_problem;
use super::widgets::{choice, name_of};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, render, render_with, see_other};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/investigation", get(investigation).post(save_investigation))
        .route("/cases/{id}/contacts", get(contacts).post(add_contact))
        .route("/tasks/{id}/visit", post(visit))
}

async fn case_for(state: &AppState, viewer: &Viewer, id: Uuid, action: Action) -> WebResult<Case> {
    let case = state.store.case(id).await?.ok_or_else(|| ApiError::not_found(Record::Case, &id))?;
    viewer.may(action, &case.unit_path)?;
    Ok(case)
}

/// An option of a select: value, label, chosen.
type Choice = (String, &'static str, bool);

fn choices(t: Lang, chosen: &str, values: &[(&str, &'static str)]) -> Vec<Choice> {
    values.iter().map(|(v, key)| ((*v).to_owned(), t.get(key), *v == chosen)).collect()
}

#[derive(Template)]
#[template(path = "investigation.html")]
struct InvestigationPage {
    t: Lang,
    c: Chrome,
    case_id: String,
    person: String,
    v: FormData,
    errors: FieldErrors,
    sample_kinds: Vec<Choice>,
    results: Vec<Choice>,
    places: Vec<Choice>,
    gatherings: Vec<(String, String, bool)>,
}

impl InvestigationPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["exposure_history", "sample", "isolation", "source_case_id", "gathering_id"])
    }
}

async fn investigation_page(
    state: &AppState,
    viewer: &Viewer,
    case: &Case,
    v: FormData,
    errors: FieldErrors,
) -> WebResult<InvestigationPage> {
    let t = viewer.lang;
    let person = person_name(state, case.person_id).await?;
    let gatherings = exposure_gatherings(state, viewer, v.get("gathering_id")).await?;
    let sample_kinds = choices(
        t,
        v.get("sample.kind"),
        &[
            ("nasal_swab", "sample_nasal_swab"),
            ("throat_swab", "sample_throat_swab"),
            ("sputum", "sample_sputum"),
            ("blood", "sample_blood"),
            ("stool", "sample_stool"),
            ("other", "sample_other"),
        ],
    );
    let results = choices(
        t,
        v.get("sample.result"),
        &[("positive", "result_positive"), ("negative", "result_negative"), ("inconclusive", "result_inconclusive")],
    );
    let places = choices(
        t,
        v.get("isolation.place"),
        &[("home", "isolation_home"), ("facility", "isolation_facility"), ("hospital", "isolation_hospital")],
    );
    Ok(InvestigationPage {
        t,
        c: viewer.chrome(),
        case_id: case.id.to_string(),
        person,
        v,
        errors,
        sample_kinds,
        results,
        places,
        gatherings,
    })
}

async fn investigation(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let case = case_for(&state, &viewer, id, Action::Read).await?;
    let mut v = FormData::default();
    if let Some(i) = state.store.investigation(id).await? {
        v.set("exposure_history", i.exposure_history.unwrap_or_default());
        if let Some(s) = i.sample {
            v.set("sample.kind", name_of(&s.kind));
            v.set("sample.taken_on", s.taken_on.to_string());
            v.set("sample.result", s.result.map(|r| name_of(&r)).unwrap_or_default());
        }
        if let Some(d) = i.isolation {
            v.set("isolation.place", name_of(&d.place));
            v.set("isolation.facility_code", d.facility_code.unwrap_or_default());
        }
        v.set("source_case_id", i.source_case_id.map(|c| c.to_string()).unwrap_or_default());
        v.set("gathering_id", i.gathering_id.map(|g| g.to_string()).unwrap_or_default());
    }
    render(&investigation_page(&state, &viewer, &case, v, FieldErrors::none()).await?)
}

/// Reads the investigation form into the API's input, noting unreadable fields.
fn investigation_input(v: &FormData, errors: &mut FieldErrors) -> InvestigationInput {
    let sample = match v.opt("sample.kind") {
        None => None,
        Some(kind) => {
            let kind = choice(kind);
            if kind.is_none() {
                errors.key("sample.kind", "reason_choose");
            }
            let taken_on = v.get("sample.taken_on").parse::<Date>().ok();
            if taken_on.is_none() {
                errors.key("sample.taken_on", "reason_date");
            }
            let result = v.opt("sample.result").map(|r| choice(r).ok_or(()));
            if matches!(result, Some(Err(()))) {
                errors.key("sample.result", "reason_choose");
            }
            match (kind, taken_on) {
                (Some(kind), Some(taken_on)) => Some(Sample { kind, taken_on, result: result.and_then(Result::ok) }),
                _ => None,
            }
        }
    };
    let isolation = match v.opt("isolation.place") {
        None => None,
        Some(place) => {
            let place = choice(place);
            if place.is_none() {
                errors.key("isolation.place", "reason_choose");
            }
            place.map(|place| IsolationDecision { place, facility_code: v.opt("isolation.facility_code").map(str::to_owned) })
        }
    };
    let source_case_id = match v.opt("source_case_id") {
        None => None,
        Some(text) => {
            let id = text.parse::<Uuid>().ok();
            if id.is_none() {
                errors.key("source_case_id", "reason_case_id");
            }
            id
        }
    };
    let gathering_id = match v.opt("gathering_id") {
        None => None,
        Some(text) => {
            let id = text.parse::<Uuid>().ok();
            if id.is_none() {
                errors.key("gathering_id", "reason_choose");
            }
            id
        }
    };
    InvestigationInput { exposure_history: v.opt("exposure_history").map(str::to_owned), sample, isolation, source_case_id, gathering_id }
}

async fn save_investigation(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let case = case_for(&state, &viewer, id, Action::Classify).await?;
    let mut errors = FieldErrors::none();
    let input = investigation_input(&v, &mut errors);
    if errors.is_empty() {
        match record(&state, &viewer, id, &input).await {
            Ok(()) => return Ok(see_other(&format!("/cases/{id}?saved=1"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &investigation_page(&state, &viewer, &case, v, errors).await?)
}

/// The gatherings a worker may name as a case's exposure: the latest
/// registered in their area, and the one the record names already.
async fn exposure_gatherings(state: &AppState, viewer: &Viewer, chosen: &str) -> WebResult<Vec<(String, String, bool)>> {
    let mut found = state.store.gatherings_under(&viewer.user.node_path, 100).await?;
    if let Ok(id) = chosen.parse::<Uuid>()
        && !found.iter().any(|g| g.id == id)
        && let Some(named) = state.store.gathering(id).await?
        && viewer.may(Action::Read, &named.unit_path).is_ok()
    {
        found.push(named);
    }
    Ok(found.iter().map(|g| (g.id.to_string(), gathering_label(g), g.id.to_string() == chosen)).collect())
}

/// Records the investigation through the action the API uses.
async fn record(state: &AppState, viewer: &Viewer, id: Uuid, input: &InvestigationInput) -> Result<(), ApiError> {
    crate::actions::investigations::record(state, &viewer.user, id, input).await.map(|_| ())
}

/// A contact as listed.
#[derive(Debug, Clone)]
pub struct ContactRow {
    /// The contact's name.
    pub name: String,
    /// Relation to the case.
    pub relation: String,
    /// Last exposure.
    pub exposure: String,
    /// Setting.
    pub setting: &'static str,
    /// Whether they were handed to another jurisdiction.
    pub handed_over: bool,
    /// Whether they became a case.
    pub became_case: Option<String>,
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    t: Lang,
    c: Chrome,
    case_id: String,
    person: String,
    rows: Vec<ContactRow>,
    residents: Vec<(String, String, bool)>,
    settings: Vec<Choice>,
    sexes: Vec<Choice>,
    can_add: bool,
    v: FormData,
    errors: FieldErrors,
    today: String,
}

impl ContactsPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["person_id", "new_person", "relation", "exposure_date", "setting"])
    }
}

const SETTINGS: [(&str, &str); 5] = [
    ("household", "setting_household"),
    ("work", "setting_work"),
    ("gathering", "setting_gathering"),
    ("travel", "setting_travel"),
    ("health_care", "setting_health_care"),
];

async fn contacts_page(state: &AppState, viewer: &Viewer, case: &Case, v: FormData, errors: FieldErrors) -> WebResult<ContactsPage> {
    let t = viewer.lang;
    let contacts = state.store.contacts(case.id).await?;
    let names = Names::of(state, contacts.iter().map(|c| c.person_id)).await?;
    let mut rows = Vec::new();
    for c in contacts {
        rows.push(ContactRow {
            name: names.get(c.person_id),
            relation: c.relation,
            exposure: c.exposure_date.to_string(),
            setting: SETTINGS.iter().find(|(v, _)| *v == c.setting.as_str()).map_or("", |(_, k)| t.get(k)),
            handed_over: c.handed_over,
            became_case: c.became_case_id.map(|id| id.to_string()),
        });
    }
    let chosen = v.get("person_id").to_owned();
    let residents = state
        .store
        .find_persons(&case.unit_path, "", 300)
        .await?
        .into_iter()
        .filter(|p| p.id != case.person_id)
        .map(|p| (p.id.to_string(), format!("{} ({})", p.full_name, t.fill("born_in", p.birth_year)), chosen == p.id.to_string()))
        .collect();
    let sexes = choices(t, v.get("new_person.sex"), &[("female", "sex_female"), ("male", "sex_male"), ("other", "sex_other")]);
    let today = state.store.settings().await?.local_date(state.now()).to_string();
    Ok(ContactsPage {
        t,
        c: viewer.chrome(),
        case_id: case.id.to_string(),
        person: person_name(state, case.person_id).await?,
        rows,
        residents,
        settings: choices(t, v.get("setting"), &SETTINGS),
        sexes,
        can_add: viewer.may(Action::Classify, &case.unit_path).is_ok(),
        v,
        errors,
        today,
    })
}

async fn contacts(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let case = case_for(&state, &viewer, id, Action::Read).await?;
    let mut v = FormData::default();
    v.set("new_person.unit_code", case.unit_path.code());
    render(&contacts_page(&state, &viewer, &case, v, FieldErrors::none()).await?)
}

async fn add_contact(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let case = case_for(&state, &viewer, id, Action::Classify).await?;
    let mut errors = FieldErrors::none();
    let exposure_date = v.get("exposure_date").parse::<Date>().ok();
    if exposure_date.is_none() {
        errors.key("exposure_date", "reason_date");
    }
    let setting: Option<ExposureSetting> = ExposureSetting::parse(v.get("setting"));
    if setting.is_none() {
        errors.key("setting", "reason_choose");
    }
    let is_new = v.get("person_id") == "new";
    let person_id = if is_new { None } else { v.get("person_id").parse::<Uuid>().ok() };
    if !is_new && person_id.is_none() {
        errors.key("person_id", "reason_choose_resident");
    }
    let new_person = is_new.then(|| PersonInput {
        full_name: v.get("new_person.full_name").to_owned(),
        sex: Sex::parse(v.get("new_person.sex")).unwrap_or(Sex::Other),
        birth_year: v.get("new_person.birth_year").parse().unwrap_or(0),
        unit_code: v.get("new_person.unit_code").to_owned(),
        phone: v.opt("new_person.phone").map(str::to_owned),
        address: v.opt("new_person.address").map(str::to_owned),
        document_number: None,
        confirm_new: false,
    });
    if is_new && v.get("new_person.birth_year").parse::<i32>().is_err() {
        errors.key("new_person.birth_year", "reason_whole_number");
    }
    if let (Some(exposure_date), Some(setting), true) = (exposure_date, setting, errors.is_empty()) {
        let input = ContactInput { person_id, new_person, relation: v.get("relation").to_owned(), exposure_date, setting };
        match list(&state, &viewer, id, &input).await {
            Ok(()) => return Ok(see_other(&format!("/cases/{id}/contacts"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = contacts_page(&state, &viewer, &case, v, errors).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Lists a contact through the action the API uses.
async fn list(state: &AppState, viewer: &Viewer, case_id: Uuid, input: &ContactInput) -> Result<(), ApiError> {
    crate::actions::contacts::list(state, &viewer.user, case_id, input).await.map(|_| ())
}

async fn visit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let mut p = cordon_core::validation::Problems::default();
    let seen = v.get("seen") == "yes";
    let temperature_c = match v.opt("temperature_c") {
        None => None,
        Some(text) => {
            let parsed = text.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite());
            if parsed.is_none() {
                p.add("temperature_c", Reason::NotNumber);
            }
            parsed
        }
    };
    let symptoms: Vec<Symptom> = v.all("symptoms").filter_map(Symptom::parse).collect();
    let input = VisitInput { seen, temperature_c, symptoms, note: v.opt("note").map(str::to_owned) };
    // The form's own problem (a temperature that is not a number) first, then
    // the visit's rules, decided in the store's transaction.
    let result = match p.finish(()) {
        Ok(()) => crate::actions::tasks::visit(&state, &viewer.user, id, &input).await.map(|_| ()),
        Err(invalid) => Err(ApiError::Invalid(invalid)),
    };
    match result {
        Ok(()) => Ok(see_other("/tasks?done=visited")),
        Err(e @ (ApiError::Conflict { .. } | ApiError::Invalid(_) | ApiError::ForbiddenField { .. } | ApiError::BadRequest { .. })) => {
            task_problem(&state, &viewer, id, e).await
        }
        Err(e) => Err(e.into()),
    }
}
