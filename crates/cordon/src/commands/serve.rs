//! `cordon serve`: run the server until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use cordon_server::clock::SystemClock;
use cordon_server::{Application, Config};
use cordon_store::Store;

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
}

/// Runs `cordon serve`.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    super::init_logging();
    let store = args.db.open().await?;
    serve(&args, store).await
}

/// Serves an open store until the process is asked to stop.
pub async fn serve(args: &ServeArgs, store: Store) -> anyhow::Result<()> {
    let config = Config {
        listen: args.listen,
        secure_cookies: args.secure_cookies,
        job_interval: Some(Duration::from_secs(args.job_interval.max(1))),
        notify_webhook: args.notify_webhook.clone(),
    };
    let app =
        Application::build(&config, store.clone(), Arc::new(SystemClock)).await.with_context(|| format!("listening on {}", args.listen))?;
    let addr = app.local_addr()?;
    tracing::info!(database = %args.db.database, "listening on http://{addr}");
    eprintln!("cordon is listening on http://{addr}");
    app.run(shutdown_signal()).await.context("serving")?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
