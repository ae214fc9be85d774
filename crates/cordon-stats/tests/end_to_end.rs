//! The path the `cordon detect` and `cordon rt` commands take — read the CSV
//! text, build the detector with the method's defaults, format the result —
//! checked against R's files, byte for byte where R's output is integral.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod common;

use common::{compare_tables, data, out_dir};
use cordon_stats::bayes::BayesConfig;
use cordon_stats::cusum::CusumConfig;
use cordon_stats::detector::{Detector, detect_units};
use cordon_stats::ears::{EarsConfig, EarsMethod};
use cordon_stats::epiweek::{EpiWeek, WeekSystem};
use cordon_stats::glr::GlrConfig;
use cordon_stats::report::{format_detections, format_rt};
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use cordon_stats::table::{parse_incidence, parse_series, parse_si_distr};

fn run(detector: &Detector, dataset: &str) -> String {
    let units = parse_series(&data(&format!("{dataset}.csv")).unwrap(), None).unwrap();
    let results = detect_units(detector, &units).unwrap();
    format_detections(detector.columns(), units.iter().zip(&results).map(|(u, d)| (u.unit.as_str(), d.as_slice())))
}

fn reference(tag: &str) -> String {
    std::fs::read_to_string(out_dir().join(format!("{tag}.csv"))).unwrap()
}

#[test]
fn bayes_with_default_range_reproduces_r_byte_for_byte() {
    for dataset in ["shadar", "salmonella.agona", "campyDE", "ha.sts", "deleval"] {
        let ours = run(&Detector::Bayes(BayesConfig::default()), dataset);
        assert_eq!(ours, reference(&format!("bayes__{dataset}")), "{dataset}");
    }
}

#[test]
fn cusum_and_glr_default_ranges_are_the_reference_ranges() {
    for dataset in ["shadar", "salmonella.agona", "campyDE", "ha.sts", "deleval"] {
        let cusum = run(&Detector::Cusum(CusumConfig::default()), dataset);
        compare_tables("cusum", &cusum, &reference(&format!("cusum__{dataset}"))).unwrap();
        let glr = run(&Detector::GlrPoisson(GlrConfig::default()), dataset);
        compare_tables("glrpois", &glr, &reference(&format!("glrpois__{dataset}"))).unwrap();
    }
}

#[test]
fn ears_defaults_reproduce_r() {
    for (method, tag) in [(EarsMethod::C1, "earsC_C1"), (EarsMethod::C2, "earsC_C2"), (EarsMethod::C3, "earsC_C3")] {
        let ours = run(&Detector::Ears(EarsConfig { method, ..EarsConfig::default() }), "ha.sts");
        compare_tables(tag, &ours, &reference(&format!("{tag}__ha.sts"))).unwrap();
    }
}

#[test]
fn rt_from_files_reproduces_r() {
    let incidence = parse_incidence(&data("SARS2003_incidence.csv").unwrap()).unwrap();
    let si = parse_si_distr(&data("SARS2003_si_distr.csv").unwrap()).unwrap();
    let result = estimate_r(&incidence.counts, &RtConfig::new(SerialInterval::NonParametric(si))).unwrap();
    compare_tables("estimateR", &format_rt(&result.estimates), &reference("estimateR_nonparametric__SARS2003")).unwrap();
}

#[test]
fn iso_weeks_of_date_series_match_the_year_and_period_columns() {
    let units = parse_series(&data("campyDE.csv").unwrap(), None).unwrap();
    let s = &units[0];
    for ((date, year), period) in s.dates.as_ref().unwrap().iter().zip(&s.year).zip(&s.period) {
        let expected = EpiWeek { year: *year, week: u8::try_from(*period).unwrap() };
        assert_eq!(WeekSystem::Iso.week_of(*date), expected, "{date}");
    }
}

#[test]
fn a_constant_population_offset_changes_nothing() {
    use cordon_stats::farrington_flexible::FlexibleConfig;
    use cordon_stats::series::PeriodRange;
    // ha.sts has population 1/12 everywhere: log(1/12) is absorbed by the intercept.
    let range = PeriodRange::new(264, 290).ok();
    for base in [FlexibleConfig::default(), FlexibleConfig::noufaily()] {
        let plain = run(&Detector::FarringtonFlexible(FlexibleConfig { range, ..base.clone() }), "ha.sts");
        let offset = run(&Detector::FarringtonFlexible(FlexibleConfig { range, population_offset: true, ..base }), "ha.sts");
        compare_tables("ff", &offset, &plain).unwrap();
    }
}
