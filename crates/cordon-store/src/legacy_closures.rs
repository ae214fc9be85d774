//! Border closures that earlier versions of cordon kept in the settings
//! (`entry_closures`) become border directives, once, when the store opens:
//! border directives are now the one place that says a point of entry is
//! closed, and the settings no longer accept closures.

use cordon_core::directive;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use sqlx::types::Json;
use uuid::Uuid;

use crate::db::Tx;
use crate::directives::insert_directive;
use crate::error::{Result, StoreError};
use crate::jurisdictions::all_facilities;
use crate::{Store, exec};

/// A closure as the settings kept it.
#[derive(Debug, Deserialize)]
struct Closure {
    point_of_entry_code: String,
    from: Date,
    to: Date,
}

impl Store {
    /// Moves the closures found in the stored settings into border
    /// directives, issued by the administrator who last saved the settings,
    /// and saves the settings without them; audited, in one transaction.
    /// The number of directives made (0 when there was nothing to move).
    pub(crate) async fn adopt_entry_closures(&self, now: Timestamp) -> Result<usize> {
        self.write(async |tx| {
            let stored: Option<Json<serde_json::Value>> =
                exec!(&mut tx.conn, sqlx::query_scalar("SELECT value FROM settings WHERE key = 'operations'"), fetch_optional)?;
            let Some(Json(mut settings)) = stored else { return Ok(0) };
            let Some(kept) = settings.as_object_mut().and_then(|o| o.remove("entry_closures")) else { return Ok(0) };
            let closures: Vec<Closure> = serde_json::from_value(kept.clone())
                .map_err(|e| StoreError::Corrupt { column: "settings.entry_closures", value: e.to_string() })?;
            let issuer = if closures.is_empty() { Uuid::nil() } else { issuer(tx).await? };
            let facilities = all_facilities(&mut tx.conn).await?;
            let mut made = 0;
            for closure in &closures {
                let code = closure.point_of_entry_code.trim();
                let Some(point_of_entry) = facilities.iter().find(|f| f.code == code) else {
                    tracing::warn!(code, "a closure in the settings names no known point of entry; it is dropped");
                    continue;
                };
                let adopted = directive::adopted_closure(Uuid::now_v7(), point_of_entry, (closure.from, closure.to), issuer, now);
                insert_directive(tx, &adopted).await?;
                tx.audit(now, None, "directive.adopt", adopted.id, None::<&()>, Some(&adopted)).await?;
                made += 1;
            }
            tx.config_changed();
            exec!(&mut tx.conn, sqlx::query("DELETE FROM settings WHERE key = 'operations'"), execute)?;
            exec!(&mut tx.conn, sqlx::query("INSERT INTO settings (key, value) VALUES ('operations', $1)").bind(Json(&settings)), execute)?;
            tx.audit(now, None, "settings.closures_moved", "operations", Some(&kept), None::<&()>).await?;
            Ok(made)
        })
        .await
    }
}

/// Who the moved closures are issued by: the last user who saved the
/// settings, else the first administrator.
async fn issuer(tx: &mut Tx<'_>) -> Result<Uuid> {
    let saver: Option<Uuid> = exec!(
        &mut tx.conn,
        sqlx::query_scalar(
            "SELECT a.actor_id FROM audit a JOIN users u ON u.id = a.actor_id \
             WHERE a.action = 'settings.update' ORDER BY a.seq DESC LIMIT 1"
        ),
        fetch_optional
    )?;
    if let Some(id) = saver {
        return Ok(id);
    }
    let admin: Option<Uuid> = exec!(
        &mut tx.conn,
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'administrator' ORDER BY username LIMIT 1"),
        fetch_optional
    )?;
    admin.ok_or_else(|| StoreError::Corrupt {
        column: "settings.entry_closures",
        value: "closures but no administrator to issue them".into(),
    })
}
