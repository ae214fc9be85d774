//! What residents say: unit heads and health workers log it (the words
//! heard, a category, the unit, the day, how many said it); everyone sees the
//! subtree's most-heard rumours this week; a command officer also sees the
//! counts by area (the node's children), by category and by week, and on a
//! rumour's own page attaches the counter-message in each language and can
//! schedule a lecture on its topic (the lecture form, prefilled).
//!
//! The forms go through `actions::rumours::log` and `answer`, as `POST
//! /api/v1/rumours` and `/rumours/{id}/answer` do; the counts come from the
//! store's grouped queries, one per table.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::directive::Texts;
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::rumour::{Category, Rumour, RumourInput, week_of};
use cordon_core::user::Role;
use jiff::civil::Date;
use uuid::Uuid;

use super::form::PageQuery;
use super::form::url_encode;
use super::widgets::community::{UnitField, category_label, whole_number};
use super::widgets::names::Names;
use super::widgets::{choice, name_of};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, page_node, render, render_with, see_other};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/rumours", get(rumours).post(log)).route("/rumours/{id}", get(rumour)).route("/rumours/{id}/answer", post(answer))
}

/// The log form's fields, shown next to their errors.
const FIELDS: [&str; 5] = ["unit_code", "text", "category", "heard_on", "people"];

/// How many weeks the counts go back (this one included).
const WEEKS: i64 = 8;

/// How many of this week's rumours the list shows.
const MOST_HEARD: i64 = 20;

/// A rumour as listed.
#[derive(Debug, Clone)]
pub struct RumourRow {
    /// Its id.
    pub id: String,
    /// What was said.
    pub text: String,
    /// Its category.
    pub category: &'static str,
    /// The unit's code.
    pub unit: String,
    /// The day it was heard.
    pub heard_on: String,
    /// How many said it.
    pub people: u32,
    /// Whether the command has answered it.
    pub answered: bool,
}

/// One row of a count table: what it counts (a week or an area), the people
/// (and rumours) per category, and the total.
#[derive(Debug, Clone)]
pub struct CountRow {
    /// The week's Monday, or the area's code and name.
    pub label: String,
    /// Where the label leads (an area drills down), if anywhere.
    pub href: Option<String>,
    /// `people (rumours)` per category, in [`Category::ALL`] order.
    pub cells: Vec<String>,
    /// People in all categories.
    pub total: i64,
}

#[derive(Template)]
#[template(path = "rumours.html")]
struct RumoursPage {
    t: Lang,
    c: Chrome,
    node: Node,
    flash: Option<&'static str>,
    can_log: bool,
    unit: UnitField,
    categories: Vec<(String, &'static str, bool)>,
    v: FormData,
    errors: FieldErrors,
    week: String,
    most_heard: Vec<RumourRow>,
    command: bool,
    headers: Vec<&'static str>,
    by_week: Vec<CountRow>,
    by_area: Vec<CountRow>,
    since: String,
}

impl RumoursPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&FIELDS)
    }
}

fn rumour_row(t: Lang, r: &Rumour) -> RumourRow {
    RumourRow {
        id: r.id.to_string(),
        text: r.text.clone(),
        category: category_label(t, r.category),
        unit: r.unit_path.code().to_owned(),
        heard_on: r.heard_on.to_string(),
        people: r.people,
        answered: r.answer.is_some(),
    }
}

/// What one row of a count table counts: (category, rumours, people) triples.
type Counts = Vec<(Category, i64, i64)>;

/// A count row from (category, rumours, people) triples.
fn count_row(label: String, href: Option<String>, counts: &[(Category, i64, i64)]) -> CountRow {
    let cells = Category::ALL
        .iter()
        .map(|c| counts.iter().find(|(k, _, _)| k == c).map_or_else(String::new, |(_, rumours, people)| format!("{people} ({rumours})")))
        .collect();
    CountRow { label, href, cells, total: counts.iter().map(|(_, _, people)| people).sum() }
}

