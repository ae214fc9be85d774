//! Property tests: invariants every detector and estimator must keep on any
//! input, checked on random series with proptest.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

use cordon_stats::csv_text::format_number;
use cordon_stats::detector::Detector;
use cordon_stats::dist::Discrete;
use cordon_stats::ears::{EarsConfig, EarsMethod, ears};
use cordon_stats::epiweek::WeekSystem;
use cordon_stats::farrington::FarringtonConfig;
use cordon_stats::farrington_flexible::FlexibleConfig;
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use cordon_stats::{CivilDate, Extra, PeriodRange, Series};
use cordon_stats::{bayes::BayesConfig, cusum::CusumConfig, glr::GlrConfig};
use proptest::prelude::*;

const FREQ: usize = 52;

fn series(counts: Vec<f64>) -> Series {
    Series::from_counts("unit", counts, FREQ).expect("freq is positive")
}

/// Weekly counts over three years plus a bit, so that b = 2 Farrington works.
fn weekly_counts() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0u32..60, 3 * FREQ + 10..3 * FREQ + 20).prop_map(|v| v.into_iter().map(f64::from).collect())
}

fn every_detector(n: usize) -> Vec<Detector> {
    let last = PeriodRange::new(n - 20, n).ok();
    vec![
        Detector::Ears(EarsConfig { method: EarsMethod::C1, ..EarsConfig::default() }),
        Detector::Ears(EarsConfig { method: EarsMethod::C2, ..EarsConfig::default() }),
        Detector::Ears(EarsConfig { method: EarsMethod::C3, ..EarsConfig::default() }),
        Detector::Farrington(FarringtonConfig { range: last, b: 2, ..FarringtonConfig::default() }),
        Detector::FarringtonFlexible(FlexibleConfig { range: last, b: 2, ..FlexibleConfig::default() }),
        Detector::FarringtonFlexible(FlexibleConfig { range: last, b: 2, ..FlexibleConfig::noufaily() }),
        Detector::Cusum(CusumConfig { range: last, ..CusumConfig::default() }),
        Detector::Bayes(BayesConfig { range: last, ..BayesConfig::default() }),
        Detector::GlrPoisson(GlrConfig { range: last, ..GlrConfig::default() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn an_upper_bound_is_never_below_the_expected_value(counts in weekly_counts()) {
        let s = series(counts);
        let n = s.len();
        let range = PeriodRange::new(n - 20, n).ok();
        let flexible = Detector::FarringtonFlexible(FlexibleConfig { range, b: 2, ..FlexibleConfig::default() });
        for d in flexible.detect(&s).unwrap() {
            if let (Some(u), Extra::Flexible { expected: Some(e), .. }) = (d.upperbound, &d.extra) {
                prop_assert!(u >= *e, "flexible: bound {u} below expected {e} at {}", d.period_index);
            }
        }
        let classic = Detector::Farrington(FarringtonConfig { range, b: 2, ..FarringtonConfig::default() });
        for d in classic.detect(&s).unwrap() {
            if let (Some(u), Extra::Classic { pd_median, .. }) = (d.upperbound, &d.extra) {
                prop_assert!(u == 0.0 || u >= *pd_median, "classic: bound {u} below median {pd_median}");
            }
        }
    }

    #[test]
    fn ears_bounds_are_at_least_the_baseline_mean(counts in weekly_counts()) {
        let s = series(counts.clone());
        for d in ears(&s, &EarsConfig::default()).unwrap() {
            let t = d.period_index - 1;
            let mean = counts[t - 7..t].iter().sum::<f64>() / 7.0;
            prop_assert!(d.upperbound.unwrap() >= mean - 1e-12 * mean.max(1.0));
        }
    }

    #[test]
    fn a_constant_series_never_alarms(level in 0u32..200, n in 3 * FREQ + 10..3 * FREQ + 30) {
        let s = series(vec![f64::from(level); n]);
        for detector in every_detector(n) {
            for d in detector.detect(&s).unwrap() {
                prop_assert!(d.alarm != Some(true), "{detector:?} alarms at {} on a constant series", d.period_index);
            }
        }
    }

    #[test]
    fn missing_counts_never_make_a_detector_panic(counts in weekly_counts(), holes in prop::collection::vec(0usize..200, 0..12)) {
        let mut counts = counts;
        for h in holes {
            let i = h % counts.len();
            counts[i] = f64::NAN;
        }
        let s = series(counts);
        for detector in every_detector(s.len()) {
            // Errors are allowed (R stops on some of these too); panics are not.
            if let Ok(rows) = detector.detect(&s) {
                prop_assert!(!rows.is_empty());
            }
        }
    }

    #[test]
    fn scaling_a_series_scales_the_c1_bound(counts in weekly_counts(), k in 1u32..50) {
        let k = f64::from(k);
        let base = ears(&series(counts.clone()), &EarsConfig::default()).unwrap();
        let scaled = ears(&series(counts.iter().map(|c| c * k).collect()), &EarsConfig::default()).unwrap();
        for (a, b) in base.iter().zip(&scaled) {
            let (a, b) = (a.upperbound.unwrap(), b.upperbound.unwrap());
            prop_assert!((a * k - b).abs() <= 1e-9 * b.abs().max(1.0), "{a}·{k} ≠ {b}");
        }
    }

    #[test]
    fn alarms_agree_with_bounds_for_threshold_detectors(counts in weekly_counts()) {
        let s = series(counts);
        let n = s.len();
        let range = PeriodRange::new(n - 20, n).ok();
        for detector in [Detector::Ears(EarsConfig::default()), Detector::Bayes(BayesConfig { range, ..BayesConfig::default() })] {
            for d in detector.detect(&s).unwrap() {
                let u = d.upperbound.unwrap();
                prop_assert_eq!(d.alarm, Some(d.observed > u));
            }
        }
    }

    #[test]
    fn rt_posterior_quantiles_are_ordered(incidence in prop::collection::vec(0u32..500, 15..60), mean in 1.5f64..10.0, sd in 0.5f64..5.0) {
        let incidence: Vec<f64> = incidence.into_iter().map(f64::from).collect();
        let result = estimate_r(&incidence, &RtConfig::new(SerialInterval::Parametric { mean_si: mean, std_si: sd })).unwrap();
        for e in result.estimates.iter().filter_map(|e| e.posterior) {
            let q = [e.quantile_0_025, e.quantile_0_05, e.quantile_0_25, e.median, e.quantile_0_75, e.quantile_0_95, e.quantile_0_975];
            prop_assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
            prop_assert!(e.quantile_0_025 <= e.mean && e.mean <= e.quantile_0_975);
        }
    }

    #[test]
    fn discrete_quantiles_are_the_smallest_reaching_p(mean in 0.01f64..500.0, phi in 1.0f64..40.0, p in 0.5f64..0.999) {
        let dist = if phi > 1.0 { Discrete::NegBinomial { size: mean / (phi - 1.0), prob: 1.0 / phi } } else { Discrete::Poisson(mean) };
        let q = dist.quantile(p);
        let cdf = |y: f64| 1.0 - dist.upper_tail(y + 1.0);
        prop_assert!(cdf(q) >= p * (1.0 - 1e-12));
        prop_assert!(q == 0.0 || cdf(q - 1.0) < p * (1.0 + 1e-12));
    }

    #[test]
    fn numbers_print_in_a_form_that_reads_back_exactly(x in prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO) {
        let text = format_number(x);
        prop_assert_eq!(text.parse::<f64>().unwrap(), if x == 0.0 { 0.0 } else { x });
    }

    #[test]
    fn every_date_lies_in_the_week_it_is_assigned(days in -20_000i64..40_000) {
        let date = CivilDate::from_days_since_epoch(days);
        for system in [WeekSystem::Iso, WeekSystem::Mmwr] {
            let week = system.week_of(date);
            let start = system.start_of(week).unwrap();
            let offset = date.days_since_epoch() - start.days_since_epoch();
            prop_assert!((0..7).contains(&offset));
            prop_assert!((1..=53).contains(&week.week));
        }
    }
}
