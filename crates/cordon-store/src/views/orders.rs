//! The orders a list names (an arrival's order, a handover's order), read
//! together for the page rather than one per row.

use std::collections::HashMap;

use cordon_core::order::Order;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{distinct, placeholders};
use crate::error::Result;
use crate::orders::{ORDER_COLUMNS, OrderRow};
use crate::{Store, exec};

impl Store {
    /// The orders among `ids`, by id, in one query.
    pub async fn orders_by_id(&self, ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, Order>> {
        let ids = distinct(ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id IN ({})", placeholders(1, ids.len()));
        let rows: Vec<OrderRow> = self
            .read(async |c| Ok(exec!(c, ids.iter().fold(sqlx::query_as(AssertSqlSafe(sql.as_str())), |q, id| q.bind(*id)), fetch_all)?))
            .await?;
        rows.into_iter().map(|r| Order::try_from(r).map(|o| (o.id, o))).collect()
    }
}
