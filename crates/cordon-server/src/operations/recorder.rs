//! The process's metrics recorder: installed once, globally, so that every
//! `metrics::counter!`/`histogram!`/`gauge!` in cordon (the request
//! middleware here, the group-commit writer in the store) lands in it, and
//! rendered by our own `/metrics` route (the exporter's HTTP listener and
//! push gateway are left out: see the workspace's `Cargo.toml`).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Request latencies, seconds: from a millisecond to ten seconds.
const LATENCY_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Requests per group commit: powers of two up to the largest batch.
const BATCH_BUCKETS: [f64; 11] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0];

/// How often histograms are folded and idle series dropped between scrapes.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The metric names, each with its help text.
pub mod names {
    /// Counter: HTTP requests answered, by method, route template and status class.
    pub const REQUESTS: &str = "cordon_http_requests_total";
    /// Histogram: seconds from a request to its response head, same labels.
    pub const LATENCY: &str = "cordon_http_request_duration_seconds";
    /// Histogram: write requests committed together by the group-commit writer.
    pub const BATCH_SIZE: &str = "cordon_write_batch_size";
    /// Gauge: write requests waiting for the group-commit writer.
    pub const QUEUE_DEPTH: &str = "cordon_write_queue_depth";
}

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The recorder's handle, installing the recorder on first use; `None`
/// when another recorder was installed in this process first (then
/// `/metrics` shows only what it reads at scrape time).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE.get_or_init(install).as_ref()
}

fn install() -> Option<PrometheusHandle> {
    let builder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(names::LATENCY.to_owned()), &LATENCY_BUCKETS)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Full(names::BATCH_SIZE.to_owned()), &BATCH_BUCKETS));
    let handle = match builder.map(PrometheusBuilder::install_recorder) {
        Ok(Ok(handle)) => handle,
        Ok(Err(error)) | Err(error) => {
            tracing::warn!(%error, "metrics recorder not installed; /metrics shows only the gauges read at scrape time");
            return None;
        }
    };
    metrics::describe_counter!(names::REQUESTS, "HTTP requests answered, by method, route template and status class.");
    metrics::describe_histogram!(
        names::LATENCY,
        metrics::Unit::Seconds,
        "Seconds from a request's arrival to its response head, by method, route template and status class."
    );
    metrics::describe_histogram!(names::BATCH_SIZE, "Write requests committed together in one transaction (group commit).");
    metrics::describe_gauge!(names::QUEUE_DEPTH, "Write requests waiting for the group-commit writer.");
    Some(handle)
}

/// Folds histograms and drops idle series every [`UPKEEP_EVERY`] until
/// aborted, so that memory stays bounded however rarely `/metrics` is read.
#[must_use]
pub fn spawn_upkeep() -> Option<tokio::task::JoinHandle<()>> {
    let handle = handle()?;
    Some(tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    }))
}
