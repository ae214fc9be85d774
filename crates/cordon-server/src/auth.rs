//! Signing in and out, and knowing who is asking.
//!
//! Browsers get an `HttpOnly; SameSite=Strict` session cookie; devices and
//! scripts get a bearer token. Both are random 32-byte tokens stored only as
//! their SHA-256. Requests authenticated by cookie that change state must come
//! from the same origin.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cordon_core::user::User;
use cordon_store::users::SessionKind;
use jiff::SignedDuration;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::AppJson;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "cordon_session";

/// How long a browser session lasts.
const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

/// How long a device token lasts.
const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 90);

/// The signed-in user making the request.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether an unsafe request's Origin (if sent) names this host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").map(|(_, rest)| rest) == Some(host)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let (token, by_cookie) = if let Some(t) = bearer {
            (t.to_owned(), false)
        } else {
            let jar = CookieJar::from_headers(&parts.headers);
            (jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or(ApiError::Unauthenticated)?, true)
        };
        if by_cookie && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) && !same_origin(&parts.headers) {
            return Err(ApiError::CrossSite);
        }
        let user = state.store.session_user(&token_hash(&token), state.now()).await?.ok_or(ApiError::Unauthenticated)?;
        Ok(CurrentUser(user))
    }
}

/// Hashes a password with Argon2id, off the async runtime.
pub async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

/// Checks a password against a stored hash, off the async runtime.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordVerifier;
        use argon2::password_hash::phc::PasswordHash;
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// For a device token: a label naming the device.
    #[serde(default)]
    pub device: Option<String>,
}

/// A device token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceToken {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The user it acts as.
    pub user: User,
}

/// Checks credentials; the same answer for an unknown user and a wrong password.
pub async fn check_credentials(state: &AppState, username: &str, password: &str) -> ApiResult<User> {
    let found = state.store.user_with_password(username.trim()).await?;
    let Some((user, hash)) = found else {
        // Spend the same time as a real check so user names cannot be probed.
        let _ = hash_password(password.to_owned()).await;
        return Err(ApiError::BadCredentials);
    };
    if !user.active || !verify_password(password.to_owned(), hash).await {
        return Err(ApiError::BadCredentials);
    }
    Ok(user)
}

/// Starts a browser session and returns the cookie to set.
pub async fn start_session(state: &AppState, user: &User) -> ApiResult<Cookie<'static>> {
    let token = new_token();
    let now = state.now();
    let expires = now.saturating_add(SESSION_LIFETIME).unwrap_or(now);
    state.store.create_session(user.id, &token_hash(&token), SessionKind::Cookie, None, now, expires).await?;
    Ok(Cookie::build((SESSION_COOKIE, token)).path("/").http_only(true).same_site(SameSite::Strict).secure(state.secure_cookies).build())
}

/// Ends the session named by the request's cookie or token (if any).
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let token = bearer.map(str::to_owned).or_else(|| CookieJar::from_headers(headers).get(SESSION_COOKIE).map(|c| c.value().to_owned()));
    if let Some(token) = token {
        state.store.end_session(&token_hash(token.trim()), state.now()).await?;
    }
    Ok(())
}

/// Sign in with a browser: sets the session cookie.
#[utoipa::path(post, path = "/session", tag = "auth", request_body = SignIn, security(()), responses((status = 200, body = User), (status = 401, body = crate::error::Problem)))]
async fn sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    AppJson(body): AppJson<SignIn>,
) -> ApiResult<(CookieJar, axum::Json<User>)> {
    let user = check_credentials(&state, &body.username, &body.password).await?;
    let cookie = start_session(&state, &user).await?;
    Ok((jar.add(cookie), axum::Json(user)))
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/session", tag = "auth", security(()), responses((status = 204)))]
async fn sign_out(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> ApiResult<Response> {
    end_session(&state, &headers).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), StatusCode::NO_CONTENT).into_response())
}

/// Who am I.
#[utoipa::path(get, path = "/session", tag = "auth", responses((status = 200, body = User), (status = 401, body = crate::error::Problem)))]
async fn whoami(CurrentUser(user): CurrentUser) -> axum::Json<User> {
    axum::Json(user)
}

/// Issue a bearer token for a device.
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = SignIn, security(()), responses((status = 201, body = DeviceToken), (status = 401, body = crate::error::Problem)))]
async fn issue_token(State(state): State<AppState>, AppJson(body): AppJson<SignIn>) -> ApiResult<(StatusCode, axum::Json<DeviceToken>)> {
    let user = check_credentials(&state, &body.username, &body.password).await?;
    let token = new_token();
    let now = state.now();
    let expires = now.saturating_add(TOKEN_LIFETIME).unwrap_or(now);
    state.store.create_session(user.id, &token_hash(&token), SessionKind::Bearer, body.device.as_deref(), now, expires).await?;
    Ok((StatusCode::CREATED, axum::Json(DeviceToken { token, user })))
}

/// The sign-in routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, sign_out, whoami)).routes(routes!(issue_token))
}
