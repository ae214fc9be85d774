//! Daily counts per node of the jurisdiction tree and per syndrome, the input
//! of outbreak detection and of the alert series.
//!
//! Counting happens in the database: one `INSERT … SELECT … GROUP BY day,
//! ancestor path` per syndrome rolls reports (by their stored local
//! `report_date`) and cases (by the local day of `opened_at`) up to every
//! ancestor of their unit at once, through `node_ancestors`, a table of each
//! node's ancestors kept in step with `nodes` by a recursive query. The
//! results land in `syndrome_counts`, one row per node, syndrome and day with
//! a count above zero. A report's day is the day it was received, so a past
//! day never changes: [`Store::refresh_counts`] recounts only the days after
//! the last complete day it counted, plus today, which stays partial until it
//! is over. Reading a node's series is then an indexed range scan, and weekly
//! totals are summed in SQL from the stored day numbers (ISO weeks start on
//! Monday, four days after the epoch's Thursday).

use cordon_core::detection::Syndrome;
use cordon_core::jurisdiction::NodePath;
use cordon_core::report::Symptom;
use cordon_core::settings::Settings;
use jiff::Span;
use jiff::civil::Date;
use sqlx::AssertSqlSafe;

use crate::db::{Conn, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::{Store, exec};

const EPOCH: Date = Date::constant(1970, 1, 1);
const DAY_MICROS: i64 = 86_400_000_000;
const WATERMARK: &str = "counts_complete_through";

/// Days counted per transaction when catching up on a backlog.
pub const CHUNK_DAYS: i64 = 31;

/// Days since 1970-01-01 of a day.
#[must_use]
pub fn day_number(day: Date) -> i64 {
    day.since(EPOCH).map_or(0, |s| i64::from(s.get_days()))
}

/// The day `n` days after 1970-01-01.
#[must_use]
pub fn day_from_number(n: i64) -> Date {
    EPOCH.checked_add(Span::new().days(n)).unwrap_or(EPOCH)
}

/// The ISO week index (weeks since the Monday 1969-12-29) of a day number.
#[must_use]
pub fn week_number(day_number: i64) -> i64 {
    (day_number + 3).div_euclid(7)
}

/// The Monday that starts ISO week index `week`.
#[must_use]
pub fn week_start(week: i64) -> Date {
    day_from_number(week * 7 - 3)
}

/// A count of one node and syndrome in one period (a day or an ISO week).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCount {
    /// The node.
    pub node_path: NodePath,
    /// The syndrome.
    pub syndrome: Syndrome,
    /// The day number ([`day_number`]) or ISO week index ([`week_number`]).
    pub period: i64,
    /// How many.
    pub count: i64,
}

/// What a refresh recounted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recount {
    /// First day recounted (`None`: there was nothing to count).
    pub from: Option<Date>,
    /// Last day recounted (today).
    pub to: Date,
}

/// The SQL condition that puts a report row `r` in a syndrome (`$3` is the fever threshold).
fn report_condition(syndrome: Syndrome) -> Option<String> {
    let has = |s: Symptom| format!("CAST(r.symptoms AS TEXT) LIKE '%\"{}\"%'", s.as_str());
    match syndrome {
        Syndrome::Fever => Some(format!("(r.temperature_c >= $3 OR (r.temperature_c IS NULL AND {}))", has(Symptom::Fever))),
        Syndrome::Respiratory | Syndrome::Gastrointestinal => {
            Some(format!("({})", syndrome.symptoms().iter().map(|s| has(*s)).collect::<Vec<_>>().join(" OR ")))
        }
        Syndrome::SuspectedCase => None,
    }
}

/// Adds every node missing from `node_ancestors` with its ancestors.
async fn sync_ancestors(c: &mut Conn<'_>) -> Result<()> {
    Ok(exec!(
        c,
        sqlx::query(
            "WITH RECURSIVE up (path, ancestor_id, ancestor_path, ancestor_level) AS ( \
               SELECT n.path, n.id, n.path, n.level FROM nodes n \
                WHERE NOT EXISTS (SELECT 1 FROM node_ancestors a WHERE a.path = n.path) \
               UNION ALL \
               SELECT up.path, p.id, p.path, p.level FROM up \
                 JOIN nodes n ON n.id = up.ancestor_id JOIN nodes p ON p.id = n.parent_id \
             ) INSERT INTO node_ancestors (path, ancestor_path, ancestor_level) \
             SELECT path, ancestor_path, ancestor_level FROM up"
        ),
        execute
    )?)
}

