//! Reference tests: every file in `tests/ref/out` (copied from R's
//! `surveillance` 1.20.3 / `EpiEstim` 2.2-4 runs, see `tests/ref/README-upstream.md`)
//! is recomputed from `tests/ref/data` and compared cell by cell.
//!
//! Continuous values must agree within `1e-9·max(1, |r|)`; alarms, trend flags,
//! integer bounds and the positions of `NA`/`NaN` must be identical. A file that
//! cannot be matched must be listed in [`KNOWN_MISMATCHES`] with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod common;

use common::{ALL_CASES, compare_tables, known_mismatch, out_dir, run_case};

/// Reference files we knowingly do not reproduce, with the reason.
const KNOWN_MISMATCHES: &[(&str, &str)] = &[];

#[test]
fn every_reference_output_is_reproduced() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(out_dir())
        .expect("tests/ref/out exists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| {
            std::path::Path::new(n).extension().is_some_and(|e| e == "csv") && !n.ends_with(".lambda.csv") && !n.ends_with(".si_distr.csv")
        })
        .collect();
    files.sort();
    for name in &files {
        let tag = name.trim_end_matches(".csv");
        let outcome = run_case(tag).and_then(|tables| {
            for (suffix, ours) in tables {
                let path = out_dir().join(format!("{tag}{suffix}.csv"));
                let reference = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                compare_tables(tag, &ours, &reference)?;
            }
            Ok(())
        });
        checked += 1;
        match (outcome, known_mismatch(KNOWN_MISMATCHES, tag)) {
            (Ok(()), None) => {}
            (Ok(()), Some(reason)) => failures.push(format!("{tag}: listed as a known mismatch ({reason}) but now matches")),
            (Err(e), None) => failures.push(format!("{tag}: {e}")),
            (Err(e), Some(reason)) => eprintln!("known mismatch {tag}: {reason}\n  {e}"),
        }
    }
    assert!(checked >= ALL_CASES, "only {checked} reference files found");
    assert!(failures.is_empty(), "{} of {checked} reference files differ:\n{}", failures.len(), failures.join("\n"));
}
