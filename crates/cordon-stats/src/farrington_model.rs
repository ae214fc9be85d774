//! Pieces shared by both Farrington methods: reference time points, the
//! Anscombe-residual reweighting, and the reweighted quasi-Poisson fit.
//!
//! * [`reference_points`] finds "the same period `i` years ago" by index
//!   (`k − i·freq`) or, for date-indexed series, by calendar date snapped to the
//!   weekday of the current period (ALGORITHMS.md §2.3).
//! * [`fit_reweighted`] is `algo.farrington.fitGLM.flexible` / `.fast` (§2.5,
//!   §3.2): fit, drop the trend on non-convergence, down-weight outliers by
//!   their Anscombe residuals, refit, and report both dispersions the callers
//!   need (φ clipped at 1, and the unclipped `φ_s` of the flexible method's quirk).

use crate::date::CivilDate;
use crate::error::StatsError;
use crate::glm::{LogLinearFit, fit_log_linear};
use crate::glm_grouped::GroupedDesign;
use crate::series::Series;

/// The 0-based indices `ref_0 = k, ref_1, …, ref_b` of the current period and
/// the same period 1…b years back (§2.3). `k` is 0-based.
///
/// # Errors
/// [`StatsError::InsufficientData`] when a reference index falls before the
/// series; [`StatsError::MissingReferenceDate`] when a reference date is absent.
pub fn reference_points(series: &Series, k: usize, b: usize) -> Result<Vec<usize>, StatsError> {
    let mut refs = Vec::with_capacity(b + 1);
    refs.push(k);
    match &series.dates {
        None => {
            for i in 1..=b {
                let back = i * series.freq;
                if back > k {
                    return Err(StatsError::InsufficientData(format!("time point {} has no data {i} years ({back} periods) back", k + 1)));
                }
                refs.push(k - back);
            }
        }
        Some(dates) => {
            let dk = dates[k];
            for i in 1..=b {
                let years = i32::try_from(i).unwrap_or(i32::MAX);
                let target = snap_to_weekday(dk.minus_years(years), dk);
                let index = series.index_of_date(target).ok_or_else(|| StatsError::MissingReferenceDate { date: target.to_string() })?;
                refs.push(index);
            }
        }
    }
    Ok(refs)
}

/// The date nearest to `r` with the weekday of `dk` (§2.3 step 2).
#[must_use]
pub fn snap_to_weekday(r: CivilDate, dk: CivilDate) -> CivilDate {
    let a = r.add_days(-(i64::from(r.weekday()) - i64::from(dk.weekday())));
    let (ra, rr) = (a.days_since_epoch(), r.days_since_epoch());
    let b = if ra > rr { a.add_days(-7) } else { a.add_days(7) };
    if (ra - rr).abs() > (b.days_since_epoch() - rr).abs() { b } else { a }
}

/// Anscombe residuals `s_i` of a fit (R's `anscombe.residuals`), given `y^{2/3}`.
#[must_use]
pub fn anscombe_residuals(y_two_thirds: &[f64], mu: &[f64], hat: &[f64], phi: f64) -> Vec<f64> {
    y_two_thirds
        .iter()
        .zip(mu)
        .zip(hat)
        .map(|((&y23, &m), &h)| {
            let root = m.sqrt();
            1.5 * (y23 / root.cbrt() - root) / (phi * (1.0 - h)).sqrt()
        })
        .collect()
}

/// R's `algo.farrington.assign.weights`: `γ·s⁻²` above the threshold, `γ` below,
/// with `γ` making the weights sum to `n`.
#[must_use]
pub fn assign_weights(s: &[f64], threshold: f64) -> Vec<f64> {
    let n = s.len() as f64;
    let denom: f64 = s.iter().map(|&v| if v > threshold { v.powi(-2) } else { 1.0 }).sum();
    let gamma = n / denom;
    s.iter().map(|&v| if v > threshold { gamma * v.powi(-2) } else { gamma }).collect()
}

