//! `cordon bench`: measurements at national scale, whose figures go into
//! docs/PERFORMANCE.md. `bench data` generates a national database of a
//! given size through the bulk path; `bench pages` times every command page
//! and summary endpoint on it; `bench ingest` loads a running server with
//! fever reports from concurrent clients.

pub mod data;
pub mod ingest;
pub mod pages;

use clap::Subcommand;

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a national database of N reports (bulk path), with the demo's accounts.
    Data(data::DataArgs),
    /// Time every command page and summary endpoint (p50, p95, max).
    Pages(pages::PagesArgs),
    /// Post fever reports to a running server from concurrent clients and report throughput and latency.
    Ingest(ingest::IngestArgs),
}

/// Runs one benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Data(args) => data::run(args).await,
        BenchCommand::Pages(args) => pages::run(args).await,
        BenchCommand::Ingest(args) => ingest::run(args).await,
    }
}
