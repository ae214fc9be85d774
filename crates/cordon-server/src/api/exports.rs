//! Exports: the line lists of a subtree as CSV (cases, symptom reports,
//! contacts, orders), its cases as a FHIR R4 bundle, and the jurisdiction
//! tree below a node as GeoJSON with the map's figures.
//!
//! The line lists and the bundle are streamed: the store reads a batch,
//! the server sends it, and reads the next, so an export of a million rows
//! is served in the memory of one batch. The first batch is read before the
//! answer starts, so that a failure then is still a problem document; a
//! failure later can only cut the download short (and is logged). Every
//! export is audited. The columns and the FHIR mapping are in
//! docs/EXPORTS.md.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cordon_core::case::CaseStatus;
use cordon_core::export::{ExportFilter, LineList};
use cordon_store::StoreError;
use cordon_store::exports::{FhirReader, LineListReader};
use futures::StreamExt;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::actions::exports as export;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::extract::AppQuery;
use crate::state::AppState;

/// The subtree and days of a line list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Code of the node whose subtree to export (default: your own).
    pub under: Option<String>,
    /// First day (YYYY-MM-DD): the report day for reports, the day of last exposure for contacts, orders in force on or after it.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day (YYYY-MM-DD), not before `from`: the report day for reports, the day of last exposure for contacts, orders in force on or before it.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

/// The subtree, days and classification of the case list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    /// Code of the node whose subtree to export (default: your own).
    pub under: Option<String>,
    /// First day the cases were opened on (YYYY-MM-DD, the authority's time zone).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day the cases were opened on, not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// Only cases of this classification.
    pub status: Option<CaseStatus>,
}

impl CaseListQuery {
    fn filter(&self) -> ExportFilter {
        ExportFilter { from: self.from, to: self.to, status: self.status }
    }
}

impl ListQuery {
    fn filter(&self) -> ExportFilter {
        ExportFilter { from: self.from, to: self.to, status: None }
    }
}

/// The part of the tree a GeoJSON export covers and the day of its figures.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TreeQuery {
    /// Code of the node below which to export (default: your own).
    pub node: Option<String>,
    /// How many levels below the node: 1 (its children, the default) to 3.
    #[param(minimum = 1, maximum = 3)]
    pub depth: Option<i64>,
    /// The day of the figures (YYYY-MM-DD; default: today).
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
}

/// A store reader whose chunks make up a download.
pub trait Chunked: Send + 'static {
    /// The next chunk; `None` at the end.
    fn next(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;
}

