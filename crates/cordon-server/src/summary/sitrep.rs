//! The situation report of a node on a day: at home (reports, cases by
//! classification and deaths, new in the last 7 days, cumulative, and per
//! 100,000), people under isolation and quarantine, Rt, daily-report
//! completeness, response times, the watch list abroad, detection alerts, the alert level and the
//! directives in force, the curve and the children (the map). Every number
//! is a [`Published`] figure; the public variant suppresses small counts of
//! people and carries no personal data (it is built from counts only).

use cordon_core::alert::AlertStatus;
use cordon_core::figure::{Counted, Figure, Language, Measure};
use cordon_core::publication::{Published, publish, publish_count};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::board::counted_as;
use super::{Scope, count, curve, response, rt};
use crate::error::ApiError;
use crate::state::AppState;

/// One section of the report.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Section {
    /// Stable name: `at_home`, `orders`, `rt`, `completeness`, `response_times`,
    /// `abroad`, `alerts`, `measures`, `curve`, `areas`.
    pub key: &'static str,
    /// Its rows: one for the node's own figures, or one per day or child.
    pub rows: Vec<Row>,
}

/// A row of a section: what it is about and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Row {
    /// A day, a child's name, or the node's name.
    pub about: String,
    /// The figures.
    pub figures: Vec<Published>,
    /// Words that go with them (an alert's syndrome and method, a directive's text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A situation report.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SituationReport {
    /// The node's code.
    pub code: String,
    /// The node's name.
    pub name: String,
    /// The day it holds on.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// When it was made.
    #[schema(value_type = String, format = DateTime)]
    pub generated_at: Timestamp,
    /// Whether this is the public variant (small counts suppressed).
    pub public: bool,
    /// The sections, in reading order.
    pub sections: Vec<Section>,
}

/// How a report is made: the language of its labels, and the threshold
/// below which counts of people are suppressed (`None`: the full report).
#[derive(Debug, Clone, Copy)]
pub struct Making {
    /// The labels' language.
    pub language: Language,
    /// Suppress counts below this (public variant).
    pub suppress_below: Option<i64>,
}

impl Making {
    fn count(self, f: Figure) -> Published {
        publish_count(f, self.suppress_below, self.language)
    }
    fn shown(self, f: Figure) -> Published {
        publish(f, f64::INFINITY, None, self.language)
    }
}

fn row(about: &str, figures: Vec<Published>) -> Row {
    Row { about: about.to_owned(), figures, notes: Vec::new() }
}

/// The figures of a count, new in the week and cumulative, and the week's
/// per 100,000 when the population is known.
fn week_and_total(scope: &Scope, m: Making, counted: Counted, (new, total): (i64, i64), began: Date) -> Vec<Published> {
    let week = (scope.days_back(6), scope.day);
    let mut figures = vec![
        m.count(scope.figure(count(new), Measure::Sum7d, counted, week)),
        m.count(scope.figure(count(total), Measure::Cumulative, counted, (began, scope.day))),
    ];
    if scope.node.population > 0 {
        let rate = count(new) * 100_000.0 / count(scope.node.population);
        figures.push(publish(scope.figure(rate, Measure::Per100k7d, counted, week), count(new), m.suppress_below, m.language));
    }
    figures
}

async fn at_home(state: &AppState, scope: &Scope, m: Making) -> Result<Vec<Section>, ApiError> {
    let bounds = cordon_store::response::day_bounds(&scope.settings, scope.days_back(6), scope.day);
    let home = state.store.home_counts(&scope.node.path, (scope.days_back(6), scope.day), bounds).await?;
    let began = home.counting_since.unwrap_or(scope.day);
    let mut figures = week_and_total(scope, m, Counted::SymptomReports, (home.reports.new, home.reports.total), began);
    for (status, n) in &home.cases {
        if let Some(counted) = counted_as(*status) {
            figures.extend(week_and_total(scope, m, counted, (n.new, n.total), began));
        }
    }
    figures.extend(week_and_total(scope, m, Counted::Deaths, (home.deaths.new, home.deaths.total), began));
    let today = (scope.day, scope.day);
    let orders = vec![
        m.count(scope.figure(count(home.isolated), Measure::Current, Counted::Isolated, today)),
        m.count(scope.figure(count(home.quarantined), Measure::Current, Counted::Quarantined, today)),
    ];
    Ok(vec![
        Section { key: "at_home", rows: vec![row(&scope.node.name, figures)] },
        Section { key: "orders", rows: vec![row(&scope.node.name, orders)] },
    ])
}

async fn rt_and_responses(state: &AppState, scope: &Scope, m: Making) -> Result<Vec<Section>, ApiError> {
    let rt = rt::figures(state, scope).await?;
    let latest: Vec<Published> = rt.into_iter().last().map(|f| m.shown(f)).into_iter().collect();
    let r = response::responses(state, scope).await?;
    let span_row = |span: response::Span| {
        row(&format!("{} – {}", span.period.from, span.period.to), span.figures.into_iter().map(|f| m.shown(f)).collect())
    };
    let mut times = vec![span_row(r.previous_7_days), span_row(r.last_7_days)];
    times.extend(r.children.into_iter().map(|c| row(&c.name, c.figures.into_iter().map(|f| m.shown(f)).collect())));
    Ok(vec![
        Section { key: "rt", rows: vec![row(&scope.node.name, latest)] },
        Section { key: "completeness", rows: r.filing.into_iter().map(span_row).collect() },
        Section { key: "response_times", rows: times },
    ])
}

