//! `cordon bench`: measurements at national scale. `bench data` generates a
//! national database of a given size through the bulk path; `bench pages`
//! times every command page and summary endpoint on it. Figures and their
//! commands go to docs/PERFORMANCE.md.

pub mod data;
pub mod pages;

use clap::Subcommand;

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a national database of N reports (bulk path), with the demo's accounts.
    Data(data::DataArgs),
    /// Time every command page and summary endpoint (p50, p95, max).
    Pages(pages::PagesArgs),
}

/// Runs one benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Data(args) => data::run(args).await,
        BenchCommand::Pages(args) => pages::run(args).await,
    }
}
