//! The administrator's page on the situation abroad (`/admin/abroad`):
//! uploading an Our World in Data file (either layout, at most 16 MiB; a
//! problem names its line and column, in the page's language; after an
//! import, what was added, revised and left unchanged and the alerts it
//! raised), and the watch list editor (a location from those imported,
//! its population where the file has none, its thresholds; removal).
//!
//! The upload and the editor call the same actions as the API
//! (`crate::actions::abroad`), authorised as `ManageConfiguration`.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::abroad::{self, Problem, ReadError};
use cordon_core::figure::grouped;
use cordon_core::refusal::Reason;
use cordon_core::watch::{self, Thresholds, WatchInput};

use super::form::PageQuery;
use super::widgets::abroad::threshold_words;
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Shown, Viewer, WebResult, render, render_with, see_other};
use crate::actions::abroad::{self as actions, MAX_FILE};
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/abroad", get(page))
        .route("/admin/abroad/import", post(import).layer(DefaultBodyLimit::max(2 * MAX_FILE)))
        .route("/admin/abroad/watch", post(set))
        .route("/admin/abroad/remove", post(remove))
}

/// A line of the watch list.
#[derive(Debug, Clone)]
pub struct WatchLine {
    /// The location.
    pub location: String,
    /// The population given, grouped; empty when the file's counts.
    pub population: String,
    /// Its thresholds, in words.
    pub thresholds: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_abroad.html")]
struct AdminAbroadPage {
    t: Lang,
    c: Chrome,
    locations: Vec<(String, String, bool)>,
    watched: Vec<WatchLine>,
    summary: Option<String>,
    flash: Option<&'static str>,
    v: FormData,
    errors: FieldErrors,
    max_mib: usize,
}

impl AdminAbroadPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["file", "location", "population", "per_100k_7d", "growth_week_on_week"])
    }
}

fn as_admin(viewer: &Viewer) -> WebResult<()> {
    Ok(watch::may_keep(&viewer.user)?)
}

async fn page_of(state: &AppState, viewer: &Viewer, v: FormData, errors: FieldErrors) -> WebResult<AdminAbroadPage> {
    let t = viewer.lang;
    let chosen = v.get("location").to_owned();
    let locations = state.store.abroad_locations().await?.into_iter().map(|l| (l.clone(), l.clone(), l == chosen)).collect();
    let watched = state
        .store
        .watch_list()
        .await?
        .iter()
        .map(|w| WatchLine {
            location: w.location.clone(),
            population: w.population.map(|p| grouped(p as f64, 0)).unwrap_or_default(),
            thresholds: threshold_words(t, w),
        })
        .collect();
    Ok(AdminAbroadPage {
        t,
        c: viewer.chrome(),
        locations,
        watched,
        summary: None,
        flash: None,
        v,
        errors,
        max_mib: MAX_FILE / (1024 * 1024),
    })
}

async fn page(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    as_admin(&viewer)?;
    let mut page = page_of(&state, &viewer, FormData::default(), FieldErrors::none()).await?;
    page.flash = match q.done.as_deref() {
        Some("watched") => Some(viewer.lang.get("abroad_watch_saved")),
        Some("removed") => Some(viewer.lang.get("abroad_watch_removed")),
        _ => None,
    };
    render(&page)
}

/// A file's problem in the page's language, naming its line and column.
fn line_refusal(t: Lang, e: &ReadError) -> Reason {
    let problem = match &e.problem {
        Problem::UnknownLayout(missing) => t.fill("abroad_problem_layout", missing),
        Problem::NotANumber { value } => t.fill("abroad_problem_number", format!("{value:?}")),
        Problem::NotADate { value } => t.fill("abroad_problem_date", format!("{value:?}")),
        Problem::Empty => t.get("abroad_problem_empty").to_owned(),
        Problem::Csv(message) => t.fill("abroad_problem_csv", message),
    };
    Reason::FileLine { line: e.line, column: e.column, name: e.field.clone(), problem }
}

