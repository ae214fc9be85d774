//! Puts the generated country into the store and staffs it: the
//! jurisdiction tree with populations and boundaries, hospitals,
//! laboratories, quarantine centres and points of entry, an administrator,
//! command officers at every level down to the counties, a head for every
//! unit, border officers, and health workers whose day and night shifts
//! cover every county, province and the nation around the clock; and the
//! administrator's watch on the neighbouring countries (`super::abroad`).
//!
//! Everything goes through the store methods the API and `cordon import`
//! use, so the rules run and every change is audited.

use std::collections::HashMap;

use anyhow::Context;
use cordon_core::jurisdiction::{Facility, Node, NodeInput};
use cordon_core::settings::Settings;
use cordon_core::user::{Role, User};
use cordon_sim::{AreaId, Country, Level};
use cordon_store::Store;
use cordon_store::jurisdictions::ImportRow;
use jiff::Timestamp;
use jiff::civil::Date;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::progress::Progress;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "cordon-demo";

/// A demo account, for the list printed at the end.
pub struct Account {
    /// Sign-in name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Code of the node it is anchored at.
    pub node: String,
    /// Level of that node.
    pub level: Level,
}

/// Which half of the day a worker is on call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// 08:00 to 20:00 local time.
    Day,
    /// 20:00 to 08:00 the next morning.
    Night,
}

impl Half {
    /// The user name of an area's worker on call for this half: `worker.1101.day`.
    pub fn worker(self, prefix: &str) -> String {
        let half = match self {
            Half::Day => "day",
            Half::Night => "night",
        };
        format!("worker.{prefix}.{half}")
    }
}

/// The administrator's user name.
pub const ADMIN: &str = "admin";
/// The national command officer's user name.
pub const CHIEF: &str = "command";
/// The prefix of the national health workers' user names.
pub const NATIONAL: &str = "national";

/// The user name of the command officer of an area: `command.11`.
pub fn command_officer(code: &str) -> String {
    format!("command.{code}")
}

/// The user name of a point of entry's border officer: `border.1101-air`.
pub fn border_officer(facility_code: &str) -> String {
    format!("border.{}", facility_code.to_lowercase())
}

/// The user name of a unit's head: `head.11010101`.
pub fn unit_head(code: &str) -> String {
    format!("head.{code}")
}

/// An on-call health worker and the area their shifts cover.
pub struct Worker {
    /// The worker.
    pub user: User,
    /// The area.
    pub area: Node,
    /// Day or night shifts.
    pub half: Half,
}

/// A point of entry with its border officer (the store finds the quarantine
/// centre arrivals go to).
pub struct Entry {
    /// The border officer.
    pub officer: User,
    /// The point of entry.
    pub facility: Facility,
}

/// The stored country: nodes by area, heads by unit, the staff.
pub struct World {
    /// The generated country.
    pub country: Country,
    /// The stored node of every area, by area id.
    pub nodes: Vec<Node>,
    /// The head of every unit, by unit index.
    pub heads: Vec<User>,
    /// The national command officer (keeps the rosters).
    pub chief: User,
    /// Health workers on the roster.
    pub workers: Vec<Worker>,
    /// Health workers by id.
    pub by_id: HashMap<Uuid, User>,
    /// The points of entry, in the country's order.
    pub entries: Vec<Entry>,
    /// Every account, in creation order.
    pub accounts: Vec<Account>,
    /// The settings in force.
    pub settings: Settings,
}

/// How many store writes [`build`] makes besides the tree (for the progress bar).
pub fn planned_writes(country: &Country) -> u64 {
    let counties = country.at_level(Level::County).count() as u64;
    let provinces = country.at_level(Level::Province).count() as u64;
    // users: admin, chief, national workers, provincial and county officers
    // and workers, border officers, unit heads
    let users = 4 + 3 * (provinces + counties) + country.points_of_entry.len() as u64 + country.units.len() as u64;
    users + country.facilities.len() as u64 + 3
}

