//! Lecture coverage for a command: the share of units with attendance at a
//! lecture on a topic in the last N days, for a node and each of its
//! children (with drill-down), from the store's grouped queries — the same
//! count as `GET /api/v1/lectures/coverage`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use cordon_core::jurisdiction::Node;
use cordon_core::lecture::{Coverage, window_start};
use serde::Deserialize;

use super::super::form::url_encode;
use super::super::{Chrome, Lang, Viewer, WebResult, breadcrumbs, page_node, render};
use crate::state::AppState;

/// The window lengths offered, in days.
const WINDOWS: [u16; 4] = [7, 14, 30, 90];

/// The coverage page's query.
#[derive(Debug, Deserialize)]
pub(super) struct CoverageQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    days: Option<String>,
}

/// Coverage of one area, as the table shows it.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    /// The area's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Units reached.
    pub covered: u32,
    /// Units.
    pub units: u32,
    /// The share reached, in per cent.
    pub percent: String,
    /// The drill-down link.
    pub href: String,
}

#[derive(Template)]
#[template(path = "lecture_coverage.html")]
struct CoveragePage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<(String, String)>,
    topic: String,
    topics: Vec<String>,
    windows: Vec<(u16, bool)>,
    total: Option<CoverageRow>,
    rows: Vec<CoverageRow>,
}

fn row(code: &str, name: &str, c: Coverage, topic: &str, days: u16) -> CoverageRow {
    CoverageRow {
        code: code.to_owned(),
        name: name.to_owned(),
        covered: c.covered,
        units: c.units,
        percent: format!("{:.0}%", c.share() * 100.0),
        href: format!("/lectures/coverage?node={}&topic={}&days={days}", url_encode(code), url_encode(topic)),
    }
}

/// The coverage of a topic at a node and each of its children.
pub(super) async fn coverage(State(state): State<AppState>, viewer: Viewer, Query(q): Query<CoverageQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let topic = q.topic.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let days = q.days.as_deref().and_then(|d| d.trim().parse::<u16>().ok()).unwrap_or(30).clamp(1, 365);
    let today = state.store.settings().await?.local_date(state.now());
    let from = window_start(today, days);
    let mut topics: Vec<String> = state.store.lectures_under(&node.path, 200).await?.into_iter().map(|l| l.topic).collect();
    topics.sort();
    topics.dedup();
    let (total, rows) = if topic.is_empty() {
        (None, Vec::new())
    } else {
        let total = state.store.lecture_coverage(&node.path, &topic, from).await?;
        let children = state.store.lecture_coverage_by_child(node.id, &topic, from).await?;
        let rows = children.iter().map(|c| row(&c.code, &c.name, c.coverage, &topic, days)).collect();
        (Some(row(&node.code, &node.name, total, &topic, days)), rows)
    };
    let page = CoveragePage {
        t: viewer.lang,
        c: viewer.chrome(),
        crumbs: breadcrumbs(&state, &viewer, &node)
            .await?
            .into_iter()
            .map(|cr| (row(&cr.code, "", Coverage { covered: 0, units: 0 }, &topic, days).href, cr.name))
            .collect(),
        node,
        topic,
        topics,
        windows: WINDOWS.iter().map(|w| (*w, *w == days)).collect(),
        total,
        rows,
    };
    render(&page)
}
