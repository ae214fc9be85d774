//! The web interface: HTML pages rendered on the server with askama
//! templates (`crates/cordon-server/templates/`), usable without JavaScript,
//! with a small script for live updates and the reporter's offline queue.
//!
//! Pages reuse the API's pieces: [`crate::auth`] for sessions, the core's
//! access policy and the store's subtree-scoped queries, so a page never shows
//! more than the same user's API calls would. Every text shown goes through
//! [`messages`]. One module per page group: [`session`] (sign-in, language,
//! home), [`account`] (password, sessions; the admin's reset), [`reporter`], [`worker`], [`quarantine`], [`command`], [`alerts`],
//! [`orders`], [`handovers`], [`arrivals`], [`entry_rules`],
//! [`roster`], [`admin`] (and [`admin_abroad`]), [`directives`], [`exports`]
//! (the download page), the situation abroad ([`abroad`]), and the community measures:
//! [`gatherings`], [`lectures`], [`rumours`], [`alert_levels`]; [`assets`]
//! serves the stylesheet, the script and the service worker. Pages do not
//! import each other: what several show alike (charts, names, the task list,
//! form pieces, the panel of directives to acknowledge) is in [`widgets`],
//! and the frame, forms ([`form`]) and paging ([`pager`]) are infrastructure.

pub mod abroad;
pub mod account;
pub mod admin;
pub mod admin_abroad;
pub mod admin_audit;
pub mod alert_levels;
pub mod alerts;
pub mod arrivals;
pub mod assets;
pub mod command;
pub mod directives;
pub mod entry_rules;
pub mod exports;
pub mod form;
pub mod gatherings;
pub mod handovers;
pub mod lectures;
pub mod messages;
pub mod orders;
pub mod pager;
pub mod quarantine;
pub mod reporter;
pub mod roster;
pub mod rumours;
pub mod session;
pub mod sitrep;
pub mod widgets;
pub mod worker;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Reason;
use cordon_core::refusal::Record;
use cordon_core::user::{Role, User};
use cordon_store::StoreError;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::auth::CurrentUser;
use crate::csrf;
use crate::error::ApiError;
use crate::state::AppState;
pub use form::{FieldErrors, FormData, Notes, Shown};
pub use messages::Lang;

/// The pages' router (merged at the root of the application).
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(account::router())
        .merge(reporter::router())
        .merge(worker::router())
        .merge(quarantine::router())
        .merge(orders::router())
        .merge(handovers::router())
        .merge(arrivals::router())
        .merge(entry_rules::router())
        .merge(command::router())
        .merge(alerts::router())
        .merge(directives::router())
        .merge(gatherings::router())
        .merge(lectures::router())
        .merge(rumours::router())
        .merge(alert_levels::router())
        .merge(exports::router())
        .merge(roster::router())
        .merge(admin::router())
        .merge(sitrep::router())
        .merge(admin_abroad::router())
        .merge(admin_audit::router())
        .merge(abroad::router())
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .merge(assets::router())
}

/// A failure while serving a page; rendered as an HTML page in the
/// visitor's language by [`guard`], or a redirect to the sign-in page.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in: go to the sign-in page, then back to `next`.
    SignIn {
        /// Where to return after signing in.
        next: String,
    },
    /// The user's password was reset: go to the account page to change it.
    ChangePassword,
    /// Anything the API layer can fail with.
    Api(ApiError),
}

/// Result of a page handler.
pub type WebResult<T> = Result<T, WebError>;

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        WebError::Api(e)
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Api(e.into())
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Api(ApiError::internal(e))
    }
}

impl From<policy::Denied> for WebError {
    fn from(e: policy::Denied) -> Self {
        WebError::Api(ApiError::Forbidden(e))
    }
}

