//! What every aberration detector returns for one time point.
//!
//! A [`Detection`] holds the columns common to all detectors (observed count,
//! upper bound, alarm) and a [`Extra`] variant with the method-specific columns
//! that R stores in `sts@control` (expected value, score, p-value, …). Missing
//! values are `None` (R's `NA`); a `Some(NaN)` is R's `NaN`, kept distinct
//! because the reference files distinguish them. [`crate::report`] writes these
//! rows in the reference CSV layouts.

/// The result of a detector at one time point of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// 1-based index of the time point in the unit's full series.
    pub period_index: usize,
    /// The observed count (NaN when missing).
    pub observed: f64,
    /// The threshold (or, for GLR, the statistic); `None` is `NA`.
    pub upperbound: Option<f64>,
    /// Whether the time point alarms; `None` is `NA`.
    pub alarm: Option<bool>,
    /// Method-specific columns.
    pub extra: Extra,
}

/// Method-specific output columns.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// EARS and Bayes: no extra columns.
    None,
    /// `farringtonFlexible`: the vectors R keeps in `sts@control`.
    Flexible {
        /// Expected count (μ0 for "delta", exp(η0) otherwise); `Some(0)` at failed points, as R.
        expected: Option<f64>,
        /// Exceedance score; alarm needs score > 1.
        score: Option<f64>,
        /// Upper-tail p-value of the observation.
        pvalue: Option<f64>,
        /// Over-dispersion φ (at least 1).
        phi: Option<f64>,
        /// Whether the time trend was kept.
        trend: Option<bool>,
        /// The trend coefficient when kept.
        trend_coef: Option<f64>,
        /// R's `mu0Vector`.
        mu0: Option<f64>,
    },
    /// Classic `algo.farrington`.
    Classic {
        /// Whether the time trend was kept.
        trend: bool,
        /// Predictive lower-tail probability of the observation.
        pd_q: f64,
        /// Predictive median (≈ expected count).
        pd_median: f64,
    },
    /// `algo.cusum`.
    Cusum {
        /// The in-control mean m.
        expected: Option<f64>,
        /// The CUSUM statistic `S_t`.
        score: Option<f64>,
    },
    /// Poisson GLR: the in-control mean `μ0_t`.
    Glr {
        /// The in-control mean from the harmonic Poisson GLM.
        expected: f64,
    },
}

/// Which family of output columns a detector writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// `unit,period_index,observed,upperbound,alarm`.
    Basic,
    /// Basic plus `expected,score,pvalue,phi,trend,trend_coef,mu0`.
    Flexible,
    /// Basic plus `trend,pd_q,pd_median`.
    Classic,
    /// Basic plus `expected,score`.
    Cusum,
    /// Basic plus `expected`.
    Glr,
}

impl Columns {
    /// The CSV header of this layout.
    #[must_use]
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Self::Basic => &["unit", "period_index", "observed", "upperbound", "alarm"],
            Self::Flexible => &[
                "unit",
                "period_index",
                "observed",
                "upperbound",
                "alarm",
                "expected",
                "score",
                "pvalue",
                "phi",
                "trend",
                "trend_coef",
                "mu0",
            ],
            Self::Classic => &["unit", "period_index", "observed", "upperbound", "alarm", "trend", "pd_q", "pd_median"],
            Self::Cusum => &["unit", "period_index", "observed", "upperbound", "alarm", "expected", "score"],
            Self::Glr => &["unit", "period_index", "observed", "upperbound", "alarm", "expected"],
        }
    }
}

/// R's `pmax(0, x)`: like `max(0, x)` but NaN propagates.
#[must_use]
pub fn pmax0(x: f64) -> f64 {
    if x.is_nan() { x } else { x.max(0.0) }
}

/// R's `x > y` for doubles: `None` (NA) when either side is NaN.
#[must_use]
pub fn r_gt(x: f64, y: f64) -> Option<bool> {
    if x.is_nan() || y.is_nan() { None } else { Some(x > y) }
}
