//! `surveillance::algo.farrington`, the classic Farrington et al. (1996) detector.
//!
//! Baseline: `2w+1` periods around the current week in each of the `b` previous
//! years (by index, or by calendar date snapped to the weekday for date series),
//! fitted by a quasi-Poisson GLM with an optional trend; outliers are
//! down-weighted with the fixed Anscombe threshold 1. The threshold is the
//! two-sided 2/3-power normal approximation, and the output carries the
//! predictive lower-tail probability and median (`pd`). Differences from
//! [`crate::farrington_flexible`] are listed in ALGORITHMS.md §3.

use crate::detection::{Detection, Extra};
use crate::dist::{pnorm, pt_two_sided, qnorm};
use crate::error::StatsError;
use crate::farrington_flexible::PowerTrans;
use crate::farrington_model::{FitRules, GlmData, fit_reweighted};
use crate::series::{PeriodRange, Series};

/// Control of [`farrington`], with R's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct FarringtonConfig {
    /// Time points to evaluate; `None` is R's default `(freq·b − w):n`.
    pub range: Option<PeriodRange>,
    /// Years back.
    pub b: usize,
    /// Half-window width.
    pub w: usize,
    /// Down-weight past outbreaks (threshold fixed at 1).
    pub reweight: bool,
    /// Two-sided level: the bound uses `z_{1−α/2}`.
    pub alpha: f64,
    /// Try a linear time trend.
    pub trend: bool,
    /// No alarm unless at least `limit54.0` cases in the last `limit54.1` periods.
    pub limit54: (f64, usize),
    /// Power transformation.
    pub powertrans: PowerTrans,
}

impl Default for FarringtonConfig {
    fn default() -> Self {
        Self { range: None, b: 5, w: 3, reweight: true, alpha: 0.05, trend: true, limit54: (5.0, 4), powertrans: PowerTrans::TwoThirds }
    }
}

/// 0-based indices of the reference values for 0-based time point `k` (§3.1).
fn reference_values(series: &Series, k: usize, config: &FarringtonConfig) -> Vec<usize> {
    let w = i64::try_from(config.w).unwrap_or(0);
    let mut out = Vec::new();
    match &series.dates {
        None => {
            let freq = i64::try_from(series.freq).unwrap_or(i64::MAX);
            let k = i64::try_from(k).unwrap_or(0);
            for i in (1..=i64::try_from(config.b).unwrap_or(0)).rev() {
                for d in -w..=w {
                    let t = k - freq * i + d;
                    if t >= 0 {
                        out.push(usize::try_from(t).unwrap_or(0));
                    }
                }
            }
        }
        Some(dates) => {
            let dk = dates[k];
            for i in (1..=i32::try_from(config.b).unwrap_or(0)).rev() {
                let r = dk.minus_years(i);
                for d in -w..=w {
                    let x = r.add_days(7 * d);
                    if let Some(t) = series.index_of_date(snap_forward_or_back(x, dk)) {
                        out.push(t);
                    }
                }
            }
        }
    }
    out
}

/// `refvalIdxByDate`'s snapping: forward if that is strictly shorter, else back.
fn snap_forward_or_back(x: crate::CivilDate, dk: crate::CivilDate) -> crate::CivilDate {
    let fwd = (i64::from(dk.weekday()) - i64::from(x.weekday())).rem_euclid(7);
    let bwd = (i64::from(x.weekday()) - i64::from(dk.weekday())).rem_euclid(7);
    if fwd < bwd { x.add_days(fwd) } else { x.add_days(-bwd) }
}

