//! Opening a finished demo again: the country is generated anew from its
//! seed (it is the same country), its stored nodes, staff and points of
//! entry are looked up by code and user name (a few queries, no writes), and
//! the simulation is run in memory up to today, so that the outbreak goes on
//! live from now. What would have happened while the demo was not running
//! is skipped, as if nobody had reported it.

use std::collections::HashMap;

use anyhow::Context;
use cordon_core::user::User;
use cordon_sim::{Country, CountrySpec, Level, Parameters, Simulation};
use cordon_store::Store;
use jiff::Timestamp;
use jiff::civil::Date;

use super::feed::{Feeder, TimeMap};
use super::live::Live;
use super::record::DemoRecord;
use super::setup::{self, Account, Entry, Half, Worker, World};

/// The live demo of a stored, finished demo, from `now` on.
pub async fn reopen(store: &Store, record: &DemoRecord, now: Timestamp, speed: f64) -> anyhow::Result<Live> {
    let country = Country::generate(&CountrySpec::of(record.scale()?.into()), record.seed).context("generating the country")?;
    let mut sim = Simulation::new(&country, Parameters::demo(record.days), record.seed).context("setting up the simulation")?;
    let world = load_world(store, country).await?;
    let zone = world.settings.zone();
    let today = now.to_zoned(zone.clone()).date();
    let elapsed = u32::try_from((today - record.start).get_days()).context("the demo starts after today")?;
    for _ in 0..elapsed {
        sim.step();
    }
    let history = TimeMap::History { start: record.start, zone };
    let mut actions = sim.step();
    let later = actions.split_off(actions.partition_point(|s| history.at(s.at) <= now));
    let rostered_until = rostered_until(store, &world, today, now).await?;
    let map = super::live_map(&history, now, speed)?;
    let feeder = Feeder::reopened(store.clone());
    Ok(Live { world, sim, feeder, later, map, rostered_until })
}

/// The day after the last one with shifts on the roster (today when none are ahead).
async fn rostered_until(store: &Store, world: &World, today: Date, now: Timestamp) -> anyhow::Result<Date> {
    let root = &world.nodes[0].path;
    let ahead = now.checked_add(jiff::SignedDuration::from_hours(24 * 30))?;
    let shifts = store.shifts(root, now, ahead).await?;
    let last = shifts.iter().map(|s| s.ends_at).max();
    Ok(last.map_or(today, |end| world.settings.local_date(end)).max(today))
}

/// The stored country: nodes by code, staff by user name.
pub async fn load_world(store: &Store, country: Country) -> anyhow::Result<World> {
    let settings = store.settings().await?;
    let root = store.root_node().await?.context("the demo database holds no jurisdictions")?;
    let mut by_code: HashMap<String, _> = store.subtree(&root.path, None).await?.into_iter().map(|n| (n.code.clone(), n)).collect();
    let nodes: Vec<_> = country
        .areas
        .iter()
        .map(|a| by_code.remove(&a.code).with_context(|| format!("the demo's area {} is not stored", a.code)))
        .collect::<anyhow::Result<_>>()?;
    let mut staff = Staff { users: store.users_under(&root.path, None).await?.into_iter().map(|u| (u.username.clone(), u)).collect() };
    let mut accounts = Vec::new();
    let mut account = |user: &User, code: &str, level: Level| {
        accounts.push(Account { username: user.username.clone(), role: user.role, node: code.to_owned(), level });
    };
    account(&staff.take(setup::ADMIN)?, &country.areas[0].code, Level::Nation);
    let chief = staff.take(setup::CHIEF)?;
    account(&chief, &country.areas[0].code, Level::Nation);
    let mut workers = Vec::new();
    let on_call = std::iter::once((setup::NATIONAL.to_owned(), 0))
        .chain(country.at_level(Level::Province).chain(country.at_level(Level::County)).map(|a| (country.areas[a].code.clone(), a)));
    for (prefix, area) in on_call {
        let level = country.areas[area].level;
        if area != 0 {
            account(&staff.take(&setup::command_officer(&prefix))?, &prefix, level);
        }
        for half in [Half::Day, Half::Night] {
            let user = staff.take(&half.worker(&prefix))?;
            account(&user, &country.areas[area].code, level);
            workers.push(Worker { user, area: nodes[area].clone(), half });
        }
    }
    let mut entries = Vec::with_capacity(country.points_of_entry.len());
    for poe in &country.points_of_entry {
        let code = &country.facilities[poe.facility].code;
        let facility = store.facility_by_code(code).await?.with_context(|| format!("the demo's point of entry {code} is not stored"))?;
        let officer = staff.take(&setup::border_officer(code))?;
        account(&officer, &country.areas[poe.area].code, Level::County);
        entries.push(Entry { officer, facility });
    }
    let mut heads = Vec::with_capacity(country.units.len());
    for &unit in &country.units {
        let head = staff.take(&setup::unit_head(&country.areas[unit].code))?;
        account(&head, &country.areas[unit].code, Level::Unit);
        heads.push(head);
    }
    let by_id = workers.iter().map(|w| (w.user.id, w.user.clone())).collect();
    Ok(World { country, nodes, heads, chief, workers, by_id, entries, accounts, settings })
}

/// The stored users by user name.
struct Staff {
    users: HashMap<String, User>,
}

impl Staff {
    fn take(&mut self, username: &str) -> anyhow::Result<User> {
        self.users.remove(username).with_context(|| format!("the demo account {username} is missing"))
    }
}
