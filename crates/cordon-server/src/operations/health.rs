//! `/healthz` and `/readyz`, for a load balancer or an orchestrator.
//!
//! `/healthz` says the process answers (it touches nothing else: a server
//! whose database is down is still alive, and restarting it would not
//! help). `/readyz` says whether it can serve: the database answers within
//! [`READY_WITHIN`] and holds exactly the migrations this binary carries;
//! otherwise 503 with a problem document naming which.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use cordon_core::refusal::Reason;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How long `/readyz` waits for the database before it says it is unreachable.
pub const READY_WITHIN: Duration = Duration::from_secs(2);

/// `GET /healthz`: `ok` while the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// What `/readyz` answers when the server can serve.
#[derive(Debug, Serialize)]
pub struct Ready {
    /// Always `ready`.
    pub status: &'static str,
    /// The database's backend, `sqlite` or `postgres`.
    pub database: &'static str,
    /// The newest migration applied (and known to this binary).
    pub migration: Option<i64>,
}

/// `GET /readyz`: 200 when the database answers with its migrations current;
/// 503 `database_unreachable` or `migrations_not_current` otherwise.
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Ready>> {
    let migrations = match tokio::time::timeout(READY_WITHIN, state.store.migrations()).await {
        Ok(Ok(migrations)) => migrations,
        Ok(Err(error)) => {
            tracing::warn!(%error, "not ready: the database does not answer");
            return Err(ApiError::Unavailable(Reason::DatabaseUnreachable));
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer within {} s", READY_WITHIN.as_secs());
            return Err(ApiError::Unavailable(Reason::DatabaseUnreachable));
        }
    };
    if !migrations.current() {
        let cordon_store::operations::Migrations { pending, unknown, failed, .. } = migrations;
        let (pending, unknown, failed) = (pending.into(), unknown.into(), failed.into());
        return Err(ApiError::Unavailable(Reason::MigrationsNotCurrent { pending, unknown, failed }));
    }
    let database = match state.store.backend() {
        cordon_store::Backend::Sqlite => "sqlite",
        cordon_store::Backend::Postgres => "postgres",
    };
    Ok(Json(Ready { status: "ready", database, migration: migrations.newest }))
}
