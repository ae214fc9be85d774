//! `cordon demo`: a small demo country, staffed around the clock, with a
//! morning of reports already flowing through the real system, served on
//! http://127.0.0.1:8080.
//!
//! Everything is created through the same store calls the API uses, so the
//! rules, audit records and events are real.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;

use anyhow::{Context, bail};
use clap::Args;
use cordon_core::daily::DailyReportInput;
use cordon_core::jurisdiction::{FacilityKind, Node, NodeInput};
use cordon_core::person::{PersonDraft, Sex};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_core::user::{Role, User};
use cordon_store::Store;
use cordon_store::persons::Registration;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::DatabaseArgs;
use super::serve::{ServeArgs, serve};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "cordon-demo";

/// Flags of `cordon demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Database URL for the demo.
    #[arg(long, env = "CORDON_DATABASE_URL", default_value = "sqlite://cordon-demo.db")]
    pub database: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Replace an existing demo database without asking.
    #[arg(long)]
    pub force: bool,
    /// Build the demo and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// Runs `cordon demo`.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    super::init_logging();
    prepare_database(&args)?;
    let db = DatabaseArgs { database: args.database.clone() };
    let store = db.open().await?;
    if store.root_node().await?.is_some() {
        bail!("{} already holds jurisdictions; use an empty PostgreSQL database for the demo", args.database);
    }
    let accounts = build(&store, Timestamp::now()).await?;
    print_accounts(&accounts);
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    let serve_args = ServeArgs { db, listen: args.listen, secure_cookies: false, job_interval: 30, notify_webhook: None };
    serve(&serve_args, store).await
}

