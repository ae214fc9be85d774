//! `surveillance::algo.cusum` with the "standard" transformation.
//!
//! The in-control mean `m` is the mean of all counts before the range (or a
//! given value); each observation is standardised as `(y − m)/√m` and
//! accumulated in a one-sided CUSUM `S_t = max(0, S_{t−1} + x_t − k)` that is
//! never reset. The upper bound is the count that would have reached `h`
//! (ALGORITHMS.md §5). A zero training mean gives NaN statistics and `NA`
//! alarms, as R's IEEE arithmetic does.

use crate::detection::{Detection, Extra};
use crate::error::StatsError;
use crate::series::{PeriodRange, Series};

/// Control of [`cusum`], with R's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct CusumConfig {
    /// Time points to evaluate (R requires one; `None` here means the last two
    /// years, or the second half of a shorter series, as the reference runs).
    pub range: Option<PeriodRange>,
    /// Reference value (allowance) `k`.
    pub k: f64,
    /// Decision interval `h`.
    pub h: f64,
    /// In-control mean; `None` is the mean of the counts before the range (R's `m = NULL`).
    pub m: Option<f64>,
}

impl Default for CusumConfig {
    fn default() -> Self {
        Self { range: None, k: 1.04, h: 2.26, m: None }
    }
}

/// R's scalar `max(0, x)`, which propagates NaN.
fn rmax0(x: f64) -> f64 {
    if x.is_nan() { x } else { x.max(0.0) }
}

/// The default range of the detectors without one in R: the last `2·freq`
/// periods, or the second half of a series shorter than `2·freq + 1`.
#[must_use]
pub fn default_training_range(n: usize, freq: usize) -> PeriodRange {
    let from = if n > 2 * freq { n + 1 - 2 * freq } else { n / 2 + 1 };
    PeriodRange { from: from.max(2).min(n.max(1)), to: n.max(1) }
}

/// Runs the CUSUM on one series.
///
/// # Errors
/// [`StatsError::InsufficientData`] when the range starts at period 1 without a given `m`.
pub fn cusum(series: &Series, config: &CusumConfig) -> Result<Vec<Detection>, StatsError> {
    let n = series.len();
    let range = config.range.unwrap_or_else(|| default_training_range(n, series.freq));
    let range = range.check(n, if config.m.is_some() { 1 } else { 2 }, "cusum")?;
    let y = &series.counts;
    let m = config.m.unwrap_or_else(|| y[..range.from - 1].iter().sum::<f64>() / (range.from - 1) as f64);
    let (k, h) = (config.k, config.h);
    let mut s_prev = 0.0;
    let mut out = Vec::with_capacity(range.len());
    for t in range.points() {
        let x = (y[t - 1] - m) / m.sqrt();
        let s = rmax0(s_prev + (x - k));
        let bound = (m.sqrt() * (h + k - s_prev) + m).ceil();
        let bound = if bound.is_nan() || bound < 0.0 { 0.0 } else { bound };
        out.push(Detection {
            period_index: t,
            observed: y[t - 1],
            upperbound: Some(bound),
            alarm: if s.is_nan() { None } else { Some(s >= h) },
            extra: Extra::Cusum { expected: Some(m), score: Some(s) },
        });
        s_prev = s;
    }
    Ok(out)
}
