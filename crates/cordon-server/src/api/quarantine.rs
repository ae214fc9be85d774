//! Investigations, contacts, orders, follow-up visits, handovers and
//! transmission chains.

use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use cordon_core::case::Case;
use cordon_core::chain::Chain;
use cordon_core::contact::{Contact, ContactInput, Handover};
use cordon_core::investigation::{Investigation, InvestigationInput};
use cordon_core::jurisdiction::NodePath;
use cordon_core::order::{Order, OrderStatus};
use cordon_core::policy::Action;
use cordon_core::user::User;
use cordon_store::contacts::{ContactPerson, Listed};
use cordon_store::followups::{VisitInput, VisitOutcome};
use cordon_store::investigations::Recorded;
use cordon_store::orders::OrderFilter;
use cordon_store::paging::{Page, PageRequest};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{Paged, page_request};
use super::{authorise, node_for, scope};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

async fn case_for(state: &AppState, user: &User, id: Uuid, action: Action) -> ApiResult<Case> {
    let case = state.store.case(id).await?.ok_or_else(|| ApiError::NotFound(format!("case {id}")))?;
    authorise(user, action, &case.unit_path)?;
    Ok(case)
}

/// The investigation of a case.
#[utoipa::path(get, path = "/cases/{id}/investigation", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Investigation), (status = 404, body = crate::error::Problem)))]
async fn get_investigation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Investigation>> {
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(state.store.investigation(id).await?.ok_or_else(|| ApiError::NotFound(format!("investigation of case {id}")))?))
}

/// Record the investigation: exposure, sample and lab result (a positive
/// result confirms, a negative one discards a suspected case), isolation
/// decision (issues the isolation order), source case.
#[utoipa::path(put, path = "/cases/{id}/investigation", tag = "cases", params(("id" = Uuid, Path)), request_body = InvestigationInput, responses((status = 200, body = Recorded), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn put_investigation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    AppJson(input): AppJson<InvestigationInput>,
) -> ApiResult<Json<Recorded>> {
    case_for(&state, &user, id, Action::Classify).await?;
    Ok(Json(record_investigation(&state, &user, id, &input).await?))
}

/// Records an investigation after its field checks (the facility exists, the
/// source case is in the user's jurisdiction); the caller has checked the user
/// may classify the case. Shared by the API and the health worker's page.
pub async fn record_investigation(state: &AppState, user: &User, id: Uuid, input: &InvestigationInput) -> ApiResult<Recorded> {
    let now = state.now();
    let history = input.check(id, state.store.settings().await?.local_date(now))?;
    let facility = match input.isolation.as_ref().and_then(|i| i.facility_code.as_deref()) {
        Some(code) => Some(
            state
                .store
                .facility_by_code(code)
                .await?
                .ok_or_else(|| cordon_core::Invalid::field("isolation.facility_code", format!("no facility has code {code:?}")))?,
        ),
        None => None,
    };
    if let Some(source) = input.source_case_id {
        case_for(state, user, source, Action::Read)
            .await
            .map_err(|_| cordon_core::Invalid::field("source_case_id", "no such case in your jurisdiction"))?;
    }
    Ok(state.store.record_investigation(user.id, id, input, history, facility.as_ref(), now).await?)
}

/// The contacts listed on a case.
#[utoipa::path(get, path = "/cases/{id}/contacts", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Contact>)))]
async fn list_contacts(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<Contact>>> {
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(state.store.contacts(id).await?))
}

/// List a contact: an existing person of your jurisdiction, or a new person
/// anywhere. They are quarantined where they live; a contact living outside
/// your jurisdiction is handed to that jurisdiction's command.
#[utoipa::path(post, path = "/cases/{id}/contacts", tag = "cases", params(("id" = Uuid, Path)), request_body = ContactInput, responses((status = 201, body = Listed), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_contact(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    AppJson(input): AppJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<Listed>)> {
    case_for(&state, &user, id, Action::Classify).await?;
    Ok((StatusCode::CREATED, Json(list_contact(&state, &user, id, &input).await?)))
}

/// Lists a contact after its field checks (an existing person must be in the
/// user's jurisdiction; a new one may live anywhere); the caller has checked
/// the user may work on the case. Shared by the API and the contacts page.
pub async fn list_contact(state: &AppState, user: &User, id: Uuid, input: &ContactInput) -> ApiResult<Listed> {
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let relation = input.check(today)?;
    let who = match (&input.person_id, &input.new_person) {
        (Some(pid), _) => {
            let person = state.store.person(*pid).await?.ok_or_else(|| cordon_core::Invalid::field("person_id", "no such person"))?;
            authorise(user, Action::Read, &person.unit_path)
                .map_err(|_| cordon_core::Invalid::field("person_id", "no such person in your jurisdiction; give new_person instead"))?;
            ContactPerson::Existing(person.id)
        }
        (None, Some(p)) => {
            let draft = p.parse(i32::from(today.year())).map_err(|e| e.prefixed("new_person"))?;
            let unit = node_for(state, &p.unit_code, "new_person.unit_code").await?;
            ContactPerson::New(Box::new((draft, unit)))
        }
        (None, None) => return Err(cordon_core::Invalid::field("person_id", "give an existing person_id or a new_person").into()),
    };
    Ok(state.store.list_contact(user, id, who, input, relation, now).await?)
}

