//! Points of entry: registering and listing arrivals.

use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use cordon_core::arrival::{Arrival, ArrivalInput};
use cordon_core::jurisdiction::FacilityKind;
use cordon_core::policy::Action;
use cordon_core::user::User;
use cordon_store::arrivals::{CheckedArrival, Registered};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{Paged, page_request};
use super::{authorise, node_for, scope};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Register an arrival at your point of entry. A symptomatic arrival becomes
/// a report (and a suspected case when it meets the definition); every arrival
/// is quarantined by the rule for its origin country. A closed point of entry
/// refuses arrivals (409).
#[utoipa::path(post, path = "/arrivals", tag = "quarantine", request_body = ArrivalInput, responses((status = 201, body = Registered), (status = 200, body = Registered), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn register(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<ArrivalInput>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let registered = register_arrival(&state, &user, &input).await?;
    Ok((if registered.created { StatusCode::CREATED } else { StatusCode::OK }, Json(registered)))
}

/// Registers an arrival after its checks (the point of entry exists and is
/// the user's to register at, the person and the facility are valid).
/// Shared by the API and the arrivals page.
pub async fn register_arrival(state: &AppState, user: &User, input: &ArrivalInput) -> ApiResult<Registered> {
    let now = state.now();
    let today = state.store.settings().await?.local_date(now);
    let (travel_document, origin_country, route) = input.check(today)?;
    let poe = state
        .store
        .facility_by_code(&input.point_of_entry_code)
        .await?
        .filter(|f| f.kind == FacilityKind::PointOfEntry)
        .ok_or_else(|| cordon_core::Invalid::field("point_of_entry_code", "no point of entry has this code"))?;
    authorise(user, Action::RegisterArrival, &poe.node_path)?;
    let person = input.person.parse(i32::from(today.year())).map_err(|e| e.prefixed("person"))?;
    let unit = node_for(state, &input.person.unit_code, "person.unit_code").await?;
    let facility = match input.facility_code.as_deref() {
        Some(code) => Some(
            state
                .store
                .facility_by_code(code)
                .await?
                .filter(|f| matches!(f.kind, FacilityKind::QuarantineCentre | FacilityKind::Hospital))
                .ok_or_else(|| {
                    cordon_core::Invalid::field("facility_code", format!("no quarantine centre or hospital has code {code:?}"))
                })?,
        ),
        None => state.store.nearest_quarantine_centre(&poe.node_path).await?,
    };
    let checked = CheckedArrival { person, unit, point_of_entry: poe, facility, travel_document, origin_country, route };
    Ok(state.store.register_arrival(user, input, &checked, now).await?)
}

/// List parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ArrivalQuery {
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// Arrivals per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `X-Next-Cursor` (or `Link`) of the previous
    /// page; the first page without it.
    pub cursor: Option<String>,
}

/// Arrivals at points of entry in your subtree, newest first, one page at a
/// time. The whole list's size is in `X-Total-Count`; the next page is at the
/// cursor in `X-Next-Cursor` (and `Link: <…>; rel="next"`), absent on the
/// last page.
#[utoipa::path(get, path = "/arrivals", tag = "quarantine", params(ArrivalQuery), responses(
    (status = 200, body = Vec<Arrival>, headers(
        ("x-total-count" = i64, description = "How many arrivals the whole list holds"),
        ("x-next-cursor" = String, description = "The `cursor` of the next page; absent on the last page"),
        ("link" = String, description = "The next and previous pages (rel=\"next\", rel=\"prev\"), with the same parameters"),
    )),
    (status = 400, body = crate::error::Problem, description = "A parameter is wrong (e.g. `limit` out of range, an unknown `cursor`); the problem names it"),
))]
async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    OriginalUri(uri): OriginalUri,
    AppQuery(q): AppQuery<ArrivalQuery>,
) -> ApiResult<Paged<Arrival, i64>> {
    let request = page_request(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Paged { page: state.store.arrivals_page(&path, &request).await?, uri })
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register, list))
}
