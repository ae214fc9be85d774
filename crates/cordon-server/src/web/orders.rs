//! The command's isolation and quarantine orders: the orders of a node's
//! subtree, filtered by status, a page of 50 at a time, and one order with its history and the forms
//! to extend it or release it early.
//!
//! The list and the order come from the same store queries and access policy
//! as `GET /orders` and `GET /orders/{id}`; the forms go through
//! `actions::orders::extend` and `release`, as `POST
//! /orders/{id}/extend` and `/release` do, so a refusal (no reason, a new end
//! not after the current one) comes back next to its field. The history is
//! the order's own audit trail, with the reason given for each decision.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::jurisdiction::Node;
use cordon_core::order::{Order, OrderReason, OrderStatus};
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_store::audit::AuditFilter;
use cordon_store::orders::OrderFilter;
use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use super::pager::{self, Pager};
use super::widgets::choice;
use super::widgets::names::{Names, person_name};
use super::widgets::quarantine::{all_facilities, kind_label, place_label};
use super::{
    Chrome, Crumb, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, breadcrumbs, local_time, page_node, render, render_with,
    see_other,
};
use crate::actions::orders::{Extension, Release, extend as extend_order, release as release_order};
use crate::actions::orders::{order_for, orders_in};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(orders))
        .route("/orders/{id}", get(order))
        .route("/orders/{id}/extend", post(extend))
        .route("/orders/{id}/release", post(release))
}

/// The status filters of the list: value, catalogue key.
const FILTERS: [(&str, &str); 6] = [
    ("in_force", "quarantine_filter_in_force"),
    ("active", "quarantine_status_active"),
    ("extended", "quarantine_status_extended"),
    ("released", "quarantine_status_released"),
    ("converted_to_case", "quarantine_status_converted_to_case"),
    ("all", "quarantine_filter_all"),
];

/// The orders list's query.
#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

/// An order's status in the viewer's language.
#[must_use]
pub fn status_label(t: Lang, status: OrderStatus) -> &'static str {
    t.get(match status {
        OrderStatus::Active => "quarantine_status_active",
        OrderStatus::Extended => "quarantine_status_extended",
        OrderStatus::Released => "quarantine_status_released",
        OrderStatus::ConvertedToCase => "quarantine_status_converted_to_case",
    })
}

/// The CSS class of an order's status.
fn status_class(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Active => "status-on-way",
        OrderStatus::Extended => "status-case",
        OrderStatus::Released => "status-closed",
        OrderStatus::ConvertedToCase => "status-overdue",
    }
}

/// Days left until the order's last day, for an order in force.
fn days_left(order: &Order, today: Date) -> Option<i64> {
    order.status.in_force().then(|| today.until(order.ends_on).map_or(0, |s| i64::from(s.get_days()).max(0)))
}

/// An order as listed.
#[derive(Debug, Clone)]
pub struct OrderRow {
    /// The order's id.
    pub id: String,
    /// The person it binds.
    pub person: String,
    /// Isolation or quarantine.
    pub kind: &'static str,
    /// Home or the facility.
    pub place: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Status text.
    pub status: &'static str,
    /// CSS class of the status.
    pub class: &'static str,
    /// Days left, for an order in force.
    pub days_left: Option<i64>,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    filters: Vec<(&'static str, &'static str, bool)>,
    rows: Vec<OrderRow>,
    pager: Pager,
}

async fn orders(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let chosen = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("in_force");
    let (in_force, status) = match chosen {
        "in_force" => (true, None),
        "all" => (false, None),
        other => match choice::<OrderStatus>(other) {
            Some(s) => (false, Some(s)),
            None => {
                return Err(ApiError::bad_field(
                    "status",
                    Reason::OneOf { choices: "in_force, all, active, extended, released, converted_to_case".into() },
                )
                .into());
            }
        },
    };
    let request = pager::requested(q.cursor.as_deref())?;
    let list = orders_in(&state, &OrderFilter { path: node.path.clone(), in_force, status }, &request).await?;
    let pager = Pager::of(t, &list, &request, "/orders", &[("node", node.code.as_str()), ("status", chosen)]);
    let today = state.store.settings().await?.local_date(state.now());
    let facilities = all_facilities(&state).await?;
    let names = Names::of(&state, list.items.iter().map(|o| o.person_id)).await?;
    let mut rows = Vec::with_capacity(list.items.len());
    for o in &list.items {
        rows.push(OrderRow {
            id: o.id.to_string(),
            person: names.get(o.person_id),
            kind: kind_label(t, o.kind),
            place: place_label(t, o, &facilities),
            starts_on: o.starts_on.to_string(),
            ends_on: o.ends_on.to_string(),
            status: status_label(t, o.status),
            class: status_class(o.status),
            days_left: days_left(o, today),
        });
    }
    let filters = FILTERS.iter().map(|(value, key)| (*value, t.get(key), *value == chosen)).collect();
    let page = OrdersPage { t, c: viewer.chrome(), crumbs: breadcrumbs(&state, &viewer, &node).await?, node, filters, rows, pager };
    render(&page)
}

/// One change in an order's history.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    /// When.
    pub at: String,
    /// What happened.
    pub what: &'static str,
    /// Who did it (empty for cordon's own jobs).
    pub who: String,
    /// The last day after the change.
    pub ends_on: String,
    /// The reason given, if any.
    pub reason: String,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    t: Lang,
    c: Chrome,
    id: String,
    person: String,
    kind: &'static str,
    reason: &'static str,
    place: String,
    area: String,
    case_id: Option<String>,
    starts_on: String,
    ends_on: String,
    minimum_ends_on: String,
    status: &'static str,
    class: &'static str,
    days_left: Option<i64>,
    note: String,
    history: Vec<HistoryLine>,
    can_direct: bool,
    flash: Option<&'static str>,
    extend_v: FormData,
    extend_errors: FieldErrors,
    release_v: FormData,
    release_errors: FieldErrors,
    min_end: String,
}