/// Counts reports of `syndrome` received on `from..=to` into `syndrome_counts`.
async fn count_reports(c: &mut Conn<'_>, syndrome: Syndrome, from: Date, to: Date, fever_min: f64) -> Result<()> {
    let Some(condition) = report_condition(syndrome) else { return Ok(()) };
    let day_number = match c {
        Conn::Sqlite(_) => "CAST(julianday(r.report_date) - 2440587.5 AS INTEGER)",
        Conn::Postgres(_) => "(CAST(r.report_date AS DATE) - DATE '1970-01-01')",
    };
    let sql = format!(
        "INSERT INTO syndrome_counts (node_path, level, syndrome, day, day_number, count) \
         SELECT a.ancestor_path, a.ancestor_level, '{name}', r.report_date, {day_number}, COUNT(*) \
           FROM reports r JOIN node_ancestors a ON a.path = r.unit_path \
          WHERE r.report_date >= $1 AND r.report_date <= $2 AND {condition} \
          GROUP BY a.ancestor_path, a.ancestor_level, r.report_date",
        name = syndrome.as_str()
    );
    Ok(exec!(c, sqlx::query(AssertSqlSafe(sql)).bind(from.to_string()).bind(to.to_string()).bind(fever_min), execute)?)
}

/// Counts cases opened in `[start, end)` (Unix microseconds) by local day:
/// the day number is `(opened_at + offset) / DAY_MICROS`, or `fixed_day` when given
/// (for a day on which the UTC offset changes).
async fn count_cases(c: &mut Conn<'_>, start: i64, end: i64, offset: i64, fixed_day: Option<i64>) -> Result<()> {
    let day = match c {
        Conn::Sqlite(_) => "date(x.dn * 86400, 'unixepoch')",
        Conn::Postgres(_) => "to_char(DATE '1970-01-01' + CAST(x.dn AS INTEGER), 'YYYY-MM-DD')",
    };
    let dn = if fixed_day.is_some() { "CAST($4 AS BIGINT)" } else { "(c.opened_at + $3) / 86400000000" };
    let sql = format!(
        "INSERT INTO syndrome_counts (node_path, level, syndrome, day, day_number, count) \
         SELECT a.ancestor_path, a.ancestor_level, 'suspected_case', {day}, x.dn, COUNT(*) \
           FROM (SELECT c.unit_path, {dn} AS dn FROM cases c WHERE c.opened_at >= $1 AND c.opened_at < $2) x \
           JOIN node_ancestors a ON a.path = x.unit_path \
          GROUP BY a.ancestor_path, a.ancestor_level, x.dn"
    );
    Ok(exec!(c, sqlx::query(AssertSqlSafe(sql)).bind(start).bind(end).bind(offset).bind(fixed_day.unwrap_or(0)), execute)?)
}

/// Counts the cases opened on the local days `from..=to`, one statement per
/// run of days with the same UTC offset (one per day where the offset changes).
async fn count_cases_by_day(c: &mut Conn<'_>, settings: &Settings, from: Date, to: Date) -> Result<()> {
    let zone = settings.zone();
    let start_of = |d: Date| micros(settings.local_instant(d, 0));
    let offset_at = |us: i64| {
        let at = jiff::Timestamp::from_microsecond(us).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        i64::from(zone.to_offset(at).seconds()) * 1_000_000
    };
    let tomorrow = |d: Date| d.tomorrow().map_err(|_| StoreError::Corrupt { column: "day", value: d.to_string() });
    // A day is plain when it lasts 24 hours at one offset: then local day
    // number = (opened_at + offset) / 24 h for every instant in it.
    let plain = |d: Date, next: Date| start_of(next) - start_of(d) == DAY_MICROS && offset_at(start_of(d)) == offset_at(start_of(next));
    let mut day = from;
    while day <= to {
        let start = start_of(day);
        let next = tomorrow(day)?;
        if !plain(day, next) {
            count_cases(c, start, start_of(next), 0, Some(day_number(day))).await?;
            day = next;
            continue;
        }
        let mut end = next;
        while end <= to {
            let after = tomorrow(end)?;
            if !plain(end, after) || offset_at(start_of(end)) != offset_at(start) {
                break;
            }
            end = after;
        }
        count_cases(c, start, start_of(end), offset_at(start), None).await?;
        day = end;
    }
    Ok(())
}

