//! The figures of the areas of the jurisdiction tree below a node, as the
//! map, the map's GeoJSON export and the situation report show them: per
//! area the symptom reports of the last 7 days (and per 100,000 residents
//! when the population is known), the cases so far by classification, the
//! deaths, and the alert level in force. Every number is a [`Figure`] that
//! says what it counts, over which days, where and as of when.
//!
//! The store counts reports and cases per unit path with a few grouped
//! queries; [`roll_up`] adds each unit's counts to every area above it, and
//! [`figures`] turns an area's counts into its figures.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::case::CaseStatus;
use crate::figure::{Counted, Figure, Labelled, Measure, Period};
use crate::jurisdiction::{Node, NodePath};

/// Who counted the figures of the areas.
pub const SOURCE: &str = "cordon";

/// What was counted for one place (a unit, or an area once rolled up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AreaCounts {
    /// Symptom reports with a report day in the 7 days to the day asked.
    pub reports_7d: i64,
    /// Cases opened by the end of the day, by their classification.
    pub suspected: i64,
    /// Probable cases.
    pub probable: i64,
    /// Confirmed cases.
    pub confirmed: i64,
    /// Discarded (not cases; kept to say so).
    pub discarded: i64,
    /// Cases whose outcome is death.
    pub deaths: i64,
}

impl AreaCounts {
    /// Adds `count` cases of `status` (`died` of them died).
    pub fn add_cases(&mut self, status: CaseStatus, count: i64, died: i64) {
        match status {
            CaseStatus::Suspected => self.suspected += count,
            CaseStatus::Probable => self.probable += count,
            CaseStatus::Confirmed => self.confirmed += count,
            CaseStatus::Discarded => self.discarded += count,
        }
        self.deaths += died;
    }

    fn add(&mut self, other: &AreaCounts) {
        self.reports_7d += other.reports_7d;
        self.suspected += other.suspected;
        self.probable += other.probable;
        self.confirmed += other.confirmed;
        self.discarded += other.discarded;
        self.deaths += other.deaths;
    }
}

/// Adds the counts of each place (by path) to every area of `areas` that
/// holds it (itself included), and gives each area's total by path.
#[must_use]
pub fn roll_up<'a>(areas: &[Node], counted: impl IntoIterator<Item = (&'a NodePath, &'a AreaCounts)>) -> HashMap<NodePath, AreaCounts> {
    let mut totals: HashMap<NodePath, AreaCounts> = areas.iter().map(|a| (a.path.clone(), AreaCounts::default())).collect();
    for (path, counts) in counted {
        for above in path.self_and_ancestors() {
            if let Some(total) = totals.get_mut(&above) {
                total.add(counts);
            }
        }
    }
    totals
}

/// The figures of one area on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaFigures {
    /// The area.
    pub node: Node,
    /// Symptom reports in the 7 days to the day.
    pub reports_7d: Figure,
    /// The same per 100,000 residents, when the population is known.
    pub reports_per_100k_7d: Option<Figure>,
    /// Cases so far, of any classification but discarded.
    pub cases: Figure,
    /// Suspected cases so far (by their classification now).
    pub suspected: Figure,
    /// Probable cases so far.
    pub probable: Figure,
    /// Confirmed cases so far.
    pub confirmed: Figure,
    /// Deaths so far.
    pub deaths: Figure,
    /// The alert level in force at the end of the day (0 to 3; 0 when none
    /// was set), as a figure of the current kind since the day it was set.
    pub alert_level: Figure,
    /// When that level was set; `None` when none was set by then.
    pub alert_level_set_at: Option<Timestamp>,
}

