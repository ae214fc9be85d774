//! The situation abroad in the demo: the real JHU series of Japan, Mongolia
//! and South Korea (2020-01-22 to 2021-01-07, as Our World in Data
//! published them) imported by the administrator, and the three put on the
//! watch list with OWID's populations (UN World Population Prospects 2019,
//! for 2020) and a threshold, so that `/abroad` and the board have content.
//!
//! The demo's own dates are today's while these series end in January
//! 2021: the pages show each location's figures as of its own latest day,
//! and the dates are not shifted. Being long past, they never count as
//! current for the alert-level rules.

use anyhow::Context;
use cordon_core::abroad;
use cordon_core::user::User;
use cordon_core::watch::{Thresholds, WatchInput};
use cordon_store::Store;
use jiff::Timestamp;

/// The reference file, as published.
const NEIGHBOURS: &str = include_str!("../../../../cordon-core/tests/ref/owid/jhu_full_data_neighbours.csv");

/// The locations watched, with their populations.
pub const WATCHED: [(&str, i64); 3] = [("Japan", 126_476_458), ("Mongolia", 3_278_292), ("South Korea", 51_269_183)];

/// The threshold of the demo's watch list: 20 new cases in 7 days per
/// 100,000 residents (Japan reached it in the winter of 2020-21).
pub const PER_100K_7D: f64 = 20.0;

/// Imports the neighbours' series as `admin` and watches them; returns how
/// many alerts the watch raised.
pub async fn watch(store: &Store, admin: &User, at: Timestamp) -> anyhow::Result<usize> {
    let (layout, rows) = abroad::read(NEIGHBOURS).context("reading the neighbours' series")?;
    store.import_abroad_by(admin, &rows, abroad::source(layout), at).await.context("importing the neighbours' series")?;
    let mut raised = 0;
    for (location, population) in WATCHED {
        let input =
            WatchInput { population: Some(population), thresholds: Thresholds { per_100k_7d: PER_100K_7D, growth_week_on_week: None } };
        let (_, alerts) = store.set_watch(admin, location, &input, at).await.with_context(|| format!("watching {location}"))?;
        raised += alerts.len();
    }
    Ok(raised)
}
