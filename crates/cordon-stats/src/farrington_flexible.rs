//! `surveillance::farringtonFlexible`: Farrington (1996) and Noufaily (2013).
//!
//! For each time point `k` a quasi-Poisson GLM is fitted to comparable past
//! periods (windows around the same week in `b` previous years, optionally a
//! seasonal factor of `no_periods` levels covering the rest of each year), with
//! an optional linear trend kept only when significant and not extrapolating
//! (§2.4–§2.6). The threshold is either the 2/3-power ("delta") normal
//! approximation of Farrington et al., or the negative-binomial quantile of
//! Noufaily et al. with a plug-in ("nbPlugin") or upper-confidence ("muan")
//! mean (§2.8). Time points whose GLM converges neither with nor without trend
//! give `NA` everywhere except `expected = 0`, exactly as R.

use crate::detection::{Detection, Extra};
use crate::dist::{Discrete, pnorm, qnorm};
use crate::error::StatsError;
use crate::farrington_model::{FitRules, GlmData, fit_reweighted, reference_points};
use crate::series::{PeriodRange, Series};

/// Power transformation of the "delta" threshold (R's `powertrans`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PowerTrans {
    /// `"2/3"`, Farrington's skewness correction.
    #[default]
    TwoThirds,
    /// `"1/2"`, the variance-stabilising square root.
    Half,
    /// `"none"`.
    None,
}

/// How the upper bound is computed (R's `thresholdMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdMethod {
    /// `"delta"`: normal approximation on the power scale (Farrington 1996).
    #[default]
    Delta,
    /// `"nbPlugin"`: negative-binomial quantile at the predicted mean (Noufaily 2013).
    NbPlugin,
    /// `"muan"`: negative-binomial quantile at the upper 1−α confidence limit of the mean.
    Muan,
}

/// Control of [`farrington_flexible`], with R's names (`snake_case`) and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct FlexibleConfig {
    /// Time points to evaluate; `None` is the earliest point with full history
    /// to the end ([`default_range`]; R's `(freq·b + w + 1):n` for index-based series).
    pub range: Option<PeriodRange>,
    /// Years back.
    pub b: usize,
    /// Half-window width in periods.
    pub w: usize,
    /// Down-weight past outbreaks.
    pub reweight: bool,
    /// Anscombe-residual threshold for down-weighting (1996 original: 1).
    pub weights_threshold: f64,
    /// One-sided level.
    pub alpha: f64,
    /// Try a linear time trend.
    pub trend: bool,
    /// Keep the trend only if its p-value is below this.
    pub p_threshold_trend: f64,
    /// No alarm unless at least `limit54.0` cases in the last `limit54.1` periods.
    pub limit54: (f64, usize),
    /// Power transformation for the "delta" threshold.
    pub powertrans: PowerTrans,
    /// Use `log(population)` as offset.
    pub population_offset: bool,
    /// Number of seasonal factor levels (1 = no factor).
    pub no_periods: usize,
    /// Recent periods excluded from the fit; `None` means `w`.
    pub past_weeks_not_included: Option<usize>,
    /// Threshold method.
    pub threshold_method: ThresholdMethod,
}

impl Default for FlexibleConfig {
    fn default() -> Self {
        Self {
            range: None,
            b: 5,
            w: 3,
            reweight: true,
            weights_threshold: 2.58,
            alpha: 0.05,
            trend: true,
            p_threshold_trend: 0.05,
            limit54: (5.0, 4),
            powertrans: PowerTrans::TwoThirds,
            population_offset: false,
            no_periods: 1,
            past_weeks_not_included: None,
            threshold_method: ThresholdMethod::Delta,
        }
    }
}

impl FlexibleConfig {
    /// The settings of Noufaily et al. (2013): 10 periods, 26 weeks excluded,
    /// "nbPlugin" thresholds, trend p-threshold 1.
    #[must_use]
    pub fn noufaily() -> Self {
        Self {
            no_periods: 10,
            past_weeks_not_included: Some(26),
            threshold_method: ThresholdMethod::NbPlugin,
            p_threshold_trend: 1.0,
            ..Self::default()
        }
    }

