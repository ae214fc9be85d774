//! Escalations for the command.

use axum::Json;
use axum::extract::State;
use cordon_core::escalation::Escalation;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{limit, scope};
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
    /// At most this many (default 100).
    pub limit: Option<i64>,
}

/// Escalations about places in your subtree, newest first.
#[utoipa::path(get, path = "/escalations", tag = "command", params(EscalationQuery), responses((status = 200, body = Vec<Escalation>)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<EscalationQuery>,
) -> ApiResult<Json<Vec<Escalation>>> {
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(state.store.escalations_under(&path, limit(q.limit)).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