/// The figures of `node` on `day` from its rolled-up `counts`; cumulative
/// figures count since `since` (the first day anything was reported).
#[must_use]
pub fn figures(node: Node, counts: &AreaCounts, level: Option<(u8, Timestamp)>, day: Date, since: Date) -> AreaFigures {
    let week = Period { from: day.saturating_sub(jiff::Span::new().days(6)), to: day };
    let so_far = Period { from: since.min(day), to: day };
    let figure = |value: i64, measure: Measure, counted: Counted, period: Period| Figure {
        value: value as f64,
        measure,
        counted,
        period,
        place: node.name.clone(),
        source: SOURCE.to_owned(),
        as_of: day,
        interval: None,
    };
    let level_since = level.map_or(day, |(_, at)| at.to_zoned(jiff::tz::TimeZone::UTC).date().min(day));
    let reports_per_100k_7d = (node.population > 0).then(|| Figure {
        value: counts.reports_7d as f64 * 100_000.0 / node.population as f64,
        ..figure(0, Measure::Per100k7d, Counted::SymptomReports, week)
    });
    AreaFigures {
        reports_7d: figure(counts.reports_7d, Measure::Sum7d, Counted::SymptomReports, week),
        reports_per_100k_7d,
        cases: figure(counts.suspected + counts.probable + counts.confirmed, Measure::Cumulative, Counted::Cases, so_far),
        suspected: figure(counts.suspected, Measure::Cumulative, Counted::SuspectedCases, so_far),
        probable: figure(counts.probable, Measure::Cumulative, Counted::ProbableCases, so_far),
        confirmed: figure(counts.confirmed, Measure::Cumulative, Counted::ConfirmedCases, so_far),
        deaths: figure(counts.deaths, Measure::Cumulative, Counted::Deaths, so_far),
        alert_level: figure(
            level.map_or(0, |(l, _)| i64::from(l)),
            Measure::Current,
            Counted::AlertLevel,
            Period { from: level_since, to: day },
        ),
        alert_level_set_at: level.map(|(_, at)| at),
        node,
    }
}

impl AreaFigures {
    /// Every figure, in the order the map lists them.
    #[must_use]
    pub fn all(&self) -> Vec<Figure> {
        let mut all = vec![self.reports_7d.clone()];
        all.extend(self.reports_per_100k_7d.clone());
        all.extend([&self.cases, &self.suspected, &self.probable, &self.confirmed, &self.deaths, &self.alert_level].into_iter().cloned());
        all
    }

    /// The figures as JSON: each a labelled [`Figure`] object under its name.
    #[must_use]
    pub fn labelled(&self) -> Value {
        let l = |f: &Figure| serde_json::to_value(Labelled::from(f.clone())).unwrap_or(Value::Null);
        let mut figures = json!({
            "symptom_reports_7d": l(&self.reports_7d),
            "cases": l(&self.cases),
            "suspected_cases": l(&self.suspected),
            "probable_cases": l(&self.probable),
            "confirmed_cases": l(&self.confirmed),
            "deaths": l(&self.deaths),
            "alert_level": l(&self.alert_level),
        });
        if let Some(rate) = &self.reports_per_100k_7d {
            figures["symptom_reports_per_100k_7d"] = l(rate);
        }
        figures
    }

