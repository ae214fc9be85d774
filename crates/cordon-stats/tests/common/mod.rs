//! Shared helpers of the reference tests: locating `tests/ref`, running the
//! configuration a reference tag names, and comparing two CSV tables with the
//! tolerances of the reference README.

#![allow(dead_code, reason = "each test binary uses only some of the shared helpers")]

use std::path::PathBuf;

use cordon_stats::csv_text::read_records;
use cordon_stats::detector::{Detector, detect_units};
use cordon_stats::ears::{EarsConfig, EarsMethod};
use cordon_stats::farrington::FarringtonConfig;
use cordon_stats::farrington_flexible::{FlexibleConfig, ThresholdMethod};
use cordon_stats::report::{format_detections, format_lambda, format_rt, format_si_distr};
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use cordon_stats::series::PeriodRange;
use cordon_stats::table::{parse_incidence, parse_series, parse_si_distr};
use cordon_stats::{bayes::BayesConfig, cusum::CusumConfig, glr::GlrConfig};

/// How many reference outputs the copied folder holds (a guard against an empty folder).
pub const ALL_CASES: usize = 64;

/// `tests/ref`.
pub fn ref_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("ref")
}

/// `tests/ref/out`.
pub fn out_dir() -> PathBuf {
    ref_dir().join("out")
}