/// The counts by week and by area over the last [`WEEKS`] weeks: two grouped queries.
async fn counts(state: &AppState, node: &Node, since: Date) -> WebResult<(Vec<CountRow>, Vec<CountRow>)> {
    let mut weeks: Vec<(Date, Counts)> = Vec::new();
    for c in state.store.rumour_counts(&node.path, since).await? {
        match weeks.last_mut() {
            Some((week, counts)) if *week == c.week => counts.push((c.category, c.rumours, c.people)),
            _ => weeks.push((c.week, vec![(c.category, c.rumours, c.people)])),
        }
    }
    let by_week = weeks.iter().rev().map(|(week, counts)| count_row(week.to_string(), None, counts)).collect();
    let mut areas: HashMap<String, Counts> = HashMap::new();
    for c in state.store.rumour_counts_by_area(node.id, since).await? {
        areas.entry(c.code).or_default().push((c.category, c.rumours, c.people));
    }
    let children = state.store.children(node.id).await?;
    let by_area = children
        .iter()
        .filter_map(|child| {
            let counts = areas.get(&child.code)?;
            let href = format!("/rumours?node={}", url_encode(&child.code));
            Some(count_row(format!("{} {}", child.code, child.name), Some(href), counts))
        })
        .collect();
    Ok((by_week, by_area))
}

async fn rumours_page(state: &AppState, viewer: &Viewer, node: Node, v: FormData, errors: FieldErrors) -> WebResult<RumoursPage> {
    let t = viewer.lang;
    let today = state.store.settings().await?.local_date(state.now());
    let can_log = viewer.may(Action::RecordCommunity, &viewer.user.node_path).is_ok();
    let unit =
        if can_log { UnitField::of(state, &viewer.user, &viewer.user.node_path, v.get("unit_code")).await? } else { UnitField::default() };
    let week = week_of(today);
    let most_heard = state.store.rumours_of_week(&node.path, week, MOST_HEARD).await?;
    let command = viewer.user.role == Role::CommandOfficer;
    let since = week_of(today.checked_sub(jiff::Span::new().weeks(WEEKS - 1)).unwrap_or(today));
    let (by_week, by_area) = if command { counts(state, &node, since).await? } else { (Vec::new(), Vec::new()) };
    Ok(RumoursPage {
        t,
        c: viewer.chrome(),
        node,
        flash: None,
        can_log,
        unit,
        categories: Category::ALL.iter().map(|c| (name_of(c), category_label(t, *c), v.get("category") == name_of(c))).collect(),
        v,
        errors,
        week: week.to_string(),
        most_heard: most_heard.iter().map(|r| rumour_row(t, r)).collect(),
        command,
        headers: Category::ALL.iter().map(|c| category_label(t, *c)).collect(),
        by_week,
        by_area,
        since: since.to_string(),
    })
}

/// A fresh log form: a new id, today, one person.
fn fresh_form(today: Date) -> FormData {
    let mut v = FormData::default();
    v.set("id", Uuid::new_v4().to_string());
    v.set("heard_on", today.to_string());
    v.set("people", "1");
    v
}

async fn rumours(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let today = state.store.settings().await?.local_date(state.now());
    let mut page = rumours_page(&state, &viewer, node, fresh_form(today), FieldErrors::none()).await?;
    page.flash = q.done.is_some().then(|| viewer.lang.get("rumour_flash_logged"));
    render(&page)
}

/// Reads the log form into the API's input, noting the fields that cannot
/// be read and, with placeholders in their place, what the core's own checks
/// (against `today`) say of the others.
fn rumour_input(v: &FormData, unit_code: String, today: Date, errors: &mut FieldErrors) -> RumourInput {
    let category = choice::<Category>(v.get("category"));
    if category.is_none() {
        errors.key("category", "reason_choose");
    }
    let heard_on = v.get("heard_on").parse::<Date>().ok();
    if heard_on.is_none() {
        errors.key("heard_on", "reason_date");
    }
    let people = whole_number(v, "people", errors);
    let input = RumourInput {
        id: v.get("id").parse().unwrap_or_else(|_| Uuid::new_v4()),
        unit_code,
        text: v.get("text").to_owned(),
        category: category.unwrap_or(Category::Other),
        heard_on: heard_on.unwrap_or(today),
        people: if errors.get("people").is_some() { 1 } else { people },
    };
    if let Err(invalid) = input.check(today) {
        errors.extend_unnoted(invalid.errors);
    }
    input
}

