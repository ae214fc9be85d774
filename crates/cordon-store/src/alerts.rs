//! Alerts and the detection configuration: raising alerts from detection
//! signals (once per signal), listing them by subtree, and recording each
//! review step with its audit record and live event, in one transaction.

use cordon_core::refusal::Record;
use std::collections::HashSet;

use cordon_core::alert::{self, Alert, AlertDecision, AlertReview, AlertStatus, ReviewInput, Signal, SignalKey};
use cordon_core::detection::{DetectionConfig, DetectionMethod, Syndrome};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::policy::{self, Action};
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::paging::Window;
use crate::{Store, Tx, exec};

const ALERT_COLUMNS: &str =
    "id, node_id, node_path, syndrome, method, period_start, period_end, observed, expected, upper_bound, status, raised_at, updated_at";

#[derive(sqlx::FromRow)]
struct AlertRow {
    id: Uuid,
    node_id: Uuid,
    node_path: String,
    syndrome: String,
    method: String,
    period_start: String,
    period_end: String,
    observed: f64,
    expected: Option<f64>,
    upper_bound: Option<f64>,
    status: String,
    raised_at: i64,
    updated_at: i64,
}

impl TryFrom<AlertRow> for Alert {
    type Error = StoreError;
    fn try_from(r: AlertRow) -> Result<Alert> {
        Ok(Alert {
            id: r.id,
            node_id: r.node_id,
            node_path: NodePath::from_stored(r.node_path),
            syndrome: parse_enum("alerts.syndrome", &r.syndrome, Syndrome::parse)?,
            method: parse_enum("alerts.method", &r.method, DetectionMethod::parse)?,
            period_start: parse_date("alerts.period_start", &r.period_start)?,
            period_end: parse_date("alerts.period_end", &r.period_end)?,
            observed: r.observed,
            expected: r.expected,
            upper_bound: r.upper_bound,
            status: parse_enum("alerts.status", &r.status, AlertStatus::parse)?,
            raised_at: from_micros(r.raised_at)?,
            updated_at: from_micros(r.updated_at)?,
        })
    }
}

/// Filters for the alert list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// Only alerts in this status.
    pub status: Option<AlertStatus>,
    /// Only this syndrome.
    pub syndrome: Option<Syndrome>,
    /// Only periods ending on or after this day.
    pub since: Option<Date>,
}

/// The detection configuration in force, inside any connection (defaults when never saved).
pub async fn detection_config_in(c: &mut Conn<'_>) -> Result<DetectionConfig> {
    let value: Option<Json<DetectionConfig>> =
        exec!(c, sqlx::query_scalar("SELECT value FROM settings WHERE key = 'detection'"), fetch_optional)?;
    Ok(value.map(|v| v.0).unwrap_or_default())
}

async fn alert_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Alert>> {
    let sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1");
    let row: Option<AlertRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql)).bind(id), fetch_optional)?;
    row.map(Alert::try_from).transpose()
}

/// Inserts an alert unless one exists for its signal; whether it was inserted.
async fn insert_alert(c: &mut Conn<'_>, a: &Alert) -> Result<bool> {
    let sql = format!(
        "INSERT INTO alerts ({ALERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (node_path, syndrome, method, period_end) DO NOTHING RETURNING id"
    );
    let inserted: Option<Uuid> = exec!(
        c,
        sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(a.id)
            .bind(a.node_id)
            .bind(a.node_path.as_str())
            .bind(a.syndrome.as_str())
            .bind(a.method.as_str())
            .bind(a.period_start.to_string())
            .bind(a.period_end.to_string())
            .bind(a.observed)
            .bind(a.expected)
            .bind(a.upper_bound)
            .bind(a.status.as_str())
            .bind(micros(a.raised_at))
            .bind(micros(a.updated_at)),
        fetch_optional
    )?;
    Ok(inserted.is_some())
}

