//! Alarm counts on the held-back data sets.
//!
//! The reference README's per-file index lists, for every reference (including
//! the held-back fluBYBW, measlesDE and momo ones), how many time points alarm
//! and how many have an `NA` alarm. measlesDE and momo inputs are exported from
//! the R package (`tests/ref/extra/export.R`); fluBYBW is the shared input. Only
//! the fast methods run on fluBYBW here; its Farrington runs are covered cell by
//! cell in `extra_reference.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod common;

use std::path::Path;

use common::{data, detector_for, ref_dir};
use cordon_stats::detector::detect_units;
use cordon_stats::series::PeriodRange;
use cordon_stats::table::parse_series;

/// One line of the README index: algorithm tag, data set, range, alarms, NA alarms.
type IndexLine = (&'static str, &'static str, (usize, usize), usize, usize);

/// The lines of the reference README's index for held-back references.
const INDEX: &[IndexLine] = &[
    ("earsC_C1", "fluBYBW", (8, 416), 1825, 0),
    ("earsC_C2", "fluBYBW", (10, 416), 2826, 0),
    ("earsC_C3", "fluBYBW", (12, 416), 1487, 44088),
    ("earsC_C3a0.025", "fluBYBW", (12, 416), 1672, 44088),
    ("cusum", "fluBYBW", (313, 416), 10679, 208),
    ("bayes", "fluBYBW", (313, 416), 724, 0),
    ("glrpois", "fluBYBW", (313, 416), 1044, 0),
    ("earsC_C1", "measlesDE", (8, 156), 117, 0),
    ("earsC_C2", "measlesDE", (10, 156), 150, 0),
    ("earsC_C3", "measlesDE", (12, 156), 94, 1045),
    ("earsC_C3a0.025", "measlesDE", (12, 156), 115, 1045),
    ("cusum", "measlesDE", (53, 156), 546, 104),
    ("bayes", "measlesDE", (53, 156), 69, 0),
    ("glrpois", "measlesDE", (53, 156), 115, 0),
    ("farrington_b2w3", "measlesDE", (108, 156), 16, 0),
    ("ff_default_b2", "measlesDE", (108, 156), 16, 0),
    ("ff_noufaily_b2", "measlesDE", (108, 156), 16, 0),
    ("ff_muan_b2", "measlesDE", (108, 156), 12, 0),
    ("ff_orig1996_b2", "measlesDE", (108, 156), 18, 0),
    ("earsC_C1", "momo", (8, 782), 146, 0),
    ("earsC_C2", "momo", (10, 782), 187, 0),
    ("earsC_C3", "momo", (12, 782), 198, 0),
    ("earsC_C3a0.025", "momo", (12, 782), 452, 0),
    ("cusum", "momo", (679, 782), 191, 0),
    ("bayes", "momo", (679, 782), 64, 0),
    ("glrpois", "momo", (679, 782), 34, 0),
    ("farrington_b3w3", "momo", (679, 782), 40, 0),
    ("farrington_b5w3", "momo", (679, 782), 51, 0),
    ("ff_default_b5", "momo", (679, 782), 64, 0),
    ("ff_noufaily_b5", "momo", (679, 782), 52, 0),
    ("ff_muan_b5", "momo", (679, 782), 44, 0),
    ("ff_orig1996_b5", "momo", (679, 782), 87, 0),
];

fn input(dataset: &str) -> String {
    let extra = ref_dir().join("extra").join(format!("{dataset}.csv"));
    if Path::new(&extra).exists() { std::fs::read_to_string(extra).unwrap() } else { data(&format!("{dataset}.csv")).unwrap() }
}

#[test]
fn alarm_counts_on_held_back_data_match_the_reference_index() {
    let mut failures = Vec::new();
    for &(tag, dataset, (from, to), alarms, missing) in INDEX {
        let units = parse_series(&input(dataset), None).unwrap();
        let detector = detector_for(tag, PeriodRange::new(from, to).unwrap()).unwrap();
        let results = detect_units(&detector, &units).unwrap();
        let rows = results.iter().flatten();
        let ours = (rows.clone().filter(|d| d.alarm == Some(true)).count(), rows.filter(|d| d.alarm.is_none()).count());
        if ours != (alarms, missing) {
            failures.push(format!("{tag}__{dataset}: {ours:?} alarms/NA, R {:?}", (alarms, missing)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
