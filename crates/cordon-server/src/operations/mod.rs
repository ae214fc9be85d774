//! The operator's view of a running server: `/healthz` (the process
//! answers), `/readyz` (the database answers with its migrations current),
//! `/metrics` in the Prometheus text format, and the request id that ties
//! every log line of a request together.
//!
//! The metrics come from two places: the `metrics` crate's global recorder
//! ([`recorder`]), which the request middleware ([`requests`]) and the store
//! (group commit) write to as they work, and the workload gauges read from
//! the database when `/metrics` is scraped ([`scrape`]). None of these
//! routes needs a session; who may read `/metrics` is [`scrape::allowed`]'s
//! rule. docs/DEPLOYMENT.md lists every metric for operators.

pub mod health;
pub mod recorder;
pub mod request_id;
pub mod requests;
pub mod scrape;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The operator's routes: `/healthz`, `/readyz` and `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz)).route("/metrics", get(scrape::metrics))
}
