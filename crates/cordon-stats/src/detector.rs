//! One entry point for every aberration detector, and running it over many units.
//!
//! [`Detector`] wraps the typed configuration of each method so callers (the
//! CLI, the server) can choose a method at run time; [`detect_units`] runs one
//! detector over all units of a multivariate series independently, as R does,
//! spreading units across the available cores with scoped threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::bayes::{BayesConfig, bayes};
use crate::cusum::{CusumConfig, cusum};
use crate::detection::{Columns, Detection};
use crate::ears::{EarsConfig, ears};
use crate::error::StatsError;
use crate::farrington::{FarringtonConfig, farrington};
use crate::farrington_flexible::{FlexibleConfig, farrington_flexible};
use crate::glr::{GlrConfig, glr_poisson};
use crate::series::Series;

/// A detection method with its configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum Detector {
    /// EARS C1/C2/C3 (`earsC`).
    Ears(EarsConfig),
    /// Classic Farrington (`algo.farrington`).
    Farrington(FarringtonConfig),
    /// `farringtonFlexible` (1996 defaults or Noufaily settings).
    FarringtonFlexible(FlexibleConfig),
    /// CUSUM (`algo.cusum`).
    Cusum(CusumConfig),
    /// Bayes (`algo.bayes`).
    Bayes(BayesConfig),
    /// Poisson GLR (`algo.glrnb`, `alpha = 0`).
    GlrPoisson(GlrConfig),
}

impl Detector {
    /// The output layout of this method.
    #[must_use]
    pub fn columns(&self) -> Columns {
        match self {
            Self::Ears(_) | Self::Bayes(_) => Columns::Basic,
            Self::Farrington(_) => Columns::Classic,
            Self::FarringtonFlexible(_) => Columns::Flexible,
            Self::Cusum(_) => Columns::Cusum,
            Self::GlrPoisson(_) => Columns::Glr,
        }
    }

    /// Runs the method on one unit.
    ///
    /// # Errors
    /// Whatever the method reports (invalid parameters, too little history).
    pub fn detect(&self, series: &Series) -> Result<Vec<Detection>, StatsError> {
        match self {
            Self::Ears(c) => ears(series, c),
            Self::Farrington(c) => farrington(series, c),
            Self::FarringtonFlexible(c) => farrington_flexible(series, c),
            Self::Cusum(c) => cusum(series, c),
            Self::Bayes(c) => bayes(series, c),
            Self::GlrPoisson(c) => glr_poisson(series, c),
        }
    }
}

/// The detections of one unit, or why it failed.
type UnitResult = Result<Vec<Detection>, StatsError>;

/// Runs `detector` on every unit, in parallel across the available cores; the
/// result is in the order of `units`.
///
/// # Errors
/// The first unit's error (by unit order), prefixed with the unit's name.
pub fn detect_units(detector: &Detector, units: &[Series]) -> Result<Vec<Vec<Detection>>, StatsError> {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get).min(units.len()).max(1);
    let run = |s: &Series| {
        detector.detect(s).map_err(|e| match e {
            StatsError::InsufficientData(m) => StatsError::InsufficientData(format!("unit `{}`: {m}", s.unit)),
            other => other,
        })
    };
    if workers == 1 {
        return units.iter().map(run).collect();
    }
    // Units differ a lot in cost (sparse units need all 25 IRLS iterations), so
    // workers pull the next unit from a shared counter instead of fixed chunks.
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<UnitResult>> = Vec::new();
    slots.resize_with(units.len(), || None);
    let finished: Vec<Vec<(usize, UnitResult)>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(unit) = units.get(i) else { break };
                        done.push((i, run(unit)));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    for (i, result) in finished.into_iter().flatten() {
        slots[i] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(StatsError::Io("a worker thread stopped before finishing its unit".into()))))
        .collect()
}
