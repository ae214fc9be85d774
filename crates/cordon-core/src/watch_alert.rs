//! Crossing a threshold abroad raises an alert: the rule that finds, in a
//! watched location's series, the days on which the 7-day incidence per
//! 100,000 (or the week-on-week growth) of cases rose to its threshold, and
//! where a watched location stands on its latest day.
//!
//! An alert is raised once per crossing: while the figure stays at or
//! above its threshold nothing more is raised, and once it has fallen back
//! below, the next rise is a new crossing. Each crossing covers the days
//! from the day after the previous one ended (the series' first day for the
//! first) to the last day it stayed above; an alert already raised on any
//! of those days is the same crossing, so that importing the same file
//! again, or a later file that revises a few days, raises nothing twice.
//! The figures are computed exactly as [`figures_on`] computes them.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::abroad::{DailyRow, began_before, figures_on, rolling_sum};
use crate::figure::{Counted, Figure, Measure};
use crate::watch::Watched;

/// How old a location's latest day may be for its incidence to count as
/// current (days before the day asked about).
pub const CURRENT_DAYS: i64 = 14;

/// The watched figures of cases on one day of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayFigures {
    /// The day.
    pub date: Date,
    /// New cases in the 7 days to the day per 100,000 residents, when the
    /// sum and the population are known.
    pub per_100k_7d: Option<f64>,
    /// The 7-day sum over the 7-day sum a week before, when that was above 0.
    pub growth_week_on_week: Option<f64>,
}

/// A figure that rose to its threshold on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    /// Which figure ([`Measure::Per100k7d`] or [`Measure::GrowthWeekOnWeek`]).
    pub measure: Measure,
    /// The first day at or above the threshold.
    pub day: Date,
    /// The figure's value that day.
    pub value: f64,
    /// The threshold it reached.
    pub threshold: f64,
    /// The first day the crossing covers: the day after the previous
    /// crossing's last day above (the series' first day for the first).
    pub since: Date,
    /// The last day it stayed at or above the threshold.
    pub until: Date,
}

/// An alert raised when a watched location crossed a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AbroadAlert {
    /// Stable identifier.
    pub id: Uuid,
    /// The location.
    pub location: String,
    /// The day of the crossing (a day of the location's own series).
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    /// Which figure crossed (`per_100k_7d` or `growth_week_on_week`).
    pub measure: Measure,
    /// The threshold it reached.
    pub threshold: f64,
    /// The figure on that day, with what it is.
    pub figure: Figure,
    /// When cordon raised the alert.
    #[schema(value_type = String, format = DateTime)]
    pub raised_at: Timestamp,
}

/// The population a series' day is counted against: the file's, else the
/// entry's.
fn population(row: &DailyRow, entry_population: Option<i64>) -> Option<f64> {
    let given = entry_population.map(|p| p as f64);
    row.population.or(given).filter(|p| *p > 0.0)
}

/// The watched figures of cases on every day of a location's series (in
/// date order), as [`figures_on`] computes them.
#[must_use]
pub fn daily(rows: &[DailyRow], entry_population: Option<i64>) -> Vec<DayFigures> {
    let Some(first) = rows.first() else { return Vec::new() };
    let new: Vec<Option<f64>> = rows.iter().map(|r| r.new_cases).collect();
    let sums = rolling_sum(&new, 7, began_before(first));
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let sum = sums[i];
            let earlier = i.checked_sub(7).and_then(|j| sums[j]).filter(|s| *s > 0.0);
            DayFigures {
                date: row.date,
                per_100k_7d: sum.zip(population(row, entry_population)).map(|(s, p)| s * 100_000.0 / p),
                growth_week_on_week: sum.zip(earlier).map(|(s, e)| s / e),
            }
        })
        .collect()
}

/// Reads one watched figure of a day.
type Reading = fn(&DayFigures) -> Option<f64>;

