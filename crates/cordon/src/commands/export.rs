//! `cordon export cases|reports|contacts|orders|nodes [--format csv|fhir|geojson]
//! [--under CODE] [--from DAY] [--to DAY] [--status S] [--depth N] [--date DAY]
//! [--output FILE] [--database URL]`: the same exports as the API
//! (`/api/v1/exports/...`), read through the same store readers batch by
//! batch and written to a file or standard output as they come, so a list of
//! any length takes the memory of one batch. Each export is audited as made
//! at the command line (no user).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use cordon_core::area::feature_collection;
use cordon_core::case::CaseStatus;
use cordon_core::export::{ExportFilter, ExportFormat, Exported, LineList, check_depth};
use cordon_core::jurisdiction::Node;
use cordon_store::Store;
use jiff::civil::Date;

use super::DatabaseArgs;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// Cases (CSV, or a FHIR bundle with --format fhir).
    Cases,
    /// Symptom reports (CSV).
    Reports,
    /// Contacts of cases (CSV).
    Contacts,
    /// Isolation and quarantine orders (CSV).
    Orders,
    /// The jurisdiction tree below a node with the map's figures (GeoJSON).
    #[value(alias = "jurisdictions")]
    Nodes,
}

/// The format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values (the line lists).
    Csv,
    /// A FHIR R4 JSON bundle (cases).
    Fhir,
    /// A GeoJSON feature collection (nodes).
    Geojson,
}

/// Flags of `cordon export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    what: What,
    /// The format (default: csv, or geojson for nodes).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Code of the node whose subtree to export (default: the root of the tree).
    #[arg(long, alias = "node")]
    under: Option<String>,
    /// First day (YYYY-MM-DD): cases opened, report day, day of last exposure, orders in force on or after it.
    #[arg(long)]
    from: Option<Date>,
    /// Last day (YYYY-MM-DD), not before --from.
    #[arg(long)]
    to: Option<Date>,
    /// Only cases of this classification (suspected, probable, confirmed, discarded).
    #[arg(long, value_parser = parse_status)]
    status: Option<CaseStatus>,
    /// Levels below the node, 1 to 3 (nodes only; default 1).
    #[arg(long)]
    depth: Option<i64>,
    /// The day of the figures (nodes only; default: today in the authority's time zone).
    #[arg(long)]
    date: Option<Date>,
    /// Write to this file instead of standard output.
    #[arg(long, short, alias = "out")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DatabaseArgs,
}

fn parse_status(text: &str) -> Result<CaseStatus, String> {
    CaseStatus::parse(text.trim()).ok_or_else(|| format!("{text:?} is not one of suspected, probable, confirmed, discarded"))
}

/// Runs `cordon export`.
pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    let format = args.format.unwrap_or(if args.what == What::Nodes { Format::Geojson } else { Format::Csv });
    match (args.what, format) {
        (What::Nodes, Format::Geojson) | (What::Cases, Format::Fhir) => {}
        (What::Nodes, _) => bail!("--format: nodes export as geojson"),
        (_, Format::Geojson) => bail!("--format: only nodes export as geojson"),
        (what, Format::Fhir) if what != What::Cases => bail!("--format: only cases export as fhir"),
        (_, Format::Csv | Format::Fhir) => {}
    }
    if args.what != What::Cases && args.status.is_some() {
        bail!("--status: only the case list has a classification");
    }
    if args.what != What::Nodes && (args.depth.is_some() || args.date.is_some()) {
        bail!("--depth and --date: only for nodes");
    }
    let filter = ExportFilter { from: args.from, to: args.to, status: args.status }.check().map_err(|e| flag_error(&e))?;
    let store = args.db.open().await?;
    let result = export(&store, &args, format, filter).await;
    store.close().await;
    result
}

