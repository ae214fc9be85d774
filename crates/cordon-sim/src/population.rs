//! The synthetic population: every resident is a number, residents of a
//! unit are consecutive numbers, and a unit's residents are cut into
//! households of consecutive numbers. Units are numbered depth-first, so the
//! residents of any district, county or province are one range too, and
//! picking "someone in the district" is one uniform draw.
//!
//! Nothing is stored per resident here but the household boundaries (4 bytes
//! a household); the model keeps one byte of state per resident.

use rand::Rng;

use crate::country::{AreaId, Country};

/// Household sizes 1-5 and their shares (Statistics Korea, 2020 Population
/// and Housing Census: 31.7%, 28.0%, 20.1%, 15.6%, 4.6% for 5 or more).
pub const HOUSEHOLD_SIZES: [(u32, f64); 5] = [(1, 0.317), (2, 0.280), (3, 0.201), (4, 0.156), (5, 0.046)];

/// Residents, units and households as index ranges.
#[derive(Debug, Clone)]
pub struct Population {
    /// First resident of each unit; one extra entry holds the total.
    unit_start: Vec<u32>,
    /// First resident of each household; one extra entry holds the total.
    household_start: Vec<u32>,
    /// First household of each unit; one extra entry holds the count.
    unit_household: Vec<u32>,
}

impl Population {
    /// Lays out the residents of `country` and draws their households.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "residents and households number at most the population, and CountrySpec::check caps it at u32::MAX; \
                  the capacity is only an estimate"
    )]
    pub fn new(country: &Country, rng: &mut impl Rng) -> Population {
        let mut unit_start = Vec::with_capacity(country.units.len() + 1);
        let mut unit_household = Vec::with_capacity(country.units.len() + 1);
        let total: u64 = country.units.iter().map(|u| country.areas[*u].population).sum();
        let mut household_start = Vec::with_capacity((total as f64 / 2.3) as usize + 16);
        let mut next: u32 = 0;
        for &unit in &country.units {
            unit_start.push(next);
            unit_household.push(household_start.len() as u32);
            let end = next + country.areas[unit].population as u32;
            while next < end {
                household_start.push(next);
                next = (next + household_size(rng)).min(end);
            }
        }
        unit_start.push(next);
        unit_household.push(household_start.len() as u32);
        household_start.push(next);
        Population { unit_start, household_start, unit_household }
    }

    /// Number of residents.
    #[must_use]
    pub fn len(&self) -> u32 {
        self.unit_start.last().copied().unwrap_or(0)
    }

    /// Whether there is nobody.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of units.
    #[must_use]
    pub fn units(&self) -> usize {
        self.unit_start.len() - 1
    }

    /// Number of households.
    #[must_use]
    pub fn households(&self) -> usize {
        self.household_start.len() - 1
    }

    /// The residents of a unit.
    #[must_use]
    pub fn unit_range(&self, unit: u32) -> std::ops::Range<u32> {
        self.unit_start[unit as usize]..self.unit_start[unit as usize + 1]
    }

    /// The residents of an area (any level).
    #[must_use]
    pub fn area_range(&self, country: &Country, area: AreaId) -> std::ops::Range<u32> {
        let units = &country.areas[area].units;
        self.unit_start[units.start as usize]..self.unit_start[units.end as usize]
    }

    /// The unit a resident lives in.
    #[must_use]
    #[expect(clippy::cast_possible_truncation, reason = "a unit number: there are fewer units than residents, at most u32::MAX")]
    pub fn unit_of(&self, person: u32) -> u32 {
        (self.unit_start.partition_point(|&s| s <= person) - 1) as u32
    }

    /// The members of the resident's household (including the resident).
    #[must_use]
    pub fn household_of(&self, person: u32, unit: u32) -> std::ops::Range<u32> {
        let lo = self.unit_household[unit as usize] as usize;
        let hi = self.unit_household[unit as usize + 1] as usize;
        let i = lo + self.household_start[lo..hi].partition_point(|&s| s <= person) - 1;
        self.household_start[i]..self.household_start[i + 1]
    }

    /// Mean household size seen by a resident (size-biased), for the
    /// household share of the reproduction number.
    #[must_use]
    pub fn mean_household_seen(&self) -> f64 {
        let (mut sum, mut sq) = (0.0, 0.0);
        for w in self.household_start.windows(2) {
            let n = f64::from(w[1] - w[0]);
            sum += n;
            sq += n * n;
        }
        if sum > 0.0 { sq / sum } else { 1.0 }
    }
}

fn household_size(rng: &mut impl Rng) -> u32 {
    let mut pick: f64 = rng.random();
    for (size, share) in HOUSEHOLD_SIZES {
        if pick < share {
            return size;
        }
        pick -= share;
    }
    // Five or more: 5 to 7.
    5 + rng.random_range(0..3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country::{CountrySpec, Scale};
    use rand::SeedableRng;

    #[test]
    fn households_tile_units_and_units_tile_the_country() {
        let country = Country::generate(&CountrySpec::of(Scale::Small), 5).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let pop = Population::new(&country, &mut rng);
        assert_eq!(u64::from(pop.len()), country.nation().population);
        for unit in (0_u32..).take(pop.units()) {
            let r = pop.unit_range(unit);
            assert_eq!(u64::from(r.end - r.start), country.unit(unit).population);
            let mut p = r.start;
            while p < r.end {
                assert_eq!(pop.unit_of(p), unit);
                let h = pop.household_of(p, unit);
                assert_eq!(h.start, p);
                assert!(h.end <= r.end && h.end > h.start);
                p = h.end;
            }
        }
        let seen = pop.mean_household_seen();
        assert!((2.5..3.6).contains(&seen), "{seen}");
        assert_eq!(pop.area_range(&country, country.units[0]), pop.unit_range(0));
        assert_eq!(pop.area_range(&country, 0), 0..pop.len());
    }
}
