//! `cordon bench`: load and timing tools run against a database or a
//! running server, whose figures go into docs/PERFORMANCE.md.

pub mod ingest;

use clap::Subcommand;

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Post fever reports to a running server from concurrent clients and report throughput and latency.
    Ingest(ingest::IngestArgs),
}

/// Runs one benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Ingest(args) => ingest::run(args).await,
    }
}