/// Reads `tests/ref/data/<name>`.
pub fn data(name: &str) -> Result<String, String> {
    let path = ref_dir().join("data").join(name);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The reason a tag is listed as a known mismatch, if it is.
pub fn known_mismatch(table: &[(&str, &'static str)], tag: &str) -> Option<&'static str> {
    table.iter().find(|(t, _)| *t == tag).map(|(_, r)| *r)
}

/// The range R used, read back from the reference file (first unit's `period_index`).
fn reference_range(tag: &str) -> Result<PeriodRange, String> {
    let text = std::fs::read_to_string(out_dir().join(format!("{tag}.csv"))).map_err(|e| e.to_string())?;
    let records = read_records(&text).map_err(|e| e.to_string())?;
    let first_unit = &records[1].fields[0].text;
    let idx: Vec<usize> =
        records[1..].iter().filter(|r| &r.fields[0].text == first_unit).map(|r| r.fields[1].text.parse().unwrap()).collect();
    PeriodRange::new(idx[0], *idx.last().unwrap()).map_err(|e| e.to_string())
}

/// The detector a reference tag names (with the range of its file).
pub fn detector_for(algorithm: &str, range: PeriodRange) -> Result<Detector, String> {
    let r = Some(range);
    let b_of = |s: &str| {
        if s.ends_with("_b2") || s.ends_with("b2w3") {
            2
        } else if s.ends_with("b3w3") {
            3
        } else {
            5
        }
    };
    Ok(match algorithm {
        "earsC_C1" => Detector::Ears(EarsConfig { method: EarsMethod::C1, ..EarsConfig::default() }),
        "earsC_C2" => Detector::Ears(EarsConfig { method: EarsMethod::C2, ..EarsConfig::default() }),
        "earsC_C3" => Detector::Ears(EarsConfig { method: EarsMethod::C3, ..EarsConfig::default() }),
        "earsC_C3a0.025" => Detector::Ears(EarsConfig { method: EarsMethod::C3, alpha: 0.025, ..EarsConfig::default() }),
        "cusum" => Detector::Cusum(CusumConfig { range: r, ..CusumConfig::default() }),
        "bayes" => Detector::Bayes(BayesConfig { range: r, ..BayesConfig::default() }),
        "glrpois" => Detector::GlrPoisson(GlrConfig { range: r, ..GlrConfig::default() }),
        a if a.starts_with("farrington_") => Detector::Farrington(FarringtonConfig { range: r, b: b_of(a), ..FarringtonConfig::default() }),
        a if a.starts_with("ff_") => {
            let b = b_of(a);
            let base = FlexibleConfig { range: r, b, ..FlexibleConfig::default() };
            Detector::FarringtonFlexible(if a.starts_with("ff_default") {
                base
            } else if a.starts_with("ff_orig1996") {
                FlexibleConfig { weights_threshold: 1.0, ..base }
            } else if a.starts_with("ff_noufaily") {
                FlexibleConfig { range: r, b, ..FlexibleConfig::noufaily() }
            } else if a.starts_with("ff_muan") {
                FlexibleConfig { range: r, b, threshold_method: ThresholdMethod::Muan, ..FlexibleConfig::noufaily() }
            } else {
                return Err(format!("unknown farringtonFlexible variant {a}"));
            })
        }
        other => return Err(format!("no configuration known for algorithm tag `{other}`")),
    })
}

/// Runs the computation a reference tag names; returns `(file suffix, our CSV)` pairs.
pub fn run_case(tag: &str) -> Result<Vec<(&'static str, String)>, String> {
    let (algorithm, dataset) = tag.split_once("__").ok_or_else(|| format!("bad tag {tag}"))?;
    if let Some(variant) = algorithm.strip_prefix("estimateR_") {
        return run_rt(variant, dataset);
    }
    let series = parse_series(&data(&format!("{dataset}.csv"))?, None).map_err(|e| e.to_string())?;
    let range = reference_range(tag)?;
    let detector = detector_for(algorithm, range)?;
    let results = detect_units(&detector, &series).map_err(|e| e.to_string())?;
    let text = format_detections(detector.columns(), series.iter().zip(&results).map(|(s, d)| (s.unit.as_str(), d.as_slice())));
    Ok(vec![("", text)])
}

fn run_rt(variant: &str, dataset: &str) -> Result<Vec<(&'static str, String)>, String> {
    let incidence = parse_incidence(&data(&format!("{dataset}_incidence.csv"))?).map_err(|e| e.to_string())?;
    let si = if let Some(rest) = variant.strip_prefix("parametric_m") {
        let (m, s) = rest.split_once("_s").ok_or("bad parametric tag")?;
        SerialInterval::Parametric { mean_si: m.parse().map_err(|_| "mean")?, std_si: s.parse().map_err(|_| "sd")? }
    } else {
        let w = parse_si_distr(&data(&format!("{dataset}_si_distr.csv"))?).map_err(|e| e.to_string())?;
        SerialInterval::NonParametric(w)
    };
    let mut config = RtConfig::new(si);
    if variant.ends_with("_14d") {
        let days = incidence.counts.len();
        config.t_start = Some((2..=days - 13).collect());
        config.t_end = Some((15..=days).collect());
    }
    let result = estimate_r(&incidence.counts, &config).map_err(|e| e.to_string())?;
    Ok(vec![
        ("", format_rt(&result.estimates)),
        (".lambda", format_lambda(&result.local, &result.imported, &result.lambda)),
        (".si_distr", format_si_distr(&result.si_distr)),
    ])
}

fn tolerance(tag: &str, column: &str, reference: f64) -> f64 {
    let scale = reference.abs().max(1.0);
    if tag.starts_with("ff_muan") && (column == "mu0" || column == "upperbound") && reference.abs() > 1e6 {
        return 1e-6 * scale;
    }
    1e-9 * scale
}

/// Compares our table with the reference: same header, rows, NA/NaN positions,
/// exact flags, continuous values within tolerance.
pub fn compare_tables(tag: &str, ours: &str, reference: &str) -> Result<(), String> {
    let ours = read_records(ours).map_err(|e| format!("our output does not parse: {e}"))?;
    let refs = read_records(reference).map_err(|e| format!("reference does not parse: {e}"))?;
    let header: Vec<&str> = refs[0].fields.iter().map(|f| f.text.as_str()).collect();
    let our_header: Vec<&str> = ours[0].fields.iter().map(|f| f.text.as_str()).collect();
    if header != our_header {
        return Err(format!("header differs: ours {our_header:?}, R {header:?}"));
    }
    if ours.len() != refs.len() {
        return Err(format!("{} rows, R has {}", ours.len() - 1, refs.len() - 1));
    }
    let mut problems = Vec::new();
    for (o, r) in ours[1..].iter().zip(&refs[1..]) {
        for (i, name) in header.iter().enumerate() {
            let (a, b) = (&o.fields[i].text, &r.fields[i].text);
            if a == b {
                continue;
            }
            let exact = matches!(*name, "unit" | "period_index" | "alarm" | "trend" | "observed" | "t_start" | "t_end" | "t" | "k");
            let ok = match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) if !exact && x.is_finite() && y.is_finite() => (x - y).abs() <= tolerance(tag, name, y),
                _ => false,
            };
            if !ok {
                problems.push(format!("line {} `{name}`: ours {a}, R {b}", r.line));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let n = problems.len();
        problems.truncate(8);
        Err(format!("{n} cells differ, e.g.\n    {}", problems.join("\n    ")))
    }
}