/// The transmission chain of the cluster a case belongs to (cases outside your
/// jurisdiction are shown redacted).
#[utoipa::path(get, path = "/cases/{id}/chain", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Chain)))]
async fn get_chain(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Chain>> {
    case_for(&state, &user, id, Action::Read).await?;
    Ok(Json(state.store.chain(id, &user.node_path).await?))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Only orders in force.
    #[serde(default)]
    pub in_force: bool,
    /// Only orders that stand at this status.
    pub status: Option<OrderStatus>,
    /// Orders per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `X-Next-Cursor` (or `Link`) of the previous
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
    (status = 200, body = Vec<Order>, headers(
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

/// A page of the orders `filter` selects: those at its status when given,
/// else those in force when asked, else all. Shared by the API and the
/// orders page.
pub async fn orders_in(state: &AppState, filter: &OrderFilter, request: &PageRequest<Date>) -> ApiResult<Page<Order, Date>> {
    Ok(state.store.orders_page(filter, request).await?)
}

/// The order `id`, if `user` may perform `action` on it (a 404 when it does
/// not exist, a 403 outside the user's jurisdiction or role).
pub async fn order_for(state: &AppState, user: &User, id: Uuid, action: Action) -> ApiResult<Order> {
    let order = state.store.order(id).await?.ok_or_else(|| ApiError::NotFound(format!("order {id}")))?;
    authorise(user, action, &order.area_path)?;
    Ok(order)
}

/// One order.
#[utoipa::path(get, path = "/orders/{id}", tag = "quarantine", params(("id" = Uuid, Path)), responses((status = 200, body = Order)))]
async fn get_order(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Order>> {
    Ok(Json(order_for(&state, &user, id, Action::Read).await?))
}

/// Extension of an order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The new last day, after the current one.
    pub ends_on: Date,
    /// Why.
    pub reason: String,
}

/// Extend an order (command officers, with a reason).
#[utoipa::path(post, path = "/orders/{id}/extend", tag = "quarantine", params(("id" = Uuid, Path)), request_body = Extension, responses((status = 200, body = Order), (status = 409, body = crate::error::Problem)))]
async fn extend(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    AppJson(body): AppJson<Extension>,
) -> ApiResult<Json<Order>> {
    Ok(Json(extend_order(&state, &user, id, &body).await?))
}

/// Extends an order after checking that `user` may direct it. Shared by the
/// API and the order page.
pub async fn extend_order(state: &AppState, user: &User, id: Uuid, body: &Extension) -> ApiResult<Order> {
    order_for(state, user, id, Action::DirectOrders).await?;
    Ok(state.store.extend_order(user.id, id, body.ends_on, &body.reason, state.now()).await?)
}

/// Early release of an order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Why the order ends before its last day.
    pub reason: String,
}

/// Release an order before its end (command officers, with a reason).
#[utoipa::path(post, path = "/orders/{id}/release", tag = "quarantine", params(("id" = Uuid, Path)), request_body = Release, responses((status = 200, body = Order), (status = 409, body = crate::error::Problem)))]
async fn release(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    AppJson(body): AppJson<Release>,
) -> ApiResult<Json<Order>> {
    Ok(Json(release_order(&state, &user, id, &body).await?))
}

/// Releases an order early after checking that `user` may direct it. Shared
/// by the API and the order page.
pub async fn release_order(state: &AppState, user: &User, id: Uuid, body: &Release) -> ApiResult<Order> {
    order_for(state, user, id, Action::DirectOrders).await?;
    Ok(state.store.release_order_early(user.id, id, &body.reason, state.now()).await?)
}

/// Record a follow-up visit (the assigned worker); symptoms become a report.
#[utoipa::path(post, path = "/tasks/{id}/visit", tag = "tasks", params(("id" = Uuid, Path)), request_body = VisitInput, responses((status = 200, body = VisitOutcome), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn visit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    AppJson(input): AppJson<VisitInput>,
) -> ApiResult<Json<VisitOutcome>> {
    let task = state.store.task(id).await?.ok_or_else(|| ApiError::NotFound(format!("task {id}")))?;
    authorise(&user, Action::WorkTask, &task.subject_path)?;
    let note = input.check()?;
    Ok(Json(state.store.record_visit(&user, id, &input, note, state.now()).await?))
}

/// Handover list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HandoverQuery {
    /// Code of the subtree whose handovers to list (default: your anchor).
    pub under: Option<String>,
    /// Handovers per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `X-Next-Cursor` (or `Link`) of the previous
    /// page; the first page without it.
    pub cursor: Option<String>,
}

/// Handovers received by your jurisdiction (or the part of it named by
/// `under`), newest first, one page at a time. The whole list's size is in
/// `X-Total-Count`; the next page is at the cursor in `X-Next-Cursor` (and
/// `Link: <…>; rel="next"`), absent on the last page.
#[utoipa::path(get, path = "/handovers", tag = "quarantine", params(HandoverQuery), responses(
    (status = 200, body = Vec<Handover>, headers(
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

/// A page of the handovers received at or below `path`, newest first; the
/// caller has checked `path` is in the user's subtree. Shared by the API and
/// the handovers page.
pub async fn handovers_in(state: &AppState, path: &NodePath, request: &PageRequest<i64>) -> ApiResult<Page<Handover, i64>> {
    Ok(state.store.handovers_page(path, request).await?)
}

/// Take on a handover (command officers of the receiving jurisdiction).
#[utoipa::path(post, path = "/handovers/{id}/accept", tag = "quarantine", params(("id" = Uuid, Path)), responses((status = 200, body = Handover)))]
async fn accept_handover(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Handover>> {
    Ok(Json(accept(&state, &user, id).await?))
}

/// Takes on a handover for `user`'s jurisdiction, if their role may direct
/// orders. Shared by the API and the handovers page.
pub async fn accept(state: &AppState, user: &User, id: Uuid) -> ApiResult<Handover> {
    authorise(user, Action::DirectOrders, &user.node_path)?;
    Ok(state.store.accept_handover(user, id, state.now()).await?)
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
