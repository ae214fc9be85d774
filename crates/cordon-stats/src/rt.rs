//! The effective reproduction number `R_t` after Cori et al. (2013), as
//! `EpiEstim::estimate_R` with `parametric_si` or `non_parametric_si`.
//!
//! Incidence on day 1 counts as imported, later days as local (§8.1). The
//! serial interval is either a given discrete distribution or a discretised
//! shifted gamma ([`discr_si`], §8.2). Total infectivity `Λ_t` (§8.3) feeds a
//! conjugate Gamma posterior per sliding window (§8.4–8.5): shape
//! `a0 + Σ local`, scale `1/(1/b0 + Σ Λ)`. Windows ending at or before the SI
//! mean have no estimate (all `NA`), as in EpiEstim.

use crate::dist::{GammaQuantile, gamma_p_with_prefix};
use crate::error::StatsError;

/// The serial-interval distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum SerialInterval {
    /// Discretised shifted gamma with this mean and standard deviation (`method = "parametric_si"`).
    Parametric {
        /// `mean_si`, must exceed 1.
        mean_si: f64,
        /// `std_si`, must be positive.
        std_si: f64,
    },
    /// A given distribution `w_0, w_1, …` with `w_0 = 0` summing to 1 (`method = "non_parametric_si"`).
    NonParametric(Vec<f64>),
}

/// Control of [`estimate_r`], with EpiEstim's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct RtConfig {
    /// The serial interval.
    pub si: SerialInterval,
    /// Window starts (1-based days); `None` slides windows of length `window` from day 2.
    pub t_start: Option<Vec<usize>>,
    /// Window ends, paired with `t_start`.
    pub t_end: Option<Vec<usize>>,
    /// Length of the default sliding windows (EpiEstim: weekly, 7).
    pub window: usize,
    /// Mean of the Gamma prior on R.
    pub mean_prior: f64,
    /// Standard deviation of the Gamma prior on R.
    pub std_prior: f64,
}

impl RtConfig {
    /// EpiEstim's defaults for the given serial interval: weekly windows, prior mean 5, sd 5.
    #[must_use]
    pub fn new(si: SerialInterval) -> Self {
        Self { si, t_start: None, t_end: None, window: 7, mean_prior: 5.0, std_prior: 5.0 }
    }
}

/// Posterior summaries of R over one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posterior {
    /// `Mean(R)`.
    pub mean: f64,
    /// `Std(R)`.
    pub std: f64,
    /// `Quantile.0.025(R)`.
    pub quantile_0_025: f64,
    /// `Quantile.0.05(R)`.
    pub quantile_0_05: f64,
    /// `Quantile.0.25(R)`.
    pub quantile_0_25: f64,
    /// `Median(R)`.
    pub median: f64,
    /// `Quantile.0.75(R)`.
    pub quantile_0_75: f64,
    /// `Quantile.0.95(R)`.
    pub quantile_0_95: f64,
    /// `Quantile.0.975(R)`.
    pub quantile_0_975: f64,
}

impl Posterior {
    /// Summaries of Gamma(shape, scale).
    #[must_use]
    #[expect(clippy::similar_names, reason = "the quantiles are bound by their field names, which differ only in their digits")]
    pub fn of_gamma(shape: f64, scale: f64) -> Self {
        // The seven probabilities and their normal quantiles Φ⁻¹(p), which
        // seed the gamma quantiles' iteration.
        const SEEDS: [(f64, f64); 7] = [
            (0.025, -1.959_963_984_540_054),
            (0.05, -1.644_853_626_951_472_7),
            (0.25, -0.674_489_750_196_081_7),
            (0.5, 0.0),
            (0.75, 0.674_489_750_196_081_7),
            (0.95, 1.644_853_626_951_472_7),
            (0.975, 1.959_963_984_540_054),
        ];
        let gamma = GammaQuantile::new(shape, scale);
        let [quantile_0_025, quantile_0_05, quantile_0_25, median, quantile_0_75, quantile_0_95, quantile_0_975] =
            SEEDS.map(|(p, z)| gamma.quantile_seeded(p, z));
        Self {
            mean: shape * scale,
            std: shape.sqrt() * scale,
            quantile_0_025,
            quantile_0_05,
            quantile_0_25,
            median,
            quantile_0_75,
            quantile_0_95,
            quantile_0_975,
        }
    }
}

