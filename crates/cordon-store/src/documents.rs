//! Records kept as JSON documents beside the columns their lists filter on
//! (gatherings, lectures, rumours, alert levels, directive versions): one way
//! to read a subtree's documents back.

use cordon_core::jurisdiction::NodePath;
use serde::de::DeserializeOwned;

use crate::db::{from_json, subtree};
use crate::error::Result;
use crate::paging::Window;
use crate::{Store, exec};

impl Store {
    /// The JSON documents `sql` selects for the subtree at `path` (its `$1`
    /// the subtree pattern, its `$2` the limit), each read back as `T` from
    /// `column`.
    pub(crate) async fn documents_under<T: DeserializeOwned>(
        &self,
        (sql, column): (&'static str, &'static str),
        path: &NodePath,
        window: Window,
    ) -> Result<Vec<T>> {
        let pattern = subtree(path);
        let rows: Vec<String> = self
            .read(async |c| {
                Ok(exec!(c, sqlx::query_scalar(sql).bind(&pattern).bind(window.bounded_limit()).bind(window.bounded_offset()), fetch_all)?)
            })
            .await?;
        rows.iter().map(|r| from_json(column, r)).collect()
    }
}
