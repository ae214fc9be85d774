//! Past the readers: what `cordon detect` and `cordon rt` do with a file the
//! reader accepted. Every method on every series the series reader lets
//! through, and the Rt estimate on every incidence and serial interval the
//! rt readers let through, either answer or refuse; they never panic.

use cordon_stats::bayes::BayesConfig;
use cordon_stats::cusum::CusumConfig;
use cordon_stats::detector::{Detector, detect_units};
use cordon_stats::ears::{EarsConfig, EarsMethod};
use cordon_stats::farrington::FarringtonConfig;
use cordon_stats::farrington_flexible::FlexibleConfig;
use cordon_stats::glr::GlrConfig;
use cordon_stats::report::{format_detections, format_rt};
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use cordon_stats::table::{parse_incidence, parse_series, parse_si_distr};
use proptest::prelude::*;

use super::{config, corpus, mutate};

/// Every method `cordon detect` offers, with its defaults.
fn detectors() -> Vec<Detector> {
    vec![
        Detector::Ears(EarsConfig { method: EarsMethod::C1, ..EarsConfig::default() }),
        Detector::Ears(EarsConfig { method: EarsMethod::C3, ..EarsConfig::default() }),
        Detector::Farrington(FarringtonConfig::default()),
        Detector::FarringtonFlexible(FlexibleConfig::default()),
        Detector::Cusum(CusumConfig::default()),
        Detector::Bayes(BayesConfig::default()),
        Detector::GlrPoisson(GlrConfig::default()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: config().cases / 4 + 1, ..config() })]

    #[test]
    fn detection_runs_on_whatever_the_series_reader_accepts(text in mutate::mutated(corpus("series"))) {
        let Ok(units) = parse_series(&text, None) else { return Ok(()) };
        for detector in detectors() {
            if let Ok(results) = detect_units(&detector, &units) {
                let _ = format_detections(detector.columns(), units.iter().zip(&results).map(|(u, d)| (u.unit.as_str(), d.as_slice())));
            }
        }
    }

    #[test]
    fn rt_runs_on_whatever_the_rt_readers_accept(
        incidence in mutate::mutated(corpus("incidence")),
        distribution in mutate::mutated(corpus("si_distr")),
        mean in -1.0..30.0f64,
        sd in -1.0..15.0f64,
        window in 0..40usize,
    ) {
        let Ok(incidence) = parse_incidence(&incidence) else { return Ok(()) };
        let mut serial_intervals = vec![SerialInterval::Parametric { mean_si: mean, std_si: sd }];
        if let Ok(w) = parse_si_distr(&distribution) {
            serial_intervals.push(SerialInterval::NonParametric(w));
        }
        for si in serial_intervals {
            let config = RtConfig { window, ..RtConfig::new(si) };
            if let Ok(result) = estimate_r(&incidence.counts, &config) {
                let _ = format_rt(&result.estimates);
            }
        }
    }
}
