//! `surveillance::algo.glrnb` with `alpha = 0`: the Poisson GLR detector for an
//! increase of the intercept.
//!
//! The in-control mean `μ0_t` comes from a Poisson GLM `y ~ 1 + cos(2πt/freq) +
//! sin(2πt/freq)` fitted to all periods before the range (ALGORITHMS.md §7).
//! The statistic at `n` maximises the Poisson log-likelihood ratio of a
//! multiplicative jump `e^κ ≥ 1` over all change points since the last alarm;
//! crossing `c_arl` raises an alarm and restarts the statistic. The output
//! upper bound is the statistic itself (R's `ret = "value"`).

use crate::detection::{Detection, Extra};
use crate::error::StatsError;
use crate::glm::{DenseDesign, LeastSquares, fit_log_linear, linkinv};
use crate::series::{PeriodRange, Series};

/// Control of [`glr_poisson`], with R's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct GlrConfig {
    /// Time points; `None` means the last two years (R requires a range).
    pub range: Option<PeriodRange>,
    /// Alarm threshold of the GLR statistic (R's `c.ARL`).
    pub c_arl: f64,
    /// Given in-control means for the range; `None` fits the harmonic Poisson GLM.
    pub mu0: Option<Vec<f64>>,
}

impl Default for GlrConfig {
    fn default() -> Self {
        Self { range: None, c_arl: 5.0, mu0: None }
    }
}

/// The harmonic Poisson baseline for 1-based time points `range`, trained on `1..range.from`.
fn baseline(series: &Series, range: PeriodRange) -> Result<Vec<f64>, StatsError> {
    let omega = 2.0 * std::f64::consts::PI / series.freq as f64;
    let row = |t: usize| {
        let t = t as f64;
        vec![1.0, (omega * t).cos(), (omega * t).sin()]
    };
    let train: Vec<usize> = (1..range.from).filter(|&t| !series.counts[t - 1].is_nan()).collect();
    if train.len() < 3 {
        return Err(StatsError::InsufficientData("glrnb: fewer than 3 training periods before the range".into()));
    }
    let rows: Vec<Vec<f64>> = train.iter().map(|&t| row(t)).collect();
    let y: Vec<f64> = train.iter().map(|&t| series.counts[t - 1]).collect();
    let mut design = DenseDesign::new(&rows)?;
    fit_log_linear(&mut design, &y, &vec![1.0; y.len()], None)?;
    let beta = design.coefficients();
    Ok(range.points().map(|t| linkinv(row(t).iter().zip(beta).map(|(x, b)| x * b).sum())).collect())
}

/// Runs the Poisson GLR on one series.
///
/// # Errors
/// [`StatsError::InsufficientData`] without enough training data;
/// [`StatsError::InvalidParameter`] when a given `mu0` does not match the range.
pub fn glr_poisson(series: &Series, config: &GlrConfig) -> Result<Vec<Detection>, StatsError> {
    let n = series.len();
    let range = config.range.unwrap_or_else(|| crate::cusum::default_training_range(n, series.freq));
    let range = range.check(n, 2, "glrnb")?;
    let mu0 = match &config.mu0 {
        Some(m) if m.len() == range.len() => m.clone(),
        Some(_) => {
            return Err(StatsError::InvalidParameter { name: "mu0", reason: "needs one value per time point in range".into() });
        }
        None => baseline(series, range)?,
    };
    let x: Vec<f64> = range.points().map(|t| series.counts[t - 1]).collect();
    let mut out = Vec::with_capacity(x.len());
    let mut start = 0;
    for end in 0..x.len() {
        let (mut sx, mut sm, mut glr) = (0.0, 0.0, f64::NEG_INFINITY);
        for k in (start..=end).rev() {
            sx += x[k];
            sm += mu0[k];
            let kappa = if sx > 0.0 { (sx / sm).ln().max(0.0) } else { 0.0 };
            glr = glr.max(kappa * sx + (1.0 - kappa.exp()) * sm);
        }
        let alarm = glr >= config.c_arl;
        if alarm {
            start = end + 1;
        }
        let value = if glr.is_nan() || glr < 0.0 { 0.0 } else { glr };
        out.push(Detection {
            period_index: range.from + end,
            observed: x[end],
            upperbound: Some(value),
            alarm: Some(alarm),
            extra: Extra::Glr { expected: mu0[end] },
        });
    }
    Ok(out)
}
