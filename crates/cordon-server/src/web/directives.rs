//! The directive pages: the command's list of the directives over a node
//! (in force, to come, past review, revoked, newest first) with the form to
//! issue one; one directive with its versions, its coverage and the forms to
//! remind, amend and revoke ([`detail`]); and, for every user, the panel of
//! directives to acknowledge ([`crate::web::widgets::inbox`]) as a live
//! fragment and a page of its own, and the acknowledge button behind it.
//!
//! Every change goes through `actions::directives` as the API does (issue,
//! amend, revoke, remind, acknowledge), so the core decides in the store's
//! transaction; the core's refusals, named `terms.*`, come back next to the
//! form's inputs ([`terms`]).

mod detail;
pub mod terms;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::directive::{Directive, DirectiveInput};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use serde::Deserialize;
use uuid::Uuid;

use super::form::PageQuery;
use super::widgets::directive_text::{Reach, Standing, kind_label, period, summary};
use super::widgets::inbox::{InboxLive, back_to, inbox_live};
use super::widgets::names::Names;
use super::{Chrome, Crumb, FieldErrors, FormData, Lang, Viewer, WebResult, breadcrumbs, page_node, render, render_with, see_other};
use crate::actions::directives as action;
use crate::state::AppState;
use terms::{TermsForm, absorb, blank, read_terms, terms_form};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/directives", get(list).post(issue))
        .route("/directives/inbox", get(inbox_page))
        .route("/directives/inbox/live", get(inbox_fragment))
        .route("/directives/{id}", get(detail::page))
        .route("/directives/{id}/acknowledge", post(acknowledge))
        .route("/directives/{id}/remind", post(detail::remind))
        .route("/directives/{id}/amend", post(detail::amend))
        .route("/directives/{id}/revoke", post(detail::revoke))
}

/// At most this many directives are listed (the newest).
const LISTED: usize = 100;

/// At most this many places are offered to choose a scope from; beyond, the
/// scope is typed as a code.
const PLACES: i64 = 200;

/// A directive as the list shows it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Link to its page.
    pub href: String,
    /// Its kind's name.
    pub kind: &'static str,
    /// The measure in one line.
    pub summary: String,
    /// The area it is addressed to.
    pub scope: String,
    /// Its days in force (the latest version's).
    pub period: String,
    /// Its review day.
    pub review_on: String,
    /// Where it stands today.
    pub standing: Standing,
    /// Where it stands, in words.
    pub standing_label: &'static str,
    /// Whether it is past its review day.
    pub past_review: bool,
    /// Whether it was issued above the node (to an area holding it).
    pub from_above: bool,
    /// Acknowledgement within the node.
    pub reach: Reach,
}

#[derive(Template)]
#[template(path = "directives.html")]
struct ListPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    flash: Option<&'static str>,
    rows: Vec<Row>,
    bounded: bool,
    can_issue: bool,
    places: Option<Vec<(String, String, bool)>>,
    f: Option<TermsForm>,
}

/// The directives over `node` (issued to it, above it or below it), newest
/// first, at most [`LISTED`], and whether more were left out.
async fn directives_around(state: &AppState, node: &Node) -> WebResult<(Vec<Directive>, bool)> {
    let limit = i64::try_from(LISTED).unwrap_or(i64::MAX);
    let mut all = state.store.directives_under(&node.path, limit).await?;
    let under = all.len();
    all.extend(state.store.directives_over(&node.path).await?.into_iter().filter(|d| d.scope_path != node.path));
    all.sort_by_key(|d| std::cmp::Reverse(d.versions.first().map(|v| v.issued_at)));
    let bounded = under >= LISTED || all.len() > LISTED;
    all.truncate(LISTED);
    Ok((all, bounded))
}

async fn rows(state: &AppState, t: Lang, node: &Node, directives: &[Directive]) -> WebResult<Vec<Row>> {
    let today = state.store.settings().await?.local_date(state.now());
    let reach = state.store.directive_reach(&node.path, directives).await?;
    let places = Names::of(state, directives.iter().map(|d| d.scope_id)).await?;
    Ok(directives
        .iter()
        .filter_map(|d| {
            let version = d.current()?;
            let standing = Standing::of(d, today);
            Some(Row {
                href: format!("/directives/{}", d.id),
                kind: kind_label(t, version.terms.measure.kind()),
                summary: summary(t, &version.terms.measure),
                scope: format!("{} ({})", places.get(d.scope_id), d.scope_path.code()),
                period: period(t, version),
                review_on: version.terms.review_on.to_string(),
                standing,
                standing_label: standing.label(t),
                past_review: d.past_review(today),
                from_above: d.scope_path != node.path && d.scope_path.contains(&node.path),
                reach: reach.get(&d.id).map(|c| Reach::of(t, c)).unwrap_or_default(),
            })
        })
        .collect())
}

