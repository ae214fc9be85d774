//! The counts at home a situation report and the summaries publish for a
//! subtree and a period: symptom reports, cases by classification and
//! deaths, each new in the period and since counting began, and the people
//! under isolation or quarantine orders in force. Every count comes from the
//! read models (one row per node, day and status), except the deaths new in
//! the period, found by the partial index on the dead.

use cordon_core::case::CaseStatus;
use cordon_core::jurisdiction::NodePath;
use jiff::Timestamp;
use jiff::civil::Date;

use crate::db::{micros, parse_date, parse_enum, subtree};
use crate::error::Result;
use crate::{Store, exec};

/// One count, new in the period and in total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewAndTotal {
    /// New in the period.
    pub new: i64,
    /// Since counting began.
    pub total: i64,
}

/// The counts at home for a subtree and a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeCounts {
    /// The first day anything was reported anywhere (when counting began);
    /// `None` before the first report.
    pub counting_since: Option<Date>,
    /// Symptom reports by report day.
    pub reports: NewAndTotal,
    /// Cases by classification, by the day they were opened; every status listed.
    pub cases: Vec<(CaseStatus, NewAndTotal)>,
    /// Deaths, by the day they were recorded.
    pub deaths: NewAndTotal,
    /// People under an isolation order in force.
    pub isolated: i64,
    /// People under a quarantine order in force.
    pub quarantined: i64,
}

impl Store {
    /// The counts at or below `path`, new for the days `from..=to` (the
    /// instants `start..end` bound those days for the cases and deaths).
    pub async fn home_counts(&self, path: &NodePath, (from, to): (Date, Date), (start, end): (Timestamp, Timestamp)) -> Result<HomeCounts> {
        let pattern = subtree(path);
        let (since, reports, cases, deaths, orders) = self
            .read(async |c| {
                let since: Option<String> = exec!(c, sqlx::query_scalar("SELECT MIN(report_date) FROM reports"), fetch_one)?;
                let reports: (i64, Option<i64>) = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT), \
                                CAST(SUM(CASE WHEN day >= $2 AND day <= $3 THEN count ELSE 0 END) AS BIGINT) \
                         FROM report_counts WHERE node_path = $1"
                    )
                    .bind(path.as_str())
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_one
                )?;
                let cases: Vec<(String, i64, Option<i64>, i64)> = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT status, CAST(SUM(cases) AS BIGINT), \
                                CAST(SUM(CASE WHEN opened_date >= $2 AND opened_date <= $3 THEN cases ELSE 0 END) AS BIGINT), \
                                CAST(SUM(deaths) AS BIGINT) \
                         FROM case_counts WHERE node_path = $1 GROUP BY status"
                    )
                    .bind(path.as_str())
                    .bind(from.to_string())
                    .bind(to.to_string()),
                    fetch_all
                )?;
                let new_deaths: i64 = exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM cases WHERE outcome = 'died' AND updated_at >= $2 AND updated_at < $3 \
                         AND unit_path LIKE $1 ESCAPE '\\'"
                    )
                    .bind(&pattern)
                    .bind(micros(start))
                    .bind(micros(end)),
                    fetch_one
                )?;
                let orders: Vec<(String, i64)> = exec!(
                    c,
                    sqlx::query_as("SELECT kind, CAST(SUM(count) AS BIGINT) FROM order_counts WHERE node_path = $1 GROUP BY kind")
                        .bind(path.as_str()),
                    fetch_all
                )?;
                let deaths = (cases.iter().map(|row| row.3).sum::<i64>(), Some(new_deaths));
                Ok((since, reports, cases, deaths, orders))
            })
            .await?;
        let mut counts = HomeCounts {
            counting_since: since.map(|d| parse_date("reports.report_date", &d)).transpose()?,
            reports: NewAndTotal { new: reports.1.unwrap_or(0), total: reports.0 },
            cases: CaseStatus::ALL.iter().map(|s| (*s, NewAndTotal::default())).collect(),
            deaths: NewAndTotal { new: deaths.1.unwrap_or(0), total: deaths.0 },
            ..HomeCounts::default()
        };
        for (status, total, new, _) in cases {
            let status = parse_enum("cases.status", &status, CaseStatus::parse)?;
            if let Some(slot) = counts.cases.iter_mut().find(|(s, _)| *s == status) {
                slot.1 = NewAndTotal { new: new.unwrap_or(0), total };
            }
        }
        for (kind, people) in orders {
            match kind.as_str() {
                "isolation" => counts.isolated = people,
                _ => counts.quarantined += people,
            }
        }
        Ok(counts)
    }
}

impl Store {
    /// The names of the nodes `ids`, in one query (unknown ids are left out).
    pub async fn node_names(&self, ids: &[uuid::Uuid]) -> Result<std::collections::HashMap<uuid::Uuid, String>> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT id, name FROM nodes WHERE id IN ({})", marks.join(", "));
        let rows: Vec<(uuid::Uuid, String)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    {
                        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
                        for id in ids {
                            query = query.bind(*id);
                        }
                        query
                    },
                    fetch_all
                )?)
            })
            .await?;
        Ok(rows.into_iter().collect())
    }
}
