//! Residents: register (with the duplicate check) and find.

use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::person::{Person, PersonInput};
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::refusal::Record;
use cordon_store::persons::Registration;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging::{ListPage, probe, window};
use super::{authorise, scope};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Register a resident. A probable duplicate (same name, birth year and unit)
/// is a 409 listing the existing persons in `existing`; send again with
/// `confirm_new: true` to register anyway.
#[utoipa::path(post, path = "/persons", tag = "persons", request_body = PersonInput, responses((status = 201, body = Person), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn register(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<PersonInput>,
) -> ApiResult<(StatusCode, Json<Person>)> {
    let now = state.now();
    let year = i32::from(state.store.settings().await?.local_date(now).year());
    let draft = input.parse(year)?;
    match state.store.register_person(&user, &draft, &input.unit_code, input.confirm_new, now).await? {
        Registration::Registered(p) => Ok((StatusCode::CREATED, Json(p))),
        Registration::ProbableDuplicates(existing) => Err(ApiError::Conflict {
            reason: Reason::ProbableDuplicate,
            errors: vec![cordon_core::FieldError::new("full_name", Reason::ProbableDuplicate)],
            existing: serde_json::to_value(existing).ok(),
        }),
    }
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Part of the name (at most 100 characters).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Code of the subtree (default: your anchor).
    pub under: Option<String>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// Find residents by name in your subtree.
#[utoipa::path(get, path = "/persons", tag = "persons", params(PersonQuery), responses((status = 200, body = ListPage<Person>)))]
async fn find(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<PersonQuery>,
) -> ApiResult<Json<ListPage<Person>>> {
    let words = cordon_core::validation::search_text("q", q.q.as_deref().unwrap_or(""))?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    let window = window(q.limit, q.cursor.as_deref())?;
    Ok(Json(ListPage::read(state.store.persons_in_window(&path, words, probe(window)).await?, window)))
}

/// One resident.
#[utoipa::path(get, path = "/persons/{id}", tag = "persons", params(("id" = Uuid, Path)), responses((status = 200, body = Person), (status = 403, body = crate::error::Problem)))]
async fn get_person(State(state): State<AppState>, CurrentUser(user): CurrentUser, AppPath(id): AppPath<Uuid>) -> ApiResult<Json<Person>> {
    let person = state.store.person(id).await?.ok_or_else(|| ApiError::not_found(Record::Person, &id))?;
    authorise(&user, Action::Read, &person.unit_path)?;
    Ok(Json(person))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register, find)).routes(routes!(get_person))
}