/// The days on which each of `entry`'s thresholds was crossed upward in
/// the series `rows`, by measure then day. A day without the figure (too
/// early for a 7-day sum, no population, nothing the week before) changes
/// nothing: the figure is still above or below as it last was.
#[must_use]
pub fn crossings(rows: &[DailyRow], entry: &Watched) -> Vec<Crossing> {
    let days = daily(rows, entry.population);
    let mut out = Vec::new();
    let watched: [(Measure, Option<f64>, Reading); 2] = [
        (Measure::Per100k7d, Some(entry.thresholds.per_100k_7d), |d| d.per_100k_7d),
        (Measure::GrowthWeekOnWeek, entry.thresholds.growth_week_on_week, |d| d.growth_week_on_week),
    ];
    for (measure, threshold, value) in watched {
        let (Some(threshold), Some(first)) = (threshold, days.first()) else { continue };
        let mut since = first.date;
        let mut above: Option<Crossing> = None;
        for day in &days {
            let Some(v) = value(day) else { continue };
            match above.as_mut() {
                Some(crossing) if v >= threshold => crossing.until = day.date,
                Some(_) => {
                    out.extend(above.take());
                    since = day.date;
                }
                None if v >= threshold => {
                    above = Some(Crossing { measure, day: day.date, value: v, threshold, since, until: day.date });
                }
                None => {}
            }
        }
        out.extend(above);
    }
    out
}

/// The crossings no alert was raised for yet: those without an alert of
/// the same measure on any day they cover (`raised`: the measure and day of
/// each alert stored for the location).
#[must_use]
pub fn unraised(crossings: Vec<Crossing>, raised: &[(Measure, Date)]) -> Vec<Crossing> {
    crossings.into_iter().filter(|c| !raised.iter().any(|(m, d)| *m == c.measure && c.since <= *d && *d <= c.until)).collect()
}

/// The alerts to raise for `entry` from its series `rows` (counted by
/// `source`), given the alerts already raised for it: one per crossing not
/// yet raised, with the figure that crossed. `id` hands out the new ids.
#[must_use]
pub fn raise(
    rows: &[DailyRow],
    entry: &Watched,
    source: &str,
    raised: &[(Measure, Date)],
    now: Timestamp,
    mut id: impl FnMut() -> Uuid,
) -> Vec<AbroadAlert> {
    let given = entry.population.map(|p| p as f64);
    unraised(crossings(rows, entry), raised)
        .into_iter()
        .filter_map(|c| {
            let figure =
                figures_on(rows, c.day, given, source).into_iter().find(|f| f.counted == Counted::Cases && f.measure == c.measure)?;
            Some(AbroadAlert {
                id: id(),
                location: entry.location.clone(),
                day: c.day,
                measure: c.measure,
                threshold: c.threshold,
                figure,
                raised_at: now,
            })
        })
        .collect()
}

/// Where a watched location stands on its latest day.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The latest day of its series (on or before the day asked about).
    pub day: Date,
    /// Its figures that day, for cases and deaths (see [`figures_on`]).
    pub figures: Vec<Figure>,
    /// The thresholds it is at or above that day.
    pub above: Vec<Measure>,
}

/// Where `entry` stands on the latest day of its series `rows` (counted by
/// `source`); `None` for an empty series.
#[must_use]
pub fn standing(rows: &[DailyRow], entry: &Watched, source: &str) -> Option<Standing> {
    let last = rows.last()?;
    let today = daily(rows, entry.population).last().copied()?;
    let given = entry.population.map(|p| p as f64);
    let mut above = Vec::new();
    if today.per_100k_7d.is_some_and(|v| v >= entry.thresholds.per_100k_7d) {
        above.push(Measure::Per100k7d);
    }
    if entry.thresholds.growth_week_on_week.zip(today.growth_week_on_week).is_some_and(|(t, v)| v >= t) {
        above.push(Measure::GrowthWeekOnWeek);
    }
    Some(Standing { day: last.date, figures: figures_on(rows, last.date, given, source), above })
}

/// The 7-day incidence per 100,000 of `entry` as of `day`: its value on
/// the latest day of the series on or before `day`, if that day is at most
/// [`CURRENT_DAYS`] old; `None` otherwise.
#[must_use]
pub fn incidence_as_of(rows: &[DailyRow], entry: &Watched, day: Date) -> Option<f64> {
    let oldest = day.checked_sub(jiff::Span::new().days(CURRENT_DAYS)).ok()?;
    let upto = rows.partition_point(|r| r.date <= day);
    let latest = daily(&rows[..upto], entry.population).pop()?;
    (latest.date >= oldest).then_some(latest.per_100k_7d).flatten()
}

#[cfg(test)]
#[path = "watch_alert_tests.rs"]
mod tests;
