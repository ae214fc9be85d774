//! The command's pages for any node of the viewer's subtree: the live board
//! (new reports, open and overdue tasks, escalations, new outbreak alerts,
//! cases by status, daily-report completeness, directives in force and
//! their acknowledgement, watched locations abroad above a threshold), the
//! epidemic curve, the map of the node's children and the escalation list,
//! each with drill-down to the children.
//!
//! The board's panels are one fragment (`/board/live`); the page script
//! reloads it when the live event stream (`/api/v1/events/stream`) reports
//! something, so the board updates without a reload.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use cordon_core::escalation::Escalation;
use cordon_core::jurisdiction::Node;
use cordon_core::task::{Task, TaskStatus};
use cordon_store::figures::BoardCounts;
use cordon_store::reports::ReportWithStatus;
use cordon_store::tasks::TaskFilter;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use serde::Deserialize;

use super::form::url_encode;
use super::widgets::abroad::board_panel as abroad_panel;
use super::widgets::alert_level::{LevelBadge, every_level};
use super::widgets::community_board;
use super::widgets::curve::{self as epicurve, CurveDay, fill_days, status_colour};
use super::widgets::directive_board::board_directives;
use super::widgets::inbox::inbox;
use super::widgets::map::{self as choropleth, LegendEntry, Plane, Region, hex_layout, legend};
use super::widgets::names::Names;
use super::widgets::report_status_class;
use super::{Chrome, Crumb, Lang, Viewer, WebResult, breadcrumbs, local_time, page_node, render};
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/board", get(board))
        .route("/board/live", get(board_live))
        .route("/curve", get(curve))
        .route("/map", get(map))
        .route("/escalations", get(escalations))
}

/// Which node a page is about.
#[derive(Debug, Deserialize)]
struct NodeQuery {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    days: Option<String>,
}

/// A child node with a link down.
#[derive(Debug, Clone)]
pub struct ChildLink {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Residents.
    pub population: String,
}

/// A number on the board with its label.
#[derive(Debug, Clone)]
pub struct Tile {
    /// What it counts.
    pub label: &'static str,
    /// The count.
    pub value: i64,
    /// Whether it calls for attention.
    pub alert: bool,
    /// Stable name for tests and styles.
    pub key: &'static str,
    /// Where the tile leads, if anywhere.
    pub href: Option<String>,
}

/// A line of a board list.
#[derive(Debug, Clone)]
pub struct Line {
    /// When.
    pub at: String,
    /// Main text.
    pub text: String,
    /// Where.
    pub place: String,
    /// Status text.
    pub status: String,
    /// CSS class of the status.
    pub class: &'static str,
    /// Link, if any.
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    children: Vec<ChildLink>,
    live: String,
    inbox: String,
}