async fn log(State(state): State<AppState>, viewer: Viewer, mut v: FormData) -> WebResult<Response> {
    viewer.may(Action::RecordCommunity, &viewer.user.node_path)?;
    let anchor = page_node(&state, &viewer, None).await?;
    let unit = UnitField::of(&state, &viewer.user, &anchor.path, v.get("unit_code")).await?;
    let mut errors = FieldErrors::none();
    let unit_code = unit.code(&v, &mut errors);
    let today = state.store.settings().await?.local_date(state.now());
    let input = rumour_input(&v, unit_code, today, &mut errors);
    if errors.is_empty() {
        match crate::actions::rumours::log(&state, &viewer.user, &input).await {
            Ok(_) => return Ok(see_other("/rumours?done=logged")),
            Err(e) => errors.absorb(e)?,
        }
    }
    if v.opt("id").is_none() {
        v.set("id", Uuid::new_v4().to_string());
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &rumours_page(&state, &viewer, anchor, v, errors).await?)
}

#[derive(Template)]
#[template(path = "rumour.html")]
struct RumourPage {
    t: Lang,
    c: Chrome,
    r: RumourRow,
    flash: Option<&'static str>,
    unit_name: String,
    logged: String,
    logged_by: String,
    answer: Option<Texts>,
    can_answer: bool,
    lecture_href: String,
    v: FormData,
    errors: FieldErrors,
}

impl RumourPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["en", "ko"])
    }
}

/// The rumour `id`, if the viewer may read it.
async fn rumour_for(state: &AppState, viewer: &Viewer, id: Uuid) -> WebResult<Rumour> {
    let r = state.store.rumour(id).await?.ok_or_else(|| ApiError::not_found(Record::Rumour, &id))?;
    viewer.may(Action::Read, &r.unit_path)?;
    Ok(r)
}

async fn rumour_page(state: &AppState, viewer: &Viewer, r: &Rumour, v: FormData, errors: FieldErrors) -> WebResult<RumourPage> {
    let t = viewer.lang;
    let names = Names::of(state, [r.unit_id, r.logged_by]).await?;
    let zone = state.store.settings().await?.zone();
    let topic: String = r.text.chars().take(200).collect();
    let lecture_href = format!("/lectures?topic={}&node_code={}", url_encode(&topic), url_encode(r.unit_path.code()));
    Ok(RumourPage {
        t,
        c: viewer.chrome(),
        r: rumour_row(t, r),
        flash: None,
        unit_name: names.get(r.unit_id),
        logged: local_time(r.logged_at, &zone),
        logged_by: names.get(r.logged_by),
        answer: r.answer.clone(),
        can_answer: viewer.may(Action::IssueDirectives, &r.unit_path).is_ok(),
        lecture_href,
        v,
        errors,
    })
}

async fn rumour(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let r = rumour_for(&state, &viewer, id).await?;
    let mut v = FormData::default();
    if let Some(answer) = &r.answer {
        v.set("en", answer.en.clone());
        v.set("ko", answer.ko.clone());
    }
    let mut page = rumour_page(&state, &viewer, &r, v, FieldErrors::none()).await?;
    page.flash = q.done.is_some().then(|| viewer.lang.get("rumour_flash_answered"));
    render(&page)
}

async fn answer(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let r = rumour_for(&state, &viewer, id).await?;
    let texts = Texts { en: v.get("en").to_owned(), ko: v.get("ko").to_owned() };
    let mut errors = FieldErrors::none();
    match crate::actions::rumours::answer(&state, &viewer.user, id, &texts).await {
        Ok(_) => return Ok(see_other(&format!("/rumours/{id}?done=answered"))),
        Err(e) => errors.absorb(e)?,
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &rumour_page(&state, &viewer, &r, v, errors).await?)
}