/// The keys of alerts already raised for periods ending in `from..=to`.
async fn existing_keys(c: &mut Conn<'_>, from: Date, to: Date) -> Result<HashSet<SignalKey>> {
    let rows: Vec<(String, String, String, String)> = exec!(
        c,
        sqlx::query_as("SELECT node_path, syndrome, method, period_end FROM alerts WHERE period_end >= $1 AND period_end <= $2")
            .bind(from.to_string())
            .bind(to.to_string()),
        fetch_all
    )?;
    rows.into_iter()
        .map(|(path, syndrome, method, end)| {
            Ok(SignalKey {
                node_path: NodePath::from_stored(path),
                syndrome: parse_enum("alerts.syndrome", &syndrome, Syndrome::parse)?,
                method: parse_enum("alerts.method", &method, DetectionMethod::parse)?,
                period_end: parse_date("alerts.period_end", &end)?,
            })
        })
        .collect()
}

async fn raise(tx: &mut Tx<'_>, signals: &[Signal], now: Timestamp) -> Result<Vec<Alert>> {
    let (Some(from), Some(to)) = (signals.iter().map(|s| s.period_end).min(), signals.iter().map(|s| s.period_end).max()) else {
        return Ok(Vec::new());
    };
    let existing = existing_keys(&mut tx.conn, from, to).await?;
    let mut raised = Vec::new();
    for a in alert::new_alerts(signals, &existing, now, Uuid::now_v7) {
        // A concurrent pass on another server may have raised it meanwhile.
        if insert_alert(&mut tx.conn, &a).await? {
            tx.audit(now, None, "alert.raise", a.id, None::<&()>, Some(&a)).await?;
            tx.emit(Event::new(EventKind::AlertRaised, &a.node_path, a.id, now, &a)).await?;
            raised.push(a);
        }
    }
    Ok(raised)
}

impl Store {
    /// The detection configuration in force.
    pub async fn detection_config(&self) -> Result<DetectionConfig> {
        self.read(async |c| detection_config_in(c).await).await
    }

    /// Saves a new detection configuration after checking it.
    pub async fn save_detection_config(&self, actor: Uuid, config: &DetectionConfig, now: Timestamp) -> Result<DetectionConfig> {
        config.check()?;
        self.write(async |tx| {
            let before = detection_config_in(&mut tx.conn).await?;
            tx.config_changed();
            exec!(&mut tx.conn, sqlx::query("DELETE FROM settings WHERE key = 'detection'"), execute)?;
            exec!(&mut tx.conn, sqlx::query("INSERT INTO settings (key, value) VALUES ('detection', $1)").bind(Json(config)), execute)?;
            tx.audit(now, Some(actor), "detection_config.update", "detection", Some(&before), Some(config)).await?;
            Ok(config.clone())
        })
        .await
    }

    /// Raises an alert for every signal with an alarm that has none yet, with
    /// its audit record and `alert_raised` event; returns the new alerts.
    pub async fn raise_alerts(&self, signals: &[Signal], now: Timestamp) -> Result<Vec<Alert>> {
        self.write(async |tx| raise(tx, signals, now).await).await
    }