#[derive(Template)]
#[template(path = "board_live.html")]
struct BoardLive {
    t: Lang,
    as_of: String,
    tiles: Vec<Tile>,
    cases: Vec<(&'static str, i64, String)>,
    completeness: Vec<(&'static str, i64)>,
    completeness_line: String,
    reports: Vec<Line>,
    tasks: Vec<Line>,
    escalations: Vec<Line>,
    directives: String,
    /// The community measures' section ([`community_board`]), rendered.
    community: String,
    /// Response times and daily-report filing: a heading and its figures' labels.
    responses: Vec<(&'static str, Vec<String>)>,
    /// The panel of watched locations abroad above a threshold, rendered.
    abroad: String,
}

async fn children_of(state: &AppState, node: &Node) -> WebResult<Vec<ChildLink>> {
    Ok(state
        .store
        .children(node.id)
        .await?
        .into_iter()
        .map(|n| ChildLink { code: n.code, name: n.name, population: n.population.to_string() })
        .collect())
}

async fn board(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NodeQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let live = board_fragment(&state, &viewer, &node).await?.render()?;
    let page = BoardPage {
        t: viewer.lang,
        c: viewer.chrome(),
        crumbs: breadcrumbs(&state, &viewer, &node).await?,
        children: children_of(&state, &node).await?,
        inbox: inbox(&state, &viewer, &viewer.here).await?,
        node,
        live,
    };
    render(&page)
}

async fn board_live(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NodeQuery>) -> WebResult<Response> {
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    render(&board_fragment(&state, &viewer, &node).await?)
}

async fn board_fragment(state: &AppState, viewer: &Viewer, node: &Node) -> WebResult<BoardLive> {
    let t = viewer.lang;
    let now = state.now();
    let settings = state.store.settings().await?;
    let zone = settings.zone();
    let today = settings.local_date(now);
    let since = now.checked_sub(SignedDuration::from_hours(24)).unwrap_or(now);
    let counts = state.store.board_counts(&node.path, today, now, since).await?;
    let completeness = state.store.completeness_totals(&node.path, today, now).await?;
    let new_alerts = state.store.count_alerts_under(&node.path, cordon_core::alert::AlertStatus::New).await?;
    let cases = counts
        .cases_by_status
        .iter()
        .map(|(s, n)| {
            let c = status_colour(*s);
            (t.case_status(*s), *n, format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2))
        })
        .collect();
    let reported = completeness.on_time + completeness.late;
    let completeness_line = t.fill("board_completeness_line", format!("{reported} / {}", completeness.units));
    let completeness_rows = vec![
        (t.get("daily_on_time"), completeness.on_time),
        (t.get("daily_late"), completeness.late),
        (t.get("daily_pending"), completeness.pending),
        (t.get("daily_silent"), completeness.silent),
        (t.get("daily_zero_reports"), completeness.zero_reports),
    ];
    let lists = board_lists(state, t, node, now, &zone).await?;
    let responses = board_responses(state, t, node).await?;
    Ok(BoardLive {
        t,
        as_of: local_time(now, &zone),
        tiles: tiles(t, node, &counts, new_alerts),
        cases,
        completeness: completeness_rows,
        completeness_line,
        reports: lists.reports,
        tasks: lists.tasks,
        escalations: lists.escalations,
        directives: board_directives(state, t, node).await?.render()?,
        community: community_board::section(state, t, node).await?,
        responses,
        abroad: abroad_panel(state, t).await?,
    })
}

/// How fast the node answers, as labelled figures: the last 7 days, the 7
/// before, and the daily reports over 7 and 28 days.
async fn board_responses(state: &AppState, t: Lang, node: &Node) -> WebResult<Vec<(&'static str, Vec<String>)>> {
    let scope = crate::summary::Scope::of(state, node.clone(), None).await?;
    let (last_7_days, previous_7_days, filing) = crate::summary::response::recent_responses(state, &scope).await?;
    let labels = |figures: Vec<cordon_core::figure::Figure>| figures.into_iter().map(|f| f.label_in(t.language())).collect::<Vec<_>>();
    let mut filing = filing.into_iter();
    let (seven, _, twenty_eight) = (filing.next(), filing.next(), filing.next());
    let filed = seven.into_iter().chain(twenty_eight).flat_map(|s| s.figures).collect();
    Ok(vec![
        (t.get("response_recent"), labels(last_7_days.figures)),
        (t.get("response_previous"), labels(previous_7_days.figures)),
        (t.get("response_filing"), labels(filed)),
    ])
}

/// The board's numbers.
fn tiles(t: Lang, node: &Node, counts: &BoardCounts, new_alerts: i64) -> Vec<Tile> {
    vec![
        Tile { label: t.get("board_reports_today"), value: counts.reports_today, alert: false, key: "reports-today", href: None },
        Tile { label: t.get("board_open_tasks"), value: counts.open_tasks, alert: false, key: "open-tasks", href: None },
        Tile {
            label: t.get("board_overdue_tasks"),
            value: counts.overdue_tasks,
            alert: counts.overdue_tasks > 0,
            key: "overdue-tasks",
            href: None,
        },
        Tile {
            label: t.get("board_escalations_24h"),
            value: counts.recent_escalations,
            alert: counts.recent_escalations > 0,
            key: "escalations",
            href: Some(format!("/escalations?node={}", url_encode(&node.code))),
        },
        Tile {
            label: t.get("alerts_board_new"),
            value: new_alerts,
            alert: new_alerts > 0,
            key: "new-alerts",
            href: Some(format!("/alerts?node={}&status=new", url_encode(&node.code))),
        },
    ]
}

/// The board's three lists.
struct BoardLists {
    reports: Vec<Line>,
    tasks: Vec<Line>,
    escalations: Vec<Line>,
}

/// The newest reports, the open tasks and the newest escalations: one query
/// each, and one for every name they show.
async fn board_lists(state: &AppState, t: Lang, node: &Node, now: Timestamp, zone: &TimeZone) -> WebResult<BoardLists> {
    let reports = state.store.reports_under(&node.path, 10).await?;
    let open = vec![TaskStatus::Assigned, TaskStatus::Acknowledged, TaskStatus::Overdue, TaskStatus::Escalated];
    let tasks = state.store.tasks_under(&node.path, &TaskFilter { assignee: None, statuses: open }, 20).await?;
    let escalations = state.store.escalations_under(&node.path, 10).await?;
    let ids = reports
        .iter()
        .map(|r| r.report.person_id)
        .chain(tasks.iter().filter_map(|task| task.assignee_id))
        .chain(escalations.iter().filter_map(|e| e.to_worker_id));
    let names = Names::of(state, ids).await?;
    Ok(BoardLists {
        reports: reports.iter().map(|r| report_line(t, &names, r, zone)).collect(),
        tasks: tasks.iter().map(|task| task_line(t, &names, task, now, zone)).collect(),
        escalations: escalations.iter().map(|e| escalation_line(t, &names, e, zone)).collect(),
    })
}

fn report_line(t: Lang, names: &Names, r: &ReportWithStatus, zone: &TimeZone) -> Line {
    let person = names.get(r.report.person_id);
    let symptoms = r.report.symptoms.iter().map(|s| t.symptom(*s)).collect::<Vec<_>>().join(", ");
    Line {
        at: local_time(r.report.received_at, zone),
        text: if symptoms.is_empty() { person } else { format!("{person} — {symptoms}") },
        place: r.report.unit_path.code().to_owned(),
        status: t.report_status(r.status).to_owned(),
        class: report_status_class(r.status),
        href: r.report.case_id.map(|c| format!("/cases/{c}")),
    }
}

fn task_line(t: Lang, names: &Names, task: &Task, now: Timestamp, zone: &TimeZone) -> Line {
    let overdue = task.is_overdue(now);
    let who = names.of_opt(task.assignee_id);
    let who = if who.is_empty() { t.get("nobody").to_owned() } else { t.fill("board_task_worker", who) };
    let status = if overdue && task.status != TaskStatus::Overdue {
        format!("{} · {}", t.task_status(task.status), t.get("task_overdue"))
    } else {
        t.task_status(task.status).to_owned()
    };
    Line {
        at: local_time(task.deadline, zone),
        text: format!("{} — {who}", t.task_kind(task.kind)),
        place: task.subject_path.code().to_owned(),
        status,
        class: if overdue {
            "status-overdue"
        } else if task.status == TaskStatus::Acknowledged {
            "status-on-way"
        } else {
            "status-case"
        },
        // A follow-up visit belongs to a quarantine order; other tasks to a case.
        href: task.order_id.map(|o| format!("/orders/{o}")).or_else(|| task.case_id.map(|c| format!("/cases/{c}"))),
    }
}

/// An escalation as the board and the escalation list show it (the list
/// adds the day and the link).
fn escalation_line(t: Lang, names: &Names, e: &Escalation, zone: &TimeZone) -> Line {
    let to = names.of_opt(e.to_worker_id);
    Line {
        at: local_time(e.raised_at, zone),
        text: if to.is_empty() { t.get("escalation_to_nobody").to_owned() } else { t.fill("escalation_to", to) },
        place: e.subject_path.code().to_owned(),
        status: t.escalation_kind(e.kind).to_owned(),
        class: "status-overdue",
        href: None,
    }
}

/// How many days a curve shows: 7 to 180, 28 by default.
fn window(days: Option<&str>) -> i64 {
    days.and_then(|d| d.trim().parse::<i64>().ok()).unwrap_or(28).clamp(7, 180)
}

#[derive(Template)]
#[template(path = "curve.html")]
struct CurvePage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    children: Vec<ChildLink>,
    days: i64,
    choices: Vec<(i64, bool)>,
    svg: String,
    caption: String,
    rows: Vec<CurveDay>,
    statuses: Vec<&'static str>,
    /// Rt drawn over the same days (empty when there are too few cases).
    rt_svg: String,
    /// Rt's figures in the window, newest first, as labels.
    rt_labels: Vec<String>,
}

async fn curve(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NodeQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let days = window(q.days.as_deref());
    let now = state.now();
    let to = state.store.settings().await?.local_date(now);
    let from = to.checked_sub(Span::new().days(days - 1)).unwrap_or(to);
    let reports = state.store.reports_by_day(&node.path, from, to).await?;
    let cases = state.store.cases_by_day(&node.path, from, to).await?;
    let rows = fill_days(from, to, &reports, &cases);
    let svg = epicurve::svg(t, &rows).map_err(ApiError::internal)?;
    let caption = t.fill("curve_caption", format!("{} ({}), {from} – {to}", node.name, node.code));
    let scope = crate::summary::Scope::of(&state, node.clone(), None).await?;
    let estimates = crate::summary::rt::figures(&state, &scope).await?;
    let rt_svg = super::widgets::rt_chart::svg(t, &estimates, (from, to));
    let rt_labels = estimates.iter().rev().filter(|f| f.period.to >= from).map(|f| f.label_in(t.language())).collect();
    let page = CurvePage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(&state, &viewer, &node).await?,
        children: children_of(&state, &node).await?,
        node,
        days,
        choices: [7, 14, 28, 56, 90].into_iter().map(|d| (d, d == days)).collect(),
        svg,
        caption,
        rows,
        statuses: cordon_core::case::CaseStatus::ALL.iter().map(|s| t.case_status(*s)).collect(),
        rt_svg,
        rt_labels,
    };
    render(&page)
}

