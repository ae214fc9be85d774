//! The watch on neighbouring countries: the watch list kept by
//! administrators, and the alerts raised when a watched location crosses a
//! threshold.
//!
//! Alerts are decided by `cordon_core::watch_alert::raise` over the
//! location's whole stored series, after every import and every change to
//! the location's entry, in the same transaction: each new alert is stored,
//! audited and announced (`abroad_alert_raised`, addressed to the whole
//! country). The alerts already stored tell the rule which crossings were
//! raised before, so a re-import raises nothing twice.

use cordon_core::abroad::DailyRow;
use cordon_core::event::{Event, EventKind};
use cordon_core::figure::{Figure, Measure};
use cordon_core::jurisdiction::NodePath;
use cordon_core::user::User;
use cordon_core::watch::{self, Imported, Refused, Thresholds, WatchInput, Watched};
use cordon_core::watch_alert::{self, AbroadAlert};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::abroad::{series_in, source_in};
use crate::db::{from_json, from_micros, micros, parse_date};
use crate::error::{Result, StoreError};
use crate::{Conn, Store, Tx, exec};

impl From<Refused> for StoreError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Invalid(i) => StoreError::Invalid(i),
            Refused::Denied(d) => StoreError::Denied(d),
            Refused::NotWatched(location) => StoreError::NotFound { record: cordon_core::refusal::Record::WatchedLocation, key: location },
        }
    }
}

/// A watched location with its stored series and where it comes from.
#[derive(Debug, Clone)]
pub struct WatchedSeries {
    /// The entry.
    pub entry: Watched,
    /// Its days, in date order.
    pub rows: Vec<DailyRow>,
    /// Who counted them (the source of the latest import).
    pub source: String,
}

type WatchRow = (String, Option<i64>, f64, Option<f64>, Uuid, i64);

const WATCH_COLUMNS: &str = "location, population, per_100k_7d, growth_week_on_week, set_by, set_at";

fn to_watched((location, population, per_100k_7d, growth_week_on_week, set_by, set_at): WatchRow) -> Result<Watched> {
    Ok(Watched { location, population, thresholds: Thresholds { per_100k_7d, growth_week_on_week }, set_by, set_at: from_micros(set_at)? })
}

type AlertRow = (Uuid, String, String, String, f64, String, i64);

const ALERT_COLUMNS: &str = "id, location, measure, day, threshold, figure, raised_at";

fn to_alert((id, location, measure, day, threshold, figure, raised_at): AlertRow) -> Result<AbroadAlert> {
    Ok(AbroadAlert {
        id,
        location,
        day: parse_date("abroad_alerts.day", &day)?,
        measure: measure_of(measure)?,
        threshold,
        figure: from_json::<Figure>("abroad_alerts.figure", &figure)?,
        raised_at: from_micros(raised_at)?,
    })
}

/// A stored measure name read back.
fn measure_of(name: String) -> Result<Measure> {
    serde_json::from_value(serde_json::Value::String(name.clone()))
        .map_err(|_| StoreError::Corrupt { column: "abroad_alerts.measure", value: name })
}

