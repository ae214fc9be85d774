//! Rt of a node from its cases by day of onset (Cori et al. 2013, as
//! EpiEstim and `cordon rt` estimate it), one figure per sliding window with
//! its 95% credible interval. The serial interval and the window come from
//! the settings, and the figure's source says which were used.
//!
//! A window is published only when its cases number at least
//! [`MIN_CASES`]: Cori et al. advise against estimates from fewer (the
//! posterior's coefficient of variation stays above 0.3 below about 12).

use cordon_core::figure::{Counted, Figure, Interval, Measure};
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use jiff::Span;

use super::{Scope, curve};
use crate::error::ApiError;
use crate::state::AppState;

/// Cases a window must hold for its Rt to be published.
pub const MIN_CASES: f64 = 12.0;

/// Days of cases Rt looks back over.
pub const LOOKBACK_DAYS: i64 = 90;

/// Rt of the scope's node for each window ending in the last
/// [`LOOKBACK_DAYS`] days that holds enough cases.
///
/// # Errors
/// The store fails, or the settings' serial interval is refused by the
/// estimator.
pub async fn figures(state: &AppState, scope: &Scope) -> Result<Vec<Figure>, ApiError> {
    let from = scope.days_back(LOOKBACK_DAYS - 1);
    let incidence = curve::incidence(state, scope, from).await?;
    let s = &scope.settings;
    let window = usize::try_from(s.rt_window_days).unwrap_or(7);
    let config = RtConfig {
        window,
        ..RtConfig::new(SerialInterval::Parametric { mean_si: s.serial_interval_mean_days, std_si: s.serial_interval_sd_days })
    };
    if incidence.len() <= window {
        return Ok(Vec::new());
    }
    let result = estimate_r(&incidence, &config).map_err(ApiError::internal)?;
    let source = format!(
        "cordon, Cori et al. (2013) from cases by day of onset, serial interval mean {} days, sd {} days, {window}-day windows",
        s.serial_interval_mean_days, s.serial_interval_sd_days
    );
    let day = |t: usize| from.checked_add(Span::new().days(i64::try_from(t).unwrap_or(0) - 1)).unwrap_or(from);
    Ok(result
        .estimates
        .iter()
        .filter(|e| incidence[e.t_start - 1..e.t_end].iter().sum::<f64>() >= MIN_CASES)
        .filter_map(|e| {
            let p = e.posterior?;
            let mut f = scope.figure(p.mean, Measure::Estimate, Counted::ReproductionNumber, (day(e.t_start), day(e.t_end)));
            f.source.clone_from(&source);
            f.interval = Some(Interval { lower: p.quantile_0_025, upper: p.quantile_0_975, level: 0.95 });
            Some(f)
        })
        .collect())
}
