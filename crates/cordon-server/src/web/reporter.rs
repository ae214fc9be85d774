//! The unit head's pages, made for a phone: the symptom report form (find or
//! add the resident, symptoms as large checkboxes, temperature, onset, note),
//! the unit's reports with where each stands, and the daily unit report.
//!
//! The form posts like any form; the script in `static/app.js` additionally
//! keeps a report made offline in the browser, with its client UUID, and sends
//! it to `POST /api/v1/reports` when the connection returns. Both paths go
//! through the same checks as the API: `ReportInput::parse`, then
//! `Store::submit_report`, which checks the unit against the access policy in
//! its transaction.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use cordon_core::daily::{DailyReportInput, Timeliness};
use cordon_core::jurisdiction::Node;
use cordon_core::person::{Person, PersonInput, Sex};
use cordon_core::policy::Action;
use cordon_core::report::{ReportInput, Symptom};
use cordon_store::reports::NewResidentReport;
use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use super::widgets::community::anchored_unit;
use super::widgets::inbox::inbox;
use super::widgets::names::Names;
use super::widgets::{SymptomBox, report_status_class, symptom_boxes};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, render, render_with, see_other};
use crate::actions::{daily, reports};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/report", get(report_form).post(submit_report))
        .route("/reports", get(reports))
        .route("/reports/live", get(reports_live))
        .route("/daily", get(daily_form).post(file_daily))
}

/// A resident to pick in the form.
#[derive(Debug, Clone)]
pub struct ResidentOption {
    /// The person's id.
    pub id: String,
    /// Name, birth year and address.
    pub label: String,
    /// Whether it is the chosen one.
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct ReportPage {
    t: Lang,
    c: Chrome,
    /// The unit the reporter is anchored at, when it is a unit.
    fixed_unit: Option<Node>,
    /// Units to choose from when the reporter is anchored higher.
    units: Vec<Node>,
    q: String,
    residents: Vec<ResidentOption>,
    duplicates: Vec<ResidentOption>,
    symptoms: Vec<SymptomBox>,
    v: FormData,
    errors: FieldErrors,
    today: String,
    new_chosen: bool,
    /// The directives waiting for the unit's acknowledgement (live).
    inbox: String,
}

impl ReportPage {
    fn sexes(&self) -> Vec<(&'static str, &'static str, bool)> {
        [Sex::Female, Sex::Male, Sex::Other].into_iter().map(|s| (s.as_str(), self.t.sex(s), self.v.get("sex") == s.as_str())).collect()
    }

    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&[
            "person_id",
            "full_name",
            "sex",
            "birth_year",
            "address",
            "phone",
            "unit_code",
            "symptoms",
            "temperature_c",
            "onset_date",
            "note",
        ])
    }
}

fn resident_option(p: &Person, t: Lang, chosen: &str) -> ResidentOption {
    let mut label = format!("{} ({})", p.full_name, t.fill("born_in", p.birth_year));
    if let Some(address) = &p.address {
        label.push_str(" · ");
        label.push_str(address);
    }
    ResidentOption { id: p.id.to_string(), label, checked: chosen == p.id.to_string() }
}

#[derive(Debug, Deserialize)]
struct FindQuery {
    #[serde(default)]
    q: Option<String>,
}

async fn report_form(State(state): State<AppState>, viewer: Viewer, Query(find): Query<FindQuery>) -> WebResult<Response> {
    viewer.may(Action::FileReport, &viewer.user.node_path)?;
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    v.set("q", find.q.unwrap_or_default());
    let page = report_page(&state, &viewer, v, FieldErrors::none(), Vec::new()).await?;
    render(&page)
}

