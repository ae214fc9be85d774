//! `cordon user add|list`: manage users from the shell (the first
//! administrator is made this way).

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cordon_core::user::{Role, UserInput};
use uuid::Uuid;

use super::DatabaseArgs;

/// User subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user.
    Add(AddArgs),
    /// List users.
    List(DatabaseArgs),
}

/// Flags of `cordon user add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// Sign-in name.
    #[arg(long)]
    username: String,
    /// Name shown to others (default: the sign-in name).
    #[arg(long)]
    name: Option<String>,
    /// Role: reporter, health_worker, border_officer, command_officer or administrator.
    #[expect(clippy::doc_markdown, reason = "clap prints this doc comment as the --help text, where backticks would show")]
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// Code of the node the user is anchored at.
    #[arg(long)]
    node: String,
    /// Password (at least 8 characters); prefer the environment variable.
    #[arg(long, env = "CORDON_PASSWORD", hide_env_values = true)]
    password: String,
    /// Phone number.
    #[arg(long)]
    phone: Option<String>,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}; use one of: {}", Role::ALL.map(Role::as_str).join(", ")))
}

/// Runs a user subcommand.
pub async fn run(cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add(args) => add(args).await,
        UserCommand::List(db) => {
            let store = db.open().await?;
            let root = store.root_node().await?.context("the database has no jurisdictions yet; import them first")?;
            for u in store.users_under(&root.path, None).await? {
                println!("{:<24} {:<16} {:<28} {}", u.username, u.role.as_str(), u.node_path, if u.active { "active" } else { "inactive" });
            }
            Ok(())
        }
    }
}

async fn add(args: AddArgs) -> anyhow::Result<()> {
    let input = UserInput {
        username: args.username.clone(),
        display_name: args.name.clone().unwrap_or_else(|| args.username.clone()),
        role: args.role,
        node_code: args.node.clone(),
        password: args.password.clone(),
        phone: args.phone.clone(),
    };
    if let Err(invalid) = input.check() {
        bail!("{invalid}");
    }
    let store = args.db.open().await?;
    let node = store.node_by_code(&args.node).await?.with_context(|| format!("no jurisdiction has code {:?}", args.node))?;
    let user = input.enrol(Uuid::now_v7(), &node);
    let hash = hash_password(&input.password)?;
    let user = store.create_user(None, &user, &hash, jiff::Timestamp::now()).await?;
    store.close().await;
    println!("added {} ({}) at {}", user.username, user.role.as_str(), user.node_path);
    Ok(())
}

/// Hashes a password with Argon2id.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}
