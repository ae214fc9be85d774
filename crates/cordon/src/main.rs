//! The `cordon` binary: serve the system, run the demo, migrate, manage users,
//! import jurisdictions, export line lists, verify the audit chain, back up
//! and restore SQLite, and run the surveillance statistics from the command
//! line. Errors are printed with their causes and exit with status 2.

mod commands;
mod progress;

use clap::{Parser, Subcommand};

/// Epidemic surveillance and quarantine command.
#[derive(Debug, Parser)]
#[command(name = "cordon", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and pages.
    Serve(commands::serve::ServeArgs),
    /// Build a demo country with staff and reports, then serve it.
    Demo(commands::demo::DemoArgs),
    /// Apply pending database migrations.
    Migrate(commands::DatabaseArgs),
    /// Manage users.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Import data.
    #[command(subcommand)]
    Import(commands::import::ImportCommand),
    /// Export line lists (CSV), cases as FHIR, or the tree with its figures (GeoJSON).
    Export(commands::export::ExportArgs),
    /// Print labelled figures (what is counted, the measure, period, place, source).
    #[command(subcommand)]
    Figures(commands::figures::FiguresCommand),
    /// Run an outbreak-detection method over a count series (CSV in, CSV out).
    Detect(commands::detect::DetectArgs),
    /// Estimate the effective reproduction number (Cori et al. 2013) from daily incidence.
    Rt(commands::rt::RtArgs),
    /// Simulate the demo country's outbreak and write its reports to CSV (no server).
    Simulate(commands::simulate::SimulateArgs),
    /// Check the tamper-evident audit log.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Back up an SQLite database to FILE while it serves.
    Backup(commands::backup::BackupArgs),
    /// Restore an SQLite database from a backup FILE (stop the server first).
    Restore(commands::backup::RestoreArgs),
    /// Measure at national scale: generate data, time the pages, load a running server.
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
}

fn main() {
    let cli = Cli::parse();
    let result =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(anyhow::Error::from).and_then(|rt| rt.block_on(run(cli)));
    if let Err(error) = result {
        eprintln!("error: {error:#}");
        std::process::exit(2);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => commands::serve::run(args).await,
        // The demo's future holds about 17 kB across its awaits; it lives on the heap, not the stack.
        Command::Demo(args) => Box::pin(commands::demo::run(args)).await,
        Command::Migrate(args) => commands::migrate(args).await,
        Command::User(cmd) => commands::user::run(cmd).await,
        Command::Import(cmd) => commands::import::run(cmd).await,
        Command::Export(args) => commands::export::run(args).await,
        Command::Figures(cmd) => commands::figures::run(cmd).await,
        Command::Detect(args) => commands::detect::run(&args),
        Command::Rt(args) => commands::rt::run(&args),
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::Audit(cmd) => {
            if !commands::audit::run(cmd).await? {
                // A broken chain is an answer, not a failure to answer: status 1, not 2.
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Backup(args) => commands::backup::backup(args).await,
        Command::Restore(args) => commands::backup::restore(args).await,
        Command::Bench(cmd) => commands::bench::run(cmd).await,
    }
}
