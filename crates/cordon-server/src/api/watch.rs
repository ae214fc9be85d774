//! The watch on neighbouring countries: importing an Our World in Data file
//! (administrators, `text/csv`), the watch list with each location's
//! labelled figures on its latest day and whether it is above a threshold,
//! changing it (administrators), and the alerts raised abroad.

use super::paging::{ListPage, PageQuery, probe, window};
use crate::path::AppPath;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use cordon_core::figure::{Labelled, Measure};
use cordon_core::refusal::Reason;
use cordon_core::watch::{Thresholds, WatchInput, Watched};
use cordon_core::watch_alert::{AbroadAlert, standing};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::actions::abroad::{self as actions, MAX_FILE};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportSummary {
    /// Days stored for the first time.
    pub added: u64,
    /// Days whose numbers changed.
    pub revised: u64,
    /// Days stored before with the same numbers.
    pub unchanged: u64,
    /// Alerts raised at watched locations by the new data.
    pub alerts_raised: u64,
}

/// Import an Our World in Data file (administrators): JHU's
/// `full_data.csv` or the main `owid-covid-data.csv`, recognised by the
/// header, as a `text/csv` body of at most 16 MiB. Importing again stores
/// nothing twice and raises no alert twice; a problem names its line and
/// column, and then nothing is imported.
#[utoipa::path(post, path = "/abroad/import", tag = "abroad", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportSummary), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn import(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportSummary>> {
    // Refused before the body is read: a file is not read for nothing.
    cordon_core::watch::may_keep(&user)?;
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/csv"));
    if !csv {
        return Err(ApiError::bad_field("content-type", Reason::OneOf { choices: "text/csv".into() }));
    }
    let bytes = axum::body::to_bytes(body, MAX_FILE).await.map_err(|_| ApiError::TooLarge { max: MAX_FILE })?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::bad_field("body", Reason::Unreadable { message: "the file is not UTF-8 text".into() }))?;
    let done = actions::import(&state, &user, "body", &text).await?;
    Ok(Json(ImportSummary { added: done.added, revised: done.revised, unchanged: done.unchanged, alerts_raised: done.raised }))
}

/// A location on the watch list and where it stands on its latest day.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchEntry {
    /// The location.
    pub location: String,
    /// Residents, as an administrator gave them (used where the file has none).
    pub population: Option<i64>,
    /// The thresholds.
    pub thresholds: Thresholds,
    /// When the entry was last set.
    #[schema(value_type = String, format = DateTime)]
    pub set_at: Timestamp,
    /// The latest day of its series (the figures are as of that day).
    #[schema(value_type = Option<String>, format = Date)]
    pub latest_day: Option<Date>,
    /// Its figures that day, for cases and deaths, each with its label.
    pub figures: Vec<Labelled>,
    /// Whether it is at or above a threshold that day.
    pub above_threshold: bool,
    /// Which thresholds (`per_100k_7d`, `growth_week_on_week`).
    pub crossed: Vec<Measure>,
}

/// The watch list, each location with its labelled figures on its latest
/// day and whether it is above a threshold.
#[utoipa::path(get, path = "/abroad/watch", tag = "abroad", params(PageQuery), responses((status = 200, body = ListPage<WatchEntry>)))]
async fn watch_list(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<WatchEntry>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let watched = state.store.watched_series().await?;
    let entries = watched
        .into_iter()
        .map(|w| {
            let now = standing(&w.rows, &w.entry, &w.source);
            let crossed = now.as_ref().map(|s| s.above.clone()).unwrap_or_default();
            WatchEntry {
                latest_day: now.as_ref().map(|s| s.day),
                figures: now.map(|s| s.figures.into_iter().map(Labelled::from).collect()).unwrap_or_default(),
                above_threshold: !crossed.is_empty(),
                crossed,
                location: w.entry.location,
                population: w.entry.population,
                thresholds: w.entry.thresholds,
                set_at: w.entry.set_at,
            }
        })
        .collect();
    Ok(Json(ListPage::cut(entries, window)))
}

/// An alert raised abroad, its figure labelled.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaisedAlert {
    /// Stable identifier.
    pub id: uuid::Uuid,
    /// The location.
    pub location: String,
    /// The day of the crossing (a day of the location's own series).
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    /// Which figure crossed.
    pub measure: Measure,
    /// The threshold it reached (at least).
    pub threshold: f64,
    /// The figure that day, with its label.
    pub figure: Labelled,
    /// When cordon raised the alert.
    #[schema(value_type = String, format = DateTime)]
    pub raised_at: Timestamp,
}

impl From<AbroadAlert> for RaisedAlert {
    fn from(a: AbroadAlert) -> Self {
        RaisedAlert {
            id: a.id,
            location: a.location,
            day: a.day,
            measure: a.measure,
            threshold: a.threshold,
            figure: Labelled::from(a.figure),
            raised_at: a.raised_at,
        }
    }
}

/// A location's entry after a change, and the alerts the change raised.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchSet {
    /// The entry.
    pub entry: Watched,
    /// Alerts raised by checking the thresholds against the series.
    pub raised: Vec<RaisedAlert>,
}

/// Put a location on the watch list or change its entry (administrators):
/// an optional population (1 to 2,000,000,000, used where the file has
/// none; required when it has none) and the thresholds (above 0). The
/// location must be one imported. Its series is checked at once: the
/// crossings not yet raised raise their alerts.
#[utoipa::path(put, path = "/abroad/watch/{location}", tag = "abroad", request_body = WatchInput,
    params(("location" = String, Path, description = "As the imported file names it")),
    responses((status = 200, body = WatchSet), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn set(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(location): AppPath<String>,
    AppJson(input): AppJson<WatchInput>,
) -> ApiResult<Json<WatchSet>> {
    let (entry, raised) = actions::set(&state, &user, &location, &input).await?;
    Ok(Json(WatchSet { entry, raised: raised.into_iter().map(RaisedAlert::from).collect() }))
}

/// Take a location off the watch list (administrators); its alerts stay.
#[utoipa::path(delete, path = "/abroad/watch/{location}", tag = "abroad",
    params(("location" = String, Path, description = "As the watch list names it")),
    responses((status = 200, body = Watched), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(location): AppPath<String>,
) -> ApiResult<Json<Watched>> {
    Ok(Json(actions::remove(&state, &user, &location).await?))
}

/// How many alerts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertsQuery {
    /// At most this many, latest first (1 to 500, default 100).
    #[serde(default)]
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// The alerts raised abroad, latest first, each with its labelled figure.
#[utoipa::path(get, path = "/abroad/alerts", tag = "abroad", params(AlertsQuery),
    responses((status = 200, body = ListPage<RaisedAlert>), (status = 400, body = crate::error::Problem)))]
async fn alerts(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    AppQuery(q): AppQuery<AlertsQuery>,
) -> ApiResult<Json<ListPage<RaisedAlert>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let rows = state.store.abroad_alerts_in_window(probe(window)).await?;
    Ok(Json(ListPage::read(rows.into_iter().map(RaisedAlert::from).collect(), window)))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).routes(routes!(watch_list)).routes(routes!(set, remove)).routes(routes!(alerts))
}
