//! The audit log, for administrators.

use axum::Json;
use axum::extract::State;
use cordon_core::audit::AuditRecord;
use cordon_core::policy::Action;
use cordon_store::audit::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{authorise, limit};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::AppQuery;
use crate::state::AppState;

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entity kind (`report`, `case`, `task`, ...).
    pub entity: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// Actor (user id).
    pub actor_id: Option<Uuid>,
    /// Only records before this sequence number (paging).
    pub before: Option<i64>,
    /// At most this many (default 100).
    pub limit: Option<i64>,
}

/// The newest audit records.
#[utoipa::path(get, path = "/audit", tag = "command", params(AuditQuery), responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = crate::error::Problem)))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditRecord>>> {
    authorise(&user, Action::ReadAudit, &user.node_path)?;
    let filter = AuditFilter { entity: q.entity, entity_id: q.entity_id, actor_id: q.actor_id, before_seq: q.before };
    Ok(Json(state.store.audit_log(&filter, limit(q.limit)).await?))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
