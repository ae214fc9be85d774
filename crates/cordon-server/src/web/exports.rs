//! The download page of exports (`/exports`), for those who may export
//! personal data (command officers, and administrators): one form per
//! export with its filters, working without JavaScript. Each form asks
//! `/exports/{file}`, which reads the form's fields (a field left empty is
//! not a filter), calls the same action as `GET /api/v1/exports/{file}`
//! and streams the same file; a wrong field comes back as the error page in
//! the viewer's language, naming it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use cordon_core::case::CaseStatus;
use cordon_core::export::{ExportFilter, LineList};
use cordon_core::policy::Action;
use cordon_core::refusal::{Reason, Record};
use jiff::civil::Date;
use serde::Deserialize;

use super::{Chrome, Lang, Viewer, WebResult, render};
use crate::actions::exports as export;
use crate::api::exports::{CSV, FHIR_JSON, download, geojson};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/exports", get(page)).route("/exports/{file}", get(file))
}

/// One line list's form on the page.
#[derive(Debug, Clone)]
pub struct ListForm {
    /// The file the form asks for (`cases.csv`).
    pub file: &'static str,
    /// Its id prefix and name (`cases`, `cases-fhir`).
    pub id: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// What it holds and what its days select.
    pub about: &'static str,
    /// The button's text.
    pub button: &'static str,
    /// Whether it has the classification field.
    pub classification: bool,
}

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    t: Lang,
    c: Chrome,
    /// The viewer's node code (the default of the forms).
    code: String,
    forms: Vec<ListForm>,
    /// The classifications: value and text.
    statuses: Vec<(&'static str, &'static str)>,
}

async fn page(viewer: Viewer) -> WebResult<Response> {
    viewer.may(Action::ExportLineLists, &viewer.user.node_path)?;
    let t = viewer.lang;
    let form = |list: LineList, file, id, button, classification| ListForm {
        file,
        id,
        title: t.get(match (list, id) {
            (LineList::Cases, "cases-fhir") => "export_cases_fhir",
            (LineList::Cases, _) => "export_cases",
            (LineList::Reports, _) => "export_reports",
            (LineList::Contacts, _) => "export_contacts",
            (LineList::Orders, _) => "export_orders",
        }),
        about: t.get(match (list, id) {
            (LineList::Cases, "cases-fhir") => "export_cases_fhir_about",
            (LineList::Cases, _) => "export_cases_about",
            (LineList::Reports, _) => "export_reports_about",
            (LineList::Contacts, _) => "export_contacts_about",
            (LineList::Orders, _) => "export_orders_about",
        }),
        button: t.get(button),
        classification,
    };
    let forms = vec![
        form(LineList::Cases, "cases.csv", "cases", "export_download_csv", true),
        form(LineList::Reports, "reports.csv", "reports", "export_download_csv", false),
        form(LineList::Contacts, "contacts.csv", "contacts", "export_download_csv", false),
        form(LineList::Orders, "orders.csv", "orders", "export_download_csv", false),
        form(LineList::Cases, "cases.fhir.json", "cases-fhir", "export_download_fhir", true),
    ];
    let statuses = CaseStatus::ALL.iter().map(|s| (s.as_str(), t.case_status(*s))).collect();
    render(&ExportsPage { t, c: viewer.chrome(), code: viewer.user.node_path.code().to_owned(), forms, statuses })
}

/// The fields of a download form, as text: empty means not given.
#[derive(Debug, Default, Deserialize)]
struct Fields {
    #[serde(default)]
    under: Option<String>,
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    depth: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// A field's text, `None` when left empty.
fn given(text: Option<&String>) -> Option<&str> {
    text.map(|t| t.trim()).filter(|t| !t.is_empty())
}

/// A day field: `YYYY-MM-DD`, or a 400 naming it.
fn day(field: &'static str, text: Option<&String>) -> Result<Option<Date>, ApiError> {
    given(text)
        .map(|t| {
            t.parse::<Date>().map_err(|_| {
                ApiError::bad_field(field, Reason::Unreadable { message: format!("{field}: {t:?} is not a day (YYYY-MM-DD)") })
            })
        })
        .transpose()
}

impl Fields {
    fn filter(&self, with_status: bool) -> Result<ExportFilter, ApiError> {
        let status = match given(self.status.as_ref()) {
            Some(text) if with_status => Some(CaseStatus::parse(text).ok_or_else(|| {
                ApiError::bad_field("status", Reason::OneOf { choices: CaseStatus::ALL.map(CaseStatus::as_str).join(", ") })
            })?),
            _ => None,
        };
        Ok(ExportFilter { from: day("from", self.from.as_ref())?, to: day("to", self.to.as_ref())?, status })
    }
}

async fn file(State(state): State<AppState>, viewer: Viewer, Path(file): Path<String>, Query(f): Query<Fields>) -> WebResult<Response> {
    let user = &viewer.user;
    let under = given(f.under.as_ref());
    let list = match file.as_str() {
        "cases.fhir.json" => {
            let filter = f.filter(true)?;
            let (node, reader) = export::fhir_cases(&state, user, under, filter).await?;
            return Ok(download(reader, FHIR_JSON, &LineList::Cases.file_name(&node.code, &filter, "fhir.json")).await?);
        }
        "jurisdictions.geojson" => {
            let depth = given(f.depth.as_ref())
                .map(|d| d.parse::<i64>().map_err(|_| ApiError::bad_field("depth", Reason::NotNumber)))
                .transpose()?;
            let (node, _, collection) =
                export::jurisdictions(&state, user, given(f.node.as_ref()), depth, day("date", f.date.as_ref())?).await?;
            return Ok(geojson(&node.code, &collection));
        }
        name => name.strip_suffix(".csv").and_then(LineList::parse).ok_or_else(|| ApiError::not_found(Record::Page, &name))?,
    };
    let filter = f.filter(list == LineList::Cases)?;
    let (node, reader) = export::line_list(&state, user, list, under, filter).await?;
    Ok(download(reader, CSV, &list.file_name(&node.code, &filter, "csv")).await?)
}
