//! The generated country: nation → provinces → counties → districts →
//! units (cordon's default levels), with names, codes, populations that sum
//! exactly up the tree, rectangular boundaries that tile each parent, and
//! facilities and points of entry on plausible nodes.
//!
//! Generation is deterministic in the seed. Populations are apportioned with
//! lognormal weights (a capital province and a city county in every province
//! are larger), and the map gives crowded places less land.

use std::collections::BTreeSet;
use std::ops::Range;

use cordon_core::jurisdiction::FacilityKind;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

use crate::SimError;
use crate::geometry::Rect;
use crate::names;

/// Index of an area in [`Country::areas`].
pub type AreaId = usize;

/// How big a country to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A few hundred thousand residents in a handful of provinces: fast, for
    /// tests and a quick look.
    Small,
    /// About 25 million residents in 9 to 12 provinces.
    Country,
}

impl Scale {
    /// Parses `small` or `country`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "small" => Some(Scale::Small),
            "country" => Some(Scale::Country),
            _ => None,
        }
    }
}

/// The level of an area, in cordon's default level names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The root.
    Nation,
    /// A province (or the capital city).
    Province,
    /// A county or city.
    County,
    /// A district (dong, myeon).
    District,
    /// A neighbourhood unit: the deepest level, where unit heads report.
    Unit,
}

impl Level {
    /// Depth in the tree (0 for the nation).
    #[must_use]
    pub fn depth(self) -> usize {
        self as usize
    }

    fn child(self) -> Option<Level> {
        match self {
            Level::Nation => Some(Level::Province),
            Level::Province => Some(Level::County),
            Level::County => Some(Level::District),
            Level::District => Some(Level::Unit),
            Level::Unit => None,
        }
    }
}

/// How the country is shaped: its population and how many children each
/// level has (inclusive ranges, drawn per node).
#[derive(Debug, Clone, PartialEq)]
pub struct CountrySpec {
    /// Total residents.
    pub population: u64,
    /// Provinces in the nation.
    pub provinces: (u32, u32),
    /// Counties per province.
    pub counties: (u32, u32),
    /// Districts per county.
    pub districts: (u32, u32),
    /// Units per district.
    pub units: (u32, u32),
    /// The country's extent on the map.
    pub bounds: Rect,
}

/// The fewest residents a unit may have.
pub const MIN_UNIT_POPULATION: u64 = 100;

impl CountrySpec {
    /// The shape for a scale. A unit of the demo country stands for a block
    /// of neighbourhood units (some 5,000 residents at country scale) so that
    /// every unit's daily report fits in the demo database; see
    /// `docs/SIMULATION.md`.
    #[must_use]
    pub fn of(scale: Scale) -> CountrySpec {
        let bounds = Rect { west: 124.6, south: 34.2, east: 130.0, north: 42.4 };
        match scale {
            Scale::Small => {
                CountrySpec { population: 320_000, provinces: (3, 3), counties: (2, 4), districts: (3, 5), units: (3, 6), bounds }
            }
            Scale::Country => {
                CountrySpec { population: 25_000_000, provinces: (9, 12), counties: (12, 22), districts: (5, 9), units: (2, 5), bounds }
            }
        }
    }

    fn range(&self, level: Level) -> (u32, u32) {
        match level {
            Level::Nation => (1, 1),
            Level::Province => self.provinces,
            Level::County => self.counties,
            Level::District => self.districts,
            Level::Unit => self.units,
        }
    }

    /// The most units one area of `level` can hold.
    fn max_units_below(&self, level: Level) -> u64 {
        let mut n = 1u64;
        let mut at = level.child();
        while let Some(l) = at {
            n = n.saturating_mul(u64::from(self.range(l).1));
            at = l.child();
        }
        n
    }

    fn check(&self) -> Result<(), SimError> {
        for level in [Level::Province, Level::County, Level::District, Level::Unit] {
            let (lo, hi) = self.range(level);
            if lo == 0 || lo > hi || hi > 99 {
                return Err(SimError::Spec(format!("children per {level:?} must be a range within 1..=99, not {lo}..={hi}")));
            }
        }
        let floor = self.max_units_below(Level::Nation).saturating_mul(MIN_UNIT_POPULATION);
        if self.population < floor || self.population > u64::from(u32::MAX) {
            return Err(SimError::Spec(format!("the population must be between {floor} and {} for this shape", u32::MAX)));
        }
        let b = &self.bounds;
        if !(b.west < b.east && b.south < b.north && b.west >= -180.0 && b.east <= 180.0 && b.south >= -90.0 && b.north <= 90.0) {
            return Err(SimError::Spec("the bounds must be a non-empty rectangle of longitude and latitude".into()));
        }
        Ok(())
    }
}

