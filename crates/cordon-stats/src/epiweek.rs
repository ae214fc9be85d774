//! Epidemiological weeks and weekly aggregation of daily counts.
//!
//! Two conventions are supported: ISO 8601 weeks (Monday start; week 1
//! contains the year's first Thursday), which is what R's `surveillance`
//! reports for date-indexed weekly series, and CDC/MMWR weeks (Sunday start;
//! week 1 is the first week with at least four days in the calendar year).
//! [`aggregate_weekly`] sums daily counts into those weeks, producing the
//! `(year, week, first day, count)` rows a weekly [`crate::Series`] is built from.

use crate::date::CivilDate;
use crate::error::StatsError;

/// Which week convention to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekSystem {
    /// ISO 8601: weeks start on Monday.
    Iso,
    /// CDC MMWR: weeks start on Sunday.
    Mmwr,
}

/// An epidemiological week: its week-year and number (1–53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpiWeek {
    /// The week-year (may differ from the calendar year near 1 January).
    pub year: i32,
    /// Week number, 1–53.
    pub week: u8,
}

impl WeekSystem {
    /// Days from the week's first day to `date` (0–6).
    fn offset(self, date: CivilDate) -> i64 {
        match self {
            Self::Iso => i64::from(date.iso_weekday()) - 1,
            Self::Mmwr => i64::from(date.weekday()),
        }
    }

    /// First day of the week containing `date`.
    #[must_use]
    pub fn week_start(self, date: CivilDate) -> CivilDate {
        date.add_days(-self.offset(date))
    }

    /// First day of week 1 of week-year `year`: the week containing 4 January
    /// (ISO), or the first week with four days in January (MMWR) — the same rule.
    #[must_use]
    pub fn first_week_start(self, year: i32) -> CivilDate {
        self.week_start(CivilDate { year, month: 1, day: 4 })
    }

    /// The epidemiological week of `date`.
    #[must_use]
    pub fn week_of(self, date: CivilDate) -> EpiWeek {
        let start = self.week_start(date);
        // The week belongs to the year that holds its fourth day.
        let year = start.add_days(3).year;
        let first = self.first_week_start(year);
        let week = (start.days_since_epoch() - first.days_since_epoch()) / 7 + 1;
        EpiWeek { year, week: u8::try_from(week).unwrap_or(u8::MAX) }
    }

    /// The first day of `week`.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] if the year has no such week.
    pub fn start_of(self, week: EpiWeek) -> Result<CivilDate, StatsError> {
        let start = self.first_week_start(week.year).add_days(7 * (i64::from(week.week) - 1));
        if week.week == 0 || self.week_of(start) != week {
            return Err(StatsError::InvalidParameter { name: "week", reason: format!("{} has no week {}", week.year, week.week) });
        }
        Ok(start)
    }
}

/// One week of aggregated counts.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyCount {
    /// The week.
    pub week: EpiWeek,
    /// Its first day.
    pub start: CivilDate,
    /// Sum of the daily counts in the week (NaN if any day is missing).
    pub count: f64,
    /// Number of days of the week present in the input.
    pub days: u8,
}

/// Sums daily counts into consecutive weeks; weeks without any day in the
/// input between the first and last week are included with count 0 and `days` 0.
///
/// # Errors
/// [`StatsError::InconsistentSeries`] if `dates` and `counts` differ in length
/// or a date repeats.
pub fn aggregate_weekly(dates: &[CivilDate], counts: &[f64], system: WeekSystem) -> Result<Vec<WeeklyCount>, StatsError> {
    if dates.len() != counts.len() {
        return Err(StatsError::InconsistentSeries(format!("{} dates but {} counts", dates.len(), counts.len())));
    }
    let mut pairs: Vec<(CivilDate, f64)> = dates.iter().copied().zip(counts.iter().copied()).collect();
    pairs.sort_by_key(|p| p.0);
    if let Some(w) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(StatsError::InconsistentSeries(format!("date {} appears twice", w[0].0)));
    }
    let (Some(first), Some(last)) = (pairs.first(), pairs.last()) else { return Ok(Vec::new()) };
    let first_start = system.week_start(first.0).days_since_epoch();
    let weeks = (system.week_start(last.0).days_since_epoch() - first_start) / 7 + 1;
    let mut out: Vec<WeeklyCount> = (0..weeks)
        .map(|i| {
            let start = CivilDate::from_days_since_epoch(first_start + 7 * i);
            WeeklyCount { week: system.week_of(start), start, count: 0.0, days: 0 }
        })
        .collect();
    for (date, count) in pairs {
        let i = usize::try_from((system.week_start(date).days_since_epoch() - first_start) / 7).unwrap_or(0);
        out[i].count += count;
        out[i].days += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> CivilDate {
        CivilDate::parse_iso(text).unwrap()
    }

    #[test]
    fn iso_weeks_match_known_dates() {
        // campyDE starts on 2001-12-31, ISO week 1 of 2002.
        assert_eq!(WeekSystem::Iso.week_of(d("2001-12-31")), EpiWeek { year: 2002, week: 1 });
        assert_eq!(WeekSystem::Iso.week_of(d("2005-01-01")), EpiWeek { year: 2004, week: 53 });
        assert_eq!(WeekSystem::Iso.week_of(d("2008-12-29")), EpiWeek { year: 2009, week: 1 });
    }

    #[test]
    fn mmwr_weeks_match_cdc_calendar() {
        // MMWR 2015 week 1 starts Sunday 2015-01-04; 2014 has 53 weeks.
        assert_eq!(WeekSystem::Mmwr.week_of(d("2015-01-03")), EpiWeek { year: 2014, week: 53 });
        assert_eq!(WeekSystem::Mmwr.week_of(d("2015-01-04")), EpiWeek { year: 2015, week: 1 });
        assert_eq!(WeekSystem::Mmwr.week_of(d("2019-12-29")), EpiWeek { year: 2020, week: 1 });
        assert_eq!(WeekSystem::Mmwr.start_of(EpiWeek { year: 2020, week: 1 }).unwrap(), d("2019-12-29"));
        assert!(WeekSystem::Mmwr.start_of(EpiWeek { year: 2015, week: 53 }).is_err());
    }

    #[test]
    fn daily_counts_sum_into_weeks() {
        let dates: Vec<CivilDate> = (0..10).map(|i| d("2009-04-27").add_days(i)).collect();
        let counts = vec![1.0; 10];
        let weeks = aggregate_weekly(&dates, &counts, WeekSystem::Iso).unwrap();
        assert_eq!(weeks.len(), 2);
        assert_eq!((weeks[0].count, weeks[0].days, weeks[1].count), (7.0, 7, 3.0));
        assert_eq!(weeks[0].week, EpiWeek { year: 2009, week: 18 });
    }
}
