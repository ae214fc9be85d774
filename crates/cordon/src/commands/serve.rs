//! `cordon serve`: run the server until Ctrl-C or SIGTERM.
//!
//! The address is bound first, so a port in use is reported at once. On
//! Ctrl-C (SIGINT) or SIGTERM the server stops within a few seconds whatever
//! is connected (see [`cordon_server::Application::run`]) and the process
//! exits 0; a second Ctrl-C stops it at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use cordon_server::clock::SystemClock;
use cordon_server::{Application, Config};
use cordon_store::Store;
use tokio::net::TcpListener;

use super::DatabaseArgs;

/// Flags of `cordon serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CORDON_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (set when served over HTTPS behind a proxy).
    #[arg(long, env = "CORDON_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Seconds between runs of the escalation jobs.
    #[arg(long, env = "CORDON_JOB_INTERVAL", default_value_t = 30)]
    pub job_interval: u64,
    /// URL to post notifications to (JSON); without it they are logged.
    #[arg(long, env = "CORDON_NOTIFY_WEBHOOK")]
    pub notify_webhook: Option<String>,
    /// The URL people reach cordon at when a reverse proxy stands in front
    /// of it (e.g. `https://cordon.example.org`): forms posted from pages
    /// served there are accepted although the proxy rewrites `Host`.
    #[arg(long, env = "CORDON_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// A reverse proxy's address (repeat the flag, or separate with commas
    /// in the variable): requests from it are judged by the client address
    /// it names in `X-Forwarded-For`, for the per-address sign-in limits.
    #[arg(long = "trusted-proxy", env = "CORDON_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token `/metrics` asks for (`Authorization: Bearer TOKEN`).
    /// Without it, `/metrics` answers only clients on this machine that
    /// reach the server directly, not through a proxy.
    #[arg(long, env = "CORDON_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    #[command(flatten)]
    pub log: super::LogArgs,
    /// Connections to PostgreSQL (the writer holds one for each batch of
    /// changes; reads share them). Ignored on SQLite, which has one writer
    /// connection and four readers.
    #[arg(long, env = "CORDON_DATABASE_POOL", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_pool: u32,
    /// The most concurrent changes one commit carries, on SQLite and on
    /// PostgreSQL (group commit: one flush, and one hold of the audit
    /// chain's head, for all of them); 1 commits each alone.
    #[arg(long, env = "CORDON_WRITE_BATCH", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub write_batch: u32,
}

fn parse_public_url(url: &str) -> Result<String, String> {
    cordon_server::csrf::public_origin(url).map(|_| url.to_owned())
}

/// Runs `cordon serve`.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    super::init_logging(args.log.log_format);
    let listener = bind(args.listen).await?;
    let options = cordon_store::StoreOptions { postgres_pool_size: args.database_pool, write_batch: args.write_batch };
    let store =
        Store::open_with(&args.db.database, &options).await.with_context(|| format!("opening the database {}", args.db.database))?;
    let app = application(&args, listener, store.clone());
    let served = serve(&args, app).await;
    store.close().await;
    eprintln!("cordon stopped.");
    served
}

/// Binds the address, or says plainly that it is taken.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.with_context(|| {
        format!(
            "cannot listen on {addr}: is cordon (or another program) already serving there? Stop it, or pick another address with --listen"
        )
    })
}

/// The server over an open store, on a bound listener.
pub fn application(args: &ServeArgs, listener: TcpListener, store: Store) -> Application {
    let config = Config {
        listen: args.listen,
        secure_cookies: args.secure_cookies,
        job_interval: Some(Duration::from_secs(args.job_interval.max(1))),
        notify_webhook: args.notify_webhook.clone(),
        public_url: args.public_url.clone(),
        trusted_proxies: args.trusted_proxies.clone(),
        metrics_token: args.metrics_token.clone().filter(|token| !token.is_empty()),
    };
    Application::on(listener, &config, store, Arc::new(SystemClock))
}

/// Serves until the process is asked to stop (the caller closes the store).
pub async fn serve(args: &ServeArgs, app: Application) -> anyhow::Result<()> {
    let addr = app.local_addr()?;
    tracing::info!(database = %args.db.database, "listening on http://{addr}");
    eprintln!("cordon is listening on http://{addr}");
    eprintln!("Press Ctrl-C to stop it. The data stays in {}.", args.db.database);
    app.run(stop_asked()).await.context("serving")
}

/// Completes on the first Ctrl-C or SIGTERM; a second Ctrl-C (or SIGTERM)
/// ends the process at once.
async fn stop_asked() {
    signal().await;
    eprintln!("Stopping (press Ctrl-C again to stop at once)...");
    tracing::info!("shutting down");
    tokio::spawn(async {
        signal().await;
        eprintln!("Stopped at once.");
        std::process::exit(130);
    });
}

async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
