//! Settings and case definitions: configuration an administrator edits.
//!
//! Every fever report decides with both, so a store keeps them in memory
//! ([`ConfigCache`]) between their changes. Triggers move a version
//! (`config_version`, a fresh random number on every change to either table,
//! migration 0014), so the copy in memory is checked with one small read and
//! is safe when several servers, or a CLI beside the server, share the
//! database: whoever changed them, the next read of the version sees it. In a
//! batch of changes that share one transaction ([`crate::group_commit`]) the
//! version is read once: on SQLite no other process can commit while the
//! batch's transaction stands (its snapshot is fixed by its first read and its
//! writes hold the lock), and on PostgreSQL the batch's members decide with
//! what the batch read at its start, as a lone transaction decides with what
//! it read at its start (neither locks the settings).

use std::sync::{Arc, Mutex, PoisonError};

use cordon_core::definition::{CaseDefinition, Criterion};
use cordon_core::settings::Settings;
use jiff::Timestamp;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::{Conn, Tx, micros};
use crate::error::Result;
use crate::{Store, exec};

/// The configuration the intake decides with.
#[derive(Debug)]
pub(crate) struct Config {
    /// The settings in force.
    pub settings: Settings,
    /// The case definitions.
    pub definitions: Vec<CaseDefinition>,
}

/// The configuration last read and the version it was read at.
#[derive(Debug, Default)]
pub(crate) struct ConfigCache(Mutex<Option<(i64, Arc<Config>)>>);

impl ConfigCache {
    fn at(&self, version: i64) -> Option<Arc<Config>> {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|(v, _)| *v == version).map(|(_, config)| Arc::clone(config))
    }

    fn keep(&self, version: i64, config: &Arc<Config>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((version, Arc::clone(config)));
    }

    /// The configuration at the version stored now, read from `c` only when
    /// it moved since the last read.
    async fn current(&self, c: &mut Conn<'_>, known: Option<i64>) -> Result<(i64, Arc<Config>)> {
        let version = match known {
            Some(version) => version,
            None => exec!(c, sqlx::query_scalar("SELECT version FROM config_version WHERE id = 1"), fetch_one)?,
        };
        if let Some(config) = self.at(version) {
            return Ok((version, config));
        }
        let config = Arc::new(Config { settings: settings_in(c).await?, definitions: definitions_in(c).await? });
        self.keep(version, &config);
        Ok((version, config))
    }
}

/// The settings and case definitions in force inside `tx`, from memory
/// unless they changed (see the module's documentation).
pub(crate) async fn config_in(tx: &mut Tx<'_>) -> Result<Arc<Config>> {
    let cache = Arc::clone(&tx.config);
    let (version, config) = cache.current(&mut tx.conn, tx.config_version).await?;
    tx.config_version = Some(version);
    Ok(config)
}

/// The settings in force, inside any connection (defaults when never saved).
pub async fn settings_in(c: &mut Conn<'_>) -> Result<Settings> {
    let value: Option<Json<Settings>> =
        exec!(c, sqlx::query_scalar("SELECT value FROM settings WHERE key = 'operations'"), fetch_optional)?;
    Ok(value.map(|v| v.0).unwrap_or_default())
}

/// The case definitions, inside any connection; the built-in default when
/// none was ever saved.
pub async fn definitions_in(c: &mut Conn<'_>) -> Result<Vec<CaseDefinition>> {
    let rows: Vec<(String, String, Json<Criterion>, bool)> =
        exec!(c, sqlx::query_as("SELECT code, name, rule, active FROM case_definitions ORDER BY code"), fetch_all)?;
    if rows.is_empty() {
        return Ok(vec![CaseDefinition::default_suspected()]);
    }
    Ok(rows.into_iter().map(|(code, name, rule, active)| CaseDefinition { code, name, rule: rule.0, active }).collect())
}

