//! Escalations for the command.

use axum::Json;
use axum::extract::State;
use cordon_core::escalation::Escalation;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, probe, window};
use super::scope;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::AppQuery;
use crate::state::AppState;

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EscalationQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Escalations about places in your subtree, newest first.
#[utoipa::path(get, path = "/escalations", tag = "command", params(EscalationQuery), responses((status = 200, body = ListPage<Escalation>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<EscalationQuery>,
) -> ApiResult<Json<ListPage<Escalation>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.escalations_in_window(&path, probe(window)).await?, window)))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
