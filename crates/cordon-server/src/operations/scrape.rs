//! `GET /metrics`: the recorder's series (requests, latencies, group
//! commit) followed by the gauges read when scraped: open and overdue
//! tasks, units and silent units, live-stream subscribers, the connection
//! pools. Each read is an indexed count (see
//! [`cordon_store::operations`]), so a scrape costs the same at ten
//! reports or ten million.
//!
//! Who may read it ([`allowed`]): with `--metrics-token` set, whoever sends
//! it as a bearer token, from anywhere; without it, only a client on this
//! machine that reached the server directly: a loopback peer whose request
//! carries no proxy header (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`),
//! since a reverse proxy on the same machine makes every visitor look local.
//! The metrics hold no personal data, but they tell an outsider how busy
//! each route is; operators keep them off the public side.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cordon_core::refusal::Reason;
use cordon_store::operations::{PoolState, Workload};
use sha2::{Digest, Sha256};

use super::recorder;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How long a scrape waits for the workload counts before it leaves them out.
pub const READ_WITHIN: Duration = Duration::from_secs(5);

/// The headers a reverse proxy adds; a request bearing one was relayed.
const PROXY_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

/// The bearer token `/metrics` asks for; its `Debug` hides it.
#[derive(Clone)]
pub struct MetricsToken(std::sync::Arc<str>);

impl MetricsToken {
    /// Keeps `token`.
    #[must_use]
    pub fn new(token: &str) -> MetricsToken {
        MetricsToken(std::sync::Arc::from(token))
    }

    /// The token.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(..)")
    }
}

/// `GET /metrics` in the Prometheus text format (version 0.0.4).
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> ApiResult<Response> {
    allowed(state.metrics_token.as_ref().map(MetricsToken::as_str), &headers, peer.map(|Extension(ConnectInfo(addr))| addr))?;
    let mut text = recorder::handle().map(metrics_exporter_prometheus::PrometheusHandle::render).unwrap_or_default();
    let workload = match tokio::time::timeout(READ_WITHIN, state.store.workload(state.now())).await {
        Ok(Ok(workload)) => Some(workload),
        Ok(Err(error)) => {
            tracing::warn!(%error, "metrics: the workload counts could not be read");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the workload counts took more than {} s; left out", READ_WITHIN.as_secs());
            None
        }
    };
    gauges(&mut text, workload.as_ref(), state.store.live_subscribers(), &state.store.pools());
    let mut response = text.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    Ok(response)
}

/// The access rule: the token when one is configured, else a direct
/// loopback client.
pub fn allowed(token: Option<&str>, headers: &HeaderMap, peer: Option<SocketAddr>) -> ApiResult<()> {
    if let Some(token) = token {
        let sent = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        // Compared as digests: the time taken says nothing about how much of the token matched.
        let matches = sent.is_some_and(|sent| Sha256::digest(sent.trim().as_bytes()) == Sha256::digest(token.as_bytes()));
        return if matches { Ok(()) } else { Err(ApiError::MetricsRefused(Reason::MetricsTokenRequired)) };
    }
    let direct = !PROXY_HEADERS.iter().any(|name| headers.contains_key(*name));
    if direct && peer.is_some_and(|addr| addr.ip().is_loopback()) {
        Ok(())
    } else {
        Err(ApiError::MetricsRefused(Reason::MetricsLoopbackOnly))
    }
}

/// Appends the scrape-time gauges; the workload ones only when read.
fn gauges(out: &mut String, workload: Option<&Workload>, subscribers: usize, pools: &[PoolState]) {
    let mut family = |name: &str, help: &str, samples: &[(String, i64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
        out.push('\n');
    };
    let one = |value: i64| vec![(String::new(), value)];
    family(
        "cordon_database_up",
        "1 when the workload counts below were read from the database at this scrape, else 0.",
        &one(i64::from(workload.is_some())),
    );
    if let Some(w) = workload {
        let by_status: Vec<(String, i64)> = w.open_tasks.iter().map(|(s, n)| (format!("{{status=\"{}\"}}", s.as_str()), *n)).collect();
        family("cordon_tasks_open", "Tasks not yet done, by status.", &by_status);
        family("cordon_tasks_overdue", "Open tasks past their acknowledgement deadline.", &one(w.overdue_tasks));
        family("cordon_units", "Units (nodes of the deepest level of the tree).", &one(w.units));
        family(
            "cordon_units_reported_today",
            "Units that filed their daily report for today (local day of the settings).",
            &one(w.units_reported),
        );
        family(
            "cordon_units_silent",
            "Units without today's daily report once the silent hour has passed (0 before it).",
            &one(w.units_silent),
        );
    }
    family(
        "cordon_sse_subscribers",
        "Live-stream (server-sent events) connections open on this server.",
        &one(i64::try_from(subscribers).unwrap_or(i64::MAX)),
    );
    let label = |p: &PoolState, state: &str| format!("{{pool=\"{}\",state=\"{state}\"}}", p.name);
    let connections: Vec<(String, i64)> = pools
        .iter()
        .flat_map(|p| [(label(p, "idle"), i64::from(p.idle)), (label(p, "busy"), i64::from(p.open.saturating_sub(p.idle)))])
        .collect();
    family("cordon_db_pool_connections", "Database connections open, by pool and whether in use.", &connections);
    let max: Vec<(String, i64)> = pools.iter().map(|p| (format!("{{pool=\"{}\"}}", p.name), i64::from(p.max))).collect();
    family("cordon_db_pool_max_connections", "The most connections each pool opens.", &max);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        format!("{ip}:5000").parse().ok()
    }

    #[test]
    fn without_a_token_only_a_direct_loopback_client_reads_metrics() {
        let none = HeaderMap::new();
        assert!(allowed(None, &none, peer("127.0.0.1")).is_ok());
        assert!(allowed(None, &none, peer("[::1]")).is_ok());
        assert!(allowed(None, &none, peer("192.0.2.7")).is_err());
        assert!(allowed(None, &none, None).is_err());
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(allowed(None, &proxied, peer("127.0.0.1")).is_err(), "a local proxy relays outsiders");
    }

    #[test]
    fn with_a_token_only_the_token_counts() {
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer s3cret-metrics"));
        assert!(allowed(Some("s3cret-metrics"), &bearer, peer("192.0.2.7")).is_ok());
        assert!(allowed(Some("s3cret-metrics"), &HeaderMap::new(), peer("127.0.0.1")).is_err());
        assert!(allowed(Some("other"), &bearer, peer("127.0.0.1")).is_err());
    }
}