impl Chunked for LineListReader {
    fn next(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send {
        self.next_chunk()
    }
}

impl Chunked for FhirReader {
    fn next(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send {
        self.next_chunk()
    }
}

/// A download of `file_name` streamed from `reader`: its first chunk read
/// now, the rest as the client takes them.
pub async fn download<C: Chunked>(mut reader: C, content_type: &'static str, file_name: &str) -> ApiResult<Response> {
    let first = reader.next().await?;
    let rest = futures::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        match reader.next().await {
            Ok(Some(chunk)) => Some((Ok(Bytes::from(chunk)), Some(reader))),
            Ok(None) => None,
            Err(error) => {
                tracing::error!(%error, "an export failed while it was being sent; the download was cut short");
                Some((Err(std::io::Error::other(error)), None))
            }
        }
    });
    let body = futures::stream::iter(first.map(|chunk| Ok(Bytes::from(chunk)))).chain(rest);
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The CSV content type.
pub const CSV: &str = "text/csv; charset=utf-8";
/// The FHIR JSON content type.
pub const FHIR_JSON: &str = "application/fhir+json";
/// The GeoJSON content type.
pub const GEOJSON: &str = "application/geo+json";

async fn csv(
    state: &AppState,
    user: &cordon_core::user::User,
    list: LineList,
    under: Option<&str>,
    filter: ExportFilter,
) -> ApiResult<Response> {
    let (node, reader) = export::line_list(state, user, list, under, filter).await?;
    download(reader, CSV, &list.file_name(&node.code, &filter, "csv")).await
}

/// The cases of a subtree, one row each (docs/EXPORTS.md lists the columns).
/// For command officers and administrators: the list holds personal data.
#[utoipa::path(get, path = "/exports/cases.csv", tag = "exports", params(CaseListQuery),
    responses(
        (status = 200, description = "The cases as CSV (header row first), streamed", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter could not be read (a day not YYYY-MM-DD, an unknown classification or parameter); `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Your role may not export personal data, or `under` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `under`, or `to` comes before `from`", content_type = "application/problem+json", body = Problem)))]
async fn cases_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CaseListQuery>,
) -> ApiResult<Response> {
    csv(&state, &user, LineList::Cases, q.under.as_deref(), q.filter()).await
}

/// The symptom reports of a subtree, one row each.
#[utoipa::path(get, path = "/exports/reports.csv", tag = "exports", params(ListQuery),
    responses(
        (status = 200, description = "The reports as CSV (header row first), streamed", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter could not be read; `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Your role may not export personal data, or `under` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `under`, or `to` comes before `from`", content_type = "application/problem+json", body = Problem)))]
async fn reports_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Response> {
    csv(&state, &user, LineList::Reports, q.under.as_deref(), q.filter()).await
}

/// The contacts of the cases of a subtree, and the contacts who live in it,
/// one row each with their quarantine order.
#[utoipa::path(get, path = "/exports/contacts.csv", tag = "exports", params(ListQuery),
    responses(
        (status = 200, description = "The contacts as CSV (header row first), streamed", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter could not be read; `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Your role may not export personal data, or `under` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `under`, or `to` comes before `from`", content_type = "application/problem+json", body = Problem)))]
async fn contacts_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Response> {
    csv(&state, &user, LineList::Contacts, q.under.as_deref(), q.filter()).await
}

/// The isolation and quarantine orders followed up in a subtree or binding
/// its residents, one row each.
#[utoipa::path(get, path = "/exports/orders.csv", tag = "exports", params(ListQuery),
    responses(
        (status = 200, description = "The orders as CSV (header row first), streamed", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter could not be read; `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Your role may not export personal data, or `under` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `under`, or `to` comes before `from`", content_type = "application/problem+json", body = Problem)))]
async fn orders_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Response> {
    csv(&state, &user, LineList::Orders, q.under.as_deref(), q.filter()).await
}

/// The cases of a subtree as a FHIR R4 Bundle (type `collection`): per case
/// a Patient, a Condition, Observations (symptoms, temperature, laboratory
/// result), a Task (the investigation) and a `RelatedPerson` per contact.
#[utoipa::path(get, path = "/exports/cases.fhir.json", tag = "exports", params(CaseListQuery),
    responses(
        (status = 200, description = "A FHIR R4 Bundle of type collection, streamed", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "A parameter could not be read; `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Your role may not export personal data, or `under` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `under`, or `to` comes before `from`", content_type = "application/problem+json", body = Problem)))]
async fn cases_fhir(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<CaseListQuery>,
) -> ApiResult<Response> {
    let filter = q.filter();
    let (node, reader) = export::fhir_cases(&state, &user, q.under.as_deref(), filter).await?;
    download(reader, FHIR_JSON, &LineList::Cases.file_name(&node.code, &filter, "fhir.json")).await
}

/// The nodes one to `depth` levels below `node` as a GeoJSON
/// `FeatureCollection`: each Feature with the node's boundary (null where none
/// is stored) and as properties its code, name, level, path, population, its
/// figures (labelled Figure objects: symptom reports in the 7 days to
/// `date`, per 100,000 where the population is known, cases so far by
/// classification, deaths) and the alert level in force.
#[utoipa::path(get, path = "/exports/jurisdictions.geojson", tag = "exports", params(TreeQuery),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 400, description = "A parameter could not be read; `errors` names it", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "`node` lies outside your subtree", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No node has the code in `node`, or `depth` is not 1 to 3", content_type = "application/problem+json", body = Problem)))]
async fn jurisdictions_geojson(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<TreeQuery>,
) -> ApiResult<Response> {
    let (node, _, collection) = export::jurisdictions(&state, &user, q.node.as_deref(), q.depth, q.date).await?;
    Ok(geojson(&node.code, &collection))
}

/// A GeoJSON document as a download.
#[must_use]
pub fn geojson(code: &str, collection: &serde_json::Value) -> Response {
    let mut response = Body::from(collection.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    let name = cordon_core::export::file_name("jurisdictions", code, &ExportFilter::default(), "geojson");
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases_csv))
        .routes(routes!(reports_csv))
        .routes(routes!(contacts_csv))
        .routes(routes!(orders_csv))
        .routes(routes!(cases_fhir))
        .routes(routes!(jurisdictions_geojson))
}