/// The estimate for one window.
#[derive(Debug, Clone, PartialEq)]
pub struct RtEstimate {
    /// First day of the window (1-based).
    pub t_start: usize,
    /// Last day of the window (inclusive).
    pub t_end: usize,
    /// The posterior, or `None` when the window ends too early (`t_end ≤` mean SI).
    pub posterior: Option<Posterior>,
}

/// Everything [`estimate_r`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct RtResult {
    /// One estimate per window.
    pub estimates: Vec<RtEstimate>,
    /// The SI distribution used, zero-padded to `T + 1`.
    pub si_distr: Vec<f64>,
    /// Mean of `si_distr`.
    pub mean_si: f64,
    /// Local cases per day (0 on day 1).
    pub local: Vec<f64>,
    /// Imported cases per day (all of day 1).
    pub imported: Vec<f64>,
    /// Total infectivity `Λ_t` (`None` on day 1).
    pub lambda: Vec<Option<f64>>,
}

/// EpiEstim's `discr_si(k, mu, sigma)`: probability of a serial interval of `k`
/// days under a gamma on `SI − 1` with mean `mu − 1` and sd `sigma`.
#[must_use]
pub fn discr_si(k: usize, mu: f64, sigma: f64) -> f64 {
    discr_si_all(k + 1, mu, sigma).pop().unwrap_or(0.0)
}

/// `discr_si(0..len, mu, sigma)`, sharing the log-gamma constants.
fn discr_si_all(len: usize, mu: f64, sigma: f64) -> Vec<f64> {
    let a = ((mu - 1.0) / sigma).powi(2);
    let b = sigma * sigma / (mu - 1.0);
    let lg_a = statrs::function::gamma::ln_gamma(a);
    // F_a and F_{a+1} at the integers 0..len, each series evaluated once:
    // F_{a+1}(x) = F_a(x) − x^a e^{−x} / Γ(a+1).
    let (mut fa, mut fa1) = (vec![0.0; len], vec![0.0; len]);
    for j in 1..len {
        let (p, prefix) = gamma_p_with_prefix(a, j as f64 / b, lg_a);
        fa[j] = p;
        fa1[j] = (p - prefix / a).max(0.0);
    }
    let at = |f: &[f64], j: usize, back: usize| if j >= back { f[j - back] } else { 0.0 };
    (0..len)
        .map(|j| {
            let k = j as f64;
            let res = k * at(&fa, j, 0) + (k - 2.0) * at(&fa, j, 2) - 2.0 * (k - 1.0) * at(&fa, j, 1)
                + a * b * (2.0 * at(&fa1, j, 1) - at(&fa1, j, 2) - at(&fa1, j, 0));
            res.max(0.0)
        })
        .collect()
}

fn si_vector(si: &SerialInterval, days: usize) -> Result<Vec<f64>, StatsError> {
    let mut w = match si {
        SerialInterval::Parametric { mean_si, std_si } => {
            if !(*mean_si > 1.0 && mean_si.is_finite()) {
                return Err(StatsError::InvalidParameter { name: "mean_si", reason: "must be a number above 1".into() });
            }
            if !(*std_si > 0.0 && std_si.is_finite()) {
                return Err(StatsError::InvalidParameter { name: "std_si", reason: "must be positive".into() });
            }
            discr_si_all(days, *mean_si, *std_si)
        }
        SerialInterval::NonParametric(w) => {
            if w.first() != Some(&0.0) {
                return Err(StatsError::InvalidParameter { name: "si_distr", reason: "the first value (w_0) must be 0".into() });
            }
            if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) {
                return Err(StatsError::InvalidParameter { name: "si_distr", reason: "values must be non-negative".into() });
            }
            if (w.iter().sum::<f64>() - 1.0).abs() > 0.01 {
                return Err(StatsError::InvalidParameter { name: "si_distr", reason: "values must sum to 1".into() });
            }
            w.clone()
        }
    };
    if w.len() < days + 1 {
        w.resize(days + 1, 0.0);
    }
    Ok(w)
}

