//! Extra reference tests on data sets whose official references are held back
//! (fluBYBW, measlesDE, momo): outputs of the same R and package versions,
//! generated with `tests/ref/extra/generate.R` and cut to a few units each,
//! chosen to include the GLM non-convergence pattern (`NA` alarms) of sparse
//! districts. R's `write.csv` keeps 15 significant digits, well inside the
//! 1e-9 tolerance. See `tests/ref/extra/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod common;

use common::{compare_tables, data, detector_for, ref_dir};
use cordon_stats::csv_text::read_records;
use cordon_stats::detector::detect_units;
use cordon_stats::report::format_detections;
use cordon_stats::series::PeriodRange;
use cordon_stats::table::parse_series;

#[test]
fn held_back_data_sets_match_r_on_selected_units() {
    let dir = ref_dir().join("extra");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/ref/extra exists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".subset.csv"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no extra reference files");
    let mut failures = Vec::new();
    for name in &names {
        let tag = name.trim_end_matches(".subset.csv");
        let (algorithm, dataset) = tag.split_once("__").expect("tag is algorithm__dataset");
        let reference = std::fs::read_to_string(dir.join(name)).unwrap();
        let records = read_records(&reference).unwrap();
        let mut units: Vec<String> = Vec::new();
        for r in &records[1..] {
            if units.last() != Some(&r.fields[0].text) {
                units.push(r.fields[0].text.clone());
            }
        }
        let first: Vec<usize> =
            records[1..].iter().filter(|r| r.fields[0].text == units[0]).map(|r| r.fields[1].text.parse().unwrap()).collect();
        let range = PeriodRange::new(first[0], *first.last().unwrap()).unwrap();
        let all = parse_series(&data(&format!("{dataset}.csv")).unwrap(), None).unwrap();
        let series: Vec<_> = units.iter().filter_map(|u| all.iter().find(|s| &s.unit == u).cloned()).collect();
        let detector = detector_for(algorithm, range).unwrap();
        let results = detect_units(&detector, &series).unwrap();
        let ours = format_detections(detector.columns(), series.iter().zip(&results).map(|(s, d)| (s.unit.as_str(), d.as_slice())));
        if let Err(e) = compare_tables(algorithm, &ours, &reference) {
            failures.push(format!("{tag}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