/// Marks a response whose error page is still to be rendered (by [`guard`],
/// which knows the visitor's language).
#[derive(Debug, Clone)]
struct PendingErrorPage {
    status: StatusCode,
    reason: Reason,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::SignIn { next } => {
                let target = format!("/sign-in?next={}", form::url_encode(&next));
                Redirect::to(&target).into_response()
            }
            WebError::ChangePassword => Redirect::to("/account").into_response(),
            WebError::Api(e) => {
                let problem = e.problem();
                let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut response = status.into_response();
                response.extensions_mut().insert(PendingErrorPage { status, reason: e.reason() });
                response
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Lang,
    c: Chrome,
    status: u16,
    heading: &'static str,
    detail: String,
}

/// The largest posted page body read whole to find its form token (a
/// jurisdiction file is uploaded as a form).
const MAX_POSTED_PAGE: usize = 64 * 1024 * 1024;

/// Refuses cross-site form posts and posts without the session's form
/// token, adds the token to every form of a signed-in page, marks pages as
/// private, and renders pending error pages in the visitor's language.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let token = csrf::session_token(request.headers());
    let provenance = csrf::provenance(request.headers(), state.public_origin.as_deref());
    if unsafe_method && provenance == csrf::Provenance::CrossSite {
        return error_page(lang, StatusCode::FORBIDDEN, lang.get("error_cross_site").to_owned());
    }
    let (mut parts, mut body) = request.into_parts();
    if unsafe_method && let Some(expected) = &token {
        let kind = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_POSTED_PAGE).await else {
            return error_page(lang, StatusCode::PAYLOAD_TOO_LARGE, lang.refusal(&Reason::TooLarge { max: MAX_POSTED_PAGE }));
        };
        if !csrf::posted_token(&kind, &bytes).is_some_and(|sent| csrf::same_token(&sent, expected)) {
            return error_page(lang, StatusCode::FORBIDDEN, lang.get("error_cross_site").to_owned());
        }
        parts.extensions.insert(crate::auth::FormTokenChecked);
        body = axum::body::Body::from(bytes);
    }
    if let Some(detail) = bad_id_in_path(&mut parts, lang).await {
        return error_page(lang, StatusCode::BAD_REQUEST, detail);
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(pending) = response.extensions_mut().remove::<PendingErrorPage>() {
        let detail =
            if pending.status.is_server_error() { lang.get("error_internal_detail").to_owned() } else { lang.refusal(&pending.reason) };
        return error_page(lang, pending.status, detail);
    }
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("private, no-cache"));
    match token {
        Some(token) => with_form_tokens(response, &token).await,
        None => response,
    }
}

/// The page with the form token in each of its forms (other answers as they are).
async fn with_form_tokens(response: Response, token: &str) -> Response {
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be read").into_response();
    };
    let page = csrf::with_form_tokens(&String::from_utf8_lossy(&bytes), token);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(page))
}

/// Why the address is wrong, when a part of it that names a record (a
/// `{id}` or `{..._id}` segment of the route: always a UUID) is not a UUID.
/// Checked before the handler, so every page answers a mistyped address
/// with the error page, in the visitor's language, naming the part.
async fn bad_id_in_path(parts: &mut Parts, lang: Lang) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, &()).await.ok()?;
    let (_, value) =
        params.iter().find(|(name, value)| (*name == "id" || name.ends_with("_id")) && value.parse::<uuid::Uuid>().is_err())?;
    let shown: String = value.chars().take(60).collect();
    Some(lang.refusal(&Reason::NotUuid { value: shown }))
}

fn error_page(t: Lang, status: StatusCode, detail: String) -> Response {
    let heading = match status {
        StatusCode::NOT_FOUND => t.get("error_not_found"),
        StatusCode::FORBIDDEN => t.get("error_forbidden"),
        StatusCode::UNAUTHORIZED => t.get("error_unauthenticated"),
        s if s.is_server_error() => t.get("error_internal"),
        _ => t.get("error_bad_request"),
    };
    let page = ErrorPage { t, c: Chrome::anonymous(t, "/"), status: status.as_u16(), heading, detail };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, heading).into_response(),
    }
}

/// The signed-in user looking at a page, and their language. Without a
/// session the page redirects to the sign-in page.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The user.
    pub user: User,
    /// The language pages are shown in.
    pub lang: Lang,
    /// The path and query of the page, to come back to (e.g. after a language change).
    pub here: String,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let lang = Lang::from_headers(&parts.headers);
        let here = parts.uri.path_and_query().map_or_else(|| "/".into(), |p| p.as_str().to_owned());
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(CurrentUser(user)) => Ok(Viewer { user, lang, here }),
            Err(ApiError::Unauthenticated) => {
                let next = if parts.method == Method::GET { here } else { String::from("/") };
                Err(WebError::SignIn { next })
            }
            Err(ApiError::PasswordChangeRequired) => Err(WebError::ChangePassword),
            Err(e) => Err(e.into()),
        }
    }
}

impl Viewer {
    /// The page frame for this viewer.
    #[must_use]
    pub fn chrome(&self) -> Chrome {
        Chrome::for_user(self.lang, &self.user, &self.here)
    }

    /// Checks the access policy for `action` at `target`.
    pub fn may(&self, action: Action, target: &NodePath) -> WebResult<()> {
        Ok(policy::authorise(&self.user, action, target)?)
    }
}

/// One link of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// Its text.
    pub label: &'static str,
    /// Whether it is the current page's section.
    pub current: bool,
}

/// What every page shows around its content: the user, the navigation and
/// the language switch.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The signed-in user's name and role, if any.
    pub user_name: Option<String>,
    /// The user's role, shown beside the name.
    pub role_label: &'static str,
    /// Navigation links for the role.
    pub nav: Vec<NavItem>,
    /// The current page (to return to after switching language).
    pub here: String,
    /// The stylesheet's URL (versioned).
    pub css: String,
    /// The script's URL (versioned).
    pub js: String,
}

impl Chrome {
    /// The frame for a visitor who is not signed in.
    #[must_use]
    pub fn anonymous(_t: Lang, here: &str) -> Chrome {
        Chrome { user_name: None, role_label: "", nav: Vec::new(), here: here.to_owned(), css: assets::css_url(), js: assets::js_url() }
    }