    /// The area as a GeoJSON feature: its boundary (`null` when none is
    /// stored) and its properties: code, name, level, path, population, the
    /// figures and the alert level.
    #[must_use]
    pub fn feature(&self, boundary: Option<&Value>) -> Value {
        json!({
            "type": "Feature",
            "id": self.node.code,
            "geometry": boundary,
            "properties": {
                "code": self.node.code,
                "name": self.node.name,
                "level": self.node.level,
                "path": self.node.path.as_str(),
                "parent_path": self.node.path.parent().map(|p| p.as_str().to_owned()),
                "population": self.node.population,
                "figures": self.labelled(),
                "alert_level_set_at": self.alert_level_set_at.map(|at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            }
        })
    }
}

/// The areas as a GeoJSON `FeatureCollection`, each with its boundary
/// (`boundaries` by node code).
#[must_use]
pub fn feature_collection<S: std::hash::BuildHasher>(areas: &[AreaFigures], boundaries: &HashMap<String, Value, S>) -> Value {
    let features: Vec<Value> = areas.iter().map(|a| a.feature(boundaries.get(&a.node.code))).collect();
    json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use uuid::Uuid;

    fn node(path: NodePath, population: i64) -> Node {
        let code = path.code().to_owned();
        Node {
            id: Uuid::now_v7(),
            name: format!("{code} name"),
            code,
            level: i64::try_from(path.depth()).unwrap() - 1,
            parent_id: None,
            population,
            path,
        }
    }

    #[test]
    fn unit_counts_roll_up_to_every_area_above_them() {
        let kr = NodePath::root("KR");
        let (p1, p2) = (kr.child("P1"), kr.child("P2"));
        let (c1, c2) = (p1.child("C1"), p1.child("C2"));
        let areas = [node(p1.clone(), 0), node(p2.clone(), 0), node(c1.clone(), 0), node(c2.clone(), 0)];
        let mut u1 = AreaCounts { reports_7d: 3, ..AreaCounts::default() };
        u1.add_cases(CaseStatus::Confirmed, 2, 1);
        let u2 = AreaCounts { reports_7d: 4, ..AreaCounts::default() };
        let u3 = AreaCounts { reports_7d: 10, ..AreaCounts::default() };
        let counted = [(c1.child("U1"), u1), (c2.child("U2"), u2), (kr.child("P3").child("U3"), u3)];
        let totals = roll_up(&areas, counted.iter().map(|(p, c)| (p, c)));
        assert_eq!(totals[&p1].reports_7d, 7);
        assert_eq!((totals[&p1].confirmed, totals[&p1].deaths), (2, 1));
        assert_eq!(totals[&c1].reports_7d, 3);
        assert_eq!(totals[&p2], AreaCounts::default(), "an area with nothing counted has zeros");
        assert_eq!(totals.len(), 4, "places outside the areas are not counted anywhere");
    }

    #[test]
    fn every_figure_says_what_it_is_and_the_rate_needs_a_population() {
        let counts = AreaCounts { reports_7d: 5, suspected: 2, probable: 1, confirmed: 4, discarded: 9, deaths: 1 };
        let day = date(2026, 11, 23);
        let area = figures(node(NodePath::root("KR").child("P1"), 20_000), &counts, None, day, date(2026, 9, 1));
        assert_eq!(area.reports_7d.period, Period { from: date(2026, 11, 17), to: day });
        assert_eq!(area.reports_per_100k_7d.as_ref().unwrap().value, 25.0);
        assert_eq!(area.cases.value, 7.0, "discarded cases are not cases");
        let json = area.feature(None);
        let figures = json["properties"]["figures"].as_object().unwrap();
        for (name, figure) in figures {
            assert!(figure["measure"].is_string() && figure["label"].is_string(), "{name}: {figure}");
        }
        assert!(
            figures["confirmed_cases"]["label"].as_str().unwrap().starts_with("4 confirmed cases in total since 2026-09-01 (cumulative)")
        );
        assert_eq!(json["geometry"], Value::Null);
        assert_eq!((&figures["alert_level"]["value"], &figures["alert_level"]["counted"]), (&json!(0.0), &json!("alert_level")));
        assert_eq!(json["properties"]["alert_level_set_at"], Value::Null);
        let unknown = figures_without_population();
        assert!(unknown.reports_per_100k_7d.is_none());
        assert!(unknown.labelled().get("symptom_reports_per_100k_7d").is_none());
    }

    fn figures_without_population() -> AreaFigures {
        figures(node(NodePath::root("KR"), 0), &AreaCounts::default(), None, date(2026, 11, 23), date(2026, 11, 23))
    }

    #[test]
    fn the_alert_level_is_a_current_figure_since_it_was_set() {
        let at: Timestamp = "2026-11-20T08:00:00Z".parse().unwrap();
        let area = figures(node(NodePath::root("KR"), 0), &AreaCounts::default(), Some((2, at)), date(2026, 11, 23), date(2026, 9, 1));
        assert_eq!((area.alert_level.value, area.alert_level.measure), (2.0, Measure::Current));
        assert_eq!(area.alert_level.period, Period { from: date(2026, 11, 20), to: date(2026, 11, 23) });
        assert_eq!(area.feature(None)["properties"]["alert_level_set_at"], "2026-11-20T08:00:00Z");
    }
}
