//! Signing in and out with a browser, each role's home page, and the
//! language switch.
//!
//! Sign-in reuses [`crate::actions::account::sign_in`]: the same throttle
//! (429 with `Retry-After`, the wait shown at the password), the same
//! credential check (same answer for an unknown user and a wrong password)
//! and the same `HttpOnly; SameSite=Strict` session cookie as
//! `POST /api/v1/session`.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

use super::form::local_path;
use super::{Chrome, FieldErrors, FormData, Lang, Viewer, WebResult, home_of, render_with, see_other};
use cordon_core::refusal::Reason;

use crate::actions::account::sign_in as sign_in_as;
use crate::auth::{ClientAddress, SESSION_COOKIE, end_session, start_session};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/lang", post(switch_language))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    t: Lang,
    c: Chrome,
    next: String,
    username: String,
    errors: FieldErrors,
}

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
struct Next {
    #[serde(default)]
    next: Option<String>,
}

async fn home(viewer: Result<Viewer, super::WebError>) -> Response {
    match viewer {
        Ok(v) => see_other(home_of(v.user.role)),
        Err(_) => see_other("/sign-in"),
    }
}

async fn sign_in_form(headers: HeaderMap, Query(q): Query<Next>) -> WebResult<Response> {
    let t = Lang::from_headers(&headers);
    let next = q.next.as_deref().and_then(local_path).unwrap_or("").to_owned();
    let page = SignInPage { t, c: Chrome::anonymous(t, "/sign-in"), next, username: String::new(), errors: FieldErrors::none() };
    render_with(StatusCode::OK, &page)
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    form: FormData,
) -> WebResult<Response> {
    let t = Lang::from_headers(&headers);
    let (username, password) = (form.get("username"), form.get("password"));
    let next = local_path(form.get("next")).unwrap_or("").to_owned();
    let mut errors = FieldErrors::none();
    if username.is_empty() {
        errors.key("username", "reason_required");
    }
    if password.is_empty() {
        errors.key("password", "reason_required");
    }
    let mut status = StatusCode::UNAUTHORIZED;
    let mut retry_after = None;
    if errors.is_empty() {
        match sign_in_as(&state, username, password, address).await {
            Ok(user) => {
                let cookie = start_session(&state, &user).await?;
                let to = if next.is_empty() || next == "/" { home_of(user.role).to_owned() } else { next };
                return Ok((jar.add(cookie), see_other(&to)).into_response());
            }
            Err(ApiError::BadCredentials) => errors.key("password", "reason_bad_credentials"),
            Err(ApiError::TooManyAttempts { retry_after: seconds }) => {
                (status, retry_after) = (StatusCode::TOO_MANY_REQUESTS, Some(seconds));
                errors.add("password", Reason::TooManyAttempts { retry_after: seconds });
            }
            Err(ApiError::Invalid(invalid)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                errors.extend(invalid.errors);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = SignInPage { t, c: Chrome::anonymous(t, "/sign-in"), next, username: username.to_owned(), errors };
    let mut response = render_with(status, &page)?;
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    Ok(response)
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> WebResult<Response> {
    end_session(&state, &headers).await?;
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), see_other("/sign-in")).into_response())
}

/// Sets the language cookie and goes back to the page.
async fn switch_language(jar: CookieJar, form: FormData) -> Response {
    let lang = Lang::parse(form.get("lang")).unwrap_or_default();
    let back = local_path(form.get("next")).unwrap_or("/").to_owned();
    let cookie = Cookie::build((super::messages::LANG_COOKIE, lang.code())).path("/").same_site(SameSite::Strict).permanent().build();
    (jar.add(cookie), see_other(&back)).into_response()
}