async fn alerts_and_measures(state: &AppState, scope: &Scope, m: Making) -> Result<Vec<Section>, ApiError> {
    let path = &scope.node.path;
    let open = state.store.count_alerts_under(path, AlertStatus::New).await?
        + state.store.count_alerts_under(path, AlertStatus::UnderReview).await?;
    let today = (scope.day, scope.day);
    let filter = cordon_store::alerts::AlertFilter { since: Some(scope.days_back(13)), ..Default::default() };
    let recent = state.store.alerts_under(path, &filter, 20).await?;
    let names = state.store.node_names(&recent.iter().map(|a| a.node_id).collect::<Vec<_>>()).await?;
    let mut alerts = vec![row(&scope.node.name, vec![m.shown(scope.figure(count(open), Measure::Current, Counted::Alerts, today))])];
    alerts.extend(recent.iter().map(|a| Row {
        about: names.get(&a.node_id).cloned().unwrap_or_default(),
        figures: Vec::new(),
        notes: vec![format!(
            "{} · {} · {} – {} · {}",
            a.syndrome.as_str(),
            a.method.as_str(),
            a.period_start,
            a.period_end,
            a.status.as_str()
        )],
    }));
    let level = state.store.alert_level_history(path, 1).await?.first().map_or(0, |l| l.level);
    let directives = state.store.directives_over(path).await?;
    let in_force = cordon_core::directive::in_force(&directives, path, scope.day);
    let mut measures = row(
        &scope.node.name,
        vec![
            m.shown(scope.figure(f64::from(level), Measure::Current, Counted::AlertLevel, today)),
            m.shown(scope.figure(count(i64::try_from(in_force.len()).unwrap_or(0)), Measure::Current, Counted::Directives, today)),
        ],
    );
    measures.notes = in_force
        .iter()
        .map(|(_, v)| match m.language {
            Language::English => v.terms.text.en.clone(),
            Language::Korean => v.terms.text.ko.clone(),
        })
        .collect();
    Ok(vec![Section { key: "alerts", rows: alerts }, Section { key: "measures", rows: vec![measures] }])
}

/// The watch list abroad: each watched location's figures on the latest
/// day of its series up to the report's day, as its source counted them.
async fn abroad(state: &AppState, scope: &Scope, m: Making) -> Result<Section, ApiError> {
    let shown = [
        (Counted::Cases, Measure::New),
        (Counted::Cases, Measure::Sum7d),
        (Counted::Cases, Measure::Per100k7d),
        (Counted::Cases, Measure::GrowthWeekOnWeek),
        (Counted::Deaths, Measure::New),
        (Counted::Deaths, Measure::Sum7d),
    ];
    let mut rows = Vec::new();
    for watched in state.store.watched_series().await? {
        let upto: Vec<_> = watched.rows.iter().filter(|r| r.date <= scope.day).cloned().collect();
        let Some(standing) = cordon_core::watch_alert::standing(&upto, &watched.entry, &watched.source) else { continue };
        let figures = shown
            .iter()
            .filter_map(|(c, ms)| standing.figures.iter().find(|f| f.counted == *c && f.measure == *ms))
            .map(|f| m.shown(f.clone()))
            .collect();
        let notes = if standing.above.is_empty() {
            Vec::new()
        } else {
            vec![match m.language {
                Language::English => "above its watch threshold".to_owned(),
                Language::Korean => "감시 기준 초과".to_owned(),
            }]
        };
        rows.push(Row { about: watched.entry.location.clone(), figures, notes });
    }
    Ok(Section { key: "abroad", rows })
}

async fn curve_and_areas(state: &AppState, scope: &Scope, m: Making) -> Result<Vec<Section>, ApiError> {
    let days = curve::days(state, scope, scope.days_back(27)).await?;
    let curve_rows = days.into_iter().map(|d| row(&d.date.to_string(), d.figures.into_iter().map(|f| m.count(f)).collect())).collect();
    let (from, to) = (scope.days_back(6), scope.day);
    let children = state.store.child_reports(scope.node.id, from, to).await?;
    let areas = children
        .into_iter()
        .map(|c| {
            let mut figure = scope.figure(count(c.reports), Measure::Sum7d, Counted::SymptomReports, (from, to));
            figure.place.clone_from(&c.node.name);
            let mut figures = vec![m.count(figure.clone())];
            if c.node.population > 0 {
                let rate = Figure { value: count(c.reports) * 100_000.0 / count(c.node.population), measure: Measure::Per100k7d, ..figure };
                figures.push(publish(rate, count(c.reports), m.suppress_below, m.language));
            }
            row(&c.node.name, figures)
        })
        .collect();
    Ok(vec![Section { key: "curve", rows: curve_rows }, Section { key: "areas", rows: areas }])
}

/// The situation report of the scope's node.
///
/// # Errors
/// The store fails.
pub async fn report(state: &AppState, scope: &Scope, m: Making) -> Result<SituationReport, ApiError> {
    let mut sections = at_home(state, scope, m).await?;
    sections.extend(rt_and_responses(state, scope, m).await?);
    sections.push(abroad(state, scope, m).await?);
    sections.extend(alerts_and_measures(state, scope, m).await?);
    sections.extend(curve_and_areas(state, scope, m).await?);
    Ok(SituationReport {
        code: scope.node.code.clone(),
        name: scope.node.name.clone(),
        date: scope.day,
        generated_at: scope.now,
        public: m.suppress_below.is_some(),
        sections,
    })
}