/// The data of one Farrington GLM.
#[derive(Debug, Clone)]
pub struct GlmData {
    /// Counts (no missing values).
    pub response: Vec<f64>,
    /// Seasonal level of each row, 0-based.
    pub level: Vec<usize>,
    /// Number of seasonal levels (1 = no factor).
    pub levels: usize,
    /// `wtime` of each row.
    pub wtime: Vec<f64>,
    /// `log(population)` offsets, when the population offset is used.
    pub offset: Option<Vec<f64>>,
    /// `response^{2/3}`, for the Anscombe residuals.
    pub response_two_thirds: Vec<f64>,
}

impl GlmData {
    /// Collects the GLM data; `response` must have no missing values.
    #[must_use]
    pub fn new(response: Vec<f64>, level: Vec<usize>, levels: usize, wtime: Vec<f64>, offset: Option<Vec<f64>>) -> Self {
        let response_two_thirds = response.iter().map(|y| y.powf(2.0 / 3.0)).collect();
        Self { response, level, levels, wtime, offset, response_two_thirds }
    }
}

/// How the reweighted fit went.
#[derive(Debug, Clone)]
pub struct ReweightedFit {
    /// The design with the final coefficients and factorisation.
    pub design: GroupedDesign,
    /// The final (reweighted) fit.
    pub fit: LogLinearFit,
    /// `max(φ̂_Pearson, 1)` of the final fit.
    pub phi: f64,
    /// The dispersion R's `summary.glm`/`predict.glm` use afterwards (§2.5 step 5).
    pub phi_s: f64,
    /// Whether the first, unweighted fit converged (with or without the trend).
    pub converged: bool,
}

/// Which quirks of the two R implementations to follow.
#[derive(Debug, Clone, Copy)]
pub struct FitRules {
    /// Down-weight outliers and refit.
    pub reweight: bool,
    /// Anscombe-residual threshold (classic `algo.farrington` always uses 1).
    pub weights_threshold: f64,
    /// farringtonFlexible overwrites the model's weights with ω, so `φ_s` = Σ ω r²/df.
    pub overwrite_weights: bool,
}

/// Fits the quasi-Poisson GLM with or without trend, then reweights (§2.5 / §3.2).
/// Returns the fit even when the first fit did not converge; callers decide.
///
/// # Errors
/// [`StatsError::InsufficientData`] when the design is singular.
pub fn fit_reweighted(data: &GlmData, trend: bool, rules: FitRules) -> Result<ReweightedFit, StatsError> {
    let n = data.response.len();
    let ones = vec![1.0; n];
    let offset = data.offset.as_deref();
    let mut with_trend = trend;
    let mut design = GroupedDesign::new(data.level.clone(), data.wtime.clone(), data.levels, with_trend)?;
    let mut fit = fit_log_linear(&mut design, &data.response, &ones, offset)?;
    if !fit.converged && with_trend {
        with_trend = false;
        design = GroupedDesign::new(data.level.clone(), data.wtime.clone(), data.levels, with_trend)?;
        fit = fit_log_linear(&mut design, &data.response, &ones, offset)?;
    }
    let converged = fit.converged;
    let phi0 = fit.pearson_dispersion().max(1.0);
    if !rules.reweight {
        let phi_s = fit.pearson_dispersion();
        return Ok(ReweightedFit { design, phi: phi_s.max(1.0), phi_s, fit, converged });
    }
    let hat = design.hat_values(&fit.working_weights);
    let s = anscombe_residuals(&data.response_two_thirds, &fit.mu, &hat, phi0);
    let omega = assign_weights(&s, rules.weights_threshold);
    let mut refit_design = GroupedDesign::new(data.level.clone(), data.wtime.clone(), data.levels, with_trend)?;
    let refit = fit_log_linear(&mut refit_design, &data.response, &omega, offset)?;
    let pearson = refit.pearson_dispersion();
    let phi_s = if rules.overwrite_weights { refit.dispersion_with(&omega) } else { pearson };
    Ok(ReweightedFit { design: refit_design, fit: refit, phi: pearson.max(1.0), phi_s, converged })
}
