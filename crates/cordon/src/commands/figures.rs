//! `cordon figures abroad --location NAME --date YYYY-MM-DD [--json]`: the
//! labelled figures of a location abroad on a day, for cases and deaths (the
//! day's new count, the cumulative total, the 7-day sum and average, and
//! the 7-day incidence per 100,000 where the population is known: the
//! file's, else the one the watch list gives), from the series `cordon
//! import owid` stored.

use anyhow::bail;
use clap::{Args, Subcommand};
use cordon_core::abroad::figures_on;
use cordon_core::figure::Labelled;
use jiff::civil::Date;

use super::DatabaseArgs;

/// Figures subcommands.
#[derive(Debug, Subcommand)]
pub enum FiguresCommand {
    /// A location abroad on a day.
    Abroad(AbroadArgs),
}

/// Flags of `cordon figures abroad`.
#[derive(Debug, Args)]
pub struct AbroadArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// The location, as the imported file names it ("South Korea").
    #[arg(long)]
    location: String,
    /// The day (YYYY-MM-DD).
    #[arg(long)]
    date: Date,
    /// Print a JSON array of figures instead of their labels.
    #[arg(long)]
    json: bool,
}

/// Runs a figures subcommand.
pub async fn run(cmd: FiguresCommand) -> anyhow::Result<()> {
    let FiguresCommand::Abroad(args) = cmd;
    let store = args.db.open().await?;
    let found = store.abroad_series(&args.location).await?;
    let known = store.abroad_locations().await?;
    let watched = store.watch_list().await?.into_iter().find(|w| w.location == args.location);
    store.close().await;
    let Some((rows, source)) = found else {
        bail!(
            "no series is stored for {:?}; stored: {}",
            args.location,
            if known.is_empty() { "none (run cordon import owid FILE)".to_owned() } else { known.join(", ") }
        )
    };
    let population = watched.and_then(|w| w.population).map(|p| p as f64);
    let figures = figures_on(&rows, args.date, population, &source);
    if figures.is_empty() {
        let (first, last) = (rows.first().map(|r| r.date), rows.last().map(|r| r.date));
        bail!(
            "the series of {} holds no {}: it runs from {} to {}",
            args.location,
            args.date,
            first.map(|d| d.to_string()).unwrap_or_default(),
            last.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    if args.json {
        let labelled: Vec<Labelled> = figures.into_iter().map(Labelled::from).collect();
        println!("{}", serde_json::to_string_pretty(&labelled)?);
    } else {
        for figure in figures {
            println!("{}", figure.label());
        }
    }
    Ok(())
}