impl Store {
    /// The watch list, by location.
    pub async fn watch_list(&self) -> Result<Vec<Watched>> {
        self.read(async |c| {
            let sql = format!("SELECT {WATCH_COLUMNS} FROM watch_list ORDER BY location");
            let rows: Vec<WatchRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), fetch_all)?;
            rows.into_iter().map(to_watched).collect()
        })
        .await
    }

    /// `admin` puts `location` on the watch list or changes its entry; the
    /// location's thresholds are then checked against its series and the
    /// alerts raised, in the same transaction.
    pub async fn set_watch(&self, admin: &User, location: &str, input: &WatchInput, now: Timestamp) -> Result<(Watched, Vec<AbroadAlert>)> {
        self.write(async |tx| {
            let imported = imported_in(&mut tx.conn, location.trim()).await?;
            let entry = watch::set(admin, location, input, imported, now)?;
            let before = entry_in(&mut tx.conn, &entry.location).await?;
            let sql = if before.is_some() {
                "UPDATE watch_list SET population = $2, per_100k_7d = $3, growth_week_on_week = $4, set_by = $5, set_at = $6 \
                 WHERE location = $1"
            } else {
                "INSERT INTO watch_list (location, population, per_100k_7d, growth_week_on_week, set_by, set_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
            };
            exec!(
                &mut tx.conn,
                sqlx::query(sql)
                    .bind(&entry.location)
                    .bind(entry.population)
                    .bind(entry.thresholds.per_100k_7d)
                    .bind(entry.thresholds.growth_week_on_week)
                    .bind(entry.set_by)
                    .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(admin.id), "watch.set", &entry.location, before.as_ref(), Some(&entry)).await?;
            let path = country_path(&mut tx.conn).await?;
            tx.emit(Event::new(EventKind::WatchChanged, &path, Uuid::now_v7(), now, &entry)).await?;
            let raised = raise_in(tx, &entry.location, now).await?;
            Ok((entry, raised))
        })
        .await
    }

    /// `admin` takes `location` off the watch list; its alerts stay.
    pub async fn remove_watch(&self, admin: &User, location: &str, now: Timestamp) -> Result<Watched> {
        self.write(async |tx| {
            let entry = entry_in(&mut tx.conn, location.trim()).await?;
            let removed = watch::remove(admin, location, entry)?;
            exec!(&mut tx.conn, sqlx::query("DELETE FROM watch_list WHERE location = $1").bind(&removed.location), execute)?;
            tx.audit(now, Some(admin.id), "watch.remove", &removed.location, Some(&removed), None::<&()>).await?;
            let path = country_path(&mut tx.conn).await?;
            tx.emit(Event::new(EventKind::WatchChanged, &path, Uuid::now_v7(), now, &serde_json::json!({ "removed": removed }))).await?;
            Ok(removed)
        })
        .await
    }

    /// The alerts raised abroad, latest first (at most `limit`).
    pub async fn abroad_alerts(&self, limit: i64) -> Result<Vec<AbroadAlert>> {
        self.abroad_alerts_in_window(crate::paging::Window::first(limit)).await
    }

    /// One window of [`Store::abroad_alerts`].
    pub async fn abroad_alerts_in_window(&self, window: crate::paging::Window) -> Result<Vec<AbroadAlert>> {
        self.read(async |c| {
            let sql = format!("SELECT {ALERT_COLUMNS} FROM abroad_alerts ORDER BY raised_at DESC, day DESC, id DESC LIMIT $1 OFFSET $2");
            let rows: Vec<AlertRow> = exec!(
                c,
                sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(window.bounded_limit()).bind(window.bounded_offset()),
                fetch_all
            )?;
            rows.into_iter().map(to_alert).collect()
        })
        .await
    }

    /// Every watched location with its whole series, in two reads whatever
    /// the number of locations.
    pub async fn watched_series(&self) -> Result<Vec<WatchedSeries>> {
        let entries = self.watch_list().await?;
        let rows: Vec<(DailyRow, String, i64)> = self
            .read(async |c| {
                let sql = "SELECT d.location, d.day, d.iso_code, d.new_cases, d.new_deaths, d.total_cases, d.total_deaths, d.population, \
                           d.source, d.imported_at FROM abroad_days d JOIN watch_list w ON w.location = d.location ORDER BY d.location, d.day";
                let found: Vec<SourcedRow> = exec!(c, sqlx::query_as(sql), fetch_all)?;
                found.into_iter().map(sourced).collect()
            })
            .await?;
        Ok(entries
            .into_iter()
            .map(|entry| {
                let mine: Vec<&(DailyRow, String, i64)> = rows.iter().filter(|(r, _, _)| r.location == entry.location).collect();
                let source = mine.iter().max_by_key(|(r, _, at)| (*at, r.date)).map(|(_, s, _)| s.clone()).unwrap_or_default();
                WatchedSeries { rows: mine.into_iter().map(|(r, _, _)| r.clone()).collect(), source, entry }
            })
            .collect())
    }

    /// The highest 7-day incidence per 100,000 among the watched locations
    /// as of `day` (each at its latest day on or before it, if at most
    /// [`watch_alert::CURRENT_DAYS`] old); `None` when none is current.
    pub async fn neighbours_incidence(&self, day: Date) -> Result<Option<f64>> {
        let watched = self.watched_series().await?;
        Ok(watched.iter().filter_map(|w| watch_alert::incidence_as_of(&w.rows, &w.entry, day)).reduce(f64::max))
    }
}