    /// R's derived `factorsBool`: whether a seasonal factor is fitted.
    #[must_use]
    pub fn factors_bool(&self) -> bool {
        self.no_periods != 1
    }

    /// R's derived `typePred`: `"response"` for "delta", else `"link"`.
    #[must_use]
    pub fn type_pred(&self) -> &'static str {
        if self.threshold_method == ThresholdMethod::Delta { "response" } else { "link" }
    }

    fn validate(&self) -> Result<(), StatsError> {
        let bad = |name, reason: &str| Err(StatsError::InvalidParameter { name, reason: reason.into() });
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return bad("alpha", "must be in (0, 1)");
        }
        if self.b == 0 {
            return bad("b", "must be at least 1");
        }
        if self.no_periods == 0 {
            return bad("no_periods", "must be at least 1");
        }
        if self.limit54.1 == 0 {
            return bad("limit54", "the number of periods must be at least 1");
        }
        Ok(())
    }
}

/// The reference points of time point `k` (0-based) once it is known that
/// every window `b` years back lies inside the series and, with a seasonal
/// factor, leaves room for its `no_periods` levels between windows (§2.3–§2.4).
fn reference_windows(series: &Series, k: usize, config: &FlexibleConfig) -> Result<Vec<usize>, StatsError> {
    let (w, p) = (config.w, config.no_periods);
    let refs = reference_points(series, k, config.b)?;
    if refs[config.b] < w {
        return Err(StatsError::InsufficientData(format!(
            "time point {}: the window {} years back starts before the series",
            k + 1,
            config.b
        )));
    }
    if p > 1 && refs.windows(2).any(|r| r[0].checked_sub(r[1] + 2 * w + 1).is_none_or(|gap| gap + 2 * w + 1 < p)) {
        return Err(StatsError::InsufficientData(format!(
            "time point {}: too few periods between reference windows for {p} seasonal periods",
            k + 1
        )));
    }
    Ok(refs)
}

/// The default range: from the earliest time point after which every point
/// has its full `b` years of reference windows, to the end. For index-based
/// series that is R's `(freq·b + w + 1):n`; for date-indexed series, whose
/// reference weeks are found by calendar date, it can be a week or two later
/// (R's own default then stops with an error).
///
/// # Errors
/// [`StatsError::InsufficientData`] (or [`StatsError::MissingReferenceDate`])
/// when even the last point lacks the history, i.e. the series is too short.
pub fn default_range(series: &Series, config: &FlexibleConfig) -> Result<PeriodRange, StatsError> {
    let n = series.len();
    if n == 0 {
        return Err(StatsError::InsufficientData("farringtonFlexible: the series is empty".into()));
    }
    let lowest = (series.freq * config.b + config.w).min(n - 1);
    let mut from = n;
    for k in (lowest..n).rev() {
        match reference_windows(series, k, config) {
            Ok(_) => from = k + 1,
            Err(e) if k + 1 == n => {
                return Err(StatsError::InsufficientData(format!(
                    "farringtonFlexible: the series ({n} periods) is too short for b = {} years of history: {e}",
                    config.b
                )));
            }
            Err(_) => break,
        }
    }
    PeriodRange::new(from, n)
}

