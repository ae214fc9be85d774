//! Fuzzing the importers without nightly: proptest drives every reader of a
//! file a user hands to cordon with arbitrary bytes, with text made of the
//! characters that matter to CSV and JSON, and with structure-aware
//! mutations of the seed files committed in `tests/corpus/<target>/`. The
//! property: the reader never panics, and when it refuses the input its
//! error says where: the line (within the file) and column for CSV, the
//! line and column of a JSON syntax error or the feature and property for
//! GeoJSON.
//!
//! Targets: the jurisdiction CSV and GeoJSON importers (`cordon import
//! jurisdictions`, the administrator's upload page), the boundary of one
//! node, the surveillance series read by `cordon detect`, the incidence and
//! serial-interval files read by `cordon rt`, and the Our World in Data
//! files read by `cordon import owid`.
//!
//! Each property runs 1,000 cases by default (a few seconds in all);
//! `CORDON_FUZZ_CASES=100000` (or `PROPTEST_CASES`) runs longer.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod mutate;
mod pipeline;

use std::path::Path;

use cordon_stats::StatsError;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestCaseError};

/// How many cases each property runs.
fn config() -> ProptestConfig {
    let cases = std::env::var("CORDON_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| if std::env::var_os("PROPTEST_CASES").is_some() { ProptestConfig::default().cases } else { 1_000 });
    let failures = FileFailurePersistence::Direct("tests/fuzz/proptest-regressions.txt");
    ProptestConfig { cases, failure_persistence: Some(Box::new(failures)), ..ProptestConfig::default() }
}

/// The seed files of one target.
fn corpus(target: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
}

/// How many lines `text` has, counting a last line without its end.
fn lines_in(text: &str) -> usize {
    text.split('\n').count()
}

/// Checks that a line named by an error lies in the text.
fn line_in(text: &str, line: u64, error: &str) -> Result<(), TestCaseError> {
    prop_assert!(line >= 1 && line <= lines_in(text) as u64, "line {line} is not in the text ({} lines): {error}", lines_in(text));
    Ok(())
}

/// Reads `line N` (and `, column C`) at the start of `error`.
fn line_and_column(error: &str) -> Option<(u64, Option<u64>)> {
    let rest = error.strip_prefix("line ")?;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let line = rest[..digits].parse().ok()?;
    let column = rest[digits..].strip_prefix(", column ").and_then(|r| {
        let digits = r.chars().take_while(char::is_ascii_digit).count();
        r[..digits].parse().ok()
    });
    Some((line, column))
}

/// The jurisdiction CSV: every error names its line; every error about a
/// record or a field names its column too. Only a header that lacks a
/// column and a file without rows name no column.
fn jurisdictions(text: &str) -> Result<(), TestCaseError> {
    let Err(error) = cordon_store::jurisdiction_csv::parse(text) else { return Ok(()) };
    let (line, column) = line_and_column(&error).ok_or_else(|| TestCaseError::fail(format!("no line in: {error}")))?;
    line_in(text, line, &error)?;
    let whole_file = error.contains("the header has no") || error.contains("but no rows");
    prop_assert!(whole_file || column.is_some_and(|c| c >= 1), "no column in: {error}");
    Ok(())
}

/// The GeoJSON jurisdiction file: a syntax error names its line and column,
/// anything else the feature and property (or the top-level member).
fn geojson(text: &str) -> Result<(), TestCaseError> {
    let Err(error) = cordon_store::boundaries::parse_feature_collection(text) else { return Ok(()) };
    if let Some((line, column)) = line_and_column(&error) {
        prop_assert!(column.is_some(), "no column in: {error}");
        return line_in(text, line, &error);
    }
    prop_assert!(error.starts_with("features") || error.starts_with("type:"), "nowhere named in: {error}");
    Ok(())
}

/// One node's boundary: refused for that node, never a panic.
fn boundary(text: &str) -> Result<(), TestCaseError> {
    if let Err(invalid) = cordon_core::boundary::parse("KR", text) {
        prop_assert_eq!(invalid.errors[0].field.as_str(), "boundary");
    }
    Ok(())
}

/// The cordon-stats readers: every refusal is a parse error at a line of
/// the text and a column from 1.
fn stats<T>(text: &str, read: impl Fn(&str) -> Result<T, StatsError>) -> Result<(), TestCaseError> {
    match read(text) {
        Ok(_) => Ok(()),
        Err(StatsError::Parse { line, column, message }) => {
            prop_assert!(column >= 1, "column 0: {message}");
            line_in(text, line as u64, &message)
        }
        Err(other) => Err(TestCaseError::fail(format!("an error that names no place: {other}"))),
    }
}

/// The OWID reader: every refusal names a line of the text and a column from 1.
fn owid(text: &str) -> Result<(), TestCaseError> {
    let Err(error) = cordon_core::abroad::read(text) else { return Ok(()) };
    prop_assert!(error.column >= 1, "column 0: {error}");
    line_in(text, error.line, &error.to_string())
}

/// A seed with one field of one data line replaced by a value no numeric
/// or date column accepts, optionally with CRLF line ends; the text, the
/// 1-based line changed, and the changed field's 1-based index and
/// character column. `None` when the seed's line has quoted commas (its
/// fields cannot be counted by splitting) or the field is a series' unit.
fn one_bad_field(seed: &str, line: usize, field: usize, crlf: bool) -> Option<(String, u64, usize, usize)> {
    let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
    let width = lines.first()?.split(',').count();
    let l = 1 + line % (lines.len().checked_sub(1).filter(|&n| n > 0)?);
    let mut fields: Vec<&str> = lines[l].split(',').collect();
    if fields.len() != width || lines[l].matches('"').count() != fields.iter().filter(|f| f.starts_with('"')).count() * 2 {
        return None;
    }
    let f = field % fields.len();
    if lines[0].split(',').nth(f) == Some("unit") {
        return None; // another unit's name splits the series elsewhere: refused at another line
    }
    let column = 1 + fields[..f].iter().map(|x| x.chars().count() + 1).sum::<usize>();
    fields[f] = "bad!";
    lines[l] = fields.join(",");
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(end);
    text.push_str(end);
    Some((text, l as u64 + 1, f + 1, column))
}

/// Where each CSV reader says its first problem is: line and column as it
/// counts columns (a field's index for the jurisdiction and OWID files, a
/// character for the cordon-stats files).
fn place_of(target: &str, text: &str) -> Option<(u64, usize)> {
    let stats = |e: StatsError| match e {
        StatsError::Parse { line, column, .. } => (line as u64, column),
        other => panic!("{other}"),
    };
    match target {
        "jurisdictions" => cordon_store::jurisdiction_csv::parse(text)
            .err()
            .map(|e| line_and_column(&e).map(|(l, c)| (l, c.map_or(0, |c| usize::try_from(c).unwrap()))).unwrap()),
        "owid" => cordon_core::abroad::read(text).err().map(|e| (e.line, e.column)),
        "series" => cordon_stats::table::parse_series(text, None).err().map(stats),
        "incidence" => cordon_stats::table::parse_incidence(text).err().map(stats),
        "si_distr" => cordon_stats::table::parse_si_distr(text).err().map(stats),
        _ => unreachable!("{target}"),
    }
}

proptest! {
    #![proptest_config(config())]
    /// A value no numeric or date column accepts, put in one field of a good
    /// file (LF or CRLF): refused at exactly that line and column, or
    /// accepted where the column is free text.
    #[test]
    fn a_bad_field_is_refused_at_its_line_and_column(
        target in prop::sample::select(&["jurisdictions", "owid", "series", "incidence", "si_distr"][..]),
        seed in any::<usize>(), line in any::<usize>(), field in any::<usize>(), crlf in any::<bool>(),
    ) {
        let seeds = corpus(target);
        let seed = &seeds[seed % seeds.len()];
        if place_of(target, seed).is_some() {
            return Ok(()); // a seed kept because it is refused (a past failure)
        }
        let Some((text, bad_line, index, character)) = one_bad_field(seed, line, field, crlf) else { return Ok(()) };
        if let Some((l, c)) = place_of(target, &text) {
            let column = if matches!(target, "jurisdictions" | "owid") { index } else { character };
            prop_assert_eq!((l, c), (bad_line, column), "{}", text);
        }
    }
}

/// What a reader made of a text: how many rows, or its error.
fn outcome(target: &str, text: &str) -> Result<usize, String> {
    let stats = |e: StatsError| e.to_string();
    match target {
        "jurisdictions" => cordon_store::jurisdiction_csv::parse(text).map(|(rows, _)| rows.len()),
        "geojson" => cordon_store::boundaries::parse_feature_collection(text).map(|rows| rows.len()),
        "owid" => cordon_core::abroad::read(text).map(|(_, rows)| rows.len()).map_err(|e| e.to_string()),
        "series" => cordon_stats::table::parse_series(text, None).map(|s| s.iter().map(|u| u.counts.len()).sum()).map_err(stats),
        "incidence" => cordon_stats::table::parse_incidence(text).map(|i| i.counts.len()).map_err(stats),
        "si_distr" => cordon_stats::table::parse_si_distr(text).map(|w| w.len()).map_err(stats),
        _ => unreachable!("{target}"),
    }
}

/// Spreadsheets write a byte-order mark and CRLF line ends: neither changes
/// what a file says, so neither changes what the reader makes of it.
#[test]
fn a_byte_order_mark_or_crlf_line_ends_change_nothing() {
    for target in ["jurisdictions", "geojson", "owid", "series", "incidence", "si_distr"] {
        for seed in corpus(target) {
            let plain = outcome(target, &seed);
            assert_eq!(outcome(target, &format!("\u{feff}{seed}")), plain, "{target} with a byte-order mark:\n{seed}");
            let crlf = seed.replace("\r\n", "\n").replace('\n', "\r\n");
            assert_eq!(outcome(target, &crlf), outcome(target, &seed.replace("\r\n", "\n")), "{target} with CRLF:\n{seed}");
        }
    }
}

/// Three properties per target: arbitrary bytes, structured text, and
/// mutations of the target's corpus.
macro_rules! fuzz {
    ($($target:ident: $corpus:literal => $check:expr;)*) => {$(
        mod $target {
            use super::*;
            proptest! {
                #![proptest_config(config())]
                #[test]
                fn arbitrary_bytes(text in mutate::bytes()) { ($check)(&text)?; }
                #[test]
                fn structured_text(text in mutate::structured()) { ($check)(&text)?; }
                #[test]
                fn mutated_seeds(text in mutate::mutated(corpus($corpus))) { ($check)(&text)?; }
            }

            #[test]
            fn every_seed_is_read() {
                for seed in corpus($corpus) {
                    ($check)(&seed).unwrap();
                }
            }
        }
    )*};
}

fuzz! {
    jurisdiction_csv: "jurisdictions" => jurisdictions;
    jurisdiction_geojson: "geojson" => geojson;
    node_boundary: "geojson" => boundary;
    detect_series: "series" => |t: &str| stats(t, |t| cordon_stats::table::parse_series(t, None));
    rt_incidence: "incidence" => |t: &str| stats(t, cordon_stats::table::parse_incidence);
    rt_serial_interval: "si_distr" => |t: &str| stats(t, cordon_stats::table::parse_si_distr);
    owid_reader: "owid" => owid;
}
