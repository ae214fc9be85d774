//! The command's handover queue: contacts listed by another jurisdiction who
//! live in this one, each with their quarantine order, and the action to take
//! them on.
//!
//! The queue is `GET /handovers`'s list (`api::quarantine::handovers_for`)
//! and the action goes through `api::quarantine::accept`, as `POST
//! /handovers/{id}/accept` does, with the same access policy.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::jurisdiction::NodePath;
use cordon_core::policy::Action;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, Lang, Viewer, WebResult, local_time, render, see_other};
use crate::api::quarantine::{accept, handovers_for};
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
    rows: Vec<HandoverRow>,
    can_accept: bool,
    waiting: usize,
    flash: Option<&'static str>,
}

/// The page's query: what was just done.
#[derive(Debug, Deserialize)]
struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

/// A node's name and code, looked up once per page.
async fn place(state: &AppState, cache: &mut HashMap<String, String>, path: &NodePath) -> WebResult<String> {
    let code = path.code().to_owned();
    if let Some(name) = cache.get(&code) {
        return Ok(name.clone());
    }
    let name = state.store.node_by_code(&code).await?.map(|n| format!("{} ({})", n.name, n.code)).unwrap_or_else(|| code.clone());
    cache.insert(code, name.clone());
    Ok(name)
}

async fn handovers(State(state): State<AppState>, viewer: Viewer, Query(q): Query<DoneQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let zone = state.store.settings().await?.zone();
    let mut places = HashMap::new();
    let mut rows = Vec::new();
    for h in handovers_for(&state, &viewer.user).await? {
        let person = state.store.person(h.person_id).await?.map(|p| p.full_name).unwrap_or_default();
        let order = match h.order_id {
            Some(id) => state.store.order(id).await?.map(|o| (o.id.to_string(), o.ends_on.to_string())),
            None => None,
        };
        let accepted = match (h.accepted_by, h.accepted_at) {
            (Some(by), Some(at)) => {
                let name = state.store.user(by).await?.map(|u| u.display_name).unwrap_or_default();
                Some(format!("{name} · {}", local_time(at, &zone)))
            }
            _ => None,
        };
        rows.push(HandoverRow {
            id: h.id.to_string(),
            person,
            from: place(&state, &mut places, &h.from_path).await?,
            to: place(&state, &mut places, &h.to_path).await?,
            at: local_time(h.created_at, &zone),
            order,
            accepted,
        });
    }
    let waiting = rows.iter().filter(|r| r.accepted.is_none()).count();
    let flash = (q.done.as_deref() == Some("accepted")).then(|| t.get("quarantine_flash_accepted"));
    let can_accept = viewer.may(Action::DirectOrders, &viewer.user.node_path).is_ok();
    render(&HandoversPage { t, c: viewer.chrome(), rows, can_accept, waiting, flash })
}

async fn take_on(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    accept(&state, &viewer.user, id).await?;
    Ok(see_other("/handovers?done=accepted"))
}