async fn report_page(
    state: &AppState,
    viewer: &Viewer,
    v: FormData,
    errors: FieldErrors,
    duplicates: Vec<Person>,
) -> WebResult<ReportPage> {
    let t = viewer.lang;
    let fixed_unit = anchored_unit(state, &viewer.user).await?;
    let q = v.get("q").to_owned();
    let chosen = v.get("person_id").to_owned();
    let residents = match &fixed_unit {
        Some(unit) => state.store.find_persons(&unit.path, &q, 300).await?,
        None if !q.is_empty() => state.store.find_persons(&viewer.user.node_path, &q, 50).await?,
        None => Vec::new(),
    };
    let units = match &fixed_unit {
        Some(_) => Vec::new(),
        None => state.store.units_under(&viewer.user.node_path).await?.into_iter().take(500).collect(),
    };
    let symptoms = symptom_boxes(t, &v);
    let today = state.store.settings().await?.local_date(state.now()).to_string();
    Ok(ReportPage {
        t,
        c: viewer.chrome(),
        fixed_unit,
        units,
        q,
        residents: residents.iter().map(|p| resident_option(p, t, &chosen)).collect(),
        duplicates: duplicates.iter().map(|p| resident_option(p, t, &chosen)).collect(),
        symptoms,
        new_chosen: chosen == "new",
        inbox: inbox(state, viewer, "/report").await?,
        v,
        errors,
        today,
    })
}

/// Reads a decimal number typed on a phone ("38.5" or "38,5").
fn parse_decimal(text: &str) -> Option<f64> {
    text.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite())
}

async fn submit_report(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    let fixed_unit = anchored_unit(&state, &viewer.user).await?;
    let unit_code = match &fixed_unit {
        Some(unit) => unit.code.clone(),
        None => v.get("unit_code").to_owned(),
    };
    if unit_code.is_empty() {
        errors.key("unit_code", "reason_required");
    }
    let today = state.store.settings().await?.local_date(state.now());
    let (input, new_person) = read_report_form(&mut v, &unit_code, today, &mut errors);
    let draft = match input.parse(today) {
        Ok(d) => Some(d),
        Err(invalid) => {
            errors.extend(invalid.errors);
            None
        }
    };
    let (Some(draft), true) = (draft, errors.is_empty()) else { return form_again(&state, &viewer, v, errors, Vec::new()).await };
    let filed = match &new_person {
        Some(input) => {
            let person_draft = input.parse(i32::from(today.year())).map_err(ApiError::from)?;
            match reports::file_for_new_resident(&state, &viewer.user, (&person_draft, input.confirm_new), &draft, &unit_code).await {
                Ok(NewResidentReport::Filed(intake)) => Ok(*intake),
                Ok(NewResidentReport::ProbableDuplicates(existing)) => {
                    errors.key("full_name", "reason_duplicate");
                    return form_again(&state, &viewer, v, errors, existing).await;
                }
                Err(e) => Err(e),
            }
        }
        None => reports::file(&state, &viewer.user, &draft, &unit_code).await,
    };
    match filed {
        Ok(intake) => Ok(see_other(&format!("/reports?sent={}", intake.report.id))),
        Err(e) => {
            errors.absorb(e)?;
            form_again(&state, &viewer, v, errors, Vec::new()).await
        }
    }
}

/// Reads the report form field by field, noting each field that is wrong:
/// the report (with a new id when the form came without one) and, when the
/// resident is new, the resident.
fn read_report_form(v: &mut FormData, unit_code: &str, today: Date, errors: &mut FieldErrors) -> (ReportInput, Option<PersonInput>) {
    let temperature_c = v.opt("temperature_c").and_then(|text| {
        let parsed = parse_decimal(text);
        if parsed.is_none() {
            errors.key("temperature_c", "reason_number");
        }
        parsed
    });
    let onset_date = v.opt("onset_date").and_then(|text| {
        let parsed = text.parse::<Date>().ok();
        if parsed.is_none() {
            errors.key("onset_date", "reason_date");
        }
        parsed
    });
    let mut symptoms = Vec::new();
    for value in v.all("symptoms") {
        match Symptom::parse(value) {
            Some(s) => symptoms.push(s),
            None => errors.key("symptoms", "reason_unknown_symptom"),
        }
    }
    let id = v.get("id").parse::<Uuid>().unwrap_or_else(|_| {
        let id = Uuid::new_v4();
        v.set("id", id.to_string());
        id
    });
    let (new_person, existing_person) = read_resident(v, unit_code, today, errors);
    let input = ReportInput {
        id,
        person_id: existing_person.unwrap_or(Uuid::nil()),
        unit_code: unit_code.to_owned(),
        symptoms,
        temperature_c,
        onset_date,
        note: v.opt("note").map(str::to_owned),
    };
    (input, new_person)
}

