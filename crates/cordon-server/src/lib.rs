//! cordon's HTTP server: the JSON API under `/api/v1` (with its OpenAPI
//! document), live events, sign-in, and the background jobs.
//!
//! [`Application::build`] is shared by the `cordon` binary and the
//! integration tests: it opens the store, binds the listener and builds the
//! router; [`Application::run`] serves until the process is stopped.

pub mod actions;
pub mod api;
pub mod auth;
pub mod client_address;
pub mod clock;
pub mod csrf;
pub mod detection;
pub mod error;
pub mod extract;
pub mod guard;
pub mod jobs;
pub mod notify;
pub mod operations;
pub mod page_headers;
pub mod path;
pub mod rejection;
pub mod state;
pub mod summary;
pub mod web;

use cordon_core::refusal::Record;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::IntoResponse;
use cordon_store::Store;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::clock::Clock;
use crate::error::ApiError;
use crate::state::AppState;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen, e.g. `127.0.0.1:8080` (port 0 picks a free one).
    pub listen: SocketAddr,
    /// Whether cookies are marked `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// How often the background jobs run; `None` disables them (tests run
    /// them by hand).
    pub job_interval: Option<Duration>,
    /// A URL to post notifications to; `None` writes them to the log.
    pub notify_webhook: Option<String>,
    /// The URL browsers reach the server at, when a proxy stands in front
    /// of it (e.g. `https://cordon.example.org`): forms posted from there
    /// are accepted even though the proxy rewrites `Host`.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the
    /// per-address sign-in limits); empty: the peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` answers
    /// only direct loopback clients (see [`operations::scrape::allowed`]).
    pub metrics_token: Option<String>,
}

/// The router for an application state.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", api::router())
        .merge(web::router(&state))
        .merge(operations::router())
        .fallback(|| async { ApiError::not_found(Record::Page, &"") })
        .layer(axum::middleware::from_fn(guard::refuse_control_characters))
        .layer(axum::middleware::from_fn(rejection::plain_rejections_as_problems))
        .layer(axum::middleware::from_fn(page_headers::add_security_headers))
        .layer(CatchPanicLayer::custom(|_| ApiError::internal("a handler panicked").into_response()))
        .layer(axum::middleware::from_fn(operations::requests::record))
        // Outermost last: drop an unsound id, make one, open the request's span with it, echo it.
        .layer(PropagateRequestIdLayer::new(operations::request_id::HEADER))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(operations::request_id::span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        .layer(SetRequestIdLayer::new(operations::request_id::HEADER, MakeRequestUuid))
        .layer(axum::middleware::from_fn(operations::request_id::drop_unsound))
        .with_state(state)
}

/// A built server, bound and ready to run.
pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
    job_interval: Option<Duration>,
}

impl Application {
    /// Binds the listener and prepares the router over an open store.
    pub async fn build(config: &Config, store: Store, clock: Arc<dyn Clock>) -> std::io::Result<Application> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        Ok(Application::on(listener, config, store, clock))
    }

    /// Prepares the router on a listener bound beforehand (the demo binds
    /// its address before it spends minutes building the country).
    pub fn on(listener: tokio::net::TcpListener, config: &Config, store: Store, clock: Arc<dyn Clock>) -> Application {
        let notifier: Arc<dyn notify::Notifier> = match &config.notify_webhook {
            Some(url) => Arc::new(notify::WebhookNotifier::new(url.clone())),
            None => Arc::new(notify::LogNotifier),
        };
        let stopping = tokio_util::sync::CancellationToken::new();
        let public_origin = config.public_url.as_deref().and_then(|url| csrf::public_origin(url).ok()).map(Arc::from);
        let trusted_proxies = config.trusted_proxies.clone().into();
        let metrics_token = config.metrics_token.as_deref().map(operations::scrape::MetricsToken::new);
        // Installed before the first request, so the store's group-commit series are recorded from the start.
        let _ = operations::recorder::handle();
        let state = AppState {
            store,
            clock,
            secure_cookies: config.secure_cookies,
            notifier,
            stopping,
            public_origin,
            trusted_proxies,
            metrics_token,
        };
        Application { listener, state, job_interval: config.job_interval }
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (for tests that drive jobs or the clock).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until the future `shutdown` completes, then stops within
    /// [`STOP_GRACE`]: live streams end at once, requests under way and the
    /// jobs' pass under way may finish, and connections still open after the
    /// grace are closed.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let stopping = self.state.stopping.clone();
        let jobs = self.job_interval.map(|every| jobs::spawn(self.state.clone(), every));
        let relay = (self.state.store.backend() == cordon_store::Backend::Postgres).then(|| relay_events(self.state.store.clone()));
        let upkeep = operations::recorder::spawn_upkeep();
        let router = app(self.state);
        let signal = {
            let stopping = stopping.clone();
            async move {
                shutdown.await;
                stopping.cancel();
            }
        };
        let served = axum::serve(self.listener, router.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(signal);
        let result = tokio::select! {
            result = served.into_future() => result,
            () = async { stopping.cancelled().await; tokio::time::sleep(STOP_GRACE).await } => {
                tracing::warn!("connections still open {} s after the stop was asked; closing them", STOP_GRACE.as_secs());
                Ok(())
            }
        };
        stopping.cancel();
        for task in [relay, upkeep].into_iter().flatten() {
            task.abort();
        }
        if let Some(jobs) = jobs {
            // The pass under way finishes; the grace bounds it.
            if tokio::time::timeout(STOP_GRACE, jobs).await.is_err() {
                tracing::warn!("the background jobs did not finish their pass in time; they stop mid-pass, their transaction rolled back");
            }
        }
        result
    }
}

/// How long a stopping server waits for requests under way and the jobs'
/// pass before it closes what is left (twice this bounds the whole stop).
pub const STOP_GRACE: Duration = Duration::from_secs(2);

/// Relays the events other servers on the same PostgreSQL database commit
/// to this server's live streams, listening again a second after a failure.
fn relay_events(store: cordon_store::Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = store.relay_events().await {
                tracing::warn!(%error, "relaying other servers' events stopped; listening again in 1 s");
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    })
}
