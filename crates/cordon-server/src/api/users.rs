//! Users: administrators create and deactivate them; command officers list
//! the workers of their subtree (for rosters and reassignment).

use super::paging::{ListPage, window};
use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::policy::Action;
use cordon_core::user::{Role, User, UserInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::scope;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Filters for the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Users anchored in your subtree.
#[utoipa::path(get, path = "/users", tag = "users", params(UserQuery), responses((status = 200, body = ListPage<User>)))]
async fn list_users(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<UserQuery>,
) -> ApiResult<Json<ListPage<User>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    if !matches!(user.role, Role::CommandOfficer | Role::Administrator) {
        return Err(ApiError::Forbidden(cordon_core::policy::Denied::RoleForbids { role: user.role, action: Action::ManageUsers }));
    }
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(ListPage::cut(state.store.users_under(&path, q.role).await?, window)))
}

/// Create a user (administrators).
#[utoipa::path(post, path = "/users", tag = "users", request_body = UserInput, responses((status = 201, body = User), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    AppJson(input): AppJson<UserInput>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((StatusCode::CREATED, Json(crate::actions::users::create(&state, &admin, &input).await?)))
}

/// A change to a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// Whether the user may sign in.
    pub active: bool,
}

/// Activate or deactivate a user (administrators).
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UserPatch, responses((status = 200, body = User)))]
async fn patch_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(patch): AppJson<UserPatch>,
) -> ApiResult<Json<User>> {
    Ok(Json(crate::actions::users::set_active(&state, &admin, id, patch.active).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users, create_user)).routes(routes!(patch_user))
}
