//! The static files, embedded in the binary: one stylesheet, one script, an
//! icon, and the service worker.
//!
//! Pages link the stylesheet and script with a `?v=` fingerprint of their
//! content, so they can be cached for a year and still change on upgrade.
//! The service worker is served from `/sw.js` (its scope is the whole site,
//! so it covers the report form); it names the fingerprinted files, so a new
//! build installs a new worker.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::state::AppState;

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");
const ICON: &str = include_str!("../../static/icon.svg");
const SERVICE_WORKER: &str = include_str!("../../static/sw.js");

fn fingerprint(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..6])
}

static CSS_VERSION: LazyLock<String> = LazyLock::new(|| fingerprint(CSS));
static JS_VERSION: LazyLock<String> = LazyLock::new(|| fingerprint(JS));
static WORKER: LazyLock<String> = LazyLock::new(|| {
    let precache = format!("[\"/report\", \"/reports\", \"/daily\", \"{}\", \"{}\", \"/static/icon.svg\"]", css_url(), js_url());
    let version = fingerprint(&format!("{}{}{SERVICE_WORKER}", *CSS_VERSION, *JS_VERSION));
    SERVICE_WORKER.replace("__PRECACHE__", &precache).replace("__VERSION__", &version)
});

/// The stylesheet's URL.
#[must_use]
pub fn css_url() -> String {
    format!("/static/app.css?v={}", *CSS_VERSION)
}

/// The script's URL.
#[must_use]
pub fn js_url() -> String {
    format!("/static/app.js?v={}", *JS_VERSION)
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/static/{name}", get(file)).route("/sw.js", get(service_worker))
}

async fn file(Path(name): Path<String>, RawQuery(query): RawQuery) -> Response {
    let (body, kind, version) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8", Some(CSS_VERSION.as_str())),
        "app.js" => (JS, "text/javascript; charset=utf-8", Some(JS_VERSION.as_str())),
        "icon.svg" => (ICON, "image/svg+xml", None),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let fingerprinted = version.is_some_and(|v| query.as_deref() == Some(&format!("v={v}")));
    let cache = if fingerprinted { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn service_worker() -> Response {
    let mut response = WORKER.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("service-worker-allowed", HeaderValue::from_static("/"));
    response
}