/// A child as the map's table lists it.
#[derive(Debug, Clone)]
pub struct MapRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Reports in 7 days.
    pub reports: i64,
    /// Residents.
    pub population: i64,
    /// Rate per 100,000, formatted.
    pub rate: String,
    /// The alert level in force, if one was set.
    pub level: Option<LevelBadge>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    svg: String,
    legend: Vec<LegendEntry>,
    level_legend: Vec<LevelBadge>,
    caption: String,
    rows: Vec<MapRow>,
}

/// The alert level in force at each child of `node` that has one, by node id.
async fn child_levels(state: &AppState, node: &Node) -> WebResult<std::collections::HashMap<uuid::Uuid, u8>> {
    let levels = state.store.alert_levels_under(&node.path).await?;
    Ok(levels.into_iter().filter(|l| l.node_path.parent().as_ref() == Some(&node.path)).map(|l| (l.node_id, l.level)).collect())
}

/// The regions of `node`'s children for the map, with their reports in
/// `from..=to`, their shapes (real boundaries when every child has one, else
/// a generated layout) and their alert levels.
pub(crate) async fn child_regions(
    state: &AppState,
    node: &Node,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
) -> WebResult<(Vec<Region>, Plane)> {
    let children = state.store.child_reports(node.id, from, to).await?;
    let stored: std::collections::HashMap<String, String> =
        state.store.boundaries_under(&node.path, Some(node.level + 1)).await?.into_iter().collect();
    let real: Option<Vec<choropleth::Rings>> =
        children.iter().map(|c| stored.get(&c.node.code).and_then(|g| choropleth::rings_of(g))).collect();
    let (plane, shapes) = match real {
        Some(rings) if !rings.is_empty() => (Plane::LonLat, rings),
        _ => (Plane::Layout, hex_layout(children.len()).into_iter().map(|ring| vec![ring]).collect()),
    };
    let levels = child_levels(state, node).await?;
    let regions = children
        .iter()
        .zip(shapes)
        .map(|(c, rings)| Region {
            code: c.node.code.clone(),
            name: c.node.name.clone(),
            href: format!("/map?node={}", url_encode(&c.node.code)),
            reports: c.reports,
            population: c.node.population,
            rings,
            level: levels.get(&c.node.id).copied(),
        })
        .collect();
    Ok((regions, plane))
}