    /// The daily job's pass over `day`: raises the alerts and records the day
    /// as evaluated, in one transaction.
    pub async fn record_detection_run(&self, day: Date, signals: &[Signal], now: Timestamp) -> Result<Vec<Alert>> {
        self.write(async |tx| {
            let raised = raise(tx, signals, now).await?;
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO detection_runs (day, ran_at, signals, alerts) VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO NOTHING"
                )
                .bind(day.to_string())
                .bind(micros(now))
                .bind(i64::try_from(signals.len()).unwrap_or(i64::MAX))
                .bind(i64::try_from(raised.len()).unwrap_or(i64::MAX)),
                execute
            )?;
            Ok(raised)
        })
        .await
    }

    /// The last day the daily job evaluated, if any.
    pub async fn last_detection_run(&self) -> Result<Option<Date>> {
        let day: Option<String> =
            self.read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT MAX(day) FROM detection_runs"), fetch_one)?)).await?;
        day.map(|d| parse_date("detection_runs.day", &d)).transpose()
    }

    /// An alert by id.
    pub async fn alert(&self, id: Uuid) -> Result<Option<Alert>> {
        self.read(async |c| alert_by_id(c, id).await).await
    }

    /// Alerts at or below `path`, newest period first.
    pub async fn alerts_under(&self, path: &NodePath, filter: &AlertFilter, limit: i64) -> Result<Vec<Alert>> {
        self.alerts_in_window(path, filter, Window::first(limit)).await
    }

    /// One window of [`Store::alerts_under`].
    pub async fn alerts_in_window(&self, path: &NodePath, filter: &AlertFilter, window: Window) -> Result<Vec<Alert>> {
        let sql = format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE node_path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR status = $2) \
             AND ($3 IS NULL OR syndrome = $3) AND ($4 IS NULL OR period_end >= $4) \
             ORDER BY period_end DESC, node_path, syndrome, method, id LIMIT $5 OFFSET $6"
        );
        let pattern = subtree(path);
        let rows: Vec<AlertRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str()))
                        .bind(&pattern)
                        .bind(filter.status.map(AlertStatus::as_str))
                        .bind(filter.syndrome.map(Syndrome::as_str))
                        .bind(filter.since.map(|d| d.to_string()))
                        .bind(window.bounded_limit())
                        .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(Alert::try_from).collect()
    }

    /// How many alerts at or below `path` stand at `status` (the board's
    /// count of new alerts).
    pub async fn count_alerts_under(&self, path: &NodePath, status: AlertStatus) -> Result<i64> {
        let pattern = subtree(path);
        self.read(async |c| {
            Ok(exec!(
                c,
                sqlx::query_scalar("SELECT COUNT(*) FROM alerts WHERE node_path LIKE $1 ESCAPE '\\' AND status = $2")
                    .bind(&pattern)
                    .bind(status.as_str()),
                fetch_one
            )?)
        })
        .await
    }

    /// The review steps of an alert, oldest first.
    pub async fn alert_reviews(&self, id: Uuid) -> Result<Vec<AlertReview>> {
        let rows: Vec<(i64, Uuid, String, String, String)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT at, officer_id, from_status, to_status, note FROM alert_reviews WHERE alert_id = $1 ORDER BY seq"
                    )
                    .bind(id),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(at, officer_id, from, to, note)| {
                Ok(AlertReview {
                    alert_id: id,
                    at: from_micros(at)?,
                    officer_id,
                    from: parse_enum("alert_reviews.from_status", &from, AlertStatus::parse)?,
                    to: parse_enum("alert_reviews.to_status", &to, AlertStatus::parse)?,
                    note,
                })
            })
            .collect()
    }

    /// Applies an officer's decision (review, verify, discard) with a note:
    /// the alert is loaded (one outside the officer's subtree is not found),
    /// the officer's right checked, the note parsed and [`alert::decide`]
    /// decides; the alert, the review record, the audit record and the
    /// `alert_reviewed` event commit together.
    pub async fn decide_alert(
        &self,
        officer: &User,
        id: Uuid,
        decision: AlertDecision,
        input: &ReviewInput,
        now: Timestamp,
    ) -> Result<Alert> {
        self.write(async |tx| {
            let before = alert_by_id(&mut tx.conn, id)
                .await?
                .filter(|a| officer.node_path.contains(&a.node_path))
                .ok_or_else(|| StoreError::not_found(Record::Alert, id))?;
            policy::authorise(officer, Action::ReviewAlert, &before.node_path)?;
            let note = input.parse()?;
            let officer = officer.id;
            let (after, review) = alert::decide(&before, decision, officer, note, now)?;
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE alerts SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(after.status.as_str())
                    .bind(micros(now))
                    .bind(id),
                execute
            )?;
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO alert_reviews (alert_id, at, officer_id, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)"
                )
                .bind(id)
                .bind(micros(now))
                .bind(officer)
                .bind(review.from.as_str())
                .bind(review.to.as_str())
                .bind(&review.note),
                execute
            )?;
            let action = match decision {
                AlertDecision::Review => "alert.review",
                AlertDecision::Verify => "alert.verify",
                AlertDecision::Discard => "alert.discard",
            };
            tx.audit(now, Some(officer), action, id, Some(&before), Some(&serde_json::json!({ "alert": &after, "review": &review })))
                .await?;
            tx.emit(Event::new(EventKind::AlertReviewed, &after.node_path, id, now, &after)).await?;
            Ok(after)
        })
        .await
    }
}
