//! `cordon audit verify`: walks the audit chain (in batches, in one
//! snapshot) and prints whether it is intact up to its head, with the head's
//! hash to keep somewhere else, or names its first broken record. Exits 0
//! when intact and 1 when broken (2 on any other error).

use clap::{Args, Subcommand};

use super::DatabaseArgs;

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit chain and name its first broken record (exit status 1 when broken).
    Verify(VerifyArgs),
}

/// Flags of `cordon audit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// Print the report as JSON (the same as `GET /api/v1/audit/verify`).
    #[arg(long)]
    json: bool,
}

/// Runs an audit subcommand; `Ok(false)` when the chain is broken.
pub async fn run(cmd: AuditCommand) -> anyhow::Result<bool> {
    match cmd {
        AuditCommand::Verify(args) => {
            let store = args.db.open().await?;
            let report = store.verify_audit_chain().await;
            store.close().await;
            let report = report?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{report}");
                if let Some(fault) = &report.fault {
                    match report.intact_up_to {
                        Some(seq) => println!("records 1..={seq} check out; the head says the log ends at seq {}", report.head_seq),
                        None => println!("no record checks out from the start; the head says the log ends at seq {}", report.head_seq),
                    }
                    println!(
                        "first broken record: seq {} ({})",
                        fault.seq,
                        serde_json::to_value(&fault.breach)?["kind"].as_str().unwrap_or("?")
                    );
                }
            }
            Ok(report.intact)
        }
    }
}
