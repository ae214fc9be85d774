//! Daily unit reports, completeness and timeliness, and the silent-unit job.

use cordon_core::daily::{self, Completeness, DailyReport, DailyReportInput, Filing, Timeliness};
use cordon_core::escalation::{Escalation, EscalationKind};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{from_micros, micros, parse_date, subtree};
use crate::error::Result;
use crate::escalations::UnitEscalation;
use crate::jurisdictions::{count_units, level_names, node_by_code};
use crate::{Store, exec};

type DailyRow = (Uuid, Uuid, String, String, i64, Option<String>, Uuid, i64);
const DAILY_COLUMNS: &str = "id, unit_id, unit_path, date, ill_count, note, reporter_id, received_at";

fn daily_from(r: DailyRow) -> Result<DailyReport> {
    Ok(DailyReport {
        id: r.0,
        unit_id: r.1,
        unit_path: NodePath::from_stored(r.2),
        date: parse_date("daily_reports.date", &r.3)?,
        ill_count: r.4,
        note: r.5,
        reporter_id: r.6,
        received_at: from_micros(r.7)?,
    })
}

/// What filing a daily report did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DailyFiling {
    /// False when this unit had already reported for the day; `report` is the
    /// one stored first.
    pub created: bool,
    /// The stored report.
    pub report: DailyReport,
}

/// One unit's standing for a day.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitDay {
    /// The unit.
    pub unit: Node,
    /// How it stands.
    pub timeliness: Timeliness,
    /// Its report, if any.
    pub report: Option<DailyReport>,
}

