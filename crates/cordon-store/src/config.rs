//! Settings and case definitions: configuration an administrator edits.

use cordon_core::definition::{CaseDefinition, Criterion};
use cordon_core::settings::Settings;
use jiff::Timestamp;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::{Conn, micros};
use crate::error::Result;
use crate::{Store, exec};

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
        self.read(async |c| settings_in(c).await).await
    }

    /// Saves new settings once [`Settings::check`] accepts them, with the
    /// settings they replace in the audit record, in one transaction.
    pub async fn save_settings(&self, actor: Option<Uuid>, settings: &Settings, now: Timestamp) -> Result<Settings> {
        self.write(async |tx| {
            settings.check()?;
            let before = settings_in(&mut tx.conn).await?;
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
