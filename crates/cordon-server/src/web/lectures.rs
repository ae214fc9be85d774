//! Explanatory lectures: health workers and command officers schedule one
//! for an area (where, the topic, the speaker, when, how many it seats, who
//! it is for); everyone sees the upcoming and recent lectures their units may
//! attend (those for their subtree, and those for the areas above them);
//! unit heads and workers record how many from a unit attended, within the
//! capacity; a command sees the coverage of a topic per child node over the
//! last days.
//!
//! The forms go through `actions::lectures::schedule` and `attend`, as
//! `POST /api/v1/lectures` and `/lectures/{id}/attendance` do; coverage comes
//! from the store's grouped queries, the same count as
//! `GET /api/v1/lectures/coverage`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::directive::Audience;
use cordon_core::jurisdiction::NodePath;
use cordon_core::lecture::{AttendanceInput, Lecture, LectureInput, window_start};
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use jiff::civil::DateTime;
use serde::Deserialize;
use uuid::Uuid;

use super::form::PageQuery;
use super::widgets::community::{AUDIENCES, UnitField, audience_label, local_datetime, parse_datetime, whole_number};
use super::widgets::names::Names;
use super::widgets::{choice, name_of};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, render, render_with, see_other};
use crate::error::ApiError;
use crate::state::AppState;

#[path = "lectures_coverage.rs"]
mod coverage;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lectures", get(lectures).post(schedule))
        .route("/lectures/coverage", get(coverage::coverage))
        .route("/lectures/{id}", get(lecture))
        .route("/lectures/{id}/attendance", post(attend))
}

/// The schedule form's fields, shown next to their errors.
const FIELDS: [&str; 7] = ["node_code", "venue", "topic", "speaker", "starts_at", "capacity", "audience"];

/// How far back the list reaches, in days, for the lectures of the areas above.
const RECENT_DAYS: u16 = 30;

/// A lecture as listed.
#[derive(Debug, Clone)]
pub struct LectureRow {
    /// Its id.
    pub id: String,
    /// When it starts.
    pub starts_at: String,
    /// The area it serves (code).
    pub area: String,
    /// Where.
    pub venue: String,
    /// The topic.
    pub topic: String,
    /// Who speaks.
    pub speaker: String,
    /// How many it seats.
    pub capacity: u32,
    /// Who it is for.
    pub audience: &'static str,
}

fn lecture_row(t: Lang, l: &Lecture) -> LectureRow {
    LectureRow {
        id: l.id.to_string(),
        starts_at: local_datetime(l.starts_at),
        area: l.node_path.code().to_owned(),
        venue: l.venue.clone(),
        topic: l.topic.clone(),
        speaker: l.speaker.clone(),
        capacity: l.capacity,
        audience: audience_label(t, l.audience),
    }
}

#[derive(Template)]
#[template(path = "lectures.html")]
struct LecturesPage {
    t: Lang,
    c: Chrome,
    can_schedule: bool,
    command: bool,
    areas: Vec<String>,
    audiences: Vec<(String, &'static str, bool)>,
    v: FormData,
    errors: FieldErrors,
    upcoming: Vec<LectureRow>,
    recent: Vec<LectureRow>,
}

impl LecturesPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&FIELDS)
    }
}

/// The list's query: a prefilled form (from a rumour's page).
#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    node_code: Option<String>,
}

/// The local time now.
async fn local_now(state: &AppState) -> WebResult<DateTime> {
    let zone = state.store.settings().await?.zone();
    Ok(state.now().to_zoned(zone).datetime())
}

/// The lectures `path`'s units may attend: those for its subtree and the
/// recent ones for the areas above it, latest first, each once.
async fn lectures_for(state: &AppState, path: &NodePath, now: DateTime) -> WebResult<Vec<Lecture>> {
    let mut found = state.store.lectures_under(path, 100).await?;
    let from = window_start(now.date(), RECENT_DAYS);
    for above in state.store.lectures_over(path, from, 50).await? {
        if !found.iter().any(|l| l.id == above.id) {
            found.push(above);
        }
    }
    found.sort_by(|a, b| b.starts_at.cmp(&a.starts_at).then(a.id.cmp(&b.id)));
    Ok(found)
}

async fn lectures_page(state: &AppState, viewer: &Viewer, v: FormData, errors: FieldErrors) -> WebResult<LecturesPage> {
    let t = viewer.lang;
    let anchor = &viewer.user.node_path;
    let now = local_now(state).await?;
    let all = lectures_for(state, anchor, now).await?;
    let (mut upcoming, recent): (Vec<&Lecture>, Vec<&Lecture>) = all.iter().partition(|l| l.starts_at >= now);
    upcoming.reverse();
    let mut areas = vec![anchor.code().to_owned()];
    if let Some(node) = state.store.node(viewer.user.node_id).await? {
        areas.extend(state.store.children(node.id).await?.into_iter().map(|c| c.code));
    }
    let chosen = v.get("audience").to_owned();
    Ok(LecturesPage {
        t,
        c: viewer.chrome(),
        can_schedule: viewer.may(Action::WorkTask, anchor).is_ok(),
        command: viewer.may(Action::IssueDirectives, anchor).is_ok(),
        areas,
        audiences: AUDIENCES.iter().map(|a| (name_of(a), audience_label(t, *a), name_of(a) == chosen)).collect(),
        v,
        errors,
        upcoming: upcoming.into_iter().map(|l| lecture_row(t, l)).collect(),
        recent: recent.into_iter().take(50).map(|l| lecture_row(t, l)).collect(),
    })
}

async fn lectures(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    v.set("node_code", q.node_code.unwrap_or_else(|| viewer.user.node_path.code().to_owned()));
    v.set("topic", q.topic.unwrap_or_default());
    v.set("audience", name_of(&Audience::Residents));
    render(&lectures_page(&state, &viewer, v, FieldErrors::none()).await?)
}

