//! `cordon import jurisdictions FILE.csv`: load or update the jurisdiction
//! tree from a CSV file with the columns `code,name,parent_code,population`
//! (header required, any order; parents before children). Every error names
//! the line and column; nothing is imported unless the whole file is good.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cordon_store::StoreError;
use cordon_store::jurisdiction_csv::{locate, parse as parse_jurisdictions};

use super::DatabaseArgs;

/// Import subcommands.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Jurisdictions from CSV: code,name,parent_code,population.
    Jurisdictions(JurisdictionArgs),
}

/// Flags of `cordon import jurisdictions`.
#[derive(Debug, Args)]
pub struct JurisdictionArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// The CSV file.
    file: PathBuf,
}

/// Runs an import subcommand.
pub async fn run(cmd: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Jurisdictions(args) = cmd;
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let (rows, columns) = parse_jurisdictions(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let store = args.db.open().await?;
    let summary = match store.import_nodes(None, &rows, jiff::Timestamp::now()).await {
        Ok(s) => s,
        Err(StoreError::Invalid(invalid)) => {
            let first = invalid.errors.first().map(|e| locate(&e.field, &e.reason, &columns)).unwrap_or_default();
            bail!("{}: {first}; nothing was imported", args.file.display());
        }
        Err(e) => return Err(e.into()),
    };
    store.close().await;
    println!("{} created, {} updated, {} unchanged", summary.created, summary.updated, summary.unchanged);
    Ok(())
}
