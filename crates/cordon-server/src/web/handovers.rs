//! The command's handover queue: contacts listed by another jurisdiction who
//! live in this one, each with their quarantine order, and the action to take
//! them on. The queue can be narrowed to one node of the officer's subtree
//! (`?node=`, refused outside it like every page), 50 at a time.
//!
//! The queue is `GET /handovers`'s list (`actions::orders::handovers_in`)
//! and the action goes through `actions::orders::accept_handover`, as `POST
//! /handovers/{id}/accept` does, with the same access policy.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::policy::Action;
use serde::Deserialize;
use uuid::Uuid;

use super::pager::{self, Pager};
use super::widgets::names::Names;
use super::{Chrome, Crumb, Lang, Viewer, WebResult, breadcrumbs, local_time, page_node, render, see_other};
use crate::actions::orders::accept_handover as accept;
use crate::actions::orders::handovers_in;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/handovers", get(handovers)).route("/handovers/{id}/accept", post(take_on))
}

/// A handover as listed.
#[derive(Debug, Clone)]
pub struct HandoverRow {
    /// The handover's id.
    pub id: String,
    /// The person handed over.
    pub person: String,
    /// The jurisdiction that listed them.
    pub from: String,
    /// Where they live (the receiving unit).
    pub to: String,
    /// When they were handed over.
    pub at: String,
    /// Their order and its last day.
    pub order: Option<(String, String)>,
    /// Who took it on and when, once accepted.
    pub accepted: Option<String>,
}

#[derive(Template)]
#[template(path = "handovers.html")]
struct HandoversPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    rows: Vec<HandoverRow>,
    can_accept: bool,
    waiting: i64,
    flash: Option<&'static str>,
    pager: Pager,
    /// Appended to the take-on form's action, to come back to this node's queue.
    back: String,
}

/// The page's query: the node, the page, and what was just done.
#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

async fn handovers(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let request = pager::requested(q.cursor.as_deref())?;
    let list = handovers_in(&state, &node.path, &request).await?;
    let pager = Pager::of(t, &list, &request, "/handovers", &[("node", node.code.as_str())]);
    let zone = state.store.settings().await?.zone();
    let people: Vec<Uuid> = list.items.iter().flat_map(|h| [Some(h.person_id), h.accepted_by]).flatten().collect();
    let names = Names::of(&state, people).await?;
    let codes: Vec<String> = list.items.iter().flat_map(|h| [h.from_path.code().to_owned(), h.to_path.code().to_owned()]).collect();
    let places = state.store.node_names_by_code(codes).await?;
    let place = |path: &NodePath| {
        let code = path.code();
        places.get(code).map_or_else(|| code.to_owned(), |name| format!("{name} ({code})"))
    };
    let orders = state.store.orders_by_id(list.items.iter().filter_map(|h| h.order_id)).await?;
    let rows = list
        .items
        .iter()
        .map(|h| HandoverRow {
            id: h.id.to_string(),
            person: names.get(h.person_id),
            from: place(&h.from_path),
            to: place(&h.to_path),
            at: local_time(h.created_at, &zone),
            order: h.order_id.and_then(|id| orders.get(&id)).map(|o| (o.id.to_string(), o.ends_on.to_string())),
            accepted: match (h.accepted_by, h.accepted_at) {
                (Some(by), Some(at)) => Some(format!("{} · {}", names.get(by), local_time(at, &zone))),
                _ => None,
            },
        })
        .collect();
    let waiting = state.store.handovers_waiting(&node.path).await?;
    let flash = (q.done.as_deref() == Some("accepted")).then(|| t.get("quarantine_flash_accepted"));
    let can_accept = viewer.may(Action::DirectOrders, &viewer.user.node_path).is_ok();
    let crumbs = breadcrumbs(&state, &viewer, &node).await?;
    let back = if node.path == viewer.user.node_path {
        String::new()
    } else {
        format!("?{}", form_urlencoded::Serializer::new(String::new()).append_pair("node", &node.code).finish())
    };
    render(&HandoversPage { t, c: viewer.chrome(), node, crumbs, rows, can_accept, waiting, flash, pager, back })
}

/// Where to go back to after taking on a handover: the queue of the node it
/// was taken on from, when the form says one.
#[derive(Debug, Deserialize)]
struct Back {
    #[serde(default)]
    node: Option<String>,
}

async fn take_on(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, Query(back): Query<Back>) -> WebResult<Response> {
    accept(&state, &viewer.user, id).await?;
    let node = back.node.as_deref().map(str::trim).filter(|code| !code.is_empty());
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(node.map(|code| ("node", code)))
        .append_pair("done", "accepted")
        .finish();
    Ok(see_other(&format!("/handovers?{query}")))
}