/// Builds the country and its staff at `at` (before the simulated history).
pub async fn build(store: &Store, country: Country, seed: u64, at: Timestamp, progress: &Progress) -> anyhow::Result<World> {
    let settings = Settings { time_zone: "Asia/Seoul".into(), ..Settings::default() };
    let settings = store.save_settings(None, &settings, at).await.context("saving the demo settings")?;
    progress.inc(1);
    let rows: Vec<ImportRow> = country
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| ImportRow {
            line: i as u64 + 1,
            node: NodeInput {
                code: a.code.clone(),
                name: a.name.clone(),
                parent_code: a.parent.map(|p| country.areas[p].code.clone()),
                #[expect(clippy::cast_possible_wrap, reason = "CountrySpec::check caps a country's population at u32::MAX")]
                population: a.population as i64,
            },
        })
        .collect();
    store.import_nodes(None, &rows, at).await.context("creating the jurisdiction tree")?;
    progress.inc(1);
    let boundaries: Vec<(String, Option<String>)> = country.areas.iter().map(|a| (a.code.clone(), Some(a.bounds.to_geojson()))).collect();
    store.set_boundaries(None, &boundaries, at).await.context("storing the boundaries")?;
    progress.inc(1);
    let root = store.root_node().await?.context("the tree has no root")?;
    let mut by_code: std::collections::HashMap<String, Node> =
        store.subtree(&root.path, None).await?.into_iter().map(|n| (n.code.clone(), n)).collect();
    let nodes: Vec<Node> = country
        .areas
        .iter()
        .map(|a| by_code.remove(&a.code).with_context(|| format!("node {} was not stored", a.code)))
        .collect::<anyhow::Result<_>>()?;

    let mut staff = Staff {
        store,
        hash: crate::commands::user::hash_password(DEMO_PASSWORD)?,
        rng: ChaCha8Rng::seed_from_u64(seed),
        accounts: Vec::new(),
        actor: None,
        at,
        progress,
    };
    let admin = staff.add(ADMIN, Role::Administrator, &nodes[0], Level::Nation, "Administrator").await?;
    staff.actor = Some(admin.id);
    super::abroad::watch(store, &admin, at).await?;
    let mut facilities = Vec::with_capacity(country.facilities.len());
    for f in &country.facilities {
        facilities.push(store.create_facility(Some(admin.id), &f.code, &f.name, f.kind, &nodes[f.area], at).await?);
        progress.inc(1);
    }
    let chief = staff.add(CHIEF, Role::CommandOfficer, &nodes[0], Level::Nation, "National Quarantine Command").await?;
    let mut workers = Vec::new();
    let mut oncall = async |staff: &mut Staff<'_>, prefix: &str, area: AreaId| -> anyhow::Result<()> {
        let level = country.areas[area].level;
        for half in [Half::Day, Half::Night] {
            let user = staff.add(&half.worker(prefix), Role::HealthWorker, &nodes[area], level, "").await?;
            workers.push(Worker { user, area: nodes[area].clone(), half });
        }
        Ok(())
    };
    oncall(&mut staff, NATIONAL, 0).await?;
    for area in country.at_level(Level::Province).chain(country.at_level(Level::County)) {
        let code = &country.areas[area].code;
        staff.add(&command_officer(code), Role::CommandOfficer, &nodes[area], country.areas[area].level, "").await?;
        oncall(&mut staff, code, area).await?;
    }
    let mut entries = Vec::with_capacity(country.points_of_entry.len());
    for poe in &country.points_of_entry {
        let facility = facilities[poe.facility].clone();
        let officer = staff.add(&border_officer(&facility.code), Role::BorderOfficer, &nodes[poe.area], Level::County, "").await?;
        entries.push(Entry { officer, facility });
    }
    let mut heads = Vec::with_capacity(country.units.len());
    for &unit in &country.units {
        let code = &country.areas[unit].code;
        heads.push(staff.add(&unit_head(code), Role::Reporter, &nodes[unit], Level::Unit, "").await?);
    }
    let accounts = staff.accounts;
    let by_id = workers.iter().map(|w| (w.user.id, w.user.clone())).collect();
    Ok(World { country, nodes, heads, chief, workers, by_id, entries, accounts, settings })
}

/// Creates users with made-up names, all with the demo password.
struct Staff<'a> {
    store: &'a Store,
    hash: String,
    rng: ChaCha8Rng,
    accounts: Vec<Account>,
    actor: Option<Uuid>,
    at: Timestamp,
    progress: &'a Progress,
}

impl Staff<'_> {
    async fn add(&mut self, username: &str, role: Role, node: &Node, level: Level, display: &str) -> anyhow::Result<User> {
        let display_name = if display.is_empty() { cordon_sim::names::person(&mut self.rng) } else { display.to_owned() };
        let user = User::anchored(Uuid::now_v7(), username, &display_name, role, node);
        let user = self.store.create_user(self.actor, &user, &self.hash, self.at).await.with_context(|| format!("creating {username}"))?;
        self.accounts.push(Account { username: username.to_owned(), role, node: node.code.clone(), level });
        self.progress.inc(1);
        Ok(user)
    }
}

/// Puts every worker on call for their half of each day from `from` until
/// before `to`; returns the number of shifts added.
pub async fn roster(store: &Store, world: &World, from: Date, to: Date, at: Timestamp) -> anyhow::Result<u64> {
    let s = &world.settings;
    let mut added = 0;
    let mut day = from;
    while day < to {
        let next = day.tomorrow().context("the roster ran off the calendar")?;
        for w in &world.workers {
            let (starts, ends) = match w.half {
                Half::Day => (s.local_instant(day, 8), s.local_instant(day, 20)),
                Half::Night => (s.local_instant(day, 20), s.local_instant(next, 8)),
            };
            store.add_shift(world.chief.id, w.user.id, &w.area, starts, ends, at).await.context("adding a shift")?;
            added += 1;
        }
        day = next;
    }
    Ok(added)
}
