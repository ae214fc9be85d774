//! The watch on neighbouring countries as the pages show it: each watched
//! location's labelled figures on its own latest day (in the page's
//! language), the thresholds it is above, and a small line of its 7-day
//! incidence per 100,000 over the last eight weeks (SVG drawn on the
//! server); and the board's panel listing the locations above a threshold.
//!
//! The figures are as of each location's latest day of data, never
//! today's: a series that ended long ago says so.

use std::fmt::Write as _;

use askama::Template;
use cordon_core::figure::{Counted, Figure, Measure, grouped};
use cordon_core::watch::Watched;
use cordon_core::watch_alert::{daily, standing};
use cordon_store::watch::WatchedSeries;

use crate::state::AppState;
use crate::web::{Lang, WebResult};

/// The days the line covers.
const LINE_DAYS: usize = 56;
/// The line's drawing area, in SVG units: the scale's labels left of `LEFT`.
const WIDTH: f64 = 280.0;
const HEIGHT: f64 = 64.0;
const LEFT: f64 = 32.0;

/// The measures the pages list, in order.
const SHOWN: [Measure; 5] = [Measure::New, Measure::Sum7d, Measure::Per100k7d, Measure::GrowthWeekOnWeek, Measure::DoublingDays];

/// The 7-day incidence over the last weeks, drawn as a line.
#[derive(Debug, Clone)]
pub struct Line {
    /// The SVG path of the incidence (`M`/`L` commands; a gap where a day has no figure).
    pub path: String,
    /// The height of the threshold's dashed line.
    pub threshold_y: String,
    /// The largest value on the scale, as shown.
    pub top: String,
    /// What the line shows, in words.
    pub caption: String,
    /// Its first day.
    pub first: String,
    /// Its last day.
    pub last: String,
    /// The drawing's width.
    pub width: f64,
    /// Where the days begin (the scale's labels are left of it).
    pub left: f64,
    /// The drawing's height.
    pub height: f64,
}

/// A watched location as the pages show it.
#[derive(Debug, Clone)]
pub struct WatchedView {
    /// The location.
    pub location: String,
    /// The id of its section on `/abroad`.
    pub anchor: String,
    /// Its latest day of data, if any.
    pub latest_day: Option<String>,
    /// The thresholds it is above that day, in words.
    pub above: Vec<String>,
    /// Its thresholds, in words.
    pub thresholds: Vec<String>,
    /// The population the entry gives, grouped, if any.
    pub population: Option<String>,
    /// Labels of its figures of cases that day.
    pub cases: Vec<String>,
    /// Labels of its figures of deaths that day.
    pub deaths: Vec<String>,
    /// The label of its 7-day incidence that day, if known.
    pub incidence: Option<String>,
    /// The line of its incidence, if there is anything to draw.
    pub line: Option<Line>,
}

/// The id of a location's section: letters and digits, `-` for the rest.
#[must_use]
pub fn anchor(location: &str) -> String {
    let slug: String = location.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("loc-{slug}")
}

/// A location's thresholds, in words.
#[must_use]
pub fn threshold_words(t: Lang, entry: &Watched) -> Vec<String> {
    let mut words = vec![t.fill("abroad_threshold_incidence", grouped(entry.thresholds.per_100k_7d, 1))];
    if let Some(growth) = entry.thresholds.growth_week_on_week {
        words.push(t.fill("abroad_threshold_growth", format!("{:+.0}%", (growth - 1.0) * 100.0)));
    }
    words
}

/// A crossed threshold's measure, in words.
#[must_use]
pub fn crossed_words(t: Lang, measure: Measure) -> String {
    t.get(if measure == Measure::GrowthWeekOnWeek { "abroad_above_growth" } else { "abroad_above_incidence" }).to_owned()
}

fn labels(t: Lang, figures: &[Figure], counted: Counted) -> Vec<String> {
    SHOWN
        .iter()
        .filter_map(|m| figures.iter().find(|f| f.counted == counted && f.measure == *m))
        .map(|f| f.label_in(t.language()))
        .collect()
}

/// The line of `w`'s 7-day incidence over its last [`LINE_DAYS`] days.
fn line(t: Lang, w: &WatchedSeries) -> Option<Line> {
    let days = daily(&w.rows, w.entry.population);
    let shown = &days[days.len().saturating_sub(LINE_DAYS)..];
    let (first, last) = (shown.first()?, shown.last()?);
    let highest = shown.iter().filter_map(|d| d.per_100k_7d).fold(w.entry.thresholds.per_100k_7d, f64::max);
    let top = if highest > 0.0 { highest * 1.1 } else { 1.0 };
    let step = (WIDTH - LEFT) / (LINE_DAYS.saturating_sub(1)) as f64;
    let y = |v: f64| HEIGHT - v / top * HEIGHT;
    let mut path = String::new();
    let mut pen_down = false;
    for (i, day) in shown.iter().enumerate() {
        match day.per_100k_7d {
            Some(v) => {
                let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, LEFT + i as f64 * step, y(v));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if path.is_empty() {
        return None;
    }
    let caption = t.fill("abroad_line_caption", format!("{} – {}", first.date, last.date));
    Some(Line {
        path: path.trim_end().to_owned(),
        threshold_y: format!("{:.1}", y(w.entry.thresholds.per_100k_7d)),
        top: grouped(top, 1),
        caption,
        first: first.date.to_string(),
        last: last.date.to_string(),
        width: WIDTH,
        left: LEFT,
        height: HEIGHT,
    })
}

/// A watched location as the pages show it, in `t`'s language.
#[must_use]
pub fn view(t: Lang, w: &WatchedSeries) -> WatchedView {
    let now = standing(&w.rows, &w.entry, &w.source);
    let figures = now.as_ref().map(|s| s.figures.clone()).unwrap_or_default();
    WatchedView {
        location: w.entry.location.clone(),
        anchor: anchor(&w.entry.location),
        latest_day: now.as_ref().map(|s| s.day.to_string()),
        above: now.as_ref().map(|s| s.above.iter().map(|m| crossed_words(t, *m)).collect()).unwrap_or_default(),
        thresholds: threshold_words(t, &w.entry),
        population: w.entry.population.map(|p| grouped(p as f64, 0)),
        cases: labels(t, &figures, Counted::Cases),
        deaths: labels(t, &figures, Counted::Deaths),
        incidence: figures
            .iter()
            .find(|f| f.counted == Counted::Cases && f.measure == Measure::Per100k7d)
            .map(|f| f.label_in(t.language())),
        line: line(t, w),
    }
}

/// The board's panel on the watch abroad.
#[derive(Template)]
#[template(path = "board_abroad.html")]
pub struct AbroadPanel {
    t: Lang,
    watched: usize,
    above: Vec<WatchedView>,
}

/// Reads and renders the board's panel: the watched locations above a
/// threshold on their latest day, each linking to its section of `/abroad`.
pub async fn board_panel(state: &AppState, t: Lang) -> WebResult<String> {
    let watched = state.store.watched_series().await?;
    let above = watched.iter().map(|w| view(t, w)).filter(|v| !v.above.is_empty()).collect();
    Ok(AbroadPanel { t, watched: watched.len(), above }.render()?)
}
