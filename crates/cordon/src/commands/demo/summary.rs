//! What the demo prints once it is built: what the history holds (the same
//! for the same seed), what today added up to now (which depends on the
//! hour), and the accounts to sign in with.

use std::collections::HashSet;
use std::time::Duration;

use cordon_core::user::Role;

use super::Built;
use super::live::Live;
use super::setup::{Account, DEMO_PASSWORD};
use crate::progress::grouped;

/// Prints the summary of a build.
pub(super) fn built(live: &Live, built: &Built, took: Duration) {
    let h = built.history;
    let t = built.totals;
    eprintln!(
        "Built in {:.0} s: {} nodes, {} users, {} shifts.",
        took.as_secs_f64(),
        grouped(live.world.nodes.len() as u64),
        grouped(live.world.accounts.len() as u64),
        grouped(built.shifts)
    );
    eprintln!(
        "History, {} to {} (the same for the same seed): {} reports about {} residents, {} cases ({} confirmed, {} discarded), \
         {} acknowledgements, {} escalated tasks, {} daily reports, {} silent-unit escalations, {} contacts quarantined, \
         {} follow-up visits, {} arrivals; {} actions refused by the rules.",
        built.start,
        built.last,
        grouped(h.reports),
        grouped(h.persons),
        grouped(h.cases),
        grouped(h.confirmed),
        grouped(h.discarded),
        grouped(h.acknowledged),
        grouped(h.escalated),
        grouped(h.daily),
        grouped(h.silent),
        grouped(h.contacts),
        grouped(h.visits),
        grouped(h.arrivals),
        grouped(h.refused)
    );
    eprintln!(
        "Measures: {} directives issued, {} units escalated for not acknowledging one in time, {} gatherings registered \
         ({} refused under the limit), {} rumours logged, {} alert levels set.",
        grouped(h.directives),
        grouped(h.unacknowledged),
        grouped(h.gatherings),
        grouped(h.gatherings_refused),
        grouped(h.rumours),
        grouped(h.levels)
    );
    eprintln!(
        "The simulated outbreak by then: {} infections ({} imported), {} deaths{}.",
        grouped(t.infections),
        grouped(t.imported),
        grouped(t.deaths),
        live.sim.measures_from().map(|d| format!("; measures in force from day {d}")).unwrap_or_default()
    );
    let f = live.feeder.fed;
    let zoned = built.now.to_zoned(live.world.settings.zone());
    eprintln!(
        "Today until {}: {} more reports, {} more cases; the rest of the outbreak goes on live.",
        zoned.strftime("%H:%M"),
        grouped(f.reports - h.reports),
        grouped(f.cases - h.cases)
    );
}

/// Prints one demo account of each role and level, and how the others are named.
pub(super) fn accounts(accounts: &[Account]) {
    println!("\nDemo accounts (password for all: {DEMO_PASSWORD}):");
    let mut shown = HashSet::new();
    for a in accounts {
        if shown.insert((a.role, a.level)) {
            println!("  {:<28} {:<16} at {} ({:?})", a.username, a.role.as_str(), a.node, a.level);
        }
    }
    let first_unit = accounts.iter().find(|a| a.role == Role::Reporter).map_or("", |a| a.node.as_str());
    println!("  Every unit has a head (head.<unit code>, e.g. head.{first_unit}); every county, province and the nation");
    println!("  have health workers on call (worker.<code>.day and .night) and a command officer (command.<code>).\n");
}