/// One node of the generated tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Code, unique in the country; a child's code starts with its parent's.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// The parent, `None` for the nation.
    pub parent: Option<AreaId>,
    /// The children, in code order.
    pub children: Vec<AreaId>,
    /// Residents; equal to the sum over the children.
    pub population: u64,
    /// The area on the map.
    pub bounds: Rect,
    /// The units at or below this area (indices into [`Country::units`]).
    pub units: Range<u32>,
}

/// A facility to create at an area.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilitySpec {
    /// Code, unique in the country.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: FacilityKind,
    /// Where it is.
    pub area: AreaId,
}

/// A border crossing, port or airport, and its share of arrivals.
#[derive(Debug, Clone, PartialEq)]
pub struct PointOfEntry {
    /// Index into [`Country::facilities`].
    pub facility: usize,
    /// The county it lies in.
    pub area: AreaId,
    /// Share of arrivals from abroad (the shares sum to 1).
    pub traffic: f64,
}

/// A generated country.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// Every area, the nation first, then depth-first in code order.
    pub areas: Vec<Area>,
    /// The unit areas, in order; a unit's index here is its `UnitId`.
    pub units: Vec<AreaId>,
    /// Hospitals, laboratories, quarantine centres and points of entry.
    pub facilities: Vec<FacilitySpec>,
    /// Points of entry.
    pub points_of_entry: Vec<PointOfEntry>,
}

impl Country {
    /// Generates the country for `spec` from `seed`.
    pub fn generate(spec: &CountrySpec, seed: u64) -> Result<Country, SimError> {
        spec.check()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        let mut country = Country { areas: Vec::new(), units: Vec::new(), facilities: Vec::new(), points_of_entry: Vec::new() };
        let nation = Area {
            code: "DR".into(),
            name: "Demo Republic".into(),
            level: Level::Nation,
            parent: None,
            children: Vec::new(),
            population: spec.population,
            bounds: spec.bounds,
            units: 0..0,
        };
        country.areas.push(nation);
        let mut taken = BTreeSet::new();
        country.grow(spec, 0, &mut rng, &mut taken)?;
        country.add_facilities(&mut rng);
        Ok(country)
    }

    /// The nation.
    #[must_use]
    pub fn nation(&self) -> &Area {
        &self.areas[0]
    }

    /// The area of a unit by its index.
    #[must_use]
    pub fn unit(&self, unit: u32) -> &Area {
        &self.areas[self.units[unit as usize]]
    }

    /// The ancestor of `area` at `level` (the area itself if it is at it).
    #[must_use]
    pub fn ancestor(&self, mut area: AreaId, level: Level) -> AreaId {
        while self.areas[area].level > level {
            match self.areas[area].parent {
                Some(p) => area = p,
                None => break,
            }
        }
        area
    }