/// Recounts the next at most [`CHUNK_DAYS`] days after the watermark (never
/// past `today`) and moves the watermark; the days counted, or `None` when
/// there is nothing to count.
async fn count_chunk(tx: &mut crate::Tx<'_>, settings: &Settings, fever_min: f64, today: Date) -> Result<Option<(Date, Date)>> {
    sync_ancestors(&mut tx.conn).await?;
    let watermark: Option<String> =
        exec!(&mut tx.conn, sqlx::query_scalar("SELECT value FROM detection_state WHERE key = $1").bind(WATERMARK), fetch_optional)?;
    let from = if let Some(day) = watermark {
        Some(parse_date("detection_state.value", &day)?.tomorrow().unwrap_or(today))
    } else {
        let first_report: Option<String> = exec!(&mut tx.conn, sqlx::query_scalar("SELECT MIN(report_date) FROM reports"), fetch_one)?;
        let first_case: Option<i64> = exec!(&mut tx.conn, sqlx::query_scalar("SELECT MIN(opened_at) FROM cases"), fetch_one)?;
        let report_day = first_report.map(|d| parse_date("reports.report_date", &d)).transpose()?;
        let case_day = first_case.map(|us| crate::db::from_micros(us).map(|t| settings.local_date(t))).transpose()?;
        report_day.into_iter().chain(case_day).min()
    };
    let Some(from) = from.filter(|f| *f <= today) else { return Ok(None) };
    let to = day_from_number(day_number(from) + CHUNK_DAYS - 1).min(today);
    exec!(
        &mut tx.conn,
        sqlx::query("DELETE FROM syndrome_counts WHERE day_number >= $1 AND day_number <= $2").bind(day_number(from)).bind(day_number(to)),
        execute
    )?;
    for syndrome in Syndrome::ALL {
        count_reports(&mut tx.conn, syndrome, from, to, fever_min).await?;
    }
    count_cases_by_day(&mut tx.conn, settings, from, to).await?;
    // Today is still partial: it is counted again next time.
    let complete = if to < today { to } else { today.yesterday().unwrap_or(today) };
    exec!(&mut tx.conn, sqlx::query("DELETE FROM detection_state WHERE key = $1").bind(WATERMARK), execute)?;
    exec!(
        &mut tx.conn,
        sqlx::query("INSERT INTO detection_state (key, value) VALUES ($1, $2)").bind(WATERMARK).bind(complete.to_string()),
        execute
    )?;
    Ok(Some((from, to)))
}

impl Store {
    /// Brings `syndrome_counts` up to date through `today` (the authority's
    /// local day): recounts every day after the last complete day counted
    /// (from the first report or case on the first call) through today, and
    /// records yesterday as complete. Idempotent. A long backlog is counted
    /// [`CHUNK_DAYS`] days per transaction, so that the first count of a
    /// large history never holds the (SQLite) writer for long.
    pub async fn refresh_counts(&self, settings: &Settings, fever_min_temperature_c: f64, today: Date) -> Result<Recount> {
        let mut first = None;
        loop {
            let chunk = self.write(async |tx| count_chunk(tx, settings, fever_min_temperature_c, today).await).await?;
            let Some((from, to)) = chunk else { return Ok(Recount { from: first, to: today }) };
            first = first.or(Some(from));
            if to >= today {
                return Ok(Recount { from: first, to: today });
            }
        }
    }

    /// The first day with any count (the start of the surveillance data), if any.
    pub async fn first_count_day(&self) -> Result<Option<Date>> {
        let first: Option<i64> =
            self.read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT MIN(day_number) FROM syndrome_counts"), fetch_one)?)).await?;
        Ok(first.map(day_from_number))
    }

    /// Daily counts (`period` = day number) of the nodes at `level` at or
    /// below `scope`, for days `from..=to`; days without a row are zero.
    pub async fn daily_counts(&self, scope: &NodePath, level: i64, from: Date, to: Date) -> Result<Vec<NodeCount>> {
        let sql = "SELECT node_path, syndrome, day_number, count FROM syndrome_counts \
                   WHERE level = $2 AND day_number >= $3 AND day_number <= $4 AND node_path LIKE $1 ESCAPE '\\'";
        self.counts(sql, scope, level, day_number(from), day_number(to)).await
    }