async fn export(store: &Store, args: &ExportArgs, format: Format, filter: ExportFilter) -> anyhow::Result<()> {
    let node = node(store, args.under.as_deref()).await?;
    let now = jiff::Timestamp::now();
    let mut exported = Exported {
        list: LineList::Cases.as_str(),
        format: match format {
            Format::Csv => ExportFormat::Csv,
            Format::Fhir => ExportFormat::Fhir,
            Format::Geojson => ExportFormat::Geojson,
        },
        node: node.code.clone(),
        path: node.path.as_str().to_owned(),
        filter,
        depth: None,
        date: None,
        via: "cli",
    };
    let mut out = Output::open(args.output.as_ref())?;
    let written = match (args.what, format) {
        (What::Nodes, _) => {
            let depth = check_depth(args.depth).map_err(|e| flag_error(&e))?;
            let day = match args.date {
                Some(day) => day,
                None => store.settings().await?.local_date(now),
            };
            (exported.list, exported.depth, exported.date) = ("jurisdictions", Some(depth), Some(day));
            store.record_export(None, &exported, now).await?;
            let areas = store.map_figures(&node, depth, day).await?;
            let boundaries = store.boundaries_below(&node, depth).await?;
            out.write(feature_collection(&areas, &boundaries).to_string().as_bytes())?;
            format!("{} areas", areas.len())
        }
        (What::Cases, Format::Fhir) => {
            store.record_export(None, &exported, now).await?;
            let mut reader = store.fhir_bundle(&node.path, &filter, uuid::Uuid::now_v7(), now).await?;
            while let Some(chunk) = reader.next_chunk().await? {
                out.write(&chunk)?;
            }
            format!("{} cases", reader.cases())
        }
        (what, _) => {
            let list = line_list(what);
            exported.list = list.as_str();
            store.record_export(None, &exported, now).await?;
            let mut reader = store.line_list(list, &node.path, &filter).await?;
            while let Some(chunk) = reader.next_chunk().await? {
                out.write(&chunk)?;
            }
            format!("{} rows", reader.rows())
        }
    };
    out.finish()?;
    if let Some(path) = &args.output {
        eprintln!("wrote {written} of {} ({}) to {}", node.name, node.code, path.display());
    }
    Ok(())
}

/// A refusal of the core naming a field, as the flag that set it.
fn flag_error(invalid: &cordon_core::Invalid) -> anyhow::Error {
    let said: Vec<String> = invalid.errors.iter().map(|e| format!("--{}: {}", e.field, e.reason)).collect();
    anyhow::anyhow!(said.join("; "))
}

fn line_list(what: What) -> LineList {
    match what {
        What::Cases => LineList::Cases,
        What::Reports => LineList::Reports,
        What::Contacts => LineList::Contacts,
        What::Orders | What::Nodes => LineList::Orders,
    }
}

/// The node named by --under, or the root of the tree.
async fn node(store: &Store, code: Option<&str>) -> anyhow::Result<Node> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => store.node_by_code(code).await?.with_context(|| format!("--under: no node has the code {code:?}")),
        None => store.root_node().await?.context("the database has no jurisdictions yet (cordon import jurisdictions FILE)"),
    }
}

/// Where the export goes: a file or standard output, buffered.
enum Output {
    File(std::io::BufWriter<std::fs::File>, PathBuf),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

impl Output {
    fn open(path: Option<&PathBuf>) -> anyhow::Result<Output> {
        Ok(match path {
            Some(path) => {
                let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
                Output::File(std::io::BufWriter::with_capacity(1 << 16, file), path.clone())
            }
            None => Output::Stdout(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Output::File(w, path) => w.write_all(bytes).with_context(|| format!("writing {}", path.display())),
            Output::Stdout(w) => w.write_all(bytes).context("writing to standard output"),
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::File(mut w, path) => w.flush().with_context(|| format!("writing {}", path.display())),
            Output::Stdout(mut w) => w.flush().context("writing to standard output"),
        }
    }
}