/// Builds the GLM data for time point `k` (0-based), §2.4.
fn glm_data(series: &Series, k: usize, config: &FlexibleConfig) -> Result<(GlmData, f64), StatsError> {
    let (w, p) = (config.w, config.no_periods);
    let refs = reference_windows(series, k, config)?;
    let mut f: Vec<Option<usize>> = vec![None; k + 1];
    for slot in &mut f[k.saturating_sub(w)..=k] {
        *slot = Some(p);
    }
    for i in 1..=config.b {
        let (newer, older) = (refs[i - 1], refs[i]);
        for slot in &mut f[older - w..=(older + w).min(k)] {
            *slot = Some(p);
        }
        if p > 1 {
            let gap = newer.checked_sub(older + 2 * w + 1).filter(|&l| l + 2 * w + 1 >= p);
            let Some(gap) = gap else {
                return Err(StatsError::InsufficientData(format!(
                    "time point {}: too few periods between reference windows for {p} seasonal periods",
                    k + 1
                )));
            };
            let (size, extra) = (gap / (p - 1), gap % (p - 1));
            let mut t = older + w + 1;
            for level in 1..p {
                let len = size + usize::from(level <= extra);
                for slot in &mut f[t..t + len] {
                    *slot = Some(level);
                }
                t += len;
            }
        }
    }
    let excluded = config.past_weeks_not_included.unwrap_or(w);
    for slot in &mut f[k.saturating_sub(excluded)..=k] {
        *slot = None;
    }
    let first = f.iter().position(Option::is_some);
    let origin = |t: usize| -> f64 {
        match (&series.dates, first) {
            (Some(d), Some(t0)) => {
                let spacing = d.get(1).map_or(7, |d1| d1.days_since_epoch() - d[0].days_since_epoch());
                (d[t].days_since_epoch() - d[t0].days_since_epoch()) as f64 / spacing as f64
            }
            _ => (t + 1) as f64,
        }
    };
    let (mut response, mut level, mut wtime) = (Vec::new(), Vec::new(), Vec::new());
    let mut offset = config.population_offset.then(Vec::new);
    for (t, l) in f.iter().enumerate() {
        let (Some(l), false) = (l, series.counts[t].is_nan()) else { continue };
        response.push(series.counts[t]);
        level.push(l - 1);
        wtime.push(origin(t));
        if let Some(off) = offset.as_mut() {
            off.push(series.population[t].ln());
        }
    }
    let data = GlmData::new(response, level, p, wtime, offset);
    if data.response.is_empty() {
        return Err(StatsError::InsufficientData(format!("time point {}: no baseline data", k + 1)));
    }
    Ok((data, origin(k)))
}

/// The p-value of the trend's t-test as R obtains it.
///
/// When the fitted slope is zero up to rounding (e.g. a sparse unit whose
/// baseline is symmetric in time), R's QR on the uncentred `wtime` leaves a
/// slope of ~1e-17 whose t-value makes `pt` return a p-value one ulp below 1,
/// so with `p_threshold_trend = 1` R keeps that "trend" (seen in ha.sts). The
/// closed-form solver here is accurate enough to return |t| < 1e-16 instead;
/// such a t is treated as R's rounding outcome, `1 − 2⁻⁵³`.
fn trend_p_value(t: f64, df: f64) -> f64 {
    if t.abs() < 1e-12 {
        return 1.0 - f64::EPSILON / 2.0;
    }
    crate::dist::pt_two_sided(t, df)
}

/// Runs farringtonFlexible on one series.
///
/// # Errors
/// [`StatsError::InvalidParameter`] for invalid settings,
/// [`StatsError::InsufficientData`] or [`StatsError::MissingReferenceDate`] when
/// a time point in the range lacks `b` years of history (R stops there too).
pub fn farrington_flexible(series: &Series, config: &FlexibleConfig) -> Result<Vec<Detection>, StatsError> {
    config.validate()?;
    series.validate()?;
    let n = series.len();
    let range = match config.range {
        Some(r) => r.check(n, 1, "farringtonFlexible")?,
        None => default_range(series, config)?,
    };
    range.points().map(|k| evaluate(series, k - 1, config)).collect()
}

fn failed(k: usize, observed: f64) -> Detection {
    Detection {
        period_index: k + 1,
        observed,
        upperbound: None,
        alarm: None,
        extra: Extra::Flexible { expected: Some(0.0), score: None, pvalue: None, phi: None, trend: None, trend_coef: None, mu0: None },
    }
}

