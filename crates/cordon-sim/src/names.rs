//! Names for the generated country: places built from syllables, and
//! residents' names from the commonest family names and given-name
//! syllables of the Korean peninsula, where the neighbourhood-unit system
//! that cordon implements was run. Tables of definitions are the allowed
//! exception to short files.

use rand::Rng;

const PLACE_FIRST: [&str; 40] = [
    "Han", "Kang", "Bu", "Dae", "Gwang", "Cheong", "Ma", "Sun", "Yang", "Ok", "Pyong", "Hae", "Nam", "Buk", "Seo", "Dong", "Jin", "Ul",
    "Chun", "Won", "Hwa", "Mun", "San", "Gye", "Sin", "Jang", "Ryong", "Son", "Un", "Pung", "Tae", "Sam", "Baek", "Geum", "Hyang", "Deok",
    "Song", "Il", "Yeon", "Mo",
];

const PLACE_SECOND: [&str; 24] = [
    "san", "won", "ju", "do", "chon", "ri", "gang", "pyeong", "ryong", "dong", "hae", "seong", "an", "gok", "po", "jin", "cheon", "nam",
    "bong", "hwa", "rim", "yang", "jeong", "mun",
];

/// Family names with their approximate share of the population (Statistics
/// Korea, 2015 census): Kim 21.5%, Lee 14.7%, Park 8.4%, ...
const FAMILY: [(&str, f64); 20] = [
    ("Kim", 21.5),
    ("Lee", 14.7),
    ("Park", 8.4),
    ("Choi", 4.7),
    ("Jung", 4.3),
    ("Kang", 2.3),
    ("Cho", 2.1),
    ("Yoon", 2.1),
    ("Jang", 2.0),
    ("Lim", 1.7),
    ("Han", 1.5),
    ("Oh", 1.5),
    ("Seo", 1.5),
    ("Shin", 1.5),
    ("Kwon", 1.4),
    ("Hwang", 1.4),
    ("Ahn", 1.3),
    ("Song", 1.3),
    ("Jeon", 1.1),
    ("Hong", 1.1),
];

const GIVEN_FIRST: [&str; 24] = [
    "Min", "Seo", "Ji", "Ha", "Do", "Ye", "Yu", "Su", "Jun", "Hyun", "Eun", "Woo", "Chae", "Da", "Si", "Ju", "Ga", "Na", "Tae", "Sung",
    "Young", "Jae", "Hye", "Kyung",
];

const GIVEN_SECOND: [&str; 24] = [
    "jun", "yeon", "hoon", "eun", "yun", "woo", "jin", "ah", "bin", "won", "seo", "ho", "min", "hyun", "a", "in", "rin", "su", "hee",
    "young", "sik", "ok", "ja", "chul",
];

/// A place name of two syllables, e.g. "Hwaseong".
pub fn place(rng: &mut impl Rng) -> String {
    let first = PLACE_FIRST[rng.random_range(0..PLACE_FIRST.len())];
    let second = PLACE_SECOND[rng.random_range(0..PLACE_SECOND.len())];
    format!("{first}{second}")
}

/// A place name not in `taken` (gives up after a few tries and numbers it).
pub fn unique_place(rng: &mut impl Rng, taken: &mut std::collections::BTreeSet<String>) -> String {
    for _ in 0..40 {
        let name = place(rng);
        if taken.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{} {}", place(rng), taken.len() + 1);
    taken.insert(name.clone());
    name
}

/// A resident's full name, family name first, e.g. "Kim Min-jun".
pub fn person(rng: &mut impl Rng) -> String {
    let total: f64 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0.0..total);
    let mut family = FAMILY[0].0;
    for (name, w) in FAMILY {
        if pick < w {
            family = name;
            break;
        }
        pick -= w;
    }
    let a = GIVEN_FIRST[rng.random_range(0..GIVEN_FIRST.len())];
    let b = GIVEN_SECOND[rng.random_range(0..GIVEN_SECOND.len())];
    format!("{family} {a}-{b}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn names_look_like_names() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let p = person(&mut rng);
        assert!(p.contains(' ') && p.contains('-'), "{p}");
        let mut taken = std::collections::BTreeSet::new();
        let names: Vec<_> = (0..100).map(|_| unique_place(&mut rng, &mut taken)).collect();
        assert_eq!(taken.len(), names.len());
    }
}
