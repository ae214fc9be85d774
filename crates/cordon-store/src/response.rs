//! The counts behind the response-time figures: the investigations opened,
//! acknowledged in time and by delay to their first acknowledgement and
//! visit, per node and local day (the read model `response_counts`), and how
//! many daily unit reports were filed, and filed by their due hour, day by
//! day.
//!
//! Daily reports are counted in the database by day and by quarter hour of
//! arrival (every time zone's offset is a whole number of quarter hours, so
//! a quarter hour lies wholly before or after a day's due hour), never by
//! loading each report.

use std::collections::{BTreeMap, HashMap};

use cordon_core::jurisdiction::NodePath;
use cordon_core::response::{DailyTally, ResponseTally};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::db::{micros, parse_date, subtree};
use crate::error::Result;
use crate::jurisdictions::count_units;
use crate::{Store, exec};

const QUARTER_HOUR_MICROS: i64 = 900_000_000;

impl Store {
    /// What the investigations opened at or below `path` on each local day
    /// of `from..=to` add up to (days with none are left out), from the
    /// response read model.
    pub async fn response_days(&self, path: &NodePath, from: Date, to: Date) -> Result<BTreeMap<Date, ResponseTally>> {
        let rows: Vec<(String, String, i64, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT day, measure, minutes, count FROM response_counts \
                         WHERE node_path = $1 AND day >= $2 AND day <= $3 AND count <> 0"
                    )
                    .bind(path.as_str())
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        let mut days: BTreeMap<Date, ResponseTally> = BTreeMap::new();
        for (day, measure, minutes, count) in rows {
            let day = parse_date("response_counts.day", &day)?;
            days.entry(day).or_default().add_count(&measure, minutes, u64::try_from(count).unwrap_or(0));
        }
        Ok(days)
    }

    /// What the investigations opened under each child of `parent` over the
    /// local days `from..=to` add up to, by the child's path (children with
    /// none are left out).
    pub async fn response_by_child(&self, parent: &NodePath, from: Date, to: Date) -> Result<HashMap<NodePath, ResponseTally>> {
        let rows: Vec<(String, String, i64, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT r.node_path, r.measure, r.minutes, CAST(SUM(r.count) AS BIGINT) \
                           FROM nodes p JOIN nodes n ON n.parent_id = p.id JOIN response_counts r ON r.node_path = n.path \
                          WHERE p.path = $1 AND r.day >= $2 AND r.day <= $3 \
                          GROUP BY r.node_path, r.measure, r.minutes HAVING SUM(r.count) <> 0"
                    )
                    .bind(parent.as_str())
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        let mut out: HashMap<NodePath, ResponseTally> = HashMap::new();
        for (path, measure, minutes, count) in rows {
            out.entry(NodePath::from_stored(path)).or_default().add_count(&measure, minutes, u64::try_from(count).unwrap_or(0));
        }
        Ok(out)
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
                let units = count_units(c, &pattern, deepest).await?;
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
