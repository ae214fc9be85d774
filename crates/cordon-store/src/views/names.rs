//! Names for the ids a page shows: users (officers, workers), persons
//! (residents, travellers) and jurisdiction nodes, all in one query however
//! many rows the page lists; and the persons themselves (with their
//! address) for lists that show more than the name.
//!
//! Ids are UUIDs made apart from each other, so one map holds the three
//! kinds.

use std::collections::HashMap;

use cordon_core::person::Person;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{distinct, placeholders, rows_for};
use crate::error::Result;
use crate::persons::{PERSON_COLUMNS, PersonRow};
use crate::{Store, exec};

impl Store {
    /// The display name of each user, the full name of each person and the
    /// name of each node among `ids`, in one query. Unknown ids are left out.
    pub async fn names_of(&self, ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, String>> {
        let ids = distinct(ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = placeholders(1, ids.len());
        let sql = format!(
            "SELECT id, display_name AS name FROM users WHERE id IN ({list}) \
             UNION ALL SELECT id, full_name AS name FROM persons WHERE id IN ({list}) \
             UNION ALL SELECT id, name FROM nodes WHERE id IN ({list})"
        );
        let rows: Vec<(Uuid, String)> = rows_for(self, &sql, &ids).await?;
        Ok(rows.into_iter().collect())
    }

    /// The name of each node among `codes`, by code, in one query.
    pub async fn node_names_by_code(&self, codes: impl IntoIterator<Item = String>) -> Result<HashMap<String, String>> {
        let mut codes: Vec<String> = codes.into_iter().collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT code, name FROM nodes WHERE code IN ({})", placeholders(1, codes.len()));
        let rows: Vec<(String, String)> = self
            .read(async |c| {
                Ok(exec!(c, codes.iter().fold(sqlx::query_as(AssertSqlSafe(sql.as_str())), |q, code| q.bind(code.as_str())), fetch_all)?)
            })
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The persons among `ids`, by id, in one query.
    pub async fn persons_by_id(&self, ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, Person>> {
        let ids = distinct(ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id IN ({})", placeholders(1, ids.len()));
        let rows: Vec<PersonRow> = rows_for(self, &sql, &ids).await?;
        rows.into_iter().map(|r| Person::try_from(r).map(|p| (p.id, p))).collect()
    }
}
