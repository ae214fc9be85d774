//! The situation abroad for the command (`/abroad`): the watched
//! neighbouring countries, each with its labelled figures on its own latest
//! day of data, a badge where a threshold is crossed and a line of its
//! 7-day incidence over the last eight weeks; and the alerts raised when
//! one crossed. Anyone signed in may read it: the data is public.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::widgets::abroad::{WatchedView, anchor, view};
use super::{Chrome, Lang, Viewer, WebResult, local_time, render};
use crate::state::AppState;

/// How many alerts the page lists.
const ALERTS: i64 = 50;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/abroad", get(page))
}

/// An alert as the page lists it.
#[derive(Debug, Clone)]
pub struct AlertLine {
    /// The location.
    pub location: String,
    /// Its section's id.
    pub anchor: String,
    /// The day of the crossing.
    pub day: String,
    /// The figure that crossed, labelled.
    pub label: String,
    /// The threshold, in words.
    pub threshold: String,
    /// When cordon raised it.
    pub raised_at: String,
}

#[derive(Template)]
#[template(path = "abroad.html")]
struct AbroadPage {
    t: Lang,
    c: Chrome,
    watched: Vec<WatchedView>,
    alerts: Vec<AlertLine>,
    can_edit: bool,
}

async fn page(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    let t = viewer.lang;
    let zone = state.store.settings().await?.zone();
    let watched = state.store.watched_series().await?.iter().map(|w| view(t, w)).collect();
    let alerts = state
        .store
        .abroad_alerts(ALERTS)
        .await?
        .into_iter()
        .map(|a| AlertLine {
            anchor: anchor(&a.location),
            day: a.day.to_string(),
            label: a.figure.label_in(t.language()),
            threshold: if a.measure == cordon_core::figure::Measure::GrowthWeekOnWeek {
                t.fill("abroad_threshold_growth", format!("{:+.0}%", (a.threshold - 1.0) * 100.0))
            } else {
                t.fill("abroad_threshold_incidence", cordon_core::figure::grouped(a.threshold, 1))
            },
            raised_at: local_time(a.raised_at, &zone),
            location: a.location,
        })
        .collect();
    let can_edit = cordon_core::watch::may_keep(&viewer.user).is_ok();
    render(&AbroadPage { t, c: viewer.chrome(), watched, alerts, can_edit })
}
