//! The orders a list names (an arrival's order, a handover's order), read
//! together for the page rather than one per row.

use std::collections::HashMap;

use cordon_core::order::Order;
use uuid::Uuid;

use super::{distinct, placeholders, rows_for};
use crate::Store;
use crate::error::Result;
use crate::orders::{ORDER_COLUMNS, OrderRow};

impl Store {
    /// The orders among `ids`, by id, in one query.
    pub async fn orders_by_id(&self, ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, Order>> {
        let ids = distinct(ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id IN ({})", placeholders(1, ids.len()));
        let rows: Vec<OrderRow> = rows_for(self, &sql, &ids).await?;
        rows.into_iter().map(|r| Order::try_from(r).map(|o| (o.id, o))).collect()
    }
}