type SourcedRow = (String, String, Option<String>, Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<f64>, String, i64);

fn sourced(r: SourcedRow) -> Result<(DailyRow, String, i64)> {
    let (location, day, iso_code, new_cases, new_deaths, total_cases, total_deaths, population, source, imported_at) = r;
    let date = parse_date("abroad_days.day", &day)?;
    Ok((DailyRow { location, iso_code, date, new_cases, new_deaths, total_cases, total_deaths, population }, source, imported_at))
}

/// What is stored of `location`'s series, for the watch list's checks.
async fn imported_in(c: &mut Conn<'_>, location: &str) -> Result<Option<Imported>> {
    let (days, with_population): (i64, i64) =
        exec!(c, sqlx::query_as("SELECT COUNT(*), COUNT(population) FROM abroad_days WHERE location = $1").bind(location), fetch_one)?;
    Ok((days > 0).then_some(Imported { has_population: with_population > 0 }))
}

/// `location`'s entry on the watch list, if it has one.
async fn entry_in(c: &mut Conn<'_>, location: &str) -> Result<Option<Watched>> {
    let sql = format!("SELECT {WATCH_COLUMNS} FROM watch_list WHERE location = $1");
    let row: Option<WatchRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(location), fetch_optional)?;
    row.map(to_watched).transpose()
}

/// The path events about the whole country go to: the root's, or `/`
/// before the tree has one.
async fn country_path(c: &mut Conn<'_>) -> Result<NodePath> {
    let root: Option<String> =
        exec!(c, sqlx::query_scalar("SELECT path FROM nodes WHERE parent_id IS NULL ORDER BY code LIMIT 1"), fetch_optional)?;
    Ok(NodePath::from_stored(root.unwrap_or_else(|| "/".to_owned())))
}

/// Raises, inside `tx`, the alerts `location`'s stored series calls for
/// (none when it is not watched): each stored, audited and announced.
pub(crate) async fn raise_in(tx: &mut Tx<'_>, location: &str, now: Timestamp) -> Result<Vec<AbroadAlert>> {
    let Some(entry) = entry_in(&mut tx.conn, location).await? else { return Ok(Vec::new()) };
    let rows = series_in(&mut tx.conn, location).await?;
    let source = source_in(&mut tx.conn, location).await?.unwrap_or_default();
    let stored: Vec<(String, String)> =
        exec!(&mut tx.conn, sqlx::query_as("SELECT measure, day FROM abroad_alerts WHERE location = $1").bind(location), fetch_all)?;
    let raised: Vec<(Measure, Date)> =
        stored.into_iter().map(|(m, d)| Ok((measure_of(m)?, parse_date("abroad_alerts.day", &d)?))).collect::<Result<_>>()?;
    let alerts = watch_alert::raise(&rows, &entry, &source, &raised, now, Uuid::now_v7);
    if alerts.is_empty() {
        return Ok(alerts);
    }
    let path = country_path(&mut tx.conn).await?;
    let mut kept = Vec::new();
    for alert in alerts {
        let measure: &'static str = alert.measure.into();
        let inserted: Option<Uuid> = exec!(
            &mut tx.conn,
            sqlx::query_scalar(
                "INSERT INTO abroad_alerts (id, location, measure, day, threshold, figure, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (location, measure, day) DO NOTHING RETURNING id"
            )
            .bind(alert.id)
            .bind(&alert.location)
            .bind(measure)
            .bind(alert.day.to_string())
            .bind(alert.threshold)
            .bind(serde_json::to_string(&alert.figure).unwrap_or_default())
            .bind(micros(now)),
            fetch_optional
        )?;
        if inserted.is_some() {
            tx.audit(now, None, "abroad_alert.raise", alert.id, None::<&()>, Some(&alert)).await?;
            tx.emit(Event::new(EventKind::AbroadAlertRaised, &path, alert.id, now, &alert)).await?;
            kept.push(alert);
        }
    }
    Ok(kept)
}
