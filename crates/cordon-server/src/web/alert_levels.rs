//! The alert level of a node of the viewer's subtree, with drill-down to its
//! children: the level in force (when and by whom it was set), what the
//! core's rules recommend now and why (each reason in words, with the figure
//! behind it), the form to set the level with a note, and the history of the
//! decisions, each with the recommendation it was set against.
//!
//! The recommendation comes from `actions::alert_levels::recommendation`,
//! as `GET /api/v1/alert-levels/{code}/recommendation` does; the form goes
//! through `actions::alert_levels::set`, as `POST /api/v1/alert-levels`, so
//! the command officer's right over the node is decided in the store's
//! transaction and a refusal comes back next to its field.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use cordon_core::alert_level::{LevelInput, LevelSet, Recommendation, Signals};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use serde::Deserialize;
use uuid::Uuid;

use super::form::url_encode;
use super::widgets::alert_level::{LevelBadge, every_level, why_text};
use super::widgets::names::Names;
use super::{
    Chrome, Crumb, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, breadcrumbs, local_time, page_node, render, render_with,
    see_other,
};
use crate::actions::alert_levels as action;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/alert-levels", get(levels).post(set_level))
}

/// How many decisions the history shows.
const HISTORY: i64 = 50;

/// The page's query.
#[derive(Debug, Deserialize)]
struct LevelQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The level in force at a node: the badge, when and by whom, and the note.
#[derive(Debug, Clone)]
pub struct InForce {
    /// The level.
    pub badge: LevelBadge,
    /// When it was set (empty when it never was).
    pub at: String,
    /// Who set it.
    pub by: String,
    /// The officer's note.
    pub note: String,
}

/// One decision of the history.
#[derive(Debug, Clone)]
pub struct Decision {
    /// When.
    pub at: String,
    /// The level set.
    pub badge: LevelBadge,
    /// What the rules recommended then.
    pub recommended: LevelBadge,
    /// Why, in words.
    pub reasons: Vec<String>,
    /// Who set it.
    pub by: String,
    /// The note.
    pub note: String,
}

/// A child node with its level in force.
#[derive(Debug, Clone)]
pub struct ChildLevel {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The level in force (0 when none was ever set).
    pub badge: LevelBadge,
    /// When it was set, if ever.
    pub at: String,
}

#[derive(Template)]
#[template(path = "alert_levels.html")]
struct LevelsPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    flash: Option<&'static str>,
    current: InForce,
    recommended: LevelBadge,
    differs: bool,
    reasons: Vec<String>,
    signals: Vec<(&'static str, String)>,
    can_set: bool,
    choices: Vec<(String, &'static str, bool)>,
    v: FormData,
    errors: FieldErrors,
    children: Vec<ChildLevel>,
    history: Vec<Decision>,
}

impl LevelsPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["level", "note"])
    }
}

/// The signals the rules read, as the page lists them.
fn signal_lines(t: Lang, s: &Signals) -> Vec<(&'static str, String)> {
    let unknown = || t.get("unknown").to_owned();
    vec![
        (t.get("level_signal_incidence"), s.incidence_7d_per_100k.map_or_else(unknown, |x| format!("{x:.1}"))),
        (t.get("level_signal_growth"), s.growth_week_on_week.map_or_else(unknown, |g| format!("{g:.2}×"))),
        (t.get("level_signal_open_alerts"), s.open_alerts.to_string()),
        (t.get("level_signal_silent"), format!("{:.0}%", s.silent_share * 100.0)),
        (t.get("level_signal_overdue"), s.overdue_tasks.to_string()),
        (t.get("level_signal_neighbours"), s.neighbours_7d_per_100k.map_or_else(unknown, |x| format!("{x:.1}"))),
    ]
}

/// The reasons of a recommendation, each in words.
fn reasons_of(t: Lang, r: &Recommendation) -> Vec<String> {
    r.reasons.iter().map(|why| why_text(t, why)).collect()
}

/// The levels in force at the children of `node`, from one read of its subtree.
async fn children_levels(state: &AppState, t: Lang, node: &Node, zone: &jiff::tz::TimeZone) -> WebResult<Vec<ChildLevel>> {
    let children = state.store.children(node.id).await?;
    let set: HashMap<Uuid, LevelSet> = state.store.alert_levels_under(&node.path).await?.into_iter().map(|l| (l.node_id, l)).collect();
    Ok(children
        .into_iter()
        .map(|child| {
            let found = set.get(&child.id);
            ChildLevel {
                badge: LevelBadge::of(t, found.map_or(0, |l| l.level)),
                at: found.map(|l| local_time(l.set_at, zone)).unwrap_or_default(),
                code: child.code,
                name: child.name,
            }
        })
        .collect())
}

async fn levels_page(state: &AppState, viewer: &Viewer, node: Node, v: FormData, errors: FieldErrors) -> WebResult<LevelsPage> {
    let t = viewer.lang;
    let zone = state.store.settings().await?.zone();
    let (signals, recommendation) = action::recommendation(state, &node).await?;
    let history = state.store.alert_level_history(&node.path, HISTORY).await?;
    let names = Names::of(state, history.iter().map(|l| l.set_by)).await?;
    let current = match history.first() {
        Some(l) => InForce {
            badge: LevelBadge::of(t, l.level),
            at: local_time(l.set_at, &zone),
            by: names.get(l.set_by),
            note: l.note.clone().unwrap_or_default(),
        },
        None => InForce { badge: LevelBadge::of(t, 0), at: String::new(), by: String::new(), note: String::new() },
    };
    let chosen = v.opt("level").map_or_else(|| recommendation.level.to_string(), str::to_owned);
    let decisions = history
        .iter()
        .map(|l| Decision {
            at: local_time(l.set_at, &zone),
            badge: LevelBadge::of(t, l.level),
            recommended: LevelBadge::of(t, l.recommendation.level),
            reasons: reasons_of(t, &l.recommendation),
            by: names.get(l.set_by),
            note: l.note.clone().unwrap_or_default(),
        })
        .collect();
    Ok(LevelsPage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(state, viewer, &node).await?,
        children: children_levels(state, t, &node, &zone).await?,
        can_set: viewer.may(Action::IssueDirectives, &node.path).is_ok(),
        flash: None,
        differs: recommendation.level != current.badge.level,
        current,
        recommended: LevelBadge::of(t, recommendation.level),
        reasons: reasons_of(t, &recommendation),
        signals: signal_lines(t, &signals),
        choices: every_level(t).into_iter().map(|b| (b.level.to_string(), b.label, b.level.to_string() == chosen)).collect(),
        node,
        v,
        errors,
        history: decisions,
    })
}

async fn levels(State(state): State<AppState>, viewer: Viewer, Query(q): Query<LevelQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let mut page = levels_page(&state, &viewer, node, FormData::default(), FieldErrors::none()).await?;
    page.flash = q.done.is_some().then(|| viewer.lang.get("level_flash_set"));
    render(&page)
}

async fn set_level(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let node = page_node(&state, &viewer, v.opt("node_code")).await?;
    let mut errors = FieldErrors::none();
    let level = v.get("level").parse::<u8>().ok();
    if level.is_none() {
        errors.key("level", "reason_choose");
    }
    if let Some(level) = level {
        let input = LevelInput { node_code: node.code.clone(), level, note: v.opt("note").map(str::to_owned) };
        match action::set(&state, &viewer.user, &input).await {
            Ok(_) => return Ok(see_other(&format!("/alert-levels?node={}&done=set", url_encode(&node.code)))),
            Err(e) => errors.absorb(e)?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &levels_page(&state, &viewer, node, v, errors).await?)
}