    /// Every area of a level, in order.
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = AreaId> + '_ {
        self.areas.iter().enumerate().filter(move |(_, a)| a.level == level).map(|(i, _)| i)
    }

    #[expect(
        clippy::cast_possible_truncation,
        reason = "unit numbers: there are fewer units than residents, which CountrySpec::check caps at u32::MAX"
    )]
    fn grow(&mut self, spec: &CountrySpec, parent: AreaId, rng: &mut ChaCha8Rng, taken: &mut BTreeSet<String>) -> Result<(), SimError> {
        let level = self.areas[parent].level;
        let Some(child_level) = level.child() else {
            let unit = self.units.len() as u32;
            self.units.push(parent);
            self.areas[parent].units = unit..unit + 1;
            return Ok(());
        };
        let (lo, hi) = spec.range(child_level);
        let n = rng.random_range(lo..=hi) as usize;
        let spread = match child_level {
            Level::Province => 0.45,
            Level::County => 0.6,
            Level::District => 0.4,
            _ => 0.25,
        };
        let jitter = LogNormal::new(0.0, spread).map_err(|e| SimError::Spec(e.to_string()))?;
        let mut weights: Vec<f64> = (0..n).map(|_| jitter.sample(rng)).collect();
        // The capital province and each province's first county (its city) are bigger.
        if matches!(child_level, Level::Province | Level::County) {
            weights[0] *= if child_level == Level::Province { 2.2 } else { 2.5 };
        }
        let floor = spec.max_units_below(child_level) * MIN_UNIT_POPULATION;
        let populations = apportion(self.areas[parent].population, &weights, floor);
        // Crowded areas get less land: area weight ~ population^0.55 with noise;
        // cities much denser still.
        let land: Vec<f64> = populations
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let dense = if i == 0 && matches!(child_level, Level::Province | Level::County) { 0.3 } else { 1.0 };
                (*p as f64).powf(0.55) * dense * jitter.sample(rng).sqrt()
            })
            .collect();
        let rects = self.areas[parent].bounds.split(&land);
        let first_unit = self.units.len() as u32;
        for (i, (population, bounds)) in populations.into_iter().zip(rects).enumerate() {
            let (code, name) = self.name_child(parent, child_level, i, rng, taken);
            let id = self.areas.len();
            self.areas.push(Area {
                code,
                name,
                level: child_level,
                parent: Some(parent),
                children: Vec::new(),
                population,
                bounds,
                units: 0..0,
            });
            self.areas[parent].children.push(id);
            self.grow(spec, id, rng, taken)?;
        }
        self.areas[parent].units = first_unit..self.units.len() as u32;
        Ok(())
    }

    fn name_child(&self, parent: AreaId, level: Level, i: usize, rng: &mut ChaCha8Rng, taken: &mut BTreeSet<String>) -> (String, String) {
        let p = &self.areas[parent];
        match level {
            Level::Province => {
                let base = names::unique_place(rng, taken);
                let name = if i == 0 { format!("{base} Capital City") } else { format!("{base} Province") };
                (format!("{}", 11 + i), name)
            }
            Level::County => {
                let base = names::unique_place(rng, taken);
                let name = if i == 0 { format!("{base} City") } else { format!("{base} County") };
                (format!("{}{:02}", p.code, i + 1), name)
            }
            Level::District => {
                let urban = self.areas[parent].name.ends_with("City") || p.parent == Some(self.province_of_capital());
                let suffix = if urban { "dong" } else { "myeon" };
                (format!("{}{:02}", p.code, i + 1), format!("{}-{suffix}", names::place(rng)))
            }
            Level::Unit | Level::Nation => (format!("{}{:02}", p.code, i + 1), format!("Unit {}, {}", i + 1, p.name)),
        }
    }

    fn province_of_capital(&self) -> AreaId {
        self.areas[0].children.first().copied().unwrap_or(0)
    }

    fn add_facilities(&mut self, rng: &mut ChaCha8Rng) {
        let provinces: Vec<AreaId> = self.at_level(Level::Province).collect();
        for &p in &provinces {
            let (code, name) = (self.areas[p].code.clone(), self.areas[p].name.clone());
            let seat = self.areas[p].children.first().copied().unwrap_or(p);
            let short = name.trim_end_matches(" Province").trim_end_matches(" Capital City").to_owned();
            self.facility(format!("{code}-H"), format!("{short} General Hospital"), FacilityKind::Hospital, seat);
            self.facility(format!("{code}-L"), format!("{short} Public Health Laboratory"), FacilityKind::Laboratory, seat);
        }
        let counties: Vec<AreaId> = self.at_level(Level::County).collect();
        for &c in &counties {
            let (code, name) = (self.areas[c].code.clone(), self.areas[c].name.clone());
            let short = name.trim_end_matches(" County").trim_end_matches(" City").to_owned();
            self.facility(format!("{code}-Q"), format!("{short} Quarantine Centre"), FacilityKind::QuarantineCentre, c);
        }
        let bounds = self.areas[0].bounds;
        let biggest_on = |country: &Country, edge: &dyn Fn(&Rect) -> bool, n: usize| {
            let mut on: Vec<AreaId> = counties.iter().copied().filter(|&c| edge(&country.areas[c].bounds)).collect();
            on.sort_by(|a, b| country.areas[*b].population.cmp(&country.areas[*a].population).then(a.cmp(b)));
            on.truncate(n);
            on
        };
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let capital_city = self.areas[self.province_of_capital()].children.first().copied().unwrap_or(0);
        let mut entries: Vec<(AreaId, &str, f64)> = vec![(capital_city, "airport", 0.5)];
        for c in biggest_on(self, &|r: &Rect| near(r.east, bounds.east) || near(r.west, bounds.west), 2) {
            entries.push((c, "port", 0.15));
        }
        for c in biggest_on(self, &|r: &Rect| near(r.north, bounds.north), 2) {
            entries.push((c, "crossing", 0.1));
        }
        let total: f64 = entries.iter().map(|e| e.2).sum();
        for (area, kind, traffic) in entries {
            let (code, name) = (self.areas[area].code.clone(), self.areas[area].name.clone());
            let short = name.trim_end_matches(" County").trim_end_matches(" City").to_owned();
            let (suffix, label) = match kind {
                "airport" => ("AIR", format!("{short} International Airport")),
                "port" => ("PORT", format!("Port of {short}")),
                _ => ("BC", format!("{short} Border Crossing")),
            };
            let facility = self.facility(format!("{code}-{suffix}"), label, FacilityKind::PointOfEntry, area);
            // Traffic varies a little between runs of different seeds.
            let traffic = traffic * rng.random_range(0.8..1.25) / total;
            self.points_of_entry.push(PointOfEntry { facility, area, traffic });
        }
        let sum: f64 = self.points_of_entry.iter().map(|p| p.traffic).sum();
        for p in &mut self.points_of_entry {
            p.traffic /= sum;
        }
    }

    fn facility(&mut self, code: String, name: String, kind: FacilityKind, area: AreaId) -> usize {
        self.facilities.push(FacilitySpec { code, name, kind, area });
        self.facilities.len() - 1
    }
}

