//! Exports, for the API and the download page alike: the node named by
//! `under` (or `node`) is checked against the caller's subtree and role by
//! the core's policy (personal data: [`Action::ExportLineLists`], commands
//! and administrators; the map's aggregates: [`Action::Read`]), the export
//! is audited (who, which list, which node and filter), and the store's
//! reader is opened: the caller streams its chunks.

use cordon_core::area::{AreaFigures, feature_collection};
use cordon_core::export::{ExportFilter, ExportFormat, Exported, LineList, check_depth};
use cordon_core::jurisdiction::Node;
use cordon_core::policy::Action;
use cordon_core::user::User;
use cordon_store::exports::{FhirReader, LineListReader};
use jiff::civil::Date;
use serde_json::Value;

use super::node_in_scope;
use crate::error::ApiResult;
use crate::state::AppState;

/// Through what an export is asked for, as its audit record says.
pub const VIA: &str = "api";

/// The node whose subtree an export holds: the code given in the request
/// field `field` (checked: an unknown code is a 422, a node outside the
/// caller's subtree a 403, both naming the field), or the caller's own.
async fn export_node(state: &AppState, user: &User, code: Option<&str>, field: &'static str, action: Action) -> ApiResult<Node> {
    let code = code.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(user.node_path.code());
    node_in_scope(state, user, code, field, action).await
}

fn exported(list: &'static str, format: ExportFormat, node: &Node, filter: ExportFilter) -> Exported {
    Exported { list, format, node: node.code.clone(), path: node.path.as_str().to_owned(), filter, depth: None, date: None, via: VIA }
}

/// Opens the line list `list` of the subtree `under` (default: the
/// caller's) as CSV, after checking the caller may export it and auditing
/// the export.
pub async fn line_list(
    state: &AppState,
    user: &User,
    list: LineList,
    under: Option<&str>,
    filter: ExportFilter,
) -> ApiResult<(Node, LineListReader)> {
    let node = export_node(state, user, under, "under", Action::ExportLineLists).await?;
    let filter = filter.check()?;
    state.store.record_export(Some(user.id), &exported(list.as_str(), ExportFormat::Csv, &node, filter), state.now()).await?;
    let reader = state.store.line_list(list, &node.path, &filter).await?;
    Ok((node, reader))
}

/// Opens the FHIR bundle of the cases of the subtree `under`, checked and
/// audited as a line list.
pub async fn fhir_cases(state: &AppState, user: &User, under: Option<&str>, filter: ExportFilter) -> ApiResult<(Node, FhirReader)> {
    let node = export_node(state, user, under, "under", Action::ExportLineLists).await?;
    let filter = filter.check()?;
    let now = state.now();
    state.store.record_export(Some(user.id), &exported(LineList::Cases.as_str(), ExportFormat::Fhir, &node, filter), now).await?;
    let reader = state.store.fhir_bundle(&node.path, &filter, uuid::Uuid::now_v7(), now).await?;
    Ok((node, reader))
}

/// The areas one to `depth` levels (1 to 3, default 1) below `node`
/// (default: the caller's) with their figures on `date` (default: today),
/// and the GeoJSON `FeatureCollection` of them with their boundaries. The
/// figures are aggregates: anyone may export those of their subtree.
pub async fn jurisdictions(
    state: &AppState,
    user: &User,
    node: Option<&str>,
    depth: Option<i64>,
    date: Option<Date>,
) -> ApiResult<(Node, Vec<AreaFigures>, Value)> {
    let node = export_node(state, user, node, "node", Action::Read).await?;
    let depth = check_depth(depth)?;
    let day = match date {
        Some(day) => day,
        None => state.store.settings().await?.local_date(state.now()),
    };
    let mut record = exported("jurisdictions", ExportFormat::Geojson, &node, ExportFilter::default());
    (record.depth, record.date) = (Some(depth), Some(day));
    state.store.record_export(Some(user.id), &record, state.now()).await?;
    let areas = state.store.map_figures(&node, depth, day).await?;
    let boundaries = state.store.boundaries_below(&node, depth).await?;
    let collection = feature_collection(&areas, &boundaries);
    Ok((node, areas, collection))
}
