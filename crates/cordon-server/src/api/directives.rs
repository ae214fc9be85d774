//! Directives: issued by a command to the units below it, amended, revoked,
//! acknowledged by every user in scope, and their coverage.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::directive::{Amendment, Directive, DirectiveInput};
use cordon_store::directives::Issued;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, PageQuery, probe, window};
use super::scope;
use crate::actions::directives as action;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Issue a directive to a node and its subtree (command officers at or above
/// the scope). Every user in scope receives it live and is to acknowledge it.
#[utoipa::path(post, path = "/directives", tag = "measures", request_body = DirectiveInput, responses(
    (status = 201, body = Issued), (status = 200, body = Issued, description = "The same directive sent again"),
    (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem, description = "Another directive was sent under this id"),
    (status = 422, body = crate::error::Problem, description = "A field breaks a rule; the problem names it"),
))]
async fn issue(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<DirectiveInput>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    let issued = action::issue(&state, &user, &input).await?;
    Ok((if issued.created { StatusCode::CREATED } else { StatusCode::OK }, Json(issued)))
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DirectiveQuery {
    /// Code of the subtree whose directives to list (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The directives issued to your subtree (or `under`), newest first.
#[utoipa::path(get, path = "/directives", tag = "measures", params(DirectiveQuery), responses(
    (status = 200, body = ListPage<Directive>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<DirectiveQuery>,
) -> ApiResult<Json<ListPage<Directive>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.directives_in_window(&path, probe(window)).await?, window)))
}

/// A directive addressed to you, and whether you acknowledged it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Addressed {
    /// The directive.
    pub directive: Directive,
    /// Whether you acknowledged it.
    pub acknowledged: bool,
}

/// The directives addressed to your area (issued to it or to an area above
/// it), oldest first, with whether you acknowledged each.
#[utoipa::path(get, path = "/directives/addressed", tag = "measures", params(PageQuery), responses((status = 200, body = ListPage<Addressed>)))]
async fn addressed(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<Addressed>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let done = state.store.acknowledged_by(&user).await?;
    let all = state.store.directives_over(&user.node_path).await?;
    let listed = all.into_iter().map(|directive| Addressed { acknowledged: done.contains(&directive.id), directive }).collect();
    Ok(Json(ListPage::cut(listed, window)))
}

/// A directive you oversee or that is addressed to you, with every version.
#[utoipa::path(get, path = "/directives/{id}", tag = "measures", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Directive), (status = 404, body = crate::error::Problem),
))]
async fn one(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Directive>> {
    Ok(Json(action::visible(&state, &user, id).await?))
}

/// Amend a directive: the new terms take effect from their `starts_on`
/// (today or later, after the current version's start); earlier versions stay.
#[utoipa::path(post, path = "/directives/{id}/amend", tag = "measures", params(("id" = Uuid, Path)), request_body = Amendment, responses(
    (status = 200, body = Directive), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn amend(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<Amendment>,
) -> ApiResult<Json<Directive>> {
    Ok(Json(action::amend(&state, &user, id, &body).await?))
}

/// A revocation as asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    /// The first day the directive is no longer in force (today or later).
    pub from: Date,
    /// Why.
    pub reason: String,
}

/// Revoke a directive from a day, with a reason.
#[utoipa::path(post, path = "/directives/{id}/revoke", tag = "measures", params(("id" = Uuid, Path)), request_body = RevokeInput, responses(
    (status = 200, body = Directive), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem),
))]
async fn revoke(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<RevokeInput>,
) -> ApiResult<Json<Directive>> {
    Ok(Json(action::revoke(&state, &user, id, body.from, &body.reason).await?))
}

/// What acknowledging did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Acknowledged {
    /// False when you had acknowledged it before.
    pub first: bool,
}

/// Acknowledge a directive addressed to your area.
#[utoipa::path(post, path = "/directives/{id}/acknowledge", tag = "measures", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Acknowledged), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem, description = "Not addressed to your area, or revoked"),
))]
async fn acknowledge(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<Acknowledged>> {
    Ok(Json(Acknowledged { first: action::acknowledge(&state, &user, id).await? }))
}

/// What reminding did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reminded {
    /// How many users (of the units that have not acknowledged) were sent it again.
    pub users: usize,
}

/// Remind the units that have not acknowledged a directive: its text goes
/// again, through the notifier, to their users.
#[utoipa::path(post, path = "/directives/{id}/remind", tag = "measures", params(("id" = Uuid, Path)), responses(
    (status = 200, body = Reminded), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem, description = "The directive is revoked"),
))]
async fn remind(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Reminded>> {
    Ok(Json(Reminded { users: action::remind(&state, &user, id).await? }))
}

/// How far a directive you oversee has reached: for its scope and each child,
/// how many units acknowledged and how many not yet; for a lecture order, the
/// share of units with attendance at a lecture on its topic against its target.
#[utoipa::path(get, path = "/directives/{id}/coverage", tag = "measures", params(("id" = Uuid, Path)), responses(
    (status = 200, body = action::Reach), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
))]
async fn coverage(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(id): AppPath<Uuid>,
) -> ApiResult<Json<action::Reach>> {
    Ok(Json(action::coverage(&state, &user, id).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue, list))
        .routes(routes!(addressed))
        .routes(routes!(one))
        .routes(routes!(amend))
        .routes(routes!(revoke))
        .routes(routes!(acknowledge))
        .routes(routes!(coverage))
        .routes(routes!(remind))
}