/// Splits `total` into parts proportional to `weights`, each at least
/// `floor` (when `total` allows), summing exactly to `total` (largest
/// remainder method).
#[must_use]
#[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "floored shares of `total`: whole, ≥ 0 and at most `total`")]
pub fn apportion(total: u64, weights: &[f64], floor: u64) -> Vec<u64> {
    let n = weights.len() as u64;
    if n == 0 {
        return Vec::new();
    }
    let floor = floor.min(total / n);
    let rest = total - floor * n;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| if sum > 0.0 { rest as f64 * w / sum } else { rest as f64 / n as f64 }).collect();
    let mut parts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = rest - parts.iter().sum::<u64>().min(rest);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.iter().map(|p| p + floor).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_sum_up_the_tree_and_codes_are_unique() {
        let country = Country::generate(&CountrySpec::of(Scale::Small), 7).unwrap();
        assert_eq!(country.nation().population, 320_000);
        let mut codes = BTreeSet::new();
        for area in &country.areas {
            assert!(codes.insert(area.code.clone()), "duplicate code {}", area.code);
            if !area.children.is_empty() {
                let sum: u64 = area.children.iter().map(|c| country.areas[*c].population).sum();
                assert_eq!(sum, area.population, "{}", area.code);
            }
            if let Some(p) = area.parent {
                assert!(area.code.starts_with(&country.areas[p].code) || p == 0);
            }
        }
        let units: u64 = country.units.iter().map(|u| country.areas[*u].population).sum();
        assert_eq!(units, 320_000);
        assert!(country.units.iter().all(|u| country.areas[*u].population >= MIN_UNIT_POPULATION));
        assert!(!country.points_of_entry.is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_country() {
        let spec = CountrySpec::of(Scale::Small);
        assert_eq!(Country::generate(&spec, 3).unwrap(), Country::generate(&spec, 3).unwrap());
        assert_ne!(Country::generate(&spec, 3).unwrap(), Country::generate(&spec, 4).unwrap());
    }

    #[test]
    fn the_default_country_has_nine_to_twelve_provinces_and_25_million() {
        let country = Country::generate(&CountrySpec::of(Scale::Country), 1).unwrap();
        let provinces = country.at_level(Level::Province).count();
        assert!((9..=12).contains(&provinces), "{provinces}");
        assert_eq!(country.nation().population, 25_000_000);
    }

    #[test]
    fn apportion_is_exact_and_keeps_the_floor() {
        let parts = apportion(1000, &[1.0, 0.0001, 3.0], 100);
        assert_eq!(parts.iter().sum::<u64>(), 1000);
        assert!(parts.iter().all(|p| *p >= 100));
        assert_eq!(apportion(10, &[], 1), Vec::<u64>::new());
    }

    #[test]
    fn a_country_too_small_for_its_shape_is_refused() {
        let spec = CountrySpec { population: 1000, ..CountrySpec::of(Scale::Small) };
        assert!(matches!(Country::generate(&spec, 1), Err(SimError::Spec(_))));
    }
}
