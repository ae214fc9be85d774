//! The jurisdiction tree and facilities.

use super::paging::{ListPage, probe, window};
use crate::path::AppPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cordon_core::jurisdiction::FacilityInput;
use cordon_core::jurisdiction::{Facility, Node, NodeInput};
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Reason;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{authorise, node_in_scope, scope};
use crate::actions::jurisdictions;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// A node with its children and the level names.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeView {
    /// The node.
    pub node: Node,
    /// Its level's name.
    pub level_name: String,
    /// Its children.
    pub children: Vec<Node>,
}

/// Filters for the node list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NodeQuery {
    /// Code of the subtree's root (default: your anchor).
    pub under: Option<String>,
    /// Only nodes at this depth (0 = nation).
    pub level: Option<i64>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page; the first
    /// page without it.
    pub cursor: Option<String>,
}

/// List nodes in a subtree.
#[utoipa::path(get, path = "/nodes", tag = "jurisdictions", params(NodeQuery), responses((status = 200, body = ListPage<Node>)))]
async fn list_nodes(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<NodeQuery>,
) -> ApiResult<Json<ListPage<Node>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(ListPage::cut(state.store.subtree(&path, q.level).await?, window)))
}

/// A search for units by name or code, paged.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnitSearch {
    /// The start of a unit's code, or part of its name (2 to 100 characters; case is ignored).
    #[param(min_length = 2, max_length = 100)]
    pub search: String,
    /// At most this many units, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Find units by name or code: anywhere in the country for those who
/// register arrivals (a traveller may stay anywhere), in your subtree for
/// everyone else. By code.
#[utoipa::path(get, path = "/units", tag = "jurisdictions", params(UnitSearch), responses((status = 200, body = ListPage<Node>), (status = 400, body = crate::error::Problem)))]
async fn find_units(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<UnitSearch>,
) -> ApiResult<Json<ListPage<Node>>> {
    let text = cordon_core::validation::search_text("search", &q.search)?;
    if text.chars().count() < 2 {
        return Err(ApiError::bad_field("search", Reason::SearchTooShort));
    }
    let window = window(q.limit, q.cursor.as_deref())?;
    let within = if policy::may_find_units_anywhere(&user) {
        match state.store.root_node().await? {
            Some(root) => root.path,
            None => return Ok(Json(ListPage { items: Vec::new(), next_cursor: None })),
        }
    } else {
        authorise(&user, Action::Read, &user.node_path)?;
        user.node_path.clone()
    };
    Ok(Json(ListPage::read(state.store.find_units(&within, text, probe(window)).await?, window)))
}

/// One node with its children.
#[utoipa::path(get, path = "/nodes/{code}", tag = "jurisdictions", params(("code" = String, Path)), responses((status = 200, body = NodeView), (status = 403, body = crate::error::Problem)))]
async fn get_node(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppPath(code): AppPath<String>,
) -> ApiResult<Json<NodeView>> {
    let node = node_in_scope(&state, &user, &code, "code", Action::Read).await?;
    let levels = state.store.levels().await?;
    let children = state.store.children(node.id).await?;
    let level_name = usize::try_from(node.level).ok().and_then(|level| levels.get(level)).cloned().unwrap_or_default();
    Ok(Json(NodeView { node, level_name, children }))
}

/// Create a node (administrators).
#[utoipa::path(post, path = "/nodes", tag = "jurisdictions", request_body = NodeInput, responses((status = 201, body = Node), (status = 422, body = crate::error::Problem)))]
async fn create_node(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<NodeInput>,
) -> ApiResult<(StatusCode, Json<Node>)> {
    Ok((StatusCode::CREATED, Json(jurisdictions::create_node(&state, &user, &input).await?)))
}

/// Facilities in your subtree.
#[utoipa::path(get, path = "/facilities", tag = "jurisdictions", params(NodeQuery), responses((status = 200, body = ListPage<Facility>)))]
async fn list_facilities(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<NodeQuery>,
) -> ApiResult<Json<ListPage<Facility>>> {
    let window = window(q.limit, q.cursor.as_deref())?;
    let path = scope(&state, &user, q.under.as_deref()).await?;
    Ok(Json(ListPage::cut(state.store.facilities(&path).await?, window)))
}

/// Create a facility (administrators).
#[utoipa::path(post, path = "/facilities", tag = "jurisdictions", request_body = FacilityInput, responses((status = 201, body = Facility), (status = 422, body = crate::error::Problem)))]
async fn create_facility(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(input): AppJson<FacilityInput>,
) -> ApiResult<(StatusCode, Json<Facility>)> {
    Ok((StatusCode::CREATED, Json(jurisdictions::create_facility(&state, &user, &input).await?)))
}

/// The level names of the tree, root first (e.g. nation, province, county, district, unit).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// Names, root first.
    pub levels: Vec<String>,
}

/// The tree's level names.
#[utoipa::path(get, path = "/levels", tag = "jurisdictions", responses((status = 200, body = Levels)))]
async fn get_levels(State(state): State<AppState>, CurrentUser(_user): CurrentUser) -> ApiResult<Json<Levels>> {
    Ok(Json(Levels { levels: state.store.levels().await? }))
}

/// Rename or reshape the levels (administrators). Refused when existing nodes
/// would sit below the last level.
#[utoipa::path(put, path = "/levels", tag = "jurisdictions", request_body = Levels, responses((status = 200, body = Levels), (status = 422, body = crate::error::Problem)))]
async fn put_levels(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppJson(body): AppJson<Levels>,
) -> ApiResult<Json<Levels>> {
    Ok(Json(Levels { levels: jurisdictions::set_levels(&state, &user, &body.levels).await? }))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_levels, put_levels))
        .routes(routes!(list_nodes, create_node))
        .routes(routes!(get_node))
        .routes(routes!(find_units))
        .routes(routes!(list_facilities, create_facility))
}