/// One time point, 0-based `k`.
fn evaluate(series: &Series, k: usize, config: &FlexibleConfig) -> Result<Detection, StatsError> {
    let y = series.counts[k];
    let (data, wtime0) = glm_data(series, k, config)?;
    let level0 = config.no_periods - 1;
    let offset0 = if config.population_offset { series.population[k].ln() } else { 0.0 };
    let rules = FitRules { reweight: config.reweight, weights_threshold: config.weights_threshold, overwrite_weights: true };
    let Ok(mut model) = fit_reweighted(&data, config.trend, rules) else { return Ok(failed(k, y)) };
    if !model.converged {
        return Ok(failed(k, y));
    }
    let mut do_trend = false;
    if model.design.has_trend() {
        let t = model.design.slope() / (model.design.slope_variance() * model.phi_s).sqrt();
        let p = trend_p_value(t, model.fit.df_residual);
        let mu_hat = (model.design.predict(level0, wtime0) + offset0).exp().max(f64::EPSILON);
        let max_response = data.response.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        do_trend = p < config.p_threshold_trend && config.b >= 3 && mu_hat <= max_response;
        if !do_trend {
            match fit_reweighted(&data, false, rules) {
                Ok(m) if m.converged => model = m,
                _ => return Ok(failed(k, y)),
            }
        }
    }
    let eta0 = model.design.predict(level0, wtime0) + offset0;
    let se_link = (model.design.unscaled_variance(level0, wtime0) * model.phi_s).sqrt();
    let phi = model.phi;
    let z = qnorm(1.0 - config.alpha);
    let (upper, score, pvalue, expected_value, mu0) = match config.threshold_method {
        ThresholdMethod::Delta => {
            let mu0 = eta0.exp().max(f64::EPSILON);
            let se_resp = se_link * eta0.exp().max(f64::EPSILON);
            let tau = phi + se_resp * se_resp / mu0;
            let (e, sigma) = match config.powertrans {
                PowerTrans::TwoThirds => (2.0 / 3.0, (4.0 / 9.0 * mu0.powf(1.0 / 3.0) * tau).sqrt()),
                PowerTrans::Half => (0.5, (tau / 4.0).sqrt()),
                PowerTrans::None => (1.0, (mu0 * tau).sqrt()),
            };
            let u = (mu0.powf(e) + z * sigma).powf(1.0 / e);
            let pvalue = 1.0 - pnorm((y.powf(e) - mu0.powf(e)) / sigma);
            let score = (y - mu0) / (u - mu0);
            (Some(u), Some(score), Some(pvalue), mu0, (mu0 + z * se_resp).exp())
        }
        ThresholdMethod::NbPlugin | ThresholdMethod::Muan => {
            let mu_q = if config.threshold_method == ThresholdMethod::NbPlugin { eta0.exp() } else { (eta0 + z * se_link).exp() };
            if mu_q == f64::INFINITY {
                (None, None, None, eta0.exp(), mu_q)
            } else {
                let dist =
                    if phi > 1.0 { Discrete::NegBinomial { size: mu_q / (phi - 1.0), prob: 1.0 / phi } } else { Discrete::Poisson(mu_q) };
                let u = dist.quantile(1.0 - config.alpha);
                let pvalue = dist.upper_tail(y);
                (Some(u), Some((y - eta0) / (u - eta0)), Some(pvalue), eta0.exp(), mu_q)
            }
        }
    };
    let (min_cases, periods) = config.limit54;
    let recent: f64 = series.counts[(k + 1).saturating_sub(periods)..=k].iter().sum();
    let enough_cases = recent >= min_cases;
    let upperbound = if enough_cases { upper } else { None };
    let expected = if upper.is_some() && enough_cases { Some(expected_value) } else { None };
    let alarm = enough_cases && score.is_some_and(|s| s > 1.0) && y != 0.0;
    Ok(Detection {
        period_index: k + 1,
        observed: y,
        upperbound,
        alarm: if recent.is_nan() { None } else { Some(alarm) },
        extra: Extra::Flexible {
            expected,
            score,
            pvalue,
            phi: Some(phi),
            trend: Some(do_trend),
            trend_coef: do_trend.then(|| model.design.slope()),
            mu0: Some(mu0),
        },
    })
}
