//! The situation abroad: the locations imported from Our World in Data
//! (`cordon import owid`), a location's daily series, and its labelled
//! figures on a day. Anyone signed in may read them: they are public data.

use super::paging::{ListPage, PageQuery, window};
use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use cordon_core::abroad::figures_on;
use cordon_core::figure::Labelled;
use cordon_core::refusal::Record;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::AppQuery;
use crate::state::AppState;

/// The locations stored, in name order.
#[utoipa::path(get, path = "/abroad", tag = "abroad", params(PageQuery), responses((status = 200, body = ListPage<String>)))]
async fn locations(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<ListPage<String>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::cut(state.store.abroad_locations().await?, window)))
}

/// One day of a location's series; empty where the file left it empty.
#[derive(Debug, Serialize, ToSchema)]
pub struct Day {
    /// The day.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Cases reported that day (negative for a downward revision).
    pub new_cases: Option<f64>,
    /// Deaths reported that day.
    pub new_deaths: Option<f64>,
    /// Cases reported so far.
    pub total_cases: Option<f64>,
    /// Deaths reported so far.
    pub total_deaths: Option<f64>,
}

/// A location's daily series, oldest first, with where it comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct Series {
    /// The location.
    pub location: String,
    /// Who counted it.
    pub source: String,
    /// The days.
    pub days: Vec<Day>,
}

/// A location's daily series.
#[utoipa::path(get, path = "/abroad/{location}", tag = "abroad", params(("location" = String, Path, description = "As the imported file names it")),
    responses((status = 200, body = Series), (status = 404, body = crate::error::Problem)))]
async fn series(State(state): State<AppState>, CurrentUser(_): CurrentUser, AppPath(location): AppPath<String>) -> ApiResult<Json<Series>> {
    let (rows, source) = state.store.abroad_series(&location).await?.ok_or_else(|| ApiError::not_found(Record::Location, &location))?;
    let days = rows
        .into_iter()
        .map(|r| Day {
            date: r.date,
            new_cases: r.new_cases,
            new_deaths: r.new_deaths,
            total_cases: r.total_cases,
            total_deaths: r.total_deaths,
        })
        .collect();
    Ok(Json(Series { location, source, days }))
}

/// The day whose figures to give.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FiguresQuery {
    /// The day (YYYY-MM-DD).
    #[param(value_type = String, format = Date)]
    pub date: Date,
}

/// A location's figures on a day, for cases and deaths: the day's new
/// count, the cumulative total, the 7-day sum and average, and the 7-day
/// incidence per 100,000 where the population is known (the file's, else
/// the watch list's); each with what it is and its label.
#[utoipa::path(get, path = "/abroad/{location}/figures", tag = "abroad",
    params(("location" = String, Path, description = "As the imported file names it"), FiguresQuery),
    responses((status = 200, body = Vec<Labelled>), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn figures(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    AppPath(location): AppPath<String>,
    AppQuery(q): AppQuery<FiguresQuery>,
) -> ApiResult<Json<Vec<Labelled>>> {
    let (rows, source) = state.store.abroad_series(&location).await?.ok_or_else(|| ApiError::not_found(Record::Location, &location))?;
    let watched = state.store.watch_list().await?.into_iter().find(|w| w.location == location);
    let population = watched.and_then(|w| w.population).map(|p| p as f64);
    Ok(Json(figures_on(&rows, q.date, population, &source).into_iter().map(Labelled::from).collect()))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(locations)).routes(routes!(series)).routes(routes!(figures))
}