    /// ISO-week totals (`period` = week index, see [`week_number`]) of the
    /// nodes at `level` at or below `scope`, for weeks `from..=to`.
    pub async fn weekly_counts(&self, scope: &NodePath, level: i64, from_week: i64, to_week: i64) -> Result<Vec<NodeCount>> {
        let sql = "SELECT node_path, syndrome, (day_number + 3) / 7, CAST(SUM(count) AS BIGINT) FROM syndrome_counts \
                   WHERE level = $2 AND day_number >= $3 AND day_number <= $4 AND node_path LIKE $1 ESCAPE '\\' \
                   GROUP BY node_path, syndrome, (day_number + 3) / 7";
        self.counts(sql, scope, level, from_week * 7 - 3, to_week * 7 + 3).await
    }

    /// Daily counts of one node (every syndrome), for days `from..=to`: a
    /// range of the primary key, for the board's series.
    pub async fn node_daily_counts(&self, node: &NodePath, from: Date, to: Date) -> Result<Vec<NodeCount>> {
        let sql = "SELECT node_path, syndrome, day_number, count FROM syndrome_counts \
                   WHERE node_path = $1 AND day_number >= $2 AND day_number <= $3";
        self.node_rows(sql, node, day_number(from), day_number(to)).await
    }

    /// ISO-week totals of one node (every syndrome), for weeks `from..=to`.
    pub async fn node_weekly_counts(&self, node: &NodePath, from_week: i64, to_week: i64) -> Result<Vec<NodeCount>> {
        let sql = "SELECT node_path, syndrome, (day_number + 3) / 7, CAST(SUM(count) AS BIGINT) FROM syndrome_counts \
                   WHERE node_path = $1 AND day_number >= $2 AND day_number <= $3 \
                   GROUP BY node_path, syndrome, (day_number + 3) / 7";
        self.node_rows(sql, node, from_week * 7 - 3, to_week * 7 + 3).await
    }

    async fn node_rows(&self, sql: &'static str, node: &NodePath, from: i64, to: i64) -> Result<Vec<NodeCount>> {
        let rows: Vec<CountRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(sql).bind(node.as_str()).bind(from).bind(to), fetch_all)?)).await?;
        to_counts(rows)
    }

    async fn counts(&self, sql: &'static str, scope: &NodePath, level: i64, from: i64, to: i64) -> Result<Vec<NodeCount>> {
        let pattern = subtree(scope);
        let rows: Vec<CountRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(sql).bind(&pattern).bind(level).bind(from).bind(to), fetch_all)?)).await?;
        to_counts(rows)
    }
}

type CountRow = (String, String, i64, i64);

fn to_counts(rows: Vec<CountRow>) -> Result<Vec<NodeCount>> {
    rows.into_iter()
        .map(|(path, syndrome, period, count)| {
            Ok(NodeCount {
                node_path: NodePath::from_stored(path),
                syndrome: parse_enum("syndrome_counts.syndrome", &syndrome, Syndrome::parse)?,
                period,
                count,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_and_week_numbers_follow_the_iso_calendar() {
        assert_eq!(day_number(date(1970, 1, 2)), 1);
        assert_eq!(day_from_number(day_number(date(2026, 11, 23))), date(2026, 11, 23));
        // 2026-11-23 is a Monday: it starts its ISO week, the Sunday before ends the previous one.
        let monday = day_number(date(2026, 11, 23));
        assert_eq!(week_number(monday), week_number(monday + 6));
        assert_eq!(week_number(monday - 1) + 1, week_number(monday));
        assert_eq!(week_start(week_number(monday + 4)), date(2026, 11, 23));
    }

    #[test]
    fn syndrome_conditions_name_the_stored_symptoms() {
        let fever = report_condition(Syndrome::Fever).unwrap();
        assert!(fever.contains("LIKE '%\"fever\"%'") && fever.contains("$3"));
        assert!(report_condition(Syndrome::Gastrointestinal).unwrap().contains("\"vomiting\""));
        assert!(report_condition(Syndrome::SuspectedCase).is_none());
    }
}
