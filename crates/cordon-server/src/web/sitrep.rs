//! The situation report as pages: on screen for a signed-in reader of the
//! node (`/sitrep`), printable on A4 (`/sitrep/print`), and the public
//! variant for anyone (`/public/sitrep`, `/public/sitrep/print`), with the
//! same sections as the JSON and CSV (`/api/v1/sitrep`, `.csv`). Every
//! number is shown inside its figure's label; the curve and the map are
//! drawn beside the full report's figures (the public one shows the curve
//! as its table, so a bar cannot give away a suppressed count).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use cordon_core::figure::Language;
use cordon_core::publication::Published;
use jiff::civil::Date;
use serde::Deserialize;

use super::command::{child_regions, curve_svg};
use super::form::url_encode;
use super::widgets::map as choropleth;
use super::{Chrome, Lang, Viewer, WebResult, local_time, render};
use crate::api::sitrep::{SitrepQuery, full, public};
use crate::api::summary::Lang as LabelLang;
use crate::state::AppState;
use crate::summary::sitrep::SituationReport;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sitrep", get(signed_in))
        .route("/sitrep/print", get(signed_in_print))
        .route("/public/sitrep", get(for_public))
        .route("/public/sitrep/print", get(for_public_print))
}

/// The page's query: node and day (text, so a bad day is ignored rather than refused).
#[derive(Debug, Deserialize)]
struct PageQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// A figure as a page shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    /// Its label (the number in it).
    pub label: String,
    /// Whether it was suppressed.
    pub suppressed: bool,
}

/// A row as a page shows it.
#[derive(Debug, Clone)]
pub struct ShownRow {
    /// What it is about.
    pub about: String,
    /// Its figures.
    pub figures: Vec<Shown>,
    /// Its notes.
    pub notes: Vec<String>,
}

/// A section as a page shows it.
#[derive(Debug, Clone)]
pub struct ShownSection {
    /// Stable name.
    pub key: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its rows.
    pub rows: Vec<ShownRow>,
}

#[derive(Template)]
#[template(path = "sitrep.html")]
struct SitrepPage {
    t: Lang,
    c: Chrome,
    print: bool,
    r: Body,
}

/// What every variant of the page shows.
struct Body {
    title: String,
    generated: String,
    public_note: Option<String>,
    sections: Vec<ShownSection>,
    curve: String,
    map: String,
    links: Vec<(&'static str, String)>,
}

fn label_lang(t: Lang) -> LabelLang {
    match t {
        Lang::En => LabelLang::En,
        Lang::Ko => LabelLang::Ko,
    }
}

/// The figure language of a page language.
#[must_use]
pub fn language(t: Lang) -> Language {
    Language::from(label_lang(t))
}

async fn body(state: &AppState, t: Lang, report: &SituationReport, base: &str) -> WebResult<Body> {
    let zone = state.store.settings().await?.zone();
    let node = state.store.node_by_code(&report.code).await?;
    let query = format!("node={}&date={}", url_encode(&report.code), report.date);
    let from = report.date.checked_sub(jiff::Span::new().days(27)).unwrap_or(report.date);
    let week = report.date.checked_sub(jiff::Span::new().days(6)).unwrap_or(report.date);
    let (curve, map) = match &node {
        Some(node) => {
            let curve = if report.public { String::new() } else { curve_svg(state, t, node, (from, report.date)).await? };
            let (regions, plane) = child_regions(state, node, (week, report.date)).await?;
            (curve, if regions.is_empty() { String::new() } else { choropleth::svg(t, &regions, plane) })
        }
        None => (String::new(), String::new()),
    };
    let api = if report.public { "/api/v1/public/sitrep" } else { "/api/v1/sitrep" };
    let mut links = vec![
        (t.get("sitrep_print"), format!("{base}/print?{query}")),
        (t.get("sitrep_csv"), format!("{api}.csv?{query}&lang={}", t.code())),
        (t.get("sitrep_json"), format!("{api}?{query}&lang={}", t.code())),
    ];
    if !report.public {
        links.push((t.get("sitrep_public"), format!("/public/sitrep?{query}")));
    }
    let below = state.store.settings().await?.public_suppression_below;
    Ok(Body {
        title: format!("{}: {} ({}), {}", t.get("sitrep_title"), report.name, report.code, report.date),
        generated: t.fill("sitrep_generated", local_time(report.generated_at, &zone)),
        public_note: report.public.then(|| t.fill("sitrep_public_note", below)),
        sections: report
            .sections
            .iter()
            .map(|s| ShownSection {
                key: s.key,
                title: t.get(&format!("sitrep_section_{}", s.key)),
                rows: s
                    .rows
                    .iter()
                    .map(|r| ShownRow {
                        about: r.about.clone(),
                        figures: r
                            .figures
                            .iter()
                            .map(|f| Shown { label: f.label().to_owned(), suppressed: matches!(f, Published::Suppressed(_)) })
                            .collect(),
                        notes: r.notes.clone(),
                    })
                    .collect(),
            })
            .collect(),
        curve,
        map,
        links,
    })
}

fn query_of(q: &PageQuery, t: Lang) -> SitrepQuery {
    SitrepQuery { node: q.node.clone(), date: q.date.as_deref().and_then(|d| d.trim().parse::<Date>().ok()), lang: Some(label_lang(t)) }
}

async fn signed_in_page(state: &AppState, viewer: &Viewer, q: &PageQuery, print: bool) -> WebResult<Response> {
    let t = viewer.lang;
    let report = full(state, &viewer.user, &query_of(q, t)).await?;
    let r = body(state, t, &report, "/sitrep").await?;
    render(&SitrepPage { t, c: viewer.chrome(), print, r })
}

async fn public_page(state: &AppState, headers: &HeaderMap, q: &PageQuery, print: bool) -> WebResult<Response> {
    let t = Lang::from_headers(headers);
    let report = public(state, &query_of(q, t)).await?;
    let r = body(state, t, &report, "/public/sitrep").await?;
    let here = format!("/public/sitrep?node={}", url_encode(&report.code));
    render(&SitrepPage { t, c: Chrome::anonymous(t, &here), print, r })
}

async fn signed_in(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    signed_in_page(&state, &viewer, &q, false).await
}

async fn signed_in_print(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    signed_in_page(&state, &viewer, &q, true).await
}

async fn for_public(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<PageQuery>) -> WebResult<Response> {
    public_page(&state, &headers, &q, false).await
}

async fn for_public_print(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<PageQuery>) -> WebResult<Response> {
    public_page(&state, &headers, &q, true).await
}
