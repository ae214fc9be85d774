//! The names behind the ids a page lists (officers, workers, residents,
//! places), fetched together: a page gathers the ids of its rows, asks once
//! ([`Names::of`]), then reads each name from memory. This replaces the
//! per-row lookups and the little caches each page used to keep.

use std::collections::HashMap;

use uuid::Uuid;

use crate::state::AppState;
use crate::web::WebResult;

/// The full name of one person (for a page about one record), empty when unknown.
pub async fn person_name(state: &AppState, id: Uuid) -> WebResult<String> {
    Ok(state.store.person(id).await?.map(|p| p.full_name).unwrap_or_default())
}

/// Names by id, for one page.
#[derive(Debug, Clone, Default)]
pub struct Names(HashMap<Uuid, String>);

impl Names {
    /// The names of `ids` (users, persons or nodes), in one store query.
    pub async fn of(state: &AppState, ids: impl IntoIterator<Item = Uuid>) -> WebResult<Names> {
        Ok(Names(state.store.names_of(ids).await?))
    }

    /// Adds names already at hand (e.g. the users a page listed anyway).
    pub fn extend(&mut self, names: impl IntoIterator<Item = (Uuid, String)>) {
        self.0.extend(names);
    }

    /// The name of `id`, empty when unknown.
    #[must_use]
    pub fn get(&self, id: Uuid) -> String {
        self.0.get(&id).cloned().unwrap_or_default()
    }

    /// The name of `id` if there is one, empty when there is none or it is unknown.
    #[must_use]
    pub fn of_opt(&self, id: Option<Uuid>) -> String {
        id.map(|id| self.get(id)).unwrap_or_default()
    }
}