/// The uploaded file's text, read in pieces so that a file over the limit
/// is told as such; or the catalogue key of what is wrong.
async fn file_of(mut form: Multipart) -> Result<String, &'static str> {
    let too_large = |e: &axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { "abroad_upload_too_large" } else { "admin_import_unreadable" }
    };
    let mut text = String::new();
    while let Some(mut field) = form.next_field().await.map_err(|e| too_large(&e))? {
        let wanted = field.name() == Some("file");
        let (mut bytes, mut over) = (Vec::new(), false);
        while let Some(chunk) = field.chunk().await.map_err(|e| too_large(&e))? {
            over = over || bytes.len() + chunk.len() > MAX_FILE;
            if wanted && !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        if wanted && over {
            return Err("abroad_upload_too_large");
        }
        if wanted {
            text = String::from_utf8(bytes).map_err(|_| "admin_import_not_utf8")?;
        }
    }
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() { Err("abroad_upload_empty") } else { Ok(text.to_owned()) }
}

async fn import(State(state): State<AppState>, viewer: Viewer, form: Multipart) -> WebResult<Response> {
    as_admin(&viewer)?;
    let t = viewer.lang;
    let mut errors = FieldErrors::none();
    match file_of(form).await {
        Err(key) if key == "abroad_upload_too_large" => errors.add("file", Shown::Text(t.fill(key, MAX_FILE / (1024 * 1024)))),
        Err(key) => errors.key("file", key),
        Ok(text) => match abroad::read(&text) {
            Err(e) => errors.add("file", line_refusal(t, &e)),
            Ok((layout, rows)) => match actions::import_rows(&state, &viewer.user, layout, &rows).await {
                Ok(done) => {
                    let mut page = page_of(&state, &viewer, FormData::default(), FieldErrors::none()).await?;
                    page.summary = Some(
                        t.get("abroad_import_summary")
                            .replacen("{}", &done.added.to_string(), 1)
                            .replacen("{}", &done.revised.to_string(), 1)
                            .replacen("{}", &done.unchanged.to_string(), 1)
                            .replacen("{}", &done.raised.to_string(), 1),
                    );
                    return render(&page);
                }
                Err(e) => errors.absorb(e)?,
            },
        },
    }
    let page = page_of(&state, &viewer, FormData::default(), errors).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Reads an optional number field; `Err` with the reason when it is not one.
fn number<T: std::str::FromStr>(v: &FormData, name: &str, errors: &mut FieldErrors) -> Option<T> {
    let text = v.get(name).trim().replace(',', "");
    if text.is_empty() {
        return None;
    }
    let parsed = text.parse::<T>().ok();
    if parsed.is_none() {
        errors.add(name, Reason::NotNumber);
    }
    parsed
}

async fn set(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    as_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    let population = number::<i64>(&v, "population", &mut errors);
    let per_100k_7d = number::<f64>(&v, "per_100k_7d", &mut errors);
    let growth_week_on_week = number::<f64>(&v, "growth_week_on_week", &mut errors);
    if per_100k_7d.is_none() && errors.get("per_100k_7d").is_none() {
        errors.add("per_100k_7d", Reason::Empty);
    }
    if v.get("location").trim().is_empty() {
        errors.key("location", "reason_choose");
    }
    if errors.is_empty() {
        let input = WatchInput { population, thresholds: Thresholds { per_100k_7d: per_100k_7d.unwrap_or_default(), growth_week_on_week } };
        match actions::set(&state, &viewer.user, v.get("location"), &input).await {
            Ok(_) => return Ok(see_other("/admin/abroad?done=watched")),
            Err(e) => errors.absorb_renamed(
                e,
                &[("thresholds.per_100k_7d", "per_100k_7d"), ("thresholds.growth_week_on_week", "growth_week_on_week")],
            )?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page_of(&state, &viewer, v, errors).await?)
}

async fn remove(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    actions::remove(&state, &viewer.user, v.get("location")).await?;
    Ok(see_other("/admin/abroad?done=removed"))
}
