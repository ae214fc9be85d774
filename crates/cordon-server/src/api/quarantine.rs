//! Investigations, contacts, orders, follow-up visits, handovers and
//! transmission chains.

use crate::path::AppPath;
use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use cordon_core::case::Case;
use cordon_core::chain::Chain;
use cordon_core::contact::{Contact, ContactInput, Handover};
use cordon_core::investigation::{Investigation, InvestigationInput};
use cordon_core::order::{Order, OrderStatus};
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::user::User;
use cordon_store::contacts::Listed;
use cordon_store::followups::{VisitInput, VisitOutcome};
use cordon_store::investigations::Recorded;
use cordon_store::orders::OrderFilter;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, PageQuery, Paged, page_request, window};
use super::{authorise, scope};
use crate::actions::orders::{self, Extension, Release, handovers_in, order_for, orders_in};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

async fn case_for(state: &AppState, user: &User, id: Uuid, action: Action) -> ApiResult<Case> {
    let case = state.store.case(id).await?.ok_or_else(|| ApiError::not_found(Record::Case, &id))?;
    authorise(user, action, &case.unit_path)?;
    Ok(case)
}

/// The investigation of a case.
#[utoipa::path(get, path = "/cases/{id}/investigation", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Investigation), (status = 404, body = crate::error::Problem)))]
async fn get_investigation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Investigation>> {
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(state.store.investigation(id).await?.ok_or_else(|| ApiError::not_found(Record::Investigation, &id))?))
}

/// Record the investigation: exposure, sample and lab result (a positive
/// result confirms, a negative one discards a suspected case), isolation
/// decision (issues the isolation order), source case.
#[utoipa::path(put, path = "/cases/{id}/investigation", tag = "cases", params(("id" = Uuid, Path)), request_body = InvestigationInput, responses((status = 200, body = Recorded), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn put_investigation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(input): AppJson<InvestigationInput>,
) -> ApiResult<Json<Recorded>> {
    Ok(Json(crate::actions::investigations::record(&state, &user, id, &input).await?))
}

/// The contacts listed on a case.
#[utoipa::path(get, path = "/cases/{id}/contacts", tag = "cases", params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = ListPage<Contact>)))]
async fn list_contacts(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<Contact>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(ListPage::cut(state.store.contacts(id).await?, window)))
}

/// List a contact: an existing person of your jurisdiction, or a new person
/// anywhere. They are quarantined where they live; a contact living outside
/// your jurisdiction is handed to that jurisdiction's command.
#[utoipa::path(post, path = "/cases/{id}/contacts", tag = "cases", params(("id" = Uuid, Path)), request_body = ContactInput, responses((status = 201, body = Listed), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_contact(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(input): AppJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<Listed>)> {
    Ok((StatusCode::CREATED, Json(crate::actions::contacts::list(&state, &user, id, &input).await?)))
}

/// The transmission chain of the cluster a case belongs to (cases outside your
/// jurisdiction are shown redacted).
#[utoipa::path(get, path = "/cases/{id}/chain", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Chain)))]
async fn get_chain(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Chain>> {
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(state.store.chain(id, &user.node_path).await?))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Only orders in force.
    #[serde(default)]
    pub in_force: bool,
    /// Only orders that stand at this status.
    pub status: Option<OrderStatus>,
    /// Orders per page, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` (or `X-Next-Cursor`, or `Link`) of the previous
    /// page; the first page without it.
    pub cursor: Option<String>,
}

