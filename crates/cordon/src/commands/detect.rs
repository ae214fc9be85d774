//! `cordon detect`: run an aberration detector over a surveillance CSV.
//!
//! Reads the `unit,period_index,year,period,count,population[,date]` layout
//! (one or many units), builds the typed configuration of the chosen method
//! from options named after R's control list (kebab-case, R's defaults), runs
//! it on every unit through `cordon_stats::detect_units`, and writes the
//! reference output layout of that method to stdout or `--output`. All the
//! statistics live in `cordon-stats`; this module only translates.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use cordon_stats::bayes::BayesConfig;
use cordon_stats::cusum::CusumConfig;
use cordon_stats::detector::{Detector, detect_units};
use cordon_stats::ears::{EarsConfig, EarsMethod};
use cordon_stats::farrington::FarringtonConfig;
use cordon_stats::farrington_flexible::{FlexibleConfig, PowerTrans, ThresholdMethod};
use cordon_stats::glr::GlrConfig;
use cordon_stats::report::format_detections;
use cordon_stats::series::PeriodRange;
use cordon_stats::table::parse_series;

use super::{emit, located};

/// The detection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// EARS C1 (`earsC`, method "C1").
    EarsC1,
    /// EARS C2.
    EarsC2,
    /// EARS C3.
    EarsC3,
    /// Classic Farrington (`algo.farrington`).
    Farrington,
    /// `farringtonFlexible` (add `--noufaily` for the Noufaily 2013 settings).
    FarringtonFlexible,
    /// CUSUM (`algo.cusum`, standard transformation).
    Cusum,
    /// Bayes (`algo.bayes`).
    Bayes,
    /// Poisson GLR for an intercept increase (`glrnb` with alpha 0).
    GlrPoisson,
}

/// `powertrans` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PowerTransArg {
    /// "2/3".
    #[value(name = "2/3")]
    TwoThirds,
    /// "1/2".
    #[value(name = "1/2")]
    Half,
    /// "none".
    None,
}

/// `thresholdMethod` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThresholdArg {
    /// Farrington's normal approximation.
    Delta,
    /// Noufaily's negative-binomial plug-in.
    #[value(name = "nbPlugin", alias = "nb-plugin")]
    NbPlugin,
    /// Negative binomial at the upper confidence limit of the mean.
    Muan,
}

/// Options of `cordon detect`; each control-list field of R has an option of the same name.
#[derive(Debug, Clone, Args)]
#[expect(clippy::struct_excessive_bools, reason = "each bool is an on/off command-line flag (--noufaily, --reweight, --trend, ...)")]
pub struct DetectArgs {
    /// Detection method.
    #[arg(long, value_enum)]
    pub method: Method,
    /// Noufaily (2013) settings: --no-periods 10 --past-weeks-not-included 26
    /// --threshold-method nbPlugin --p-threshold-trend 1 (explicit options still win).
    #[arg(long)]
    pub noufaily: bool,
    /// Time points FROM:TO (1-based). Default: every point the method can
    /// evaluate. EARS: R's (baseline+1|3|5):n. farrington-flexible: the earliest
    /// point after which every point has b full years of reference windows, to n
    /// (R's (freq·b+w+1):n for index-based series; for date-indexed series, whose
    /// reference weeks are found by calendar date, a week or two later, where R's
    /// own default would stop with an error). farrington: R's (freq·b−w):n.
    /// cusum, bayes and glr-poisson (no R default): the last two years,
    /// (n−2·freq+1):n, or the second half of a series of at most two years; the
    /// earlier points serve as training data.
    #[arg(long, value_name = "FROM:TO")]
    pub range: Option<String>,
    /// Periods per year; default: inferred (52 for weekly dates, else the largest `period`).
    #[arg(long)]
    pub freq: Option<usize>,
    /// Significance level (default 0.001 for EARS, 0.05 otherwise).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Years back (default 5 for the Farrington methods, 0 for bayes).
    #[arg(long)]
    pub b: Option<usize>,
    /// Half-window width (default 3 for the Farrington methods, 6 for bayes).
    #[arg(long)]
    pub w: Option<usize>,
    /// Down-weight past outbreaks (Farrington methods).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub reweight: bool,
    /// Anscombe-residual threshold for reweighting (farrington-flexible).
    #[arg(long, default_value_t = 2.58)]
    pub weights_threshold: f64,
    /// Try a linear time trend (Farrington methods).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub trend: bool,
    /// Keep the trend only if its p-value is below this (default 0.05; 1 with --noufaily).
    #[arg(long)]
    pub p_threshold_trend: Option<f64>,
    /// Low-count rule CASES,PERIODS: no alarm with fewer cases in the last periods.
    #[arg(long, default_value = "5,4", value_name = "CASES,PERIODS")]
    pub limit54: String,
    /// Power transformation of the "delta" threshold.
    #[arg(long, value_enum, default_value = "2/3")]
    pub powertrans: PowerTransArg,
    /// Use log(population) as GLM offset (farrington-flexible).
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub population_offset: bool,
    /// Seasonal factor levels (default 1; 10 with --noufaily).
    #[arg(long)]
    pub no_periods: Option<usize>,
    /// Recent periods left out of the fit (default w; 26 with --noufaily).
    #[arg(long)]
    pub past_weeks_not_included: Option<usize>,
    /// Threshold method (default delta; nbPlugin with --noufaily).
    #[arg(long, value_enum)]
    pub threshold_method: Option<ThresholdArg>,
    /// EARS baseline length.
    #[arg(long, default_value_t = 7)]
    pub baseline: usize,
    /// EARS lower limit of the baseline standard deviation.
    #[arg(long, default_value_t = 0.0)]
    pub min_sigma: f64,
    /// CUSUM reference value.
    #[arg(long, default_value_t = 1.04)]
    pub k: f64,
    /// CUSUM decision interval.
    #[arg(long, default_value_t = 2.26)]
    pub h: f64,
    /// CUSUM in-control mean (default: mean of the counts before the range).
    #[arg(long)]
    pub m: Option<f64>,
    /// Bayes: include the w periods just before each time point.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub act_y: bool,
    /// GLR alarm threshold (R's c.ARL).
    #[arg(long, default_value_t = 5.0)]
    pub c_arl: f64,
    /// Write the result here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Input CSV (`unit,period_index,year,period,count,population[,date]`).
    pub input: PathBuf,
}

