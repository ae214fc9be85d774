//! Who a resident is, made up on demand: name, sex, age and address are a
//! pure function of the seed and the resident's number, so nothing is kept
//! for the millions who never report, and a resident who reports twice is
//! the same person both times. Members of a household share the family name
//! of its first member and the same address.

use cordon_core::person::{PersonInput, Sex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::names;

/// Age bands and their shares of the population (Statistics Korea, 2020
/// mid-year estimates, rounded): 0-9 8%, 10-19 9.5%, 20-29 13%, ...
const AGE_BANDS: [(u8, f64); 9] = [(0, 8.0), (10, 9.5), (20, 13.0), (30, 13.5), (40, 16.0), (50, 16.5), (60, 13.0), (70, 7.5), (80, 3.0)];

/// A made-up resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident {
    /// Full name, family name first.
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Age in years.
    pub age: u8,
    /// Address within the unit.
    pub address: String,
}

impl Resident {
    /// Makes up resident `person`, member of the household that starts at
    /// resident `household` and is the unit's `house`-th (from 1).
    #[must_use]
    pub fn of(seed: u64, person: u32, household: u32, house: u32) -> Resident {
        let mut own = rng_for(seed, person);
        let mut home = rng_for(seed, household);
        let family_name = names::person(&mut home);
        let given = names::person(&mut own);
        let family = family_name.split(' ').next().unwrap_or("Kim");
        let given = given.split(' ').nth(1).unwrap_or("Min-jun");
        let sex = if own.random_bool(0.5) { Sex::Female } else { Sex::Male };
        let age = age(&mut own);
        let address = if home.random_bool(0.6) {
            format!("Flat {}-{}, block {}", 1 + house % 15, 101 + (house / 15) % 20 * 100 + house % 4, 1 + house / 60)
        } else {
            format!("House {house}")
        };
        Resident { full_name: format!("{family} {given}"), sex, age, address }
    }

    /// The resident as the API's registration form, in `year`.
    #[must_use]
    pub fn input(&self, unit_code: &str, year: i16) -> PersonInput {
        PersonInput {
            full_name: self.full_name.clone(),
            sex: self.sex,
            birth_year: i32::from(year) - i32::from(self.age),
            unit_code: unit_code.to_owned(),
            phone: None,
            address: Some(self.address.clone()),
            document_number: None,
            confirm_new: true,
        }
    }
}

fn rng_for(seed: u64, person: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ u64::from(person).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(3);
    rng
}

fn age(rng: &mut ChaCha8Rng) -> u8 {
    let total: f64 = AGE_BANDS.iter().map(|b| b.1).sum();
    let mut pick = rng.random_range(0.0..total);
    for (from, share) in AGE_BANDS {
        if pick < share {
            return from + rng.random_range(0..10);
        }
        pick -= share;
    }
    80 + rng.random_range(0..15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resident_is_the_same_every_time_and_passes_registration() {
        let a = Resident::of(9, 1234, 1233, 17);
        assert_eq!(a, Resident::of(9, 1234, 1233, 17));
        let sibling = Resident::of(9, 1233, 1233, 17);
        assert_eq!(a.full_name.split(' ').next(), sibling.full_name.split(' ').next());
        assert_eq!(a.address, sibling.address);
        assert!(a.input("11010101", 2026).parse(2026).is_ok());
    }
}
