//! The timings behind the response-time figures: when each investigation was
//! opened, first acknowledged and first visited, and how many daily unit
//! reports were filed, and filed by their due hour, day by day.
//!
//! Daily reports are counted in the database by day and by quarter hour of
//! arrival (every time zone's offset is a whole number of quarter hours, so
//! a quarter hour lies wholly before or after a day's due hour), never by
//! loading each report.

use std::collections::HashMap;

use cordon_core::jurisdiction::NodePath;
use cordon_core::response::{DailyTally, Timing};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::db::{from_micros, micros, parse_date, subtree};
use crate::error::Result;
use crate::{Store, exec};

const QUARTER_HOUR_MICROS: i64 = 900_000_000;

/// One investigation's timings and the unit it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationTiming {
    /// The unit the case is in.
    pub subject_path: NodePath,
    /// Its timings.
    pub timing: Timing,
}

type TimingRow = (String, i64, Option<i64>, Option<bool>, Option<i64>);

impl Store {
    /// The timings of the investigations at or below `path` opened in
    /// `from..to`.
    pub async fn investigation_timings(&self, path: &NodePath, from: Timestamp, to: Timestamp) -> Result<Vec<InvestigationTiming>> {
        let pattern = subtree(path);
        let rows: Vec<TimingRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT subject_path, created_at, acknowledged_at, acknowledged_in_time, visited_at FROM tasks \
                         WHERE kind = 'investigation' AND created_at >= $1 AND created_at < $2 AND subject_path LIKE $3 ESCAPE '\\'"
                    )
                    .bind(micros(from))
                    .bind(micros(to))
                    .bind(&pattern),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(subject, created, acknowledged, in_time, visited)| {
                Ok(InvestigationTiming {
                    subject_path: NodePath::from_stored(subject),
                    timing: Timing {
                        created_at: from_micros(created)?,
                        acknowledged_at: acknowledged.map(from_micros).transpose()?,
                        acknowledged_in_time: in_time,
                        visited_at: visited.map(from_micros).transpose()?,
                    },
                })
            })
            .collect()
    }

    /// The daily reports of the units at or below `path` for the days
    /// `from..=to` whose due hour has passed at `now`: expected (units ×
    /// days), filed, and filed by the due hour.
    pub async fn daily_tally(&self, path: &NodePath, from: Date, to: Date, now: Timestamp) -> Result<DailyTally> {
        let settings = self.settings().await?;
        let deepest = i64::try_from(self.levels().await?.len()).unwrap_or(1) - 1;
        let pattern = subtree(path);
        let (units, rows): (i64, Vec<(String, i64, i64)>) = self
            .read(async |c| {
                let units = exec!(
                    c,
                    sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND level = $2")
                        .bind(&pattern)
                        .bind(deepest),
                    fetch_one
                )?;
                let rows = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT date, (received_at - 1) / 900000000 AS quarter, COUNT(*) FROM daily_reports \
                         WHERE unit_path LIKE $1 ESCAPE '\\' AND date >= $2 AND date <= $3 GROUP BY date, (received_at - 1) / 900000000"
                    )
                    .bind(&pattern)
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_all
                )?;
                Ok((units, rows))
            })
            .await?;
        let mut due: HashMap<Date, i64> = HashMap::new();
        let mut day = from;
        while day <= to {
            let at = settings.local_instant(day, settings.daily_report_due_hour);
            if at <= now {
                due.insert(day, micros(at));
            }
            day = day.tomorrow().unwrap_or(Date::MAX);
            if day == Date::MAX {
                break;
            }
        }
        let mut tally = DailyTally { expected: units * i64::try_from(due.len()).unwrap_or(0), ..DailyTally::default() };
        for (date, quarter, count) in rows {
            let Some(due_at) = due.get(&parse_date("daily_reports.date", &date)?) else { continue };
            tally.filed += count;
            if quarter < due_at.div_euclid(QUARTER_HOUR_MICROS) + i64::from(due_at.rem_euclid(QUARTER_HOUR_MICROS) != 0) {
                tally.on_time += count;
            }
        }
        Ok(tally)
    }
}

/// The instants that start `from` and end `to` (both local days included).
#[must_use]
pub fn day_bounds(settings: &cordon_core::settings::Settings, from: Date, to: Date) -> (Timestamp, Timestamp) {
    let start = settings.local_instant(from, 0);
    let end = to
        .tomorrow()
        .map_or_else(|_| start.saturating_add(SignedDuration::from_hours(24)).unwrap_or(start), |d| settings.local_instant(d, 0));
    (start, end)
}
