//! The situation abroad: the daily series of other countries, imported from
//! Our World in Data files. Importing is idempotent: a day already stored
//! with the same numbers is left alone, a day with other numbers is revised
//! in place (later data revises earlier), and the whole file goes in one
//! transaction with one audit record, together with the alerts its data
//! raises at watched locations (`crate::watch`).

use std::collections::HashMap;

use cordon_core::abroad::DailyRow;
use cordon_core::user::User;
use cordon_core::watch;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::db::micros;
use crate::error::{Result, StoreError};
use crate::{Conn, Store, Tx, exec};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Days stored for the first time.
    pub added: u64,
    /// Days whose numbers changed.
    pub revised: u64,
    /// Days stored before with the same numbers.
    pub unchanged: u64,
    /// Alerts raised at watched locations by the new data.
    pub raised: u64,
}

type DayRow = (String, String, Option<String>, Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<f64>);

fn to_row(r: DayRow) -> Result<DailyRow> {
    let (location, day, iso_code, new_cases, new_deaths, total_cases, total_deaths, population) = r;
    let date = day.parse::<Date>().map_err(|_| StoreError::Corrupt { column: "abroad_days.day", value: day })?;
    Ok(DailyRow { location, iso_code, date, new_cases, new_deaths, total_cases, total_deaths, population })
}

const COLUMNS: &str = "location, day, iso_code, new_cases, new_deaths, total_cases, total_deaths, population";

impl Store {
    /// Stores the rows of a file from `source` ("JHU CSSE via Our World in
    /// Data"): new days added, changed days revised, and the watched
    /// locations' thresholds checked, in one transaction (`cordon import
    /// owid`, which runs with the database's own rights).
    pub async fn import_abroad(&self, rows: &[DailyRow], source: &str, now: Timestamp) -> Result<Imported> {
        self.write(async |tx| import_in(tx, None, rows, source, now).await).await
    }

    /// The same, by `admin` (the upload page and the API): they must keep
    /// the watch list ([`watch::may_keep`]).
    pub async fn import_abroad_by(&self, admin: &User, rows: &[DailyRow], source: &str, now: Timestamp) -> Result<Imported> {
        self.write(async |tx| {
            watch::may_keep(admin)?;
            import_in(tx, Some(admin.id), rows, source, now).await
        })
        .await
    }

    /// A location's series, in date order, and the source it was last
    /// imported from (`None` when nothing is stored for it).
    pub async fn abroad_series(&self, location: &str) -> Result<Option<(Vec<DailyRow>, String)>> {
        self.read(async |c| {
            let rows = series_in(c, location).await?;
            let Some(source) = source_in(c, location).await? else { return Ok(None) };
            Ok(Some((rows, source)))
        })
        .await
    }

    /// The locations stored, in name order.
    pub async fn abroad_locations(&self) -> Result<Vec<String>> {
        self.read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT DISTINCT location FROM abroad_days ORDER BY location"), fetch_all)?))
            .await
    }
}

/// Stores the rows in `tx`, then raises the alerts the new data calls for
/// at each watched location it holds ([`crate::watch::raise_in`]).
async fn import_in(tx: &mut Tx<'_>, actor: Option<Uuid>, rows: &[DailyRow], source: &str, now: Timestamp) -> Result<Imported> {
    let mut done = Imported::default();
    let mut stored: HashMap<String, HashMap<Date, DailyRow>> = HashMap::new();
    for row in rows {
        if !stored.contains_key(&row.location) {
            let days = series_in(&mut tx.conn, &row.location).await?.into_iter().map(|r| (r.date, r)).collect();
            stored.insert(row.location.clone(), days);
        }
        let before = stored.get(&row.location).and_then(|days| days.get(&row.date));
        let sql = match before {
            Some(old) if old == row => {
                done.unchanged += 1;
                continue;
            }
            Some(_) => {
                done.revised += 1;
                "UPDATE abroad_days SET iso_code = $3, new_cases = $4, new_deaths = $5, total_cases = $6, total_deaths = $7, \
                 population = $8, source = $9, imported_at = $10 WHERE location = $1 AND day = $2"
            }
            None => {
                done.added += 1;
                "INSERT INTO abroad_days (location, day, iso_code, new_cases, new_deaths, total_cases, total_deaths, population, \
                 source, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            }
        };
        exec!(
            &mut tx.conn,
            sqlx::query(sql)
                .bind(&row.location)
                .bind(row.date.to_string())
                .bind(&row.iso_code)
                .bind(row.new_cases)
                .bind(row.new_deaths)
                .bind(row.total_cases)
                .bind(row.total_deaths)
                .bind(row.population)
                .bind(source)
                .bind(micros(now)),
            execute
        )?;
        if let Some(days) = stored.get_mut(&row.location) {
            days.insert(row.date, row.clone());
        }
    }
    let mut locations: Vec<&String> = stored.keys().collect();
    locations.sort();
    for location in locations {
        done.raised += crate::watch::raise_in(tx, location, now).await?.len() as u64;
    }
    tx.audit(now, actor, "abroad.import", source, None::<&()>, Some(&done)).await?;
    Ok(done)
}

/// A location's stored days, in date order.
pub(crate) async fn series_in(c: &mut Conn<'_>, location: &str) -> Result<Vec<DailyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM abroad_days WHERE location = $1 ORDER BY day");
    let found: Vec<DayRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(location), fetch_all)?;
    found.into_iter().map(to_row).collect()
}

/// The source a location's series was last imported from.
pub(crate) async fn source_in(c: &mut Conn<'_>, location: &str) -> Result<Option<String>> {
    Ok(exec!(
        c,
        sqlx::query_scalar("SELECT source FROM abroad_days WHERE location = $1 ORDER BY imported_at DESC, day DESC LIMIT 1").bind(location),
        fetch_optional
    )?)
}