/// The epidemic curve of `node` for `from..=to` as an SVG chart.
pub(crate) async fn curve_svg(
    state: &AppState,
    t: Lang,
    node: &Node,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
) -> WebResult<String> {
    let reports = state.store.reports_by_day(&node.path, from, to).await?;
    let cases = state.store.cases_by_day(&node.path, from, to).await?;
    Ok(epicurve::svg(t, &fill_days(from, to, &reports, &cases)).map_err(ApiError::internal)?)
}

async fn map(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NodeQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let now = state.now();
    let to = state.store.settings().await?.local_date(now);
    let from = to.checked_sub(Span::new().days(6)).unwrap_or(to);
    let (regions, plane) = child_regions(&state, &node, (from, to)).await?;
    let rows = regions
        .iter()
        .map(|r| MapRow {
            code: r.code.clone(),
            name: r.name.clone(),
            reports: r.reports,
            population: r.population,
            rate: r.rate().map_or_else(|| "–".into(), |x| format!("{x:.1}")),
            level: r.level.map(|l| LevelBadge::of(t, l)),
        })
        .collect();
    let caption = t.fill("map_caption", format!("{from} – {to}, {} ({})", node.name, node.code));
    let page = MapPage {
        t,
        c: viewer.chrome(),
        crumbs: breadcrumbs(&state, &viewer, &node).await?,
        svg: if regions.is_empty() { String::new() } else { choropleth::svg(t, &regions, plane) },
        legend: legend(t),
        level_legend: every_level(t),
        caption,
        rows,
        node,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "escalations.html")]
struct EscalationsPage {
    t: Lang,
    c: Chrome,
    node: Node,
    crumbs: Vec<Crumb>,
    lines: Vec<Line>,
}

async fn escalations(State(state): State<AppState>, viewer: Viewer, Query(q): Query<NodeQuery>) -> WebResult<Response> {
    let t = viewer.lang;
    let node = page_node(&state, &viewer, q.node.as_deref()).await?;
    let zone = state.store.settings().await?.zone();
    let escalations = state.store.escalation_lines_under(&node.path, 200).await?;
    let names = Names::of(&state, escalations.iter().filter_map(|l| l.escalation.to_worker_id)).await?;
    let lines = escalations
        .iter()
        .map(|l| {
            let mut line = escalation_line(t, &names, &l.escalation, &zone);
            if let Some(date) = l.escalation.date {
                line.text = format!("{} · {date}", line.text);
            }
            line.href = l.case_id.map(|c| format!("/cases/{c}"));
            line
        })
        .collect();
    render(&EscalationsPage { t, c: viewer.chrome(), crumbs: breadcrumbs(&state, &viewer, &node).await?, node, lines })
}
