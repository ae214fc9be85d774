//! Planned gatherings: a unit head (for their unit), a health worker or a
//! command officer (for a unit below them) registers one, and cordon answers
//! allowed or refused; a refusal cites the directive it breaks (its text, the
//! version and the limit), with a link to the directive. The list shows the
//! gatherings registered in the viewer's subtree, latest start first, each
//! with its verdict.
//!
//! The form goes through `actions::gatherings::register`, as `POST
//! /api/v1/gatherings` does: the unit, the fields and the limits in force are
//! decided by the core in the store's transaction, and a refused gathering
//! is kept like an allowed one. Bad input comes back next to its field and
//! stores nothing.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use cordon_core::directive::{Measure, Setting};
use cordon_core::gathering::{Cited, Gathering, GatheringInput, Verdict};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use serde::Deserialize;
use uuid::Uuid;

use super::widgets::community::{SETTINGS, UnitField, local_datetime, parse_datetime, setting_label, verdict_label, whole_number};
use super::widgets::names::Names;
use super::widgets::{choice, name_of};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, page_node, render, render_with, see_other};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/gatherings", get(gatherings).post(register)).route("/gatherings/{id}", get(gathering))
}

/// The form's fields, shown next to their errors.
const FIELDS: [&str; 6] = ["unit_code", "place", "starts_at", "expected_size", "setting", "purpose"];

/// How many gatherings the list shows.
const LISTED: i64 = 100;

/// A gathering as listed.
#[derive(Debug, Clone)]
pub struct GatheringRow {
    /// Its id.
    pub id: String,
    /// When it starts.
    pub starts_at: String,
    /// The unit's code.
    pub unit: String,
    /// The place.
    pub place: String,
    /// Expected size.
    pub size: u32,
    /// Indoors or outdoors.
    pub setting: &'static str,
    /// What it is for.
    pub purpose: String,
    /// Allowed or refused.
    pub verdict: &'static str,
    /// CSS class of the verdict.
    pub class: &'static str,
    /// The directive whose limit decided it, if one did.
    pub directive_id: Option<String>,
}

#[derive(Template)]
#[template(path = "gatherings.html")]
struct GatheringsPage {
    t: Lang,
    c: Chrome,
    node: Node,
    can_register: bool,
    unit: UnitField,
    settings: Vec<(String, &'static str, bool)>,
    v: FormData,
    errors: FieldErrors,
    rows: Vec<GatheringRow>,
}

impl GatheringsPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&FIELDS)
    }
}

/// The list's query.
#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    node: Option<String>,
}

fn row(t: Lang, g: &Gathering) -> GatheringRow {
    let (verdict, class) = verdict_label(t, &g.verdict);
    let cited = match g.verdict {
        Verdict::Refused { limit } | Verdict::Allowed { limit: Some(limit) } => Some(limit.directive_id.to_string()),
        Verdict::Allowed { limit: None } => None,
    };
    GatheringRow {
        id: g.id.to_string(),
        starts_at: local_datetime(g.starts_at),
        unit: g.unit_path.code().to_owned(),
        place: g.place.clone(),
        size: g.expected_size,
        setting: setting_label(t, g.setting),
        purpose: g.purpose.clone(),
        verdict,
        class,
        directive_id: cited,
    }
}

async fn gatherings_page(state: &AppState, viewer: &Viewer, node: Node, v: FormData, errors: FieldErrors) -> WebResult<GatheringsPage> {
    let t = viewer.lang;
    let anchor = &viewer.user.node_path;
    let can_register = viewer.may(Action::RecordCommunity, anchor).is_ok();
    let unit = if can_register { UnitField::of(state, &viewer.user, anchor, v.get("unit_code")).await? } else { UnitField::default() };
    let listed = state.store.gatherings_under(&node.path, LISTED).await?;
    let settings = SETTINGS.iter().map(|s| (name_of(s), setting_label(t, *s), v.get("setting") == name_of(s))).collect();
    Ok(GatheringsPage {
        t,
        c: viewer.chrome(),
        node,
        can_register,
        unit,
        settings,
        v,
        errors,
        rows: listed.iter().map(|g| row(t, g)).collect(),
    })
}

async fn gatherings(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    render(&gatherings_page(&state, &viewer, node, v, FieldErrors::none()).await?)
}

