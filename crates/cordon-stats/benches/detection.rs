//! Benchmarks against the R timings of `shared/ref/TIMINGS.md`: the same work
//! as R's `system.time(...)` calls, on the same data.
//!
//! * farringtonFlexible with Noufaily settings on fluBYBW (140 units, 313:416);
//! * earsC C3 (baseline 7, alpha 0.001) on the same;
//! * `estimate_R` parametric (2.6, 1.5) and non-parametric SI on Flu2009, 100 calls each.
//!
//! Run with `cargo bench -p cordon-stats`; units are spread over all cores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use cordon_stats::detector::{Detector, detect_units};
use cordon_stats::ears::{EarsConfig, EarsMethod};
use cordon_stats::farrington_flexible::FlexibleConfig;
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r, estimate_r_many};
use cordon_stats::series::{PeriodRange, Series};
use cordon_stats::table::{parse_incidence, parse_series, parse_si_distr};

fn main() {
    divan::main();
}

fn read(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ref/data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn flu_bybw() -> Vec<Series> {
    parse_series(&read("fluBYBW.csv"), None).expect("fluBYBW parses")
}

fn last_two_years() -> Option<PeriodRange> {
    PeriodRange::new(313, 416).ok()
}

/// R: 127.5 s.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn farrington_flexible_noufaily_flubybw(bencher: divan::Bencher) {
    let units = flu_bybw();
    let detector = Detector::FarringtonFlexible(FlexibleConfig { range: last_two_years(), ..FlexibleConfig::noufaily() });
    bencher.bench(|| detect_units(&detector, divan::black_box(&units)).expect("runs"));
}

/// R: 0.333 s.
#[divan::bench(sample_count = 20)]
fn ears_c3_flubybw(bencher: divan::Bencher) {
    let units = flu_bybw();
    let detector = Detector::Ears(EarsConfig { range: last_two_years(), method: EarsMethod::C3, ..EarsConfig::default() });
    bencher.bench(|| detect_units(&detector, divan::black_box(&units)).expect("runs"));
}

fn flu2009() -> Vec<f64> {
    parse_incidence(&read("Flu2009_incidence.csv")).expect("Flu2009 parses").counts
}

fn parametric() -> RtConfig {
    RtConfig::new(SerialInterval::Parametric { mean_si: 2.6, std_si: 1.5 })
}

fn non_parametric() -> RtConfig {
    RtConfig::new(SerialInterval::NonParametric(parse_si_distr(&read("Flu2009_si_distr.csv")).expect("SI parses")))
}

/// R: 0.381 s for 100 sequential calls. Here: the 100 repetitions as 100 units, on all cores.
#[divan::bench(sample_count = 30)]
fn estimate_r_parametric_100_series(bencher: divan::Bencher) {
    let series = vec![flu2009(); 100];
    let config = parametric();
    bencher.bench(|| estimate_r_many(divan::black_box(&series), &config).expect("runs"));
}

/// R: 0.376 s for 100 sequential calls. Here: the 100 repetitions as 100 units, on all cores.
#[divan::bench(sample_count = 30)]
fn estimate_r_non_parametric_100_series(bencher: divan::Bencher) {
    let series = vec![flu2009(); 100];
    let config = non_parametric();
    bencher.bench(|| estimate_r_many(divan::black_box(&series), &config).expect("runs"));
}

/// The same 100 calls one after another on one core, as R ran them.
#[divan::bench(sample_count = 30)]
fn estimate_r_parametric_100_calls_one_core(bencher: divan::Bencher) {
    let incidence = flu2009();
    let config = parametric();
    bencher.bench(|| {
        for _ in 0..100 {
            divan::black_box(estimate_r(divan::black_box(&incidence), &config).expect("runs"));
        }
    });
}

/// The same 100 calls one after another on one core, as R ran them.
#[divan::bench(sample_count = 30)]
fn estimate_r_non_parametric_100_calls_one_core(bencher: divan::Bencher) {
    let incidence = flu2009();
    let config = non_parametric();
    bencher.bench(|| {
        for _ in 0..100 {
            divan::black_box(estimate_r(divan::black_box(&incidence), &config).expect("runs"));
        }
    });
}
