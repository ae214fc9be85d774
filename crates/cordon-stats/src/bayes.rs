//! `surveillance::algo.bayes`: the Bayes system of Riebler (2004).
//!
//! The baseline is the last `w` periods (if `act_y`) plus windows of `2w+1`
//! periods around the same period in `b` previous years. With a Jeffreys-type
//! prior the posterior predictive count is negative binomial with size
//! `Σ base + 1/2` and probability `N/(N+1)`; its `1−α` quantile is the upper
//! bound (ALGORITHMS.md §6). Missing baseline counts are skipped.

use crate::detection::{Detection, Extra};
use crate::dist::Discrete;
use crate::error::StatsError;
use crate::series::{PeriodRange, Series};

/// Control of [`bayes`], with R's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct BayesConfig {
    /// Time points; `None` means the last two years (R requires a range).
    pub range: Option<PeriodRange>,
    /// Years back.
    pub b: usize,
    /// Window half-width (and the number of recent periods when `act_y`).
    pub w: usize,
    /// Include the `w` periods just before the time point.
    pub act_y: bool,
    /// One-sided level.
    pub alpha: f64,
}

impl Default for BayesConfig {
    fn default() -> Self {
        Self { range: None, b: 0, w: 6, act_y: true, alpha: 0.05 }
    }
}

/// Runs the Bayes detector on one series.
///
/// # Errors
/// [`StatsError::InvalidParameter`] for `alpha` outside (0, 1);
/// [`StatsError::InsufficientData`] when the baseline reaches before the series.
pub fn bayes(series: &Series, config: &BayesConfig) -> Result<Vec<Detection>, StatsError> {
    if !(config.alpha > 0.0 && config.alpha < 1.0) {
        return Err(StatsError::InvalidParameter { name: "alpha", reason: "must be in (0, 1)".into() });
    }
    let n = series.len();
    let earliest = config.b * series.freq + config.w + 1;
    let range = config.range.unwrap_or_else(|| crate::cusum::default_training_range(n, series.freq));
    let range = range.check(n, earliest, "bayes")?;
    let y = &series.counts;
    let mut out = Vec::with_capacity(range.len());
    for t in range.points() {
        let mut base: Vec<f64> = Vec::new();
        if config.act_y {
            base.extend_from_slice(&y[t - 1 - config.w..t - 1]);
        }
        for i in 1..=config.b {
            let centre = t - 1 - i * series.freq;
            base.extend_from_slice(&y[centre - config.w..=(centre + config.w).min(n - 1)]);
        }
        let present = base.iter().filter(|v| !v.is_nan());
        let sum: f64 = present.clone().sum();
        let count = present.count() as f64;
        let bound = Discrete::NegBinomial { size: sum + 0.5, prob: count / (count + 1.0) }.quantile(1.0 - config.alpha);
        out.push(Detection {
            period_index: t,
            observed: y[t - 1],
            upperbound: Some(bound),
            alarm: crate::detection::r_gt(y[t - 1], bound),
            extra: Extra::None,
        });
    }
    Ok(out)
}
