//! `cordon import owid FILE`: daily series of other countries from Our
//! World in Data (see `cordon_core::abroad`).
//!
//! `cordon import jurisdictions FILE`: load or update the jurisdiction tree
//! from a CSV file with the columns `code,name,parent_code,population`
//! (header required, any order; parents before children), or from a GeoJSON
//! `FeatureCollection` whose features carry those four properties and whose
//! geometries (`Polygon` or `MultiPolygon`) become the nodes' boundaries. Every
//! error names the line and column (CSV) or the feature and property
//! (GeoJSON); nothing is imported unless the whole file is good.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cordon_store::jurisdiction_csv::{locate, parse as parse_jurisdictions};
use cordon_store::jurisdictions::ImportRow;
use cordon_store::{Store, StoreError, boundaries};

use super::DatabaseArgs;

/// Import subcommands.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Jurisdictions from CSV (code,name,parent_code,population) or a GeoJSON
    /// FeatureCollection with those properties (`.geojson`/`.json`).
    #[expect(clippy::doc_markdown, reason = "clap prints this doc comment as the --help text, where backticks would show")]
    Jurisdictions(JurisdictionArgs),
    /// Daily per-country series from Our World in Data: JHU's full_data.csv
    /// or the main owid-covid-data.csv, recognised by the header. Importing
    /// again stores nothing twice; later data revises earlier.
    #[expect(clippy::doc_markdown, reason = "clap prints this doc comment as the --help text, where backticks would show")]
    Owid(OwidArgs),
}

/// Flags of `cordon import owid`.
#[derive(Debug, Args)]
pub struct OwidArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// The CSV file.
    file: PathBuf,
}

/// Flags of `cordon import jurisdictions`.
#[derive(Debug, Args)]
pub struct JurisdictionArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// The CSV or GeoJSON file.
    file: PathBuf,
}

/// Runs an import subcommand.
pub async fn run(cmd: ImportCommand) -> anyhow::Result<()> {
    let args = match cmd {
        ImportCommand::Jurisdictions(args) => args,
        ImportCommand::Owid(args) => return owid(&args).await,
    };
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let file = args.file.display();
    if is_geojson(&args.file, &text) {
        let features = boundaries::parse_feature_collection(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
        let rows: Vec<ImportRow> = features.iter().map(|f| f.row.clone()).collect();
        let store = args.db.open().await?;
        let summary = import(&store, &rows, &file.to_string(), boundaries::locate).await?;
        let shapes: Vec<(String, Option<String>)> =
            features.into_iter().filter(|f| f.boundary.is_some()).map(|f| (f.row.node.code.trim().to_owned(), f.boundary)).collect();
        let changed = store.set_boundaries(None, &shapes, jiff::Timestamp::now()).await.context("storing the boundaries")?;
        store.close().await;
        println!("{summary}; {changed} boundaries set");
    } else {
        let (rows, columns) = parse_jurisdictions(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
        let store = args.db.open().await?;
        let summary = import(&store, &rows, &file.to_string(), |field, reason| locate(field, reason, &columns)).await?;
        store.close().await;
        println!("{summary}");
    }
    Ok(())
}

/// `cordon import owid FILE`: the whole file in one transaction, or nothing
/// and the line and column of the first problem.
async fn owid(args: &OwidArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let (layout, rows) =
        cordon_core::abroad::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", args.file.display()))?;
    let store = args.db.open().await?;
    let done = store.import_abroad(&rows, cordon_core::abroad::source(layout), jiff::Timestamp::now()).await?;
    store.close().await;
    let locations = rows.iter().map(|r| r.location.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    println!(
        "{} days of {locations} locations: {} added, {} revised, {} unchanged; {} alerts raised on the watch list",
        rows.len(),
        done.added,
        done.revised,
        done.unchanged,
        done.raised
    );
    Ok(())
}

/// A `.geojson`/`.json` file, or any file whose first character is `{`.
fn is_geojson(path: &Path, text: &str) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("geojson" | "json")) || text.trim_start().starts_with('{')
}

/// Imports the rows in one transaction; a refused row is reported where it
/// is in the file by `locate`.
async fn import(store: &Store, rows: &[ImportRow], file: &str, locate: impl Fn(&str, &str) -> String) -> anyhow::Result<String> {
    match store.import_nodes(None, rows, jiff::Timestamp::now()).await {
        Ok(s) => Ok(format!("{} created, {} updated, {} unchanged", s.created, s.updated, s.unchanged)),
        Err(StoreError::Invalid(invalid)) => {
            let first = invalid.errors.first().map(|e| locate(&e.field, &e.reason.to_string())).unwrap_or_default();
            bail!("{file}: {first}; nothing was imported")
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_is_told_from_csv() {
        assert!(is_geojson(Path::new("tree.geojson"), "code,name"));
        assert!(is_geojson(Path::new("tree.txt"), "  {\"type\": \"FeatureCollection\"}"));
        assert!(!is_geojson(Path::new("tree.csv"), "code,name,parent_code\n"));
    }

    #[tokio::test]
    async fn a_feature_collection_imports_nodes_and_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap();
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"KR","name":"Korea","population":100},
             "geometry":{"type":"Polygon","coordinates":[[[126,34],[130,34],[130,38],[126,38],[126,34]]]}},
            {"type":"Feature","properties":{"code":"P1","name":"North","parent_code":"KR","population":60},"geometry":null},
            {"type":"Feature","properties":{"code":"P2","name":"South","parent_code":"XX","population":40},"geometry":null}]}"#;
        let features = boundaries::parse_feature_collection(text).unwrap();
        let rows: Vec<ImportRow> = features.iter().map(|f| f.row.clone()).collect();
        let err = import(&store, &rows, "t.geojson", boundaries::locate).await.unwrap_err().to_string();
        assert!(err.starts_with("t.geojson: features[2].properties.parent_code:"), "{err}");
        let summary = import(&store, &rows[..2], "t.geojson", boundaries::locate).await.unwrap();
        assert_eq!(summary, "2 created, 0 updated, 0 unchanged");
        let shapes = vec![("KR".to_owned(), features[0].boundary.clone())];
        assert_eq!(store.set_boundaries(None, &shapes, jiff::Timestamp::now()).await.unwrap(), 1);
        let kr = store.node_by_code("KR").await.unwrap().unwrap();
        assert!(store.boundary(kr.id).await.unwrap().unwrap().contains("Polygon"));
    }
}