impl OrderPage {
    fn extend_other_errors(&self) -> Vec<Notes> {
        self.extend_errors.other(&["ends_on", "reason"])
    }

    fn release_other_errors(&self) -> Vec<Notes> {
        self.release_errors.other(&["reason"])
    }
}

/// What the order page shows besides the order: a flash, and a refused form.
#[derive(Debug, Default)]
struct Forms {
    flash: Option<&'static str>,
    extend_v: FormData,
    extend_errors: FieldErrors,
    release_v: FormData,
    release_errors: FieldErrors,
}

async fn history(state: &AppState, t: Lang, order: &Order) -> WebResult<Vec<HistoryLine>> {
    let zone = state.store.settings().await?.zone();
    let filter = AuditFilter { entity: Some("order".into()), entity_id: Some(order.id.to_string()), ..AuditFilter::default() };
    let mut records = state.store.audit_log(&filter, 200).await?;
    records.reverse();
    let names = Names::of(state, records.iter().filter_map(|r| r.actor_id)).await?;
    let mut lines = Vec::with_capacity(records.len());
    for r in records {
        let who = match r.actor_id {
            Some(id) => names.get(id),
            None => t.get("quarantine_history_system").to_owned(),
        };
        let what = t.get(match r.action.as_str() {
            "order.issue" => "quarantine_history_issue",
            "order.extend" => "quarantine_history_extend",
            "order.release_early" => "quarantine_history_release_early",
            "order.release" => "quarantine_history_release",
            "order.convert" => "quarantine_history_convert",
            _ => "quarantine_history_other",
        });
        let after = r.after.as_ref();
        let text = |field: &str| after.and_then(|a| a.get(field)).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        lines.push(HistoryLine { at: local_time(r.at, &zone), what, who, ends_on: text("ends_on"), reason: text("change_reason") });
    }
    Ok(lines)
}

async fn order_page(state: &AppState, viewer: &Viewer, order: &Order, forms: Forms) -> WebResult<OrderPage> {
    let t = viewer.lang;
    let today = state.store.settings().await?.local_date(state.now());
    let facilities = all_facilities(state).await?;
    let area = match state.store.node_by_code(order.area_path.code()).await? {
        Some(n) => format!("{} ({})", n.name, n.code),
        None => order.area_path.code().to_owned(),
    };
    let reason = t.get(match order.reason {
        OrderReason::Case => "quarantine_reason_case",
        OrderReason::Contact => "quarantine_reason_contact",
        OrderReason::Arrival => "quarantine_reason_arrival",
    });
    let min_end = order.ends_on.tomorrow().map(|d| d.to_string()).unwrap_or_default();
    Ok(OrderPage {
        t,
        c: viewer.chrome(),
        id: order.id.to_string(),
        person: person_name(state, order.person_id).await?,
        kind: kind_label(t, order.kind),
        reason,
        place: place_label(t, order, &facilities),
        area,
        case_id: order.case_id.map(|c| c.to_string()),
        starts_on: order.starts_on.to_string(),
        ends_on: order.ends_on.to_string(),
        minimum_ends_on: order.minimum_ends_on.to_string(),
        status: status_label(t, order.status),
        class: status_class(order.status),
        days_left: days_left(order, today),
        note: order.note.clone().unwrap_or_default(),
        history: history(state, t, order).await?,
        can_direct: order.status.in_force() && viewer.may(Action::DirectOrders, &order.area_path).is_ok(),
        flash: forms.flash,
        extend_v: forms.extend_v,
        extend_errors: forms.extend_errors,
        release_v: forms.release_v,
        release_errors: forms.release_errors,
        min_end,
    })
}

/// The order page's query: what was just done.
#[derive(Debug, Deserialize)]
struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn order(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, Query(q): Query<DoneQuery>) -> WebResult<Response> {
    let found = order_for(&state, &viewer.user, id, Action::Read).await?;
    let flash = match q.done.as_deref() {
        Some("extended") => Some(viewer.lang.get("quarantine_flash_extended")),
        Some("released") => Some(viewer.lang.get("quarantine_flash_released")),
        _ => None,
    };
    render(&order_page(&state, &viewer, &found, Forms { flash, ..Forms::default() }).await?)
}

async fn extend(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let found = order_for(&state, &viewer.user, id, Action::DirectOrders).await?;
    let mut errors = FieldErrors::none();
    let ends_on = v.get("ends_on").parse::<Date>().ok();
    if ends_on.is_none() {
        errors.key("ends_on", "reason_date");
    }
    if v.opt("reason").is_none() {
        errors.key("reason", "quarantine_reason_required");
    }
    if let (Some(ends_on), true) = (ends_on, errors.is_empty()) {
        let body = Extension { ends_on, reason: v.get("reason").to_owned() };
        match extend_order(&state, &viewer.user, id, &body).await {
            Ok(_) => return Ok(see_other(&format!("/orders/{id}?done=extended"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = order_page(&state, &viewer, &found, Forms { extend_v: v, extend_errors: errors, ..Forms::default() }).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn release(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let found = order_for(&state, &viewer.user, id, Action::DirectOrders).await?;
    let mut errors = FieldErrors::none();
    if v.opt("reason").is_none() {
        errors.key("reason", "quarantine_reason_required");
    } else {
        match release_order(&state, &viewer.user, id, &Release { reason: v.get("reason").to_owned() }).await {
            Ok(_) => return Ok(see_other(&format!("/orders/{id}?done=released"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = order_page(&state, &viewer, &found, Forms { release_v: v, release_errors: errors, ..Forms::default() }).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
