//! Count series: one unit's surveillance counts over consecutive periods.
//!
//! A [`Series`] is what every detector in this crate consumes. It mirrors one
//! column of an R `sts` object: counts (missing as NaN, R's `NA`), the
//! population or population fraction, the year and period-in-year labels, the
//! number of periods per year (`freq`), and — for date-indexed data such as
//! campyDE — the date of each period. [`PeriodRange`] selects the 1-based time
//! points to evaluate, as R's `control$range`.

use crate::date::CivilDate;
use crate::error::StatsError;

/// One unit's time series of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The unit's name (district, age group, …).
    pub unit: String,
    /// Counts per period; a missing count is NaN (R's `NA`).
    pub counts: Vec<f64>,
    /// Population (or population fraction) per period; 1 when the data have none.
    pub population: Vec<f64>,
    /// Year label of each period (R's `year()`; ISO week-year for date series).
    pub year: Vec<i32>,
    /// Period within the year of each period (R's `epochInYear()`).
    pub period: Vec<u32>,
    /// Date of each period for date-indexed series (`epochAsDate = TRUE`), else `None`.
    pub dates: Option<Vec<CivilDate>>,
    /// Periods per year (52 for weekly data).
    pub freq: usize,
}

impl Series {
    /// A plain index-based series with population 1 and labels counted from year 1, period 1.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] when `freq` is 0.
    pub fn from_counts(unit: impl Into<String>, counts: Vec<f64>, freq: usize) -> Result<Self, StatsError> {
        if freq == 0 {
            return Err(StatsError::InvalidParameter { name: "freq", reason: "must be at least 1".into() });
        }
        let n = counts.len();
        let (year, period) = (0..n)
            .map(|i| {
                let y = i32::try_from(i / freq + 1).unwrap_or(i32::MAX);
                let p = u32::try_from(i % freq + 1).unwrap_or(u32::MAX);
                (y, p)
            })
            .unzip();
        Ok(Self { unit: unit.into(), counts, population: vec![1.0; n], year, period, dates: None, freq })
    }

    /// Number of periods.
    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether the series has no periods.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Checks that all per-period vectors have the same length.
    ///
    /// # Errors
    /// [`StatsError::InconsistentSeries`] naming the vector whose length differs.
    pub fn validate(&self) -> Result<(), StatsError> {
        let n = self.counts.len();
        let lens = [
            ("population", self.population.len()),
            ("year", self.year.len()),
            ("period", self.period.len()),
            ("dates", self.dates.as_ref().map_or(n, Vec::len)),
        ];
        for (name, len) in lens {
            if len != n {
                return Err(StatsError::InconsistentSeries(format!(
                    "unit `{}`: {name} has {len} values but there are {n} counts",
                    self.unit
                )));
            }
        }
        if self.freq == 0 {
            return Err(StatsError::InvalidParameter { name: "freq", reason: "must be at least 1".into() });
        }
        Ok(())
    }

    /// Index (0-based) of `date` in a date-indexed series.
    #[must_use]
    pub fn index_of_date(&self, date: CivilDate) -> Option<usize> {
        self.dates.as_ref().and_then(|d| d.binary_search(&date).ok())
    }
}

/// A 1-based inclusive range of time points, as R's `range = from:to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRange {
    /// First time point (1-based).
    pub from: usize,
    /// Last time point (1-based, inclusive).
    pub to: usize,
}

impl PeriodRange {
    /// Builds `from:to`.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] if `from` is 0 or greater than `to`.
    pub fn new(from: usize, to: usize) -> Result<Self, StatsError> {
        if from == 0 || from > to {
            return Err(StatsError::InvalidParameter {
                name: "range",
                reason: format!("{from}:{to} is not an increasing range of 1-based time points"),
            });
        }
        Ok(Self { from, to })
    }

    /// Parses `FROM:TO`.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] when the text is not two positive integers separated by `:`.
    pub fn parse(text: &str) -> Result<Self, StatsError> {
        let bad = || StatsError::InvalidParameter { name: "range", reason: format!("`{text}` is not of the form FROM:TO") };
        let (a, b) = text.split_once(':').ok_or_else(bad)?;
        let from = a.trim().parse().map_err(|_| bad())?;
        let to = b.trim().parse().map_err(|_| bad())?;
        Self::new(from, to)
    }

    /// Checks that the range fits a series of `n` points and starts at or after `earliest`.
    ///
    /// # Errors
    /// [`StatsError::InsufficientData`] otherwise.
    pub fn check(self, n: usize, earliest: usize, method: &str) -> Result<Self, StatsError> {
        if self.to > n {
            return Err(StatsError::InsufficientData(format!("{method}: range ends at {} but the series has {n} periods", self.to)));
        }
        if self.from < earliest {
            return Err(StatsError::InsufficientData(format!(
                "{method}: range starts at {} but the first time point with enough history is {earliest}",
                self.from
            )));
        }
        Ok(self)
    }

    /// The 1-based time points, in order.
    pub fn points(self) -> impl Iterator<Item = usize> {
        self.from..=self.to
    }

    /// Number of time points.
    #[must_use]
    pub fn len(self) -> usize {
        self.to + 1 - self.from
    }

    /// Always false: a range holds at least one point.
    #[must_use]
    pub fn is_empty(self) -> bool {
        false
    }
}

/// The default range of the Farrington family and the other detectors that
/// use "the last two years": `max(first, n − 2·freq + 1) : n`.
#[must_use]
pub fn last_two_years(n: usize, freq: usize, first: usize) -> PeriodRange {
    let start = (n + 1).saturating_sub(2 * freq).max(first).max(1);
    PeriodRange { from: start.min(n.max(1)), to: n.max(1) }
}