/// Reads the schedule form into the API's input, noting the fields that
/// cannot be read and, with placeholders in their place, what the core's
/// own checks say of the others.
fn lecture_input(v: &FormData, errors: &mut FieldErrors) -> LectureInput {
    let starts_at = parse_datetime(v.get("starts_at"));
    if starts_at.is_none() {
        errors.key("starts_at", "reason_datetime");
    }
    let capacity = whole_number(v, "capacity", errors);
    let audience = choice::<Audience>(v.get("audience"));
    if audience.is_none() {
        errors.key("audience", "reason_choose");
    }
    if v.opt("node_code").is_none() {
        errors.key("node_code", "reason_required");
    }
    let input = LectureInput {
        id: v.get("id").parse().unwrap_or_else(|_| Uuid::new_v4()),
        node_code: v.get("node_code").to_owned(),
        venue: v.get("venue").to_owned(),
        topic: v.get("topic").to_owned(),
        speaker: v.get("speaker").to_owned(),
        starts_at: starts_at.unwrap_or_default(),
        capacity: if errors.get("capacity").is_some() { 1 } else { capacity },
        audience: audience.unwrap_or(Audience::Everyone),
    };
    if let Err(invalid) = input.check() {
        errors.extend_unnoted(invalid.errors);
    }
    input
}

async fn schedule(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    viewer.may(Action::WorkTask, &viewer.user.node_path)?;
    let mut errors = FieldErrors::none();
    let input = lecture_input(&v, &mut errors);
    if errors.is_empty() {
        match crate::actions::lectures::schedule(&state, &viewer.user, &input).await {
            Ok(lecture) => return Ok(see_other(&format!("/lectures/{}?done=scheduled", lecture.id))),
            Err(e) => errors.absorb(e)?,
        }
    }
    v.set("id", input.id.to_string());
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &lectures_page(&state, &viewer, v, errors).await?)
}

/// A unit's attendance as listed.
#[derive(Debug, Clone)]
pub struct AttendanceRow {
    /// The unit's code and name.
    pub unit: String,
    /// How many attended.
    pub attended: u32,
    /// Who recorded it, when.
    pub recorded: String,
}

#[derive(Template)]
#[template(path = "lecture.html")]
struct LecturePage {
    t: Lang,
    c: Chrome,
    l: LectureRow,
    flash: Option<&'static str>,
    can_record: bool,
    unit: UnitField,
    rows: Vec<AttendanceRow>,
    total: u32,
    v: FormData,
    errors: FieldErrors,
}

impl LecturePage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["unit_code", "attended"])
    }
}

/// The lecture `id`, if the viewer's units may attend it or it serves their subtree.
async fn lecture_for(state: &AppState, viewer: &Viewer, id: Uuid) -> WebResult<Lecture> {
    let l = state.store.lecture(id).await?.ok_or_else(|| ApiError::not_found(Record::Lecture, &id))?;
    if !l.node_path.contains(&viewer.user.node_path) {
        viewer.may(Action::Read, &l.node_path)?;
    }
    Ok(l)
}

async fn lecture_page(state: &AppState, viewer: &Viewer, l: &Lecture, v: FormData, errors: FieldErrors) -> WebResult<LecturePage> {
    let t = viewer.lang;
    let anchor = &viewer.user.node_path;
    // The units the viewer records for: below their anchor, within the lecture's area.
    let under = if l.node_path.contains(anchor) { anchor } else { &l.node_path };
    let can_record = viewer.may(Action::RecordCommunity, anchor).is_ok();
    let unit = if can_record { UnitField::of(state, &viewer.user, under, v.get("unit_code")).await? } else { UnitField::default() };
    let attendance = state.store.lecture_attendance(l.id, under).await?;
    let names = Names::of(state, attendance.iter().flat_map(|a| [a.unit_id, a.recorded_by])).await?;
    let zone = state.store.settings().await?.zone();
    let rows = attendance
        .iter()
        .map(|a| AttendanceRow {
            unit: format!("{} {}", a.unit_path.code(), names.get(a.unit_id)),
            attended: a.attended,
            recorded: format!("{} · {}", local_time(a.recorded_at, &zone), names.get(a.recorded_by)),
        })
        .collect();
    Ok(LecturePage {
        t,
        c: viewer.chrome(),
        l: lecture_row(t, l),
        flash: None,
        can_record,
        unit,
        rows,
        total: attendance.iter().map(|a| a.attended).sum(),
        v,
        errors,
    })
}

async fn lecture(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let l = lecture_for(&state, &viewer, id).await?;
    let mut page = lecture_page(&state, &viewer, &l, FormData::default(), FieldErrors::none()).await?;
    page.flash = match q.done.as_deref() {
        Some("scheduled") => Some(viewer.lang.get("lecture_flash_scheduled")),
        Some("attended") => Some(viewer.lang.get("lecture_flash_attended")),
        _ => None,
    };
    render(&page)
}

async fn attend(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    viewer.may(Action::RecordCommunity, &viewer.user.node_path)?;
    let l = lecture_for(&state, &viewer, id).await?;
    let page = lecture_page(&state, &viewer, &l, v.clone(), FieldErrors::none()).await?;
    let mut errors = FieldErrors::none();
    let unit_code = page.unit.code(&v, &mut errors);
    let attended = whole_number(&v, "attended", &mut errors);
    if errors.is_empty() {
        match crate::actions::lectures::attend(&state, &viewer.user, id, &AttendanceInput { unit_code, attended }).await {
            Ok(_) => return Ok(see_other(&format!("/lectures/{id}?done=attended"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &LecturePage { errors, ..page })
}
