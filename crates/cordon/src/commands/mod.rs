//! One module per subcommand; shared flags live here.

pub mod audit;
pub mod backup;
pub mod bench;
pub mod demo;
pub mod detect;
pub mod export;
pub mod figures;
pub mod import;
pub mod rt;
pub mod serve;
pub mod simulate;
pub mod user;

use anyhow::Context;
use clap::Args;
use cordon_store::Store;

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE` (created if missing) or `postgres://...`.
    #[arg(long, env = "CORDON_DATABASE_URL", default_value = "sqlite://cordon.db")]
    pub database: String,
}

impl DatabaseArgs {
    /// Opens the store and applies migrations.
    pub async fn open(&self) -> anyhow::Result<Store> {
        Store::open(&self.database).await.with_context(|| format!("opening the database {}", self.database))
    }
}

/// `cordon migrate`.
pub async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    let store = args.open().await?;
    store.close().await;
    println!("migrations applied to {}", args.database);
    Ok(())
}

/// Turns a statistics error into `FILE:LINE:COLUMN: message` for a parse
/// error, or the error with the file it came from.
pub fn located(path: &std::path::Path, error: cordon_stats::StatsError) -> anyhow::Error {
    match error {
        cordon_stats::StatsError::Parse { line, column, message } => anyhow::anyhow!("{}:{line}:{column}: {message}", path.display()),
        other => anyhow::Error::new(other).context(format!("reading {}", path.display())),
    }
}

/// Writes `text` to `output`, or to standard output when `None`.
pub fn emit(output: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(path) = output {
        return std::fs::write(path, text).with_context(|| format!("writing {}", path.display()));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).context("writing to stdout")?;
    stdout.flush().context("writing to stdout")
}

/// Sets up logging: `RUST_LOG` or `info`, JSON when `CORDON_LOG_JSON` is
/// set, coloured only on a terminal and never under `NO_COLOR`.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(crate::progress::colour());
    let _ = if std::env::var_os("CORDON_LOG_JSON").is_some() { builder.json().try_init() } else { builder.try_init() };
}
