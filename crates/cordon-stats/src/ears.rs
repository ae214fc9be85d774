//! EARS C1, C2 and C3 (`surveillance::earsC`).
//!
//! Each time point is compared with the mean and sample standard deviation of a
//! short moving baseline: C1 uses the `baseline` periods just before it, C2 the
//! same window shifted back by a two-period guard band, and C3 sums the excess
//! of the two previous C2 statistics. Zero-variance baselines follow R's IEEE
//! arithmetic (`pmax(0, NaN) = NaN`, `0·Inf = NaN`), which makes most C3 rows of
//! sparse data `NaN` with an `NA` alarm — reproduced on purpose (ALGORITHMS.md §4).

use statrs::distribution::{ContinuousCDF, Normal};

use crate::detection::{Detection, Extra, pmax0, r_gt};
use crate::error::StatsError;
use crate::series::{PeriodRange, Series};

/// Which EARS statistic to compute (R's `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EarsMethod {
    /// Baseline directly before the time point.
    #[default]
    C1,
    /// Baseline with a two-period guard band.
    C2,
    /// Cumulative excess of the two previous C2 values.
    C3,
}

/// Control of [`ears`], with R's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct EarsConfig {
    /// Time points to evaluate; `None` is R's default `(baseline + 1|3|5):n` for C1|C2|C3.
    pub range: Option<PeriodRange>,
    /// The statistic.
    pub method: EarsMethod,
    /// Baseline length (at least 3).
    pub baseline: usize,
    /// Lower limit for the baseline standard deviation.
    pub min_sigma: f64,
    /// One-sided level; the package default 0.001 (R uses 0.025 for C3 when a control list omits it).
    pub alpha: f64,
}

impl Default for EarsConfig {
    fn default() -> Self {
        Self { range: None, method: EarsMethod::C1, baseline: 7, min_sigma: 0.0, alpha: 0.001 }
    }
}

/// Mean and sample standard deviation (floored at `min_sigma`) of the `baseline`
/// values ending `lag` periods before 0-based index `t`.
fn moments(y: &[f64], t: usize, lag: usize, baseline: usize, min_sigma: f64) -> (f64, f64) {
    let window = &y[t - lag + 1 - baseline..=t - lag];
    let n = baseline as f64;
    let mean = window.iter().sum::<f64>() / n;
    let ss = window.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>();
    let sd = (ss / (n - 1.0)).sqrt();
    // R: max(sd, minSigma) — NA propagates through `max` as well.
    let sd = if sd.is_nan() { sd } else { sd.max(min_sigma) };
    (mean, sd)
}

/// Runs EARS on one series.
///
/// # Errors
/// [`StatsError::InvalidParameter`] for `baseline < 3` or `alpha` outside (0, 1);
/// [`StatsError::InsufficientData`] when the range starts before enough history.
pub fn ears(series: &Series, config: &EarsConfig) -> Result<Vec<Detection>, StatsError> {
    if config.baseline < 3 {
        return Err(StatsError::InvalidParameter { name: "baseline", reason: "must be at least 3".into() });
    }
    if !(config.alpha > 0.0 && config.alpha < 1.0) {
        return Err(StatsError::InvalidParameter { name: "alpha", reason: format!("{} is not in (0, 1)", config.alpha) });
    }
    let (b, y) = (config.baseline, &series.counts);
    let earliest = b + match config.method {
        EarsMethod::C1 => 1,
        EarsMethod::C2 => 3,
        EarsMethod::C3 => 5,
    };
    let n = series.len();
    let range = match config.range {
        Some(r) => r,
        None => PeriodRange::new(earliest, n.max(earliest))?,
    }
    .check(n, earliest, "earsC")?;
    let z = Normal::standard().inverse_cdf(1.0 - config.alpha);
    let ms = config.min_sigma;
    let mut out = Vec::with_capacity(range.len());
    for k in range.points() {
        let t = k - 1;
        let upper = match config.method {
            EarsMethod::C1 => {
                let (m, s) = moments(y, t, 1, b, ms);
                m + z * s
            }
            EarsMethod::C2 => {
                let (m, s) = moments(y, t, 3, b, ms);
                m + z * s
            }
            EarsMethod::C3 => {
                let c2 = |u: usize| {
                    let (m, s) = moments(y, u, 3, b, ms);
                    (y[u] - m) / s
                };
                let l = pmax0(c2(t - 2) - 1.0) + pmax0(c2(t - 1) - 1.0);
                let (_, s) = moments(y, t, 3, b, ms);
                pmax0(y[t] + s * (z - l))
            }
        };
        out.push(Detection { period_index: k, observed: y[t], upperbound: Some(upper), alarm: r_gt(y[t], upper), extra: Extra::None });
    }
    Ok(out)
}
