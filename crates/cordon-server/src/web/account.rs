//! The account page, for every signed-in user: change the password, and
//! see the browser sessions and device tokens signed in as them, each with a
//! button to revoke it. A user whose password an administrator reset is
//! sent here from every other page until they choose a new one. Also the
//! administrator's password reset, posted from the users page, whose answer
//! shows a generated temporary password once.
//!
//! Each form calls the same action as the API ([`crate::actions::account`]).

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use cordon_core::sign_in::{SessionInfo, SessionKind};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, FieldErrors, FormData, Lang, Viewer, WebError, WebResult, local_time, render, render_with, see_other};
use crate::actions::account;
use crate::auth::{Caller, ClientAddress, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/password", post(change_password))
        .route("/account/sessions/{id}/revoke", post(revoke))
        .route("/admin/users/{id}/password", post(reset_password))
}

/// The signed-in viewer of the account page, let in even while their
/// password must be changed.
struct AccountViewer {
    viewer: Viewer,
    caller: Caller,
}

impl FromRequestParts<AppState> for AccountViewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let lang = Lang::from_headers(&parts.headers);
        let here = parts.uri.path_and_query().map_or_else(|| "/account".into(), |p| p.as_str().to_owned());
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(AccountViewer { viewer: Viewer { user: caller.user.clone(), lang, here }, caller }),
            Err(ApiError::Unauthenticated) => Err(WebError::SignIn { next: "/account".into() }),
            Err(e) => Err(e.into()),
        }
    }
}

/// A session as the page lists it.
struct SessionLine {
    id: String,
    kind: &'static str,
    device: String,
    created: String,
    last_seen: String,
    expires: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: Lang,
    c: Chrome,
    username: String,
    must_change: bool,
    sessions: Vec<SessionLine>,
    errors: FieldErrors,
    flash: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
struct Done {
    #[serde(default)]
    done: Option<String>,
}

async fn account_page(state: &AppState, who: &AccountViewer, errors: FieldErrors, flash: Option<&'static str>) -> WebResult<AccountPage> {
    let t = who.viewer.lang;
    let zone = state.store.settings().await?.zone();
    let sessions: Vec<SessionInfo> = account::own_sessions(state, &who.caller).await?;
    let sessions = sessions
        .into_iter()
        .map(|s| SessionLine {
            id: s.id.to_string(),
            kind: t.get(match s.kind {
                SessionKind::Cookie => "account_kind_cookie",
                SessionKind::Bearer => "account_kind_bearer",
            }),
            device: s.device.unwrap_or_default(),
            created: local_time(s.created_at, &zone),
            last_seen: local_time(s.last_seen_at, &zone),
            expires: local_time(s.expires_at, &zone),
            current: s.current,
        })
        .collect();
    Ok(AccountPage {
        t,
        c: who.viewer.chrome(),
        username: who.caller.user.username.clone(),
        must_change: who.caller.must_change_password,
        sessions,
        errors,
        flash,
    })
}

async fn page(State(state): State<AppState>, who: AccountViewer, Query(q): Query<Done>) -> WebResult<Response> {
    let flash = match q.done.as_deref() {
        Some("changed") => Some(who.viewer.lang.get("account_password_changed")),
        Some("revoked") => Some(who.viewer.lang.get("account_session_revoked")),
        _ => None,
    };
    render(&account_page(&state, &who, FieldErrors::none(), flash).await?)
}

async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    who: AccountViewer,
    v: FormData,
) -> WebResult<Response> {
    let (current, new) = (v.get("current_password"), v.get("new_password"));
    let mut errors = FieldErrors::none();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if new == v.get("new_password_again") {
        match account::change_password(&state, &who.caller, current, new, address).await {
            Ok(_) => return Ok(see_other("/account?done=changed")),
            Err(ApiError::TooManyAttempts { retry_after }) => {
                status = StatusCode::TOO_MANY_REQUESTS;
                errors.add("current_password", cordon_core::Reason::TooManyAttempts { retry_after });
            }
            Err(e) => errors.absorb(e)?,
        }
    } else {
        errors.key("new_password_again", "account_passwords_differ");
    }
    render_with(status, &account_page(&state, &who, errors, None).await?)
}

async fn revoke(State(state): State<AppState>, who: AccountViewer, jar: CookieJar, Path(id): Path<Uuid>) -> WebResult<Response> {
    account::revoke(&state, &who.caller.user, id).await?;
    if id == who.caller.session.id {
        return Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), see_other("/sign-in")).into_response());
    }
    Ok(see_other("/account?done=revoked"))
}

#[derive(Template)]
#[template(path = "admin_password_reset.html")]
struct ResetPage {
    t: Lang,
    c: Chrome,
    username: String,
    temporary: Option<String>,
    errors: FieldErrors,
}

async fn reset_password(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let (t, c) = (viewer.lang, viewer.chrome());
    match account::reset_password(&state, &viewer.user, id, v.opt("password")).await {
        Ok((user, temporary)) => render(&ResetPage { t, c, username: user.username, temporary, errors: FieldErrors::none() }),
        Err(ApiError::Invalid(invalid)) => {
            let mut errors = FieldErrors::none();
            errors.extend(invalid.errors);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &ResetPage { t, c, username: String::new(), temporary: None, errors })
        }
        Err(e) => Err(e.into()),
    }
}