/// The resident the report is about: a new one typed in the form, or the id
/// of one chosen from the list.
fn read_resident(v: &FormData, unit_code: &str, today: Date, errors: &mut FieldErrors) -> (Option<PersonInput>, Option<Uuid>) {
    let chosen = v.get("person_id");
    if chosen != "new" {
        let existing = chosen.parse::<Uuid>().ok();
        if existing.is_none() {
            errors.key("person_id", "reason_choose_resident");
        }
        return (None, existing);
    }
    let input = PersonInput {
        full_name: v.get("full_name").to_owned(),
        sex: Sex::parse(v.get("sex")).unwrap_or(Sex::Other),
        birth_year: v.get("birth_year").parse().unwrap_or(0),
        unit_code: unit_code.to_owned(),
        phone: v.opt("phone").map(str::to_owned),
        address: v.opt("address").map(str::to_owned),
        document_number: None,
        confirm_new: v.ticked("confirm_new"),
    };
    if Sex::parse(v.get("sex")).is_none() {
        errors.key("sex", "reason_required");
    }
    let year_typed = v.get("birth_year").parse::<i32>().is_ok();
    if !year_typed {
        errors.key("birth_year", "reason_whole_number");
    }
    if let Err(invalid) = input.parse(i32::from(today.year())) {
        errors.extend(invalid.errors.into_iter().filter(|e| year_typed || e.field != "birth_year"));
    }
    (Some(input), None)
}

async fn form_again(state: &AppState, viewer: &Viewer, v: FormData, errors: FieldErrors, duplicates: Vec<Person>) -> WebResult<Response> {
    let page = report_page(state, viewer, v, errors, duplicates).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// One row of the unit's report list.
#[derive(Debug, Clone)]
pub struct ReportRow {
    /// When it arrived (local time).
    pub received: String,
    /// The resident's name.
    pub person: String,
    /// The unit's code.
    pub unit: String,
    /// Symptoms, as words.
    pub symptoms: String,
    /// Temperature, if measured.
    pub temperature: String,
    /// Where it stands.
    pub status: &'static str,
    /// A CSS class for the status.
    pub status_class: &'static str,
    /// Whether it is the report just sent.
    pub just_sent: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Lang,
    c: Chrome,
    sent: Option<&'static str>,
    live: String,
}

#[derive(Template)]
#[template(path = "reports_live.html")]
struct ReportsLive {
    t: Lang,
    rows: Vec<ReportRow>,
}

#[derive(Debug, Deserialize)]
struct ReportsQuery {
    #[serde(default)]
    sent: Option<String>,
}

async fn report_rows(state: &AppState, viewer: &Viewer, sent: Option<Uuid>) -> WebResult<Vec<ReportRow>> {
    let t = viewer.lang;
    let path = &viewer.user.node_path;
    let reports = state.store.reports_under(path, 100).await?;
    let zone = state.store.settings().await?.zone();
    let names = Names::of(state, reports.iter().map(|r| r.report.person_id)).await?;
    Ok(reports
        .into_iter()
        .map(|r| ReportRow {
            received: local_time(r.report.received_at, &zone),
            person: names.get(r.report.person_id),
            unit: r.report.unit_path.code().to_owned(),
            symptoms: r.report.symptoms.iter().map(|s| t.symptom(*s)).collect::<Vec<_>>().join(", "),
            temperature: r.report.temperature_c.map(|x| format!("{x:.1} °C")).unwrap_or_default(),
            status: t.report_status(r.status),
            status_class: report_status_class(r.status),
            just_sent: Some(r.report.id) == sent,
        })
        .collect())
}

async fn reports(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ReportsQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let sent = q.sent.as_deref().and_then(|s| s.parse::<Uuid>().ok());
    let rows = report_rows(&state, &viewer, sent).await?;
    let live = ReportsLive { t, rows }.render()?;
    render(&ReportsPage { t, c: viewer.chrome(), sent: sent.map(|_| t.get("report_sent")), live })
}

async fn reports_live(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let rows = report_rows(&state, &viewer, None).await?;
    render(&ReportsLive { t: viewer.lang, rows })
}

#[derive(Template)]
#[template(path = "daily.html")]
struct DailyPage {
    t: Lang,
    c: Chrome,
    fixed_unit: Option<Node>,
    units: Vec<Node>,
    v: FormData,
    errors: FieldErrors,
    days: Vec<(String, String, bool)>,
    standing: Option<(&'static str, &'static str)>,
    filed: Option<&'static str>,
}

impl DailyPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["date", "ill_count", "note", "unit_code"])
    }
}