/// Runs algo.farrington on one series.
///
/// # Errors
/// [`StatsError::InvalidParameter`] for invalid settings or a range outside the
/// series; [`StatsError::InsufficientData`] when a time point has no reference values.
pub fn farrington(series: &Series, config: &FarringtonConfig) -> Result<Vec<Detection>, StatsError> {
    series.validate()?;
    if !(config.alpha > 0.0 && config.alpha < 1.0) {
        return Err(StatsError::InvalidParameter { name: "alpha", reason: "must be in (0, 1)".into() });
    }
    if config.limit54.1 == 0 || config.limit54.0 < 0.0 {
        return Err(StatsError::InvalidParameter { name: "limit54", reason: "cases >= 0 and period > 0".into() });
    }
    let n = series.len();
    let range = if let Some(r) = config.range {
        r.check(n, 1, "farrington")?
    } else {
        let from = (series.freq * config.b).saturating_sub(config.w).max(1);
        if from > n {
            return Err(StatsError::InsufficientData(format!(
                "farrington: the default range starts at freq·b − w = {from}, but the series has only {n} periods"
            )));
        }
        PeriodRange::new(from, n)?
    };
    range.points().map(|k| evaluate(series, k - 1, config)).collect()
}

fn evaluate(series: &Series, k: usize, config: &FarringtonConfig) -> Result<Detection, StatsError> {
    let y = series.counts[k];
    let refs: Vec<usize> = reference_values(series, k, config).into_iter().filter(|&t| !series.counts[t].is_nan()).collect();
    if refs.is_empty() {
        return Err(StatsError::InsufficientData(format!("time point {}: no reference values", k + 1)));
    }
    let data = GlmData::new(
        refs.iter().map(|&t| series.counts[t]).collect(),
        vec![0; refs.len()],
        1,
        refs.iter().map(|&t| (t + 1) as f64).collect(),
        None,
    );
    let wtime0 = (k + 1) as f64;
    let rules = FitRules { reweight: config.reweight, weights_threshold: 1.0, overwrite_weights: false };
    let mut model = fit_reweighted(&data, config.trend, rules)?;
    let mut do_trend = config.trend;
    if model.design.has_trend() {
        let t = model.design.slope() / (model.design.slope_variance() * model.phi_s).sqrt();
        let p = pt_two_sided(t, model.fit.df_residual);
        let mu_hat = model.design.predict(0, wtime0).exp().max(f64::EPSILON);
        let max_response = data.response.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !(config.b >= 3 && p < 0.05 && mu_hat <= max_response) {
            do_trend = false;
            model = fit_reweighted(&data, false, rules)?;
        }
    } else {
        do_trend = false;
    }
    let eta0 = model.design.predict(0, wtime0);
    let mu0 = eta0.exp().max(f64::EPSILON);
    let se = (model.design.unscaled_variance(0, wtime0) * model.phi).sqrt() * mu0;
    let tau = model.phi + se * se / mu0;
    let (e, sigma) = match config.powertrans {
        PowerTrans::TwoThirds => (2.0 / 3.0, (4.0 / 9.0 * mu0.powf(1.0 / 3.0) * tau).sqrt()),
        PowerTrans::Half => (0.5, (tau / 4.0).sqrt()),
        PowerTrans::None => (1.0, (mu0 * tau).sqrt()),
    };
    let z = qnorm(1.0 - config.alpha / 2.0);
    let upper = (mu0.powf(e) + z * sigma).powf(1.0 / e);
    let pd_q = pnorm((y.powf(e) - mu0.powf(e)) / sigma);
    let pd_median = mu0.powf(e).powf(1.0 / e);
    let (min_cases, periods) = config.limit54;
    let recent: f64 = series.counts[(k + 1).saturating_sub(periods)..=k].iter().sum();
    let enough_cases = recent >= min_cases;
    let x = if enough_cases { (y - mu0) / (upper - mu0) } else { 0.0 };
    Ok(Detection {
        period_index: k + 1,
        observed: y,
        upperbound: Some(if enough_cases { upper } else { 0.0 }),
        alarm: if x.is_nan() { None } else { Some(x > 1.0) },
        extra: Extra::Classic { trend: do_trend, pd_q, pd_median },
    })
}