/// The list page of `node`, with the issue form holding `v`.
async fn list_page(state: &AppState, viewer: &Viewer, node: Node, v: Option<FormData>, errors: FieldErrors) -> WebResult<ListPage> {
    let t = viewer.lang;
    let today = state.store.settings().await?.local_date(state.now());
    let (directives, bounded) = directives_around(state, &node).await?;
    let can_issue = viewer.may(Action::IssueDirectives, &node.path).is_ok();
    let v = v.unwrap_or_else(|| blank(today, &node.code));
    let places = if can_issue {
        let found = state.store.places_under(&node.path, PLACES + 1).await?;
        let chosen = v.get("scope_code").to_owned();
        (found.len() <= usize::try_from(PLACES).unwrap_or(usize::MAX)).then(|| {
            found
                .into_iter()
                .map(|p| {
                    let depth = usize::try_from(p.level - node.level).unwrap_or(0);
                    let label = format!("{}{} ({})", "· ".repeat(depth), p.name, p.code);
                    let is_chosen = p.code == chosen;
                    (p.code, label, is_chosen)
                })
                .collect()
        })
    } else {
        None
    };
    Ok(ListPage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(state, viewer, &node).await?,
        flash: None,
        rows: rows(state, t, &node, &directives).await?,
        bounded,
        can_issue,
        places,
        f: if can_issue { Some(terms_form(state, t, &node.path, ("issue", false), v, errors).await?) } else { None },
        node,
    })
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let mut page = list_page(&state, &viewer, node, None, FieldErrors::none()).await?;
    page.flash = q.done.is_some().then(|| viewer.lang.get("directive_flash_issued"));
    render(&page)
}

/// Issues a directive from the form, through the action the API uses; bad
/// input comes back with each problem next to its input, and stores nothing.
async fn issue(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let node = page_node(&state, &viewer, v.opt("node")).await?;
    let mut errors = FieldErrors::none();
    let id = v.get("id").parse::<Uuid>().unwrap_or_else(|_| Uuid::new_v4());
    if v.opt("scope_code").is_none() {
        errors.key("scope_code", "reason_required");
    }
    if let (Some(terms), true) = (read_terms(&v, &mut errors), errors.is_empty()) {
        let input = DirectiveInput::new(id, v.get("scope_code"), terms);
        match action::issue(&state, &viewer.user, &input).await {
            Ok(issued) => return Ok(see_other(&format!("/directives/{}?done=issued", issued.directive.id))),
            Err(e) => absorb(&mut errors, e)?,
        }
    }
    let page = list_page(&state, &viewer, node, Some(v), errors).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The panel of directives to acknowledge as a page of its own (for pages
/// that show it only with the script running).
#[derive(Template)]
#[template(path = "directives_inbox.html")]
struct InboxPage {
    t: Lang,
    c: Chrome,
    live: String,
}

#[derive(Debug, Deserialize)]
struct BackQuery {
    #[serde(default)]
    back: Option<String>,
}

async fn inbox_page(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let live = inbox_live(&state, &viewer, "/directives/inbox").await?.render()?;
    render(&InboxPage { t: viewer.lang, c: viewer.chrome(), live })
}

async fn inbox_fragment(State(state): State<AppState>, viewer: Viewer, Query(q): Query<BackQuery>) -> WebResult<Response> {
    let back = back_to(&viewer, q.back.as_deref());
    let fragment: InboxLive = inbox_live(&state, &viewer, &back).await?;
    render(&fragment)
}

/// Acknowledges a directive for the viewer's unit, then goes back to the
/// page the button was on (`next`), else to the directive.
async fn acknowledge(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    action::acknowledge(&state, &viewer.user, id).await?;
    let fallback = format!("/directives/{id}?done=acknowledged");
    let next = v.opt("next").and_then(super::form::local_path).map_or(fallback, str::to_owned);
    Ok(see_other(&next))
}
