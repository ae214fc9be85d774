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

use std::collections::HashMap;
use std::fmt::Write as _;

use cordon_core::jurisdiction::NodePath;
use cordon_core::response::{DailyTally, ResponseTally};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use sqlx::AssertSqlSafe;

use crate::db::{micros, parse_date, subtree};
use crate::error::Result;
use crate::jurisdictions::count_units;
use crate::{Store, exec};

const QUARTER_HOUR_MICROS: i64 = 900_000_000;

/// The first and the last day of `periods` together (none when empty).
fn reach(periods: &[(Date, Date)]) -> Option<(Date, Date)> {
    Some((periods.iter().map(|p| p.0).min()?, periods.iter().map(|p| p.1).max()?))
}

impl Store {
    /// What the investigations opened at or below `path` add up to over
    /// each period `from..=to` of `periods` (which must not overlap), from
    /// the response read model, summed by the database: one row per period,
    /// measure and delay.
    pub async fn response_spans(&self, path: &NodePath, periods: &[(Date, Date)]) -> Result<Vec<ResponseTally>> {
        let Some((first, last)) = reach(periods) else { return Ok(Vec::new()) };
        let cases = (0..periods.len()).fold(String::new(), |mut sql, i| {
            let _ = write!(sql, " WHEN day >= ${} AND day <= ${} THEN {i}", 4 + 2 * i, 5 + 2 * i);
            sql
        });
        let sql = format!(
            "SELECT CAST(CASE{cases} END AS BIGINT) AS span, measure, minutes, CAST(SUM(count) AS BIGINT) FROM response_counts \
             WHERE node_path = $1 AND day >= $2 AND day <= $3 GROUP BY 1, measure, minutes HAVING SUM(count) <> 0"
        );
        let rows: Vec<(Option<i64>, String, i64, i64)> = self
            .read(async |c| {
                // The block is expanded, and typed, once for each database.
                Ok(exec!(
                    c,
                    {
                        let mut q =
                            sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(path.as_str()).bind(first.to_string()).bind(last.to_string());
                        for (from, to) in periods {
                            q = q.bind(from.to_string()).bind(to.to_string());
                        }
                        q
                    },
                    fetch_all
                )?)
            })
            .await?;
        let mut tallies = vec![ResponseTally::default(); periods.len()];
        for (span, measure, minutes, count) in rows {
            if let Some(tally) = span.and_then(|i| usize::try_from(i).ok()).and_then(|i| tallies.get_mut(i)) {
                tally.add_count(&measure, minutes, u64::try_from(count).unwrap_or(0));
            }
        }
        Ok(tallies)
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

    /// The daily reports of the units at or below `path` for each period
    /// `from..=to` of `periods`, counting only the days whose due hour has
    /// passed at `now`: expected (units × days), filed, and filed by the due
    /// hour. One count of the units and one read of the reports by day and
    /// quarter hour serve every period.
    pub async fn daily_tallies(&self, path: &NodePath, periods: &[(Date, Date)], now: Timestamp) -> Result<Vec<DailyTally>> {
        let Some((first, last)) = reach(periods) else { return Ok(Vec::new()) };
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
                    .bind(first.to_string())
                    .bind(last.to_string()),
                    fetch_all
                )?;
                Ok((units, rows))
            })
            .await?;
        // The due instant of every day in range whose due hour has passed.
        let mut due: HashMap<Date, i64> = HashMap::new();
        let mut day = first;
        while day <= last {
            let at = settings.local_instant(day, settings.daily_report_due_hour);
            if at <= now {
                due.insert(day, micros(at));
            }
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
        let mut filed: Vec<(Date, i64, bool)> = Vec::with_capacity(rows.len());
        for (date, quarter, count) in rows {
            let date = parse_date("daily_reports.date", &date)?;
            let Some(due_at) = due.get(&date) else { continue };
            let on_time = quarter < due_at.div_euclid(QUARTER_HOUR_MICROS) + i64::from(due_at.rem_euclid(QUARTER_HOUR_MICROS) != 0);
            filed.push((date, count, on_time));
        }
        Ok(periods
            .iter()
            .map(|&(from, to)| {
                let days = due.keys().filter(|d| (from..=to).contains(*d)).count();
                let mut tally = DailyTally { expected: units * i64::try_from(days).unwrap_or(0), ..DailyTally::default() };
                for (_, count, on_time) in filed.iter().filter(|(d, _, _)| (from..=to).contains(d)) {
                    tally.filed += count;
                    if *on_time {
                        tally.on_time += count;
                    }
                }
                tally
            })
            .collect())
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
