//! Signing in and out, and knowing who is asking.
//!
//! Browsers get an `HttpOnly; SameSite=Strict` session cookie; devices and
//! scripts get a bearer token. Both are random 32-byte tokens stored only as
//! their SHA-256. Requests authenticated by cookie that change state must come
//! from this site (see [`crate::csrf`]). A browser session ends after 30
//! minutes unused or 12 hours; a device token after 90 days, or when revoked
//! (`GET /tokens`, `DELETE /tokens/{id}`). Sign-in goes through the throttle
//! in [`crate::actions::account::sign_in`]; [`CurrentUser`] refuses a user
//! who must change a reset password, [`Caller`] (for the session and account
//! handlers) lets them in. The limits are in docs/SECURITY.md.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cordon_core::sign_in::{Failure, SessionInfo, SessionKind};
use cordon_core::user::User;
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

/// The signed-in user making the request; refuses (403
/// `password_change_required`) a user whose password was reset until they
/// change it. Every handler but the session and account ones takes this.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The signed-in user and the session they sign in with, whether or not
/// they must change their password first: for the session and account
/// handlers only.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: User,
    /// The session or token of this request.
    pub session: SessionInfo,
    /// Whether the user must change their password before anything else.
    pub must_change_password: bool,
}

/// The client's network address, when the server was started with
/// connection information (the served application always is): the peer's,
/// or the one a trusted proxy forwarded for ([`crate::client_address`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddress(peer.map(|peer| crate::client_address::client_address(peer, &parts.headers, &state.trusted_proxies))))
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Marks a request whose posted form carried the session's form token
/// (checked by the pages' guard before the handler runs).
#[derive(Debug, Clone, Copy)]
pub struct FormTokenChecked;

impl FromRequestParts<AppState> for Caller {
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
        if by_cookie && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            // A cookie is sent by the browser whoever asks: the request must
            // say it comes from this site, or carry the form token.
            match crate::csrf::provenance(&parts.headers, state.public_origin.as_deref()) {
                crate::csrf::Provenance::SameSite => {}
                crate::csrf::Provenance::Unknown if parts.extensions.get::<FormTokenChecked>().is_some() => {}
                _ => return Err(ApiError::CrossSite),
            }
        }
        let found = state.store.authenticate(&token_hash(&token), state.now()).await?.ok_or(ApiError::Unauthenticated)?;
        Ok(Caller { user: found.user, session: found.session, must_change_password: found.must_change_password })
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(CurrentUser(caller.user))
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

/// Checks credentials (the name as [`sign_in::name_tried`] gives it); the
/// same answer, after the same work, for an unknown user and a wrong
/// password. The throttle is applied before, by [`crate::actions::account::sign_in`].
pub async fn check_credentials(state: &AppState, username: &str, password: &str) -> ApiResult<Result<User, Failure>> {
    let found = state.store.user_with_password(username).await?;
    let Some((user, hash)) = found else {
        // Spend the same time as a real check so user names cannot be probed.
        let _ = hash_password(password.to_owned()).await;
        return Ok(Err(Failure::UnknownUser));
    };
    if !verify_password(password.to_owned(), hash).await {
        return Ok(Err(Failure::WrongPassword));
    }
    Ok(if user.active { Ok(user) } else { Err(Failure::Deactivated) })
}

/// Starts a session of `kind` for `user`; returns its token (to send once)
/// and the session's id.
pub async fn open_session(state: &AppState, user: &User, kind: SessionKind, device: Option<&str>) -> ApiResult<(String, uuid::Uuid)> {
    let token = new_token();
    let id = state.store.create_session(user, &token_hash(&token), kind, device, state.now()).await?;
    Ok((token, id))
}

/// Starts a browser session and returns the cookie to set.
pub async fn start_session(state: &AppState, user: &User) -> ApiResult<Cookie<'static>> {
    let (token, _) = open_session(state, user, SessionKind::Cookie, None).await?;
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

/// Sign in with a browser: sets the session cookie (idle for 30 minutes or
/// 12 hours old, it ends). Failed attempts are counted per account and per
/// address; past a few, the answer is 429 with Retry-After.
#[utoipa::path(post, path = "/session", tag = "auth", request_body = SignIn, security(()), responses(
    (status = 200, body = User), (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem, headers(("Retry-After" = u64, description = "Seconds to wait")))
))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    jar: CookieJar,
    AppJson(body): AppJson<SignIn>,
) -> ApiResult<(CookieJar, axum::Json<User>)> {
    let user = crate::actions::account::sign_in(&state, &body.username, &body.password, address).await?;
    let cookie = start_session(&state, &user).await?;
    Ok((jar.add(cookie), axum::Json(user)))
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/session", tag = "auth", security(()), responses((status = 204)))]
async fn sign_out(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> ApiResult<Response> {
    end_session(&state, &headers).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), StatusCode::NO_CONTENT).into_response())
}

/// Who am I (also while a password change is required).
#[utoipa::path(get, path = "/session", tag = "auth", responses((status = 200, body = User), (status = 401, body = crate::error::Problem)))]
async fn whoami(caller: Caller) -> axum::Json<User> {
    axum::Json(caller.user)
}

/// Issue a bearer token for a device (90 days; listed by GET /tokens and
/// revocable there). Throttled as POST /session is.
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = SignIn, security(()), responses(
    (status = 201, body = DeviceToken), (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem, headers(("Retry-After" = u64, description = "Seconds to wait")))
))]
async fn issue_token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppJson(body): AppJson<SignIn>,
) -> ApiResult<(StatusCode, axum::Json<DeviceToken>)> {
    let user = crate::actions::account::sign_in(&state, &body.username, &body.password, address).await?;
    let device = body.device.as_deref().map(cordon_core::sign_in::name_tried).filter(|d| !d.is_empty());
    let (token, _) = open_session(&state, &user, SessionKind::Bearer, device.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(DeviceToken { token, user })))
}

/// The sign-in routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, sign_out, whoami)).routes(routes!(issue_token))
}