    /// The frame for a signed-in user.
    #[must_use]
    pub fn for_user(t: Lang, user: &User, here: &str) -> Chrome {
        let links: &[(&'static str, &'static str)] = match user.role {
            Role::Reporter => &[("/report", "nav_report"), ("/reports", "nav_reports"), ("/daily", "nav_daily")],
            Role::BorderOfficer => &[("/arrivals", "quarantine_nav_arrivals"), ("/report", "nav_report"), ("/reports", "nav_reports")],
            Role::HealthWorker => &[("/tasks", "nav_tasks"), ("/report", "nav_report")],
            Role::CommandOfficer => &[
                ("/board", "nav_board"),
                ("/curve", "nav_curve"),
                ("/map", "nav_map"),
                ("/roster", "nav_roster"),
                ("/escalations", "nav_escalations"),
                ("/orders", "quarantine_nav_orders"),
                ("/handovers", "quarantine_nav_handovers"),
                ("/arrivals", "quarantine_nav_arrivals"),
                ("/alerts", "alerts_nav"),
                ("/directives", "directive_nav"),
                ("/sitrep", "sitrep_nav"),
                ("/abroad", "abroad_nav"),
                ("/exports", "export_nav"),
            ],
            Role::Administrator => &[
                ("/admin/users", "nav_users"),
                ("/admin/jurisdictions", "nav_jurisdictions"),
                ("/admin/definitions", "nav_definitions"),
                ("/admin/settings", "nav_settings"),
                ("/admin/abroad", "abroad_nav"),
                ("/admin/audit", "audit_nav"),
                ("/entry-rules", "quarantine_nav_entry_rules"),
                ("/board", "nav_board"),
            ],
        };
        let path = here.split('?').next().unwrap_or(here);
        let nav = links
            .iter()
            .chain(community_links(user.role))
            .map(|(href, key)| NavItem { href, label: t.get(key), current: path == *href || path.starts_with(&format!("{href}/")) })
            .collect();
        Chrome {
            user_name: Some(user.display_name.clone()),
            role_label: t.role(user.role),
            nav,
            here: here.to_owned(),
            css: assets::css_url(),
            js: assets::js_url(),
        }
    }
}

/// The links to the community measures' pages a role works with: unit heads
/// register gatherings, log what residents say and record lecture
/// attendance; health workers also schedule lectures; commands see all of
/// it, and the alert levels.
fn community_links(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Reporter => &[("/gatherings", "gathering_nav"), ("/rumours", "rumour_nav"), ("/lectures", "lecture_nav_attendance")],
        Role::HealthWorker => &[("/gatherings", "gathering_nav"), ("/rumours", "rumour_nav"), ("/lectures", "lecture_nav")],
        Role::CommandOfficer => {
            &[("/gatherings", "gathering_nav"), ("/lectures", "lecture_nav"), ("/rumours", "rumour_nav"), ("/alert-levels", "level_nav")]
        }
        Role::BorderOfficer | Role::Administrator => &[],
    }
}

/// The home page of a role.
#[must_use]
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Reporter => "/report",
        Role::BorderOfficer => "/arrivals",
        Role::HealthWorker => "/tasks",
        Role::CommandOfficer => "/board",
        Role::Administrator => "/admin/users",
    }
}

/// Renders a template as an HTML response.
pub fn render(page: &impl Template) -> WebResult<Response> {
    Ok(Html(page.render()?).into_response())
}

/// Renders a template with a status (e.g. 422 for a form with errors).
pub fn render_with(status: StatusCode, page: &impl Template) -> WebResult<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

/// A redirect after a successful form post (303: the browser follows with GET).
#[must_use]
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The node a page is about: the code given (checked against the viewer's
/// subtree) or the viewer's anchor.
pub async fn page_node(state: &AppState, viewer: &Viewer, code: Option<&str>) -> WebResult<Node> {
    let code = code.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(viewer.user.node_path.code());
    let node = state.store.node_by_code(code).await?.ok_or_else(|| ApiError::not_found(Record::Jurisdiction, &code))?;
    viewer.may(Action::Read, &node.path)?;
    Ok(node)
}

/// One step of the way from the viewer's anchor down to a node.
#[derive(Debug, Clone)]
pub struct Crumb {
    /// The node's code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// The nodes from the viewer's anchor down to `node` (both included), named
/// in one query.
pub async fn breadcrumbs(state: &AppState, viewer: &Viewer, node: &Node) -> WebResult<Vec<Crumb>> {
    let codes: Vec<String> = node
        .path
        .self_and_ancestors()
        .into_iter()
        .rev()
        .filter(|path| viewer.user.node_path.contains(path))
        .map(|path| path.code().to_owned())
        .collect();
    let mut names = state.store.node_names_by_code(codes.iter().cloned()).await?;
    Ok(codes.into_iter().filter_map(|code| names.remove(&code).map(|name| Crumb { code, name })).collect())
}

/// Formats an instant in the authority's time zone as `YYYY-MM-DD HH:MM`.
#[must_use]
pub fn local_time(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string()
}