impl Store {
    /// The settings in force.
    pub async fn settings(&self) -> Result<Settings> {
        let (_, config) = self.read(async |c| self.config.current(c, None).await).await?;
        Ok(config.settings.clone())
    }

    /// Saves new settings once [`Settings::check`] accepts them, with the
    /// settings they replace in the audit record, in one transaction.
    pub async fn save_settings(&self, actor: Option<Uuid>, settings: &Settings, now: Timestamp) -> Result<Settings> {
        self.write(async |tx| {
            settings.check()?;
            let before = settings_in(&mut tx.conn).await?;
            tx.config_changed();
            exec!(&mut tx.conn, sqlx::query("DELETE FROM settings WHERE key = 'operations'"), execute)?;
            exec!(&mut tx.conn, sqlx::query("INSERT INTO settings (key, value) VALUES ('operations', $1)").bind(Json(settings)), execute)?;
            tx.audit(now, actor, "settings.update", "operations", Some(&before), Some(settings)).await?;
            Ok(settings.clone())
        })
        .await
    }

    /// What made this database, as its maker recorded it (`cordon demo`
    /// records the seed and scale it built); `None` when nothing was recorded.
    pub async fn provenance(&self) -> Result<Option<String>> {
        // Kept as JSON (a jsonb column on PostgreSQL): read back as its text.
        let value: Option<Json<serde_json::Value>> = self
            .read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT value FROM settings WHERE key = 'provenance'"), fetch_optional)?))
            .await?;
        Ok(value.map(|Json(v)| v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
    }

    /// Records what made this database (JSON text), replacing any earlier record.
    pub async fn record_provenance(&self, value: &str, now: Timestamp) -> Result<()> {
        let json = serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
        self.write(async |tx| {
            tx.config_changed();
            exec!(&mut tx.conn, sqlx::query("DELETE FROM settings WHERE key = 'provenance'"), execute)?;
            exec!(&mut tx.conn, sqlx::query("INSERT INTO settings (key, value) VALUES ('provenance', $1)").bind(Json(&json)), execute)?;
            tx.audit(now, None, "settings.provenance", "provenance", None::<&()>, Some(&value)).await?;
            Ok(())
        })
        .await
    }

    /// The case definitions.
    pub async fn definitions(&self) -> Result<Vec<CaseDefinition>> {
        self.read(async |c| definitions_in(c).await).await
    }

    /// Creates or replaces a case definition in one transaction: the
    /// definitions in force are loaded, [`cordon_core::definition::revise`] checks and
    /// decides, and the store writes the revision with its audit record.
    pub async fn save_definition(&self, actor: Option<Uuid>, definition: &CaseDefinition, now: Timestamp) -> Result<CaseDefinition> {
        self.write(async |tx| {
            let current = definitions_in(&mut tx.conn).await?;
            let stored: i64 = exec!(&mut tx.conn, sqlx::query_scalar("SELECT COUNT(*) FROM case_definitions"), fetch_one)?;
            let revision = cordon_core::definition::revise(&current, stored > 0, definition)?;
            tx.config_changed();
            for d in &revision.materialise {
                insert_definition(&mut tx.conn, d, now).await?;
            }
            exec!(&mut tx.conn, sqlx::query("DELETE FROM case_definitions WHERE code = $1").bind(&definition.code), execute)?;
            insert_definition(&mut tx.conn, definition, now).await?;
            tx.audit(now, actor, "case_definition.save", &definition.code, revision.before.as_ref(), Some(definition)).await?;
            Ok(definition.clone())
        })
        .await
    }
}

async fn insert_definition(c: &mut Conn<'_>, d: &CaseDefinition, now: Timestamp) -> Result<()> {
    exec!(
        c,
        sqlx::query("INSERT INTO case_definitions (code, name, rule, active, updated_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&d.code)
            .bind(&d.name)
            .bind(Json(&d.rule))
            .bind(d.active)
            .bind(micros(now)),
        execute
    )?;
    Ok(())
}