#[derive(Debug, Deserialize)]
struct DailyQuery {
    #[serde(default)]
    filed: Option<String>,
}

async fn daily_page(
    state: &AppState,
    viewer: &Viewer,
    v: FormData,
    errors: FieldErrors,
    filed: Option<&'static str>,
) -> WebResult<DailyPage> {
    let t = viewer.lang;
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let yesterday = today.yesterday().unwrap_or(today);
    let fixed_unit = anchored_unit(state, &viewer.user).await?;
    let units = match &fixed_unit {
        Some(_) => Vec::new(),
        None => state.store.units_under(&viewer.user.node_path).await?.into_iter().take(500).collect(),
    };
    let chosen = v.opt("date").map_or_else(|| today.to_string(), str::to_owned);
    let days = vec![
        (today.to_string(), t.fill("day_today", today), chosen == today.to_string()),
        (yesterday.to_string(), t.fill("day_yesterday", yesterday), chosen == yesterday.to_string()),
    ];
    let standing = match &fixed_unit {
        Some(unit) => {
            let (_, units) = state.store.completeness(&unit.path, today, now).await?;
            units.first().map(|d| {
                let class = match d.timeliness {
                    Timeliness::OnTime => "status-closed",
                    Timeliness::Late => "status-on-way",
                    Timeliness::Pending => "status-received",
                    Timeliness::Silent => "status-overdue",
                };
                (t.timeliness(d.timeliness), class)
            })
        }
        None => None,
    };
    Ok(DailyPage { t, c: viewer.chrome(), fixed_unit, units, v, errors, days, standing, filed })
}

async fn daily_form(State(state): State<AppState>, viewer: Viewer, Query(q): Query<DailyQuery>) -> WebResult<Response> {
    viewer.may(Action::FileReport, &viewer.user.node_path)?;
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    v.set("ill_count", "0");
    let filed = match q.filed.as_deref() {
        Some("new") => Some(viewer.lang.get("daily_filed")),
        Some("again") => Some(viewer.lang.get("daily_already_filed")),
        _ => None,
    };
    render(&daily_page(&state, &viewer, v, FieldErrors::none(), filed).await?)
}

async fn file_daily(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    let unit_code = match anchored_unit(&state, &viewer.user).await? {
        Some(unit) => unit.code,
        None => v.get("unit_code").to_owned(),
    };
    let id = v.get("id").parse::<Uuid>().unwrap_or_else(|_| Uuid::new_v4());
    v.set("id", id.to_string());
    let date = v.get("date").parse::<Date>();
    if date.is_err() {
        errors.key("date", "reason_date");
    }
    let ill_count = v.get("ill_count").parse::<i64>();
    if ill_count.is_err() {
        errors.key("ill_count", "reason_whole_number");
    }
    if unit_code.is_empty() {
        errors.key("unit_code", "reason_required");
    }
    let (Ok(date), Ok(ill_count), true) = (date, ill_count, errors.is_empty()) else {
        let page = daily_page(&state, &viewer, v, errors, None).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let input = DailyReportInput { id, unit_code: unit_code.clone(), date, ill_count, note: v.opt("note").map(str::to_owned) };
    let result = file(&state, &viewer, &input).await;
    match result {
        Ok(created) => Ok(see_other(if created { "/daily?filed=new" } else { "/daily?filed=again" })),
        Err(e) => {
            errors.absorb(e)?;
            let page = daily_page(&state, &viewer, v, errors, None).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// Files a daily report with the API's checks; `true` when it was new.
async fn file(state: &AppState, viewer: &Viewer, input: &DailyReportInput) -> Result<bool, ApiError> {
    Ok(daily::file(state, &viewer.user, input).await?.created)
}
