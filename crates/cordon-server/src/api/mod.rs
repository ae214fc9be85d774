//! The JSON API under `/api/v1`, one module per resource, and the OpenAPI
//! document generated from the handlers' annotations. Handlers parse the
//! request, call the shared use-case in [`crate::actions`] (or a store read)
//! and serialise the answer.

pub mod abroad;
pub mod account;
pub mod alert_levels;
pub mod alerts;
pub mod arrivals;
pub mod audit;
pub mod cases;
pub mod config;
pub mod daily;
pub mod directives;
pub mod escalations;
pub mod events;
pub mod exports;
pub mod gatherings;
pub mod jurisdictions;
pub mod lectures;
pub mod openapi;
pub mod paging;
pub mod persons;
pub mod quarantine;
pub mod reports;
pub mod rosters;
pub mod rumours;
pub mod sitrep;
pub mod summary;
pub mod tasks;
pub mod users;
pub mod watch;

use axum::Json;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use crate::actions::{authorise, node_in_scope, scope};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "cordon API", description = "Epidemic surveillance and quarantine command. Errors are application/problem+json naming the fields (or parameters) that were wrong. Every list answers one shape, `{\"items\": [...], \"next_cursor\": ...}`: `limit` (1 to 500, default 100) rows per page; pass `next_cursor` back as `cursor` with the same other parameters until it is null. The long lists (GET /orders, /arrivals, /handovers) also send the size of the whole list in X-Total-Count and the next page in X-Next-Cursor and Link rel=\"next\"."),
    tags(
        (name = "auth", description = "Signing in and device tokens"),
        (name = "jurisdictions", description = "The jurisdiction tree and facilities"),
        (name = "users", description = "Users and roles"),
        (name = "persons", description = "Residents"),
        (name = "reports", description = "Symptom reports and daily unit reports"),
        (name = "cases", description = "Cases and classification"),
        (name = "tasks", description = "Investigation and follow-up tasks"),
        (name = "rosters", description = "On-call shifts"),
        (name = "quarantine", description = "Isolation and quarantine orders, handovers and arrivals at points of entry"),
        (name = "command", description = "Escalations, live events and the audit log"),
        (name = "configuration", description = "Case definitions and settings"),
        (name = "alerts", description = "Outbreak detection: alerts, their review, series and configuration"),
        (name = "exports", description = "Line lists of a subtree as CSV (cases, symptom reports, contacts, orders; personal data, for command officers and administrators), its cases as a FHIR R4 bundle, and the jurisdiction tree with the map's figures as GeoJSON; streamed and audited"),
        (name = "abroad", description = "Other countries' daily series imported from Our World in Data, and their figures on a day, each saying what it is; the watch list of neighbouring countries with its thresholds, and the alerts raised when one is crossed"),
        (name = "summaries", description = "A node's board counts, epidemic curve, Rt and response times, each number a Figure that says what it counts, which measure, the period, the place, the source and as of when, with its label"),
        (name = "measures", description = "Directives issued to the units below a command (their versions, acknowledgement and coverage), planned gatherings checked against the limits in force, alert levels with the rules' recommendation, lectures and their coverage, and what residents say"),
    )
)]
struct ApiDoc;

/// The API router (to be nested at `/api/v1`) with its OpenAPI document served
/// at `/openapi.json`.
pub fn router() -> axum::Router<AppState> {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::auth::router())
        .merge(account::router())
        .merge(jurisdictions::router())
        .merge(users::router())
        .merge(persons::router())
        .merge(reports::router())
        .merge(daily::router())
        .merge(cases::router())
        .merge(tasks::router())
        .merge(rosters::router())
        .merge(escalations::router())
        .merge(events::router())
        .merge(audit::router())
        .merge(config::router())
        .merge(quarantine::router())
        .merge(arrivals::router())
        .merge(alerts::router())
        .merge(directives::router())
        .merge(gatherings::router())
        .merge(alert_levels::router())
        .merge(rumours::router())
        .merge(lectures::router())
        .merge(abroad::router())
        .merge(watch::router())
        .merge(exports::router())
        .merge(summary::router())
        .merge(sitrep::router())
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    openapi::complete(&mut doc);
    router.route("/openapi.json", get(move || async move { Json(doc.clone()) }))
}