/// Reads the form into the API's input, noting the fields that cannot be
/// read and, with placeholders in their place, what the core's own checks
/// say of the others.
fn gathering_input(v: &FormData, unit_code: String, errors: &mut FieldErrors) -> GatheringInput {
    let starts_at = parse_datetime(v.get("starts_at"));
    if starts_at.is_none() {
        errors.key("starts_at", "reason_datetime");
    }
    let expected_size = whole_number(v, "expected_size", errors);
    let setting = choice::<Setting>(v.get("setting")).filter(|s| SETTINGS.contains(s));
    if setting.is_none() {
        errors.key("setting", "reason_choose");
    }
    let input = GatheringInput {
        id: v.get("id").parse().unwrap_or_else(|_| Uuid::new_v4()),
        unit_code,
        place: v.get("place").to_owned(),
        starts_at: starts_at.unwrap_or_default(),
        expected_size: if errors.get("expected_size").is_some() { 1 } else { expected_size },
        setting: setting.unwrap_or(Setting::Indoor),
        purpose: v.get("purpose").to_owned(),
    };
    if let Err(invalid) = input.check() {
        errors.extend_unnoted(invalid.errors);
    }
    input
}

async fn register(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    viewer.may(Action::RecordCommunity, &viewer.user.node_path)?;
    let anchor = page_node(&state, &viewer, None).await?;
    let unit = UnitField::of(&state, &viewer.user, &anchor.path, v.get("unit_code")).await?;
    let mut errors = FieldErrors::none();
    let unit_code = unit.code(&v, &mut errors);
    let input = gathering_input(&v, unit_code, &mut errors);
    if errors.is_empty() {
        match crate::actions::gatherings::register(&state, &viewer.user, &input).await {
            Ok(registered) => return Ok(see_other(&format!("/gatherings/{}", registered.gathering.id))),
            Err(e) => errors.absorb(e)?,
        }
    }
    v.set("id", input.id.to_string());
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &gatherings_page(&state, &viewer, anchor, v, errors).await?)
}

/// The directive a verdict cites, as the answer shows it.
#[derive(Debug, Clone)]
pub struct Citation {
    /// The directive's id (for the link).
    pub directive_id: String,
    /// Its text in the viewer's language, as the cited version says it.
    pub text: String,
    /// The version.
    pub version: u32,
    /// The limit.
    pub max_people: u32,
    /// Which gatherings the limit covers.
    pub setting: &'static str,
}

#[derive(Template)]
#[template(path = "gathering.html")]
struct GatheringPage {
    t: Lang,
    c: Chrome,
    g: GatheringRow,
    refused: bool,
    citation: Option<Citation>,
    unit_name: String,
    registered: String,
    registered_by: String,
}

/// The cited version's text and terms, read from the directive.
async fn citation(state: &AppState, t: Lang, cited: Cited) -> WebResult<Citation> {
    let directive = state.store.directive(cited.directive_id).await?;
    let version = directive.as_ref().and_then(|d| d.versions.iter().find(|v| v.number == cited.version));
    let text = version.map(|v| if t == Lang::Ko { v.terms.text.ko.clone() } else { v.terms.text.en.clone() }).unwrap_or_default();
    let setting = match version.map(|v| &v.terms.measure) {
        Some(Measure::GatheringLimit { setting, .. }) => setting_label(t, *setting),
        _ => setting_label(t, Setting::Any),
    };
    Ok(Citation { directive_id: cited.directive_id.to_string(), text, version: cited.version, max_people: cited.max_people, setting })
}

async fn gathering(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let t = viewer.lang;
    let g = state.store.gathering(id).await?.ok_or_else(|| ApiError::not_found(Record::Gathering, &id))?;
    viewer.may(Action::Read, &g.unit_path)?;
    let (refused, cited) = match g.verdict {
        Verdict::Refused { limit } => (true, Some(limit)),
        Verdict::Allowed { limit } => (false, limit),
    };
    let citation = match cited {
        Some(c) => Some(citation(&state, t, c).await?),
        None => None,
    };
    let names = Names::of(&state, [g.unit_id, g.registered_by]).await?;
    let zone = state.store.settings().await?.zone();
    let page = GatheringPage {
        t,
        c: viewer.chrome(),
        g: row(t, &g),
        refused,
        citation,
        unit_name: names.get(g.unit_id),
        registered: local_time(g.registered_at, &zone),
        registered_by: names.get(g.registered_by),
    };
    render(&page)
}