fn windows(config: &RtConfig, days: usize) -> Result<Vec<(usize, usize)>, StatsError> {
    let pairs: Vec<(usize, usize)> = match (&config.t_start, &config.t_end) {
        (Some(s), Some(e)) => {
            if s.len() != e.len() {
                return Err(StatsError::InvalidParameter { name: "t_start", reason: "t_start and t_end differ in length".into() });
            }
            s.iter().copied().zip(e.iter().copied()).collect()
        }
        (None, None) => {
            if config.window < 1 || days < config.window + 1 {
                return Err(StatsError::InsufficientData(format!(
                    "{days} days are too few for windows of {} days starting on day 2",
                    config.window
                )));
            }
            (2..=days + 1 - config.window).map(|s| (s, s + config.window - 1)).collect()
        }
        _ => {
            return Err(StatsError::InvalidParameter { name: "t_end", reason: "give both t_start and t_end, or neither".into() });
        }
    };
    for &(s, e) in &pairs {
        if s < 2 || s > e || e > days {
            return Err(StatsError::InvalidParameter {
                name: "t_start",
                reason: format!("window {s}..{e} must satisfy 2 ≤ t_start ≤ t_end ≤ {days}"),
            });
        }
    }
    Ok(pairs)
}

/// Estimates `R_t` over windows of daily `incidence` (day 1 first).
///
/// # Errors
/// [`StatsError::InvalidParameter`] for an invalid serial interval, prior or
/// window; [`StatsError::InsufficientData`] when the series is shorter than one window.
pub fn estimate_r(incidence: &[f64], config: &RtConfig) -> Result<RtResult, StatsError> {
    let days = incidence.len();
    if incidence.iter().any(|x| x.is_nan() || *x < 0.0) {
        return Err(StatsError::InvalidParameter { name: "incid", reason: "incidence must be non-negative numbers".into() });
    }
    if !(config.mean_prior > 0.0 && config.std_prior > 0.0) {
        return Err(StatsError::InvalidParameter { name: "mean_prior", reason: "prior mean and sd must be positive".into() });
    }
    let pairs = windows(config, days)?;
    let si_distr = si_vector(&config.si, days)?;
    let mean_si: f64 = si_distr.iter().enumerate().map(|(k, w)| k as f64 * w).sum();
    let mut local = incidence.to_vec();
    let mut imported = vec![0.0; days];
    if days > 0 {
        imported[0] = local[0];
        local[0] = 0.0;
    }
    let lambda: Vec<Option<f64>> = (1..=days).map(|t| (t >= 2).then(|| (1..t).map(|s| si_distr[s] * incidence[t - s - 1]).sum())).collect();
    let a0 = (config.mean_prior / config.std_prior).powi(2);
    let b0 = config.std_prior * config.std_prior / config.mean_prior;
    let estimates = pairs
        .into_iter()
        .map(|(s, e)| {
            let posterior = (e as f64 > mean_si).then(|| {
                let shape = a0 + local[s - 1..e].iter().sum::<f64>();
                let total: f64 = lambda[s - 1..e].iter().map(|l| l.unwrap_or(0.0)).sum();
                Posterior::of_gamma(shape, 1.0 / (1.0 / b0 + total))
            });
            RtEstimate { t_start: s, t_end: e, posterior }
        })
        .collect();
    Ok(RtResult { estimates, si_distr, mean_si, local, imported, lambda })
}

/// [`estimate_r`] for many incidence series (units) with one configuration,
/// spread over the available cores; results are in input order.
///
/// # Errors
/// The first failing series' error (in input order).
pub fn estimate_r_many(incidences: &[Vec<f64>], config: &RtConfig) -> Result<Vec<RtResult>, StatsError> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(incidences.len()).max(1);
    if workers == 1 {
        return incidences.iter().map(|i| estimate_r(i, config)).collect();
    }
    let chunk = incidences.len().div_ceil(workers);
    let parts: Vec<Vec<Result<RtResult, StatsError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            incidences.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(|i| estimate_r(i, config)).collect())).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| vec![Err(StatsError::Io("an R_t worker thread panicked".into()))]))
            .collect()
    });
    parts.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::qnorm;

    #[test]
    fn the_posterior_matches_quantiles_computed_one_by_one() {
        for (shape, scale) in [(1.0, 0.2), (7.5, 0.05), (80.0, 0.01)] {
            let posterior = Posterior::of_gamma(shape, scale);
            let gamma = GammaQuantile::new(shape, scale);
            assert_eq!(posterior.quantile_0_025, gamma.quantile(0.025));
            assert_eq!(posterior.median, gamma.quantile(0.5));
            assert_eq!(posterior.quantile_0_975, gamma.quantile(0.975));
        }
        assert!((qnorm(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
    }

    #[test]
    fn the_shifted_gamma_serial_interval_sums_to_one() {
        let w = discr_si_all(60, 2.6, 1.5);
        assert_eq!(w[0], 0.0);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
