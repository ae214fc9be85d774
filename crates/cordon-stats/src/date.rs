//! A small proleptic-Gregorian civil date.
//!
//! Date-indexed series (campyDE, momo, the EpiEstim incidence files) carry ISO
//! `YYYY-MM-DD` dates. The Farrington methods look up "the same week `i` years
//! ago" by calendar arithmetic ([`CivilDate::minus_years`], [`CivilDate::weekday`]),
//! and [`crate::epiweek`] derives ISO and MMWR weeks from them. Days are counted
//! from 1970-01-01 with Howard Hinnant's `days_from_civil` algorithm.

use std::fmt;

use crate::error::StatsError;

/// A calendar date (proleptic Gregorian), comparable and hashable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Calendar year (e.g. 2009).
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

/// Whether `year` is a leap year in the Gregorian calendar.
#[must_use]
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` of `year`.
#[must_use]
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        _ => 28,
    }
}

impl CivilDate {
    /// Builds a date, checking that month and day exist.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] if the month or the day is out of range.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, StatsError> {
        if !(1..=12).contains(&month) {
            return Err(StatsError::InvalidParameter { name: "month", reason: format!("{month} is not in 1..=12") });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(StatsError::InvalidParameter { name: "day", reason: format!("{year}-{month:02} has no day {day}") });
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] when the text is not a valid ISO date.
    pub fn parse_iso(text: &str) -> Result<Self, StatsError> {
        let bad = || StatsError::InvalidParameter { name: "date", reason: format!("`{text}` is not a date of the form YYYY-MM-DD") };
        let mut parts = text.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse::<i32>().map_err(|_| bad())?;
        let month = m.parse::<u8>().map_err(|_| bad())?;
        let day = d.parse::<u8>().map_err(|_| bad())?;
        Self::new(year, month, day).map_err(|_| bad())
    }

    /// Days since 1970-01-01 (negative before).
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    #[must_use]
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The casts are exact: month is 1..=12, day 1..=31, and the year of any
        // i64 day count that callers produce fits i32 comfortably.
        Self { year: i32::try_from(year).unwrap_or(i32::MAX), month: u8::try_from(month).unwrap_or(1), day: u8::try_from(day).unwrap_or(1) }
    }

    /// The date `days` days later (earlier if negative).
    #[must_use]
    pub fn add_days(self, days: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Weekday number with Sunday = 0 … Saturday = 6 (R's `as.POSIXlt(d)$wday`).
    #[must_use]
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        u8::try_from((self.days_since_epoch() + 4).rem_euclid(7)).unwrap_or(0)
    }

    /// ISO weekday with Monday = 1 … Sunday = 7.
    #[must_use]
    pub fn iso_weekday(self) -> u8 {
        match self.weekday() {
            0 => 7,
            d => d,
        }
    }

    /// The same month and day `years` years earlier, as R's `seq(d, by = "-1 year")`:
    /// a 29 February in a non-leap target year becomes 1 March.
    #[must_use]
    pub fn minus_years(self, years: i32) -> Self {
        let year = self.year - years;
        if self.month == 2 && self.day == 29 && !is_leap_year(year) { Self { year, month: 3, day: 1 } } else { Self { year, ..self } }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip_over_four_centuries() {
        for days in -150_000..150_000 {
            let date = CivilDate::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days);
            assert!(CivilDate::new(date.year, date.month, date.day).is_ok());
        }
    }

    #[test]
    fn known_weekdays_are_right() {
        let d = CivilDate::parse_iso("2001-12-31").unwrap();
        assert_eq!(d.weekday(), 1);
        assert_eq!(CivilDate::parse_iso("1970-01-01").unwrap().weekday(), 4);
    }

    #[test]
    fn leap_day_moves_to_first_of_march() {
        let d = CivilDate::parse_iso("2008-02-29").unwrap();
        assert_eq!(d.minus_years(1).to_string(), "2007-03-01");
        assert_eq!(d.minus_years(4).to_string(), "2004-02-29");
    }

    #[test]
    fn malformed_dates_are_rejected() {
        for text in ["2001-13-01", "2001-02-29", "01-01-2001", "2001-1-01", "x"] {
            assert!(CivilDate::parse_iso(text).is_err(), "{text}");
        }
    }
}