/// Removes an existing SQLite demo file after asking (or with `--force`).
fn prepare_database(args: &DemoArgs) -> anyhow::Result<()> {
    let Some(path) = args.database.strip_prefix("sqlite://").or_else(|| args.database.strip_prefix("sqlite:")) else { return Ok(()) };
    let path = std::path::Path::new(path.split('?').next().unwrap_or(path));
    if !path.exists() {
        return Ok(());
    }
    if !args.force {
        if !std::io::stdin().is_terminal() {
            bail!("{} exists; run again with --force to replace it", path.display());
        }
        eprint!("{} exists. Replace it with a new demo? [y/N] ", path.display());
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("kept the existing demo database; nothing changed");
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    Ok(())
}

/// One demo account.
pub struct Account {
    /// Sign-in name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Where.
    pub node: String,
}

const PROVINCES: [(&str, &str); 2] = [("N", "Northern Province"), ("S", "Southern Province")];
const COUNTIES: [&str; 2] = ["River", "Hill"];
const DISTRICTS: [&str; 2] = ["East", "West"];
const UNITS: usize = 3;
const FIRST_NAMES: [&str; 10] = [
    "Kim Min-jun",
    "Lee Seo-yeon",
    "Park Ji-hoon",
    "Choi Yuna",
    "Jung Ha-eun",
    "Kang Do-yun",
    "Cho Ji-woo",
    "Yoon Seo-jun",
    "Jang Min-seo",
    "Lim Ye-jin",
];

/// Builds the demo country and its first morning; returns the accounts.
pub async fn build(store: &Store, now: Timestamp) -> anyhow::Result<Vec<Account>> {
    let hash = super::user::hash_password(DEMO_PASSWORD)?;
    let mut accounts = Vec::new();
    let mut add_user = async |username: String, role: Role, node: &Node| -> anyhow::Result<User> {
        let user = User {
            id: Uuid::now_v7(),
            username: username.clone(),
            display_name: username.replace(['.', '-'], " "),
            role,
            node_id: node.id,
            node_path: node.path.clone(),
            phone: None,
            active: true,
        };
        let user = store.create_user(None, &user, &hash, now).await?;
        accounts.push(Account { username, role, node: node.code.clone() });
        Ok(user)
    };
    let node = async |code: String, name: String, parent: Option<&str>, population: i64| -> anyhow::Result<Node> {
        Ok(store.create_node(None, &NodeInput { code, name, parent_code: parent.map(str::to_owned), population }, now).await?)
    };

    let nation = node("DR".into(), "Demo Republic".into(), None, 1_200_000).await?;
    let admin = add_user("admin".into(), Role::Administrator, &nation).await?;
    let chief = add_user("command".into(), Role::CommandOfficer, &nation).await?;
    let mut units = Vec::new();
    let mut unit_heads = Vec::new();
    let mut workers = Vec::new();
    for (p, (pcode, pname)) in PROVINCES.iter().enumerate() {
        let province = node((*pcode).into(), (*pname).into(), Some("DR"), 600_000).await?;
        add_user(format!("command.{}", pcode.to_lowercase()), Role::CommandOfficer, &province).await?;
        let provincial_worker = add_user(format!("worker.{}", pcode.to_lowercase()), Role::HealthWorker, &province).await?;
        workers.push((provincial_worker, province.clone()));
        store
            .create_facility(
                Some(admin.id),
                &format!("{pcode}-H"),
                &format!("{pname} General Hospital"),
                FacilityKind::Hospital,
                &province,
                now,
            )
            .await?;
        if p == 0 {
            store
                .create_facility(
                    Some(admin.id),
                    &format!("{pcode}-POE"),
                    "Northern Border Crossing",
                    FacilityKind::PointOfEntry,
                    &province,
                    now,
                )
                .await?;
            add_user("border.n".into(), Role::BorderOfficer, &province).await?;
        }
        for (c, cname) in COUNTIES.iter().enumerate() {
            let ccode = format!("{pcode}{}", c + 1);
            let county = node(ccode.clone(), format!("{cname} County"), Some(pcode), 300_000).await?;
            store
                .create_facility(
                    Some(admin.id),
                    &format!("{ccode}-Q"),
                    &format!("{cname} Quarantine Centre"),
                    FacilityKind::QuarantineCentre,
                    &county,
                    now,
                )
                .await?;
            for w in ["day", "night"] {
                let worker = add_user(format!("worker.{}.{w}", ccode.to_lowercase()), Role::HealthWorker, &county).await?;
                workers.push((worker, county.clone()));
            }
            for (d, dname) in DISTRICTS.iter().enumerate() {
                let dcode = format!("{ccode}{}", d + 1);
                node(dcode.clone(), format!("{dname} {cname}"), Some(&ccode), 150_000).await?;
                for u in 1..=UNITS {
                    let ucode = format!("{dcode}-{u:02}");
                    let unit = node(ucode.clone(), format!("Unit {u} of {dname} {cname}"), Some(&dcode), 50_000).await?;
                    let head = add_user(format!("head.{}", ucode.to_lowercase()), Role::Reporter, &unit).await?;
                    unit_heads.push(head);
                    units.push(unit);
                }
            }
        }
    }
    roster(store, chief.id, &workers, now).await?;
    first_morning(store, &units, &unit_heads, &workers, now).await?;
    Ok(accounts)
}

/// Day (08-20 UTC) and night shifts for every county pair and the
/// provincial workers around the clock, for 30 days.
async fn roster(store: &Store, officer: Uuid, workers: &[(User, Node)], now: Timestamp) -> anyhow::Result<()> {
    let midnight: Timestamp = now.to_zoned(jiff::tz::TimeZone::UTC).date().to_zoned(jiff::tz::TimeZone::UTC)?.timestamp();
    let hours = |h: i64| midnight.saturating_add(SignedDuration::from_hours(h)).unwrap_or(midnight);
    for (worker, area) in workers {
        for day in -1..30 {
            let (from, to) = match worker.username.rsplit('.').next() {
                Some("day") => (hours(day * 24 + 8), hours(day * 24 + 20)),
                Some("night") => (hours(day * 24 + 20), hours(day * 24 + 32)),
                _ => (hours(day * 24), hours(day * 24 + 24)),
            };
            store.add_shift(officer, worker.id, area, from, to, now).await?;
        }
    }
    Ok(())
}

/// Residents, symptom reports (some meeting the case definition) and daily
/// reports from most units; the first tasks acknowledged.
async fn first_morning(store: &Store, units: &[Node], heads: &[User], workers: &[(User, Node)], now: Timestamp) -> anyhow::Result<()> {
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    for (i, (unit, head)) in units.iter().zip(heads).enumerate() {
        if i % 7 != 3 {
            let input = DailyReportInput {
                id: Uuid::now_v7(),
                unit_code: unit.code.clone(),
                date: today,
                ill_count: (i % 4) as i64 / 3,
                note: None,
            };
            store.file_daily_report(head.id, unit, &input, None, now).await?;
        }
        if i % 3 != 0 {
            continue;
        }
        let draft = PersonDraft {
            full_name: FIRST_NAMES[i % FIRST_NAMES.len()].into(),
            sex: if i % 2 == 0 { Sex::Female } else { Sex::Male },
            birth_year: 1950 + (i as i32 * 7) % 60,
            phone: None,
            address: Some(format!("House {}", 10 + i)),
            document_number: None,
        };
        let Registration::Registered(person) = store.register_person(head.id, &draft, unit, true, now).await? else { continue };
        let (symptoms, temperature) =
            if i % 2 == 0 { (vec![Symptom::Fever, Symptom::Cough], Some(38.4)) } else { (vec![Symptom::RunnyNose], Some(36.7)) };
        let report = ReportDraft {
            id: Uuid::now_v7(),
            person_id: person.id,
            symptoms,
            temperature_c: temperature,
            onset_date: today.yesterday().ok(),
            note: None,
        };
        let intake = store.submit_report(head, &report, unit, now).await?;
        if let Some(task) = intake.task.filter(|_| i % 4 == 0)
            && let Some(worker) = workers.iter().find(|(w, _)| Some(w.id) == task.assignee_id)
        {
            store.acknowledge_task(worker.0.id, task.id, now).await?;
        }
    }
    Ok(())
}

fn print_accounts(accounts: &[Account]) {
    println!("\nDemo accounts (password for all: {DEMO_PASSWORD}):");
    let mut shown = std::collections::HashSet::new();
    for a in accounts {
        // One example per role and level is enough to find one's way.
        let key = (a.role, a.node.len());
        if shown.insert(key) || a.role == Role::Administrator {
            println!("  {:<24} {:<16} at {}", a.username, a.role.as_str(), a.node);
        }
    }
    println!("  (every unit has a head.<unit>, every county worker.<county>.day and .night)\n");
}