fn limit54(text: &str) -> Result<(f64, usize)> {
    let parsed = text.split_once(',').and_then(|(c, p)| Some((c.trim().parse().ok()?, p.trim().parse().ok()?)));
    parsed.with_context(|| format!("--limit54 must be CASES,PERIODS such as 5,4, not `{text}`"))
}

/// Builds the detector the options describe.
///
/// # Errors
/// When an option value cannot be parsed.
pub fn detector(args: &DetectArgs) -> Result<Detector> {
    let range = args.range.as_deref().map(PeriodRange::parse).transpose().context("--range")?;
    let nouf = args.noufaily;
    let powertrans = match args.powertrans {
        PowerTransArg::TwoThirds => PowerTrans::TwoThirds,
        PowerTransArg::Half => PowerTrans::Half,
        PowerTransArg::None => PowerTrans::None,
    };
    if nouf && args.method != Method::FarringtonFlexible {
        bail!("--noufaily only applies to --method farrington-flexible");
    }
    let ears = |method| {
        Detector::Ears(EarsConfig { range, method, baseline: args.baseline, min_sigma: args.min_sigma, alpha: args.alpha.unwrap_or(0.001) })
    };
    Ok(match args.method {
        Method::EarsC1 => ears(EarsMethod::C1),
        Method::EarsC2 => ears(EarsMethod::C2),
        Method::EarsC3 => ears(EarsMethod::C3),
        Method::Farrington => Detector::Farrington(FarringtonConfig {
            range,
            b: args.b.unwrap_or(5),
            w: args.w.unwrap_or(3),
            reweight: args.reweight,
            alpha: args.alpha.unwrap_or(0.05),
            trend: args.trend,
            limit54: limit54(&args.limit54)?,
            powertrans,
        }),
        Method::FarringtonFlexible => {
            let threshold_method = match args.threshold_method {
                Some(ThresholdArg::NbPlugin) => ThresholdMethod::NbPlugin,
                Some(ThresholdArg::Muan) => ThresholdMethod::Muan,
                None if nouf => ThresholdMethod::NbPlugin,
                Some(ThresholdArg::Delta) | None => ThresholdMethod::Delta,
            };
            Detector::FarringtonFlexible(FlexibleConfig {
                range,
                b: args.b.unwrap_or(5),
                w: args.w.unwrap_or(3),
                reweight: args.reweight,
                weights_threshold: args.weights_threshold,
                alpha: args.alpha.unwrap_or(0.05),
                trend: args.trend,
                p_threshold_trend: args.p_threshold_trend.unwrap_or(if nouf { 1.0 } else { 0.05 }),
                limit54: limit54(&args.limit54)?,
                powertrans,
                population_offset: args.population_offset,
                no_periods: args.no_periods.unwrap_or(if nouf { 10 } else { 1 }),
                past_weeks_not_included: args.past_weeks_not_included.or(nouf.then_some(26)),
                threshold_method,
            })
        }
        Method::Cusum => Detector::Cusum(CusumConfig { range, k: args.k, h: args.h, m: args.m }),
        Method::Bayes => Detector::Bayes(BayesConfig {
            range,
            b: args.b.unwrap_or(0),
            w: args.w.unwrap_or(6),
            act_y: args.act_y,
            alpha: args.alpha.unwrap_or(0.05),
        }),
        Method::GlrPoisson => Detector::GlrPoisson(GlrConfig { range, c_arl: args.c_arl, mu0: None }),
    })
}
/// Runs `cordon detect`.
///
/// # Errors
/// Unreadable or malformed input (reported as `FILE:LINE:COLUMN: …`), invalid
/// options, or a method that cannot run on the data (too little history).
pub fn run(args: &DetectArgs) -> Result<()> {
    let detector = detector(args)?;
    let text = fs::read_to_string(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    let units = parse_series(&text, args.freq).map_err(|e| located(&args.input, e))?;
    let results = detect_units(&detector, &units).with_context(|| format!("running {:?} on {}", args.method, args.input.display()))?;
    let csv = format_detections(detector.columns(), units.iter().zip(&results).map(|(u, d)| (u.unit.as_str(), d.as_slice())));
    emit(args.output.as_deref(), &csv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use cordon_stats::StatsError;
    use cordon_stats::series::Series;
    use std::path::Path;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: DetectArgs,
    }

    fn data_sets() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cordon-stats/tests/ref");
        let mut files: Vec<PathBuf> = ["data", "extra"]
            .iter()
            .flat_map(|dir| fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()))
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .filter(|p| fs::read_to_string(p).unwrap().replace('"', "").starts_with("unit,period_index,year,period,count"))
            .collect();
        files.sort();
        files
    }

    /// Whether the series is shorter than b years (the default b = 5) plus the
    /// window: then no Farrington method can run and an error is the right answer.
    fn too_short_for_farrington(unit: &Series) -> bool {
        unit.len() < unit.freq * 5 + 3 + 1
    }

    #[test]
    fn default_ranges_run_every_method_on_every_data_set() {
        let methods: [&[&str]; 9] = [
            &["--method", "ears-c1"],
            &["--method", "ears-c2"],
            &["--method", "ears-c3"],
            &["--method", "farrington"],
            &["--method", "farrington-flexible"],
            &["--method", "farrington-flexible", "--noufaily"],
            &["--method", "cusum"],
            &["--method", "bayes"],
            &["--method", "glr-poisson"],
        ];
        let sets = data_sets();
        assert!(sets.len() >= 8, "{sets:?}");
        for path in sets {
            let text = fs::read_to_string(&path).unwrap();
            // Two units per data set keep the unoptimised test quick; units share the layout.
            let units: Vec<Series> = parse_series(&text, None).unwrap().into_iter().take(2).collect();
            for method in methods {
                let cli = Cli::try_parse_from(["detect"].iter().chain(method).copied().chain([path.to_str().unwrap()])).unwrap();
                let detector = detector(&cli.args).unwrap();
                let farrington = matches!(detector, Detector::Farrington(_) | Detector::FarringtonFlexible(_));
                match detect_units(&detector, &units) {
                    Ok(results) => assert!(results.iter().all(|r| !r.is_empty()), "{method:?} {}", path.display()),
                    Err(StatsError::InsufficientData(m)) if farrington && too_short_for_farrington(&units[0]) => {
                        assert!(m.contains("only") || m.contains("too short"), "{m}");
                    }
                    Err(e) => panic!("{method:?} on {}: {e}", path.display()),
                }
            }
        }
    }

    #[test]
    fn farrington_flexible_on_a_date_series_starts_where_the_history_is_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cordon-stats/tests/ref/data/campyDE.csv");
        let units = parse_series(&fs::read_to_string(&path).unwrap(), None).unwrap();
        let cli = Cli::try_parse_from(["detect", "--method", "farrington-flexible", "--noufaily", path.to_str().unwrap()]).unwrap();
        let results = detect_units(&detector(&cli.args).unwrap(), &units).unwrap();
        let first = results[0][0].period_index;
        // R's index default, 52·5 + 3 + 1 = 264, lacks the window 5 calendar years back.
        assert!(first > 264 && first < 264 + 4, "{first}");
        assert_eq!(results[0].last().unwrap().period_index, units[0].len());
    }
}
