//! A user's own account: their sessions and device tokens (listed, revoked
//! one by one) and their password; and, for administrators, another user's
//! sessions and a password reset. These answer even while the caller must
//! change a reset password; every other operation then answers 403
//! `password_change_required`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::sign_in::SessionInfo;
use cordon_core::user::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, PageQuery, window};
use crate::actions::account;
use crate::auth::{Caller, ClientAddress, CurrentUser};
use crate::error::{ApiResult, Problem};
use crate::extract::{AppJson, AppQuery};
use crate::path::AppPath;
use crate::state::AppState;

/// Your live browser sessions and device tokens, newest first (never their secrets).
#[utoipa::path(get, path = "/tokens", tag = "auth", params(PageQuery), responses((status = 200, body = ListPage<SessionInfo>), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<SessionInfo>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::cut(account::own_sessions(&state, &caller).await?, window)))
}

/// Revoke one session or device token: yours, or (administrators) one of a
/// user you manage. A revoked token answers 401 from then on.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = Uuid, Path)), responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(State(state): State<AppState>, caller: Caller, AppPath(id): AppPath<Uuid>) -> ApiResult<StatusCode> {
    account::revoke(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's live sessions and device tokens (administrators; audited).
#[utoipa::path(get, path = "/users/{id}/tokens", tag = "users", params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = ListPage<SessionInfo>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn user_tokens(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<SessionInfo>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::cut(account::sessions_of(&state, &admin, id).await?, window)))
}

/// A change of your own password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// Your current password.
    #[schema(max_length = 1024)]
    pub current_password: String,
    /// The new one: 8 to 1,024 characters, not the current one.
    #[schema(min_length = 8, max_length = 1024)]
    pub new_password: String,
}

/// Change your password. Your other sessions and tokens end; this one
/// stays. A wrong current password counts as a failed sign-in.
#[utoipa::path(put, path = "/account/password", tag = "auth", request_body = PasswordChange, responses(
    (status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem),
    (status = 429, body = Problem, headers(("Retry-After" = u64, description = "Seconds to wait")))
))]
async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ClientAddress(address): ClientAddress,
    AppJson(body): AppJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    account::change_password(&state, &caller, &body.current_password, &body.new_password, address).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A password reset by an administrator.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The temporary password (8 to 1,024 characters); one is generated when absent.
    #[serde(default)]
    #[schema(min_length = 8, max_length = 1024)]
    pub password: Option<String>,
}

/// The outcome of a reset.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetDone {
    /// The user whose password was reset.
    pub user: User,
    /// The generated temporary password, shown this once (absent when the
    /// administrator gave one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<String>,
}

/// Reset a user's password (administrators; audited). The user's sessions
/// end and they must choose a new password at their next sign-in.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", params(("id" = Uuid, Path)), request_body = PasswordReset, responses(
    (status = 200, body = PasswordResetDone), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 422, body = Problem)
))]
async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    AppPath(id): AppPath<Uuid>,
    AppJson(body): AppJson<PasswordReset>,
) -> ApiResult<Json<PasswordResetDone>> {
    let (user, temporary_password) = account::reset_password(&state, &admin, id, body.password.as_deref()).await?;
    Ok(Json(PasswordResetDone { user, temporary_password }))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(user_tokens))
        .routes(routes!(change_password))
        .routes(routes!(reset_password))
}
