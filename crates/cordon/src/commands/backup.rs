//! `cordon backup FILE` and `cordon restore FILE` for SQLite.
//!
//! A backup is taken while the server runs (`VACUUM INTO`: one consistent
//! snapshot, the writer carries on) into a new file, whose audit chain is
//! then verified. A restore copies the file beside the database, checks it
//! is a cordon database no newer than this build, verifies its audit chain
//! (brings an older one up to this build's schema first, sealing its audit
//! records), refuses to replace a database that holds data unless
//! `--force`, and then moves it in place. Stop the server before a restore.
//! PostgreSQL uses `pg_dump -Fc` and `pg_restore` (docs/BACKUP.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use cordon_core::audit_chain::ChainReport;
use cordon_store::backup::{latest_migration, sqlite_file};
use cordon_store::{Backend, Store};

use super::DatabaseArgs;

/// Flags of `cordon backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (must not exist).
    file: PathBuf,
    #[command(flatten)]
    db: DatabaseArgs,
}

/// Flags of `cordon restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    file: PathBuf,
    #[command(flatten)]
    db: DatabaseArgs,
    /// Replace a database that holds data.
    #[arg(long)]
    force: bool,
}

const PG_HINT: &str = "for PostgreSQL use pg_dump -Fc and pg_restore (docs/BACKUP.md)";

/// `cordon backup FILE`.
pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let Some(source) = sqlite_file(&args.db.database) else { bail!("cordon backup works on an SQLite database; {PG_HINT}") };
    if !source.exists() {
        bail!("{}: no such database file", source.display());
    }
    if args.file.exists() {
        bail!("{}: the file exists already; give the backup a new name", args.file.display());
    }
    let store = Store::connect(&args.db.database).await.with_context(|| format!("opening {}", args.db.database))?;
    let done = store.backup_to(&args.file).await;
    store.close().await;
    done.with_context(|| format!("writing the backup {}", args.file.display()))?;
    let report = checked(&args.file, &args.file, false).await?;
    println!("backed up {} to {}; {report}", source.display(), args.file.display());
    Ok(())
}

/// Opens the cordon database in `file` (named `shown` to the user), brings
/// it up to this build's schema when `upgrade`, and verifies its audit chain.
async fn checked(file: &Path, shown: &Path, upgrade: bool) -> anyhow::Result<ChainReport> {
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&url).await.with_context(|| format!("{}: not an SQLite database", shown.display()))?;
    let result = inspect(&store, file, shown, upgrade).await;
    store.close().await;
    let report = result?;
    if !report.intact {
        bail!("{}: {report}", shown.display());
    }
    Ok(report)
}

async fn inspect(store: &Store, file: &Path, shown: &Path, upgrade: bool) -> anyhow::Result<ChainReport> {
    let latest = latest_migration(Backend::Sqlite);
    let version = store.schema_version().await.with_context(|| format!("{}: not an SQLite database", shown.display()))?;
    let Some(version) = version else { bail!("{}: not a cordon database", shown.display()) };
    if version > latest {
        bail!("{}: made by a newer cordon (schema {version}; this build knows up to {latest})", shown.display());
    }
    if version >= 11 {
        let report = store.verify_audit_chain().await?;
        if !report.intact || !upgrade || version == latest {
            return Ok(report);
        }
    }
    if !upgrade {
        bail!("{}: schema {version} predates the audit chain; restore it to upgrade it", shown.display());
    }
    // Opening migrates to this build's schema and seals the audit records older than the chain.
    let url = format!("sqlite://{}", file.display());
    let upgraded = Store::open(&url).await.with_context(|| format!("upgrading {} from schema {version}", shown.display()))?;
    let report = upgraded.verify_audit_chain().await;
    upgraded.close().await;
    Ok(report?)
}

/// `cordon restore FILE`.
pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let Some(target) = sqlite_file(&args.db.database) else { bail!("cordon restore works on an SQLite database; {PG_HINT}") };
    if !args.file.is_file() {
        bail!("{}: no such backup file", args.file.display());
    }
    if target.exists() && !args.force {
        let store = Store::connect(&args.db.database).await.with_context(|| format!("opening {}", args.db.database))?;
        let full = store.holds_data().await;
        store.close().await;
        if full.with_context(|| format!("reading {}", target.display()))? {
            bail!("{} holds data; restoring would replace it (add --force to replace it)", target.display());
        }
    }
    let staged = staging(&target);
    std::fs::copy(&args.file, &staged).with_context(|| format!("copying {} to {}", args.file.display(), staged.display()))?;
    let report = match checked(&staged, &args.file, true).await {
        Ok(report) => report,
        Err(error) => {
            remove_database_files(&staged)?;
            return Err(error);
        }
    };
    // The old database's journal must not be replayed onto the restored file.
    remove_database_files(&target)?;
    std::fs::rename(&staged, &target).with_context(|| format!("moving {} to {}", staged.display(), target.display()))?;
    println!("restored {} into {}; {report}", args.file.display(), target.display());
    Ok(())
}

/// The file a restore is prepared in, beside the target (same file system).
fn staging(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".restoring");
    target.with_file_name(name)
}

/// Removes an SQLite file and its `-wal` and `-shm` companions, where present.
fn remove_database_files(file: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_os_string();
        name.push(suffix);
        let path = PathBuf::from(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
    }
    Ok(())
}