/// Isolation and quarantine orders in your subtree, one page at a time.
/// Orders in force (`in_force`, or status `active` or `extended`) come by
/// last day, soonest first; any other selection by last day, latest first;
/// orders ending the same day by id. The whole list's size is in
/// `X-Total-Count`; the next page is at the cursor in `X-Next-Cursor` (and
/// `Link: <…>; rel="next"`), absent on the last page.
#[utoipa::path(get, path = "/orders", tag = "quarantine", params(OrderQuery), responses(
    (status = 200, body = ListPage<Order>, headers(
        ("x-total-count" = i64, description = "How many orders the whole list holds"),
        ("x-next-cursor" = String, description = "The `cursor` of the next page; absent on the last page"),
        ("link" = String, description = "The next and previous pages (rel=\"next\", rel=\"prev\"), with the same parameters"),
    )),
    (status = 400, body = crate::error::Problem, description = "A parameter is wrong (e.g. `limit` out of range, an unknown `cursor`); the problem names it"),
))]
async fn list_orders(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    AppQuery(q): AppQuery<OrderQuery>,
) -> ApiResult<Paged<Order, Date>> {
    let request = page_request(q.limit, q.cursor.as_deref())?;
    let filter = OrderFilter { path: scope(&state, &user, q.under.as_deref()).await?, in_force: q.in_force, status: q.status };
    Ok(Paged { page: orders_in(&state, &filter, &request).await?, uri })
}
/// One order.
#[utoipa::path(get, path = "/orders/{id}", tag = "quarantine", params(("id" = Uuid, Path)), responses((status = 200, body = Order)))]
async fn get_order(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Order>> {
    Ok(Json(order_for(&state, &user, id, Action::Read).await?))
}

/// Extend an order (command officers, with a reason).
#[utoipa::path(post, path = "/orders/{id}/extend", tag = "quarantine", params(("id" = Uuid, Path)), request_body = Extension, responses((status = 200, body = Order), (status = 409, body = crate::error::Problem)))]
async fn extend(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<Extension>,
) -> ApiResult<Json<Order>> {
    Ok(Json(orders::extend(&state, &user, id, &body).await?))
}

/// Release an order before its end (command officers, with a reason).
#[utoipa::path(post, path = "/orders/{id}/release", tag = "quarantine", params(("id" = Uuid, Path)), request_body = Release, responses((status = 200, body = Order), (status = 409, body = crate::error::Problem)))]
async fn release(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<Release>,
) -> ApiResult<Json<Order>> {
    Ok(Json(orders::release(&state, &user, id, &body).await?))
}

/// Record a follow-up visit (the assigned worker); symptoms become a report.
#[utoipa::path(post, path = "/tasks/{id}/visit", tag = "tasks", params(("id" = Uuid, Path)), request_body = VisitInput, responses((status = 200, body = VisitOutcome), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn visit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(input): AppJson<VisitInput>,
) -> ApiResult<Json<VisitOutcome>> {
    Ok(Json(crate::actions::tasks::visit(&state, &user, id, &input).await?))
}

/// Handover list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HandoverQuery {
    /// Code of the subtree whose handovers to list (default: your anchor).
    pub under: Option<String>,
    /// Handovers per page, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` (or `X-Next-Cursor`, or `Link`) of the previous
    /// page; the first page without it.
    pub cursor: Option<String>,
}

/// Handovers received by your jurisdiction (or the part of it named by
/// `under`), newest first, one page at a time. The whole list's size is in
/// `X-Total-Count`; the next page is at the cursor in `X-Next-Cursor` (and
/// `Link: <…>; rel="next"`), absent on the last page.
#[utoipa::path(get, path = "/handovers", tag = "quarantine", params(HandoverQuery), responses(
    (status = 200, body = ListPage<Handover>, headers(
        ("x-total-count" = i64, description = "How many handovers the whole list holds"),
        ("x-next-cursor" = String, description = "The `cursor` of the next page; absent on the last page"),
        ("link" = String, description = "The next and previous pages (rel=\"next\", rel=\"prev\"), with the same parameters"),
    )),
    (status = 400, body = crate::error::Problem, description = "A parameter is wrong (e.g. `limit` out of range, an unknown `cursor`); the problem names it"),
))]
async fn list_handovers(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    AppQuery(q): AppQuery<HandoverQuery>,
) -> ApiResult<Paged<Handover, i64>> {
    let request = page_request(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Paged { page: handovers_in(&state, &path, &request).await?, uri })
}
/// Take on a handover (command officers of the receiving jurisdiction).
#[utoipa::path(post, path = "/handovers/{id}/accept", tag = "quarantine", params(("id" = Uuid, Path)), responses((status = 200, body = Handover)))]
async fn accept_handover(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Handover>> {
    Ok(Json(orders::accept_handover(&state, &user, id).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_investigation, put_investigation))
        .routes(routes!(list_contacts, add_contact))
        .routes(routes!(get_chain))
        .routes(routes!(list_orders))
        .routes(routes!(get_order))
        .routes(routes!(extend))
        .routes(routes!(release))
        .routes(routes!(visit))
        .routes(routes!(list_handovers))
        .routes(routes!(accept_handover))
}