impl Store {
    /// Files a unit's daily report by `reporter` (its note checked into
    /// `note`), in one transaction: the unit its `unit_code` names and the
    /// tree's levels are loaded and [`daily::unit_for`] decides whether it is
    /// a unit the reporter may file for; then the report already stored under
    /// its id or for the unit and day, and [`daily::decide`] decides. A second
    /// report for the same unit and day (or the same id again) stores nothing
    /// and returns the first.
    pub async fn file_daily_report(
        &self,
        reporter: &User,
        input: &DailyReportInput,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<DailyFiling> {
        self.write(async |tx| {
            let found = node_by_code(&mut tx.conn, input.unit_code.trim()).await?;
            let levels = level_names(&mut tx.conn).await?.len();
            let unit = daily::unit_for(reporter, &input.unit_code, found.as_ref(), levels)?;
            let sql = format!("SELECT {DAILY_COLUMNS} FROM daily_reports WHERE id = $1 OR (unit_id = $2 AND date = $3)");
            let row: Option<DailyRow> = exec!(
                &mut tx.conn,
                sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(input.id).bind(unit.id).bind(input.date.to_string()),
                fetch_optional
            )?;
            let existing = row.map(daily_from).transpose()?;
            let report = match daily::decide(existing, (input, note), unit, reporter.id, now)? {
                Filing::Again(first) => return Ok(DailyFiling { created: false, report: first }),
                Filing::New(report) => report,
            };
            let sql = format!("INSERT INTO daily_reports ({DAILY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
            exec!(
                &mut tx.conn,
                sqlx::query(AssertSqlSafe(sql.as_str()))
                    .bind(report.id)
                    .bind(report.unit_id)
                    .bind(report.unit_path.as_str())
                    .bind(report.date.to_string())
                    .bind(report.ill_count)
                    .bind(&report.note)
                    .bind(report.reporter_id)
                    .bind(micros(report.received_at)),
                execute
            )?;
            tx.audit(now, Some(reporter.id), "daily_report.create", report.id, None::<&()>, Some(&report)).await?;
            tx.emit(Event::new(EventKind::DailyReportFiled, &report.unit_path, report.id, now, &report)).await?;
            Ok(DailyFiling { created: true, report })
        })
        .await
    }

    /// For every unit at or below `path`: whether it reported for `date`, on
    /// time or late, or is pending or silent; and the totals.
    pub async fn completeness(&self, path: &NodePath, date: Date, now: Timestamp) -> Result<(Completeness, Vec<UnitDay>)> {
        let settings = self.settings().await?;
        let units = self.units_under(path).await?;
        let pattern = subtree(path);
        let sql = format!("SELECT {DAILY_COLUMNS} FROM daily_reports WHERE unit_path LIKE $1 ESCAPE '\\' AND date = $2");
        let rows: Vec<DailyRow> = self
            .read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(date.to_string()), fetch_all)?))
            .await?;
        let mut by_unit = std::collections::HashMap::new();
        for row in rows {
            let r = daily_from(row)?;
            by_unit.insert(r.unit_id, r);
        }
        let mut total = Completeness::default();
        let mut days = Vec::with_capacity(units.len());
        for unit in units {
            let report = by_unit.remove(&unit.id);
            let t = daily::timeliness(&settings, date, report.as_ref().map(|r| r.received_at), now);
            total.add(t, report.as_ref().map(|r| r.ill_count));
            days.push(UnitDay { unit, timeliness: t, report });
        }
        Ok((total, days))
    }

    /// The totals of [`Store::completeness`] alone, counted in the
    /// database (two reads, whatever the size of the subtree): what the
    /// board and the alert-level signals show.
    pub async fn completeness_totals(&self, path: &NodePath, date: Date, now: Timestamp) -> Result<Completeness> {
        let settings = self.settings().await?;
        let deepest = i64::try_from(self.levels().await?.len()).unwrap_or(1) - 1;
        let due = settings.local_instant(date, settings.daily_report_due_hour);
        let pattern = subtree(path);
        let (units, (filed, on_time, zero)): (i64, (i64, i64, i64)) = self
            .read(async |c| {
                let units = count_units(c, &pattern, deepest).await?;
                let filed = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN d.received_at <= $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                                CAST(COALESCE(SUM(CASE WHEN d.ill_count = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                           FROM daily_reports d JOIN nodes n ON n.id = d.unit_id \
                          WHERE d.unit_path LIKE $1 ESCAPE '\\' AND d.date = $2 AND n.level = $4"
                    )
                    .bind(&pattern)
                    .bind(date.to_string())
                    .bind(micros(due))
                    .bind(deepest),
                    fetch_one
                )?;
                Ok((units, filed))
            })
            .await?;
        let missing = units - filed;
        let waiting = now <= due;
        Ok(Completeness {
            units,
            on_time,
            late: filed - on_time,
            pending: if waiting { missing } else { 0 },
            silent: if waiting { 0 } else { missing },
            zero_reports: zero,
        })
    }

    /// Escalates every unit with no daily report for today once the silent
    /// hour has passed (at most once per unit and day). Returns the new
    /// escalations.
    pub async fn escalate_silent_units(&self, now: Timestamp) -> Result<Vec<Escalation>> {
        let settings = self.settings().await?;
        let today = settings.local_date(now);
        if !daily::is_silent_past_hour(&settings, today, now) {
            return Ok(Vec::new());
        }
        let Some(root) = self.root_node().await? else { return Ok(Vec::new()) };
        let (_, days) = self.completeness(&root.path, today, now).await?;
        let already: std::collections::HashSet<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar("SELECT subject_path FROM escalations WHERE kind = 'unit_silent' AND date = $1")
                        .bind(today.to_string()),
                    fetch_all
                )?)
            })
            .await?
            .into_iter()
            .collect();
        let mut raised = Vec::new();
        for day in days.into_iter().filter(|d| d.report.is_none() && !already.contains(d.unit.path.as_str())) {
            let about = UnitEscalation { kind: EscalationKind::UnitSilent, date: Some(today), directive_id: None };
            raised.extend(self.escalate_unit(&day.unit.path, about, now).await?);
        }
        Ok(raised)
    }
}
