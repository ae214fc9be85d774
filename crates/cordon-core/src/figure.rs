//! A published number that says what it is: what is counted, which measure
//! (new in the period, cumulative, a 7-day sum, ...), the period, the place,
//! the source and when it was true. cordon never publishes a bare number:
//! every summary is made of [`Figure`]s, and each renders its own label
//! ("22,033 deaths in total since 2020-01-22 (cumulative), Japan, as of
//! 2022-02-21 — source: JHU CSSE via Our World in Data").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::figure_label::{Language, grouped};

/// Which measure a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Measure {
    /// New in the period (a day, a week).
    New,
    /// Everything counted since the start of the period.
    Cumulative,
    /// The sum of the last 7 days.
    #[serde(rename = "sum_7d")]
    #[strum(serialize = "sum_7d")]
    Sum7d,
    /// The mean of the last 7 days.
    #[serde(rename = "average_7d")]
    #[strum(serialize = "average_7d")]
    Average7d,
    /// The last 7 days' sum per 100,000 residents.
    #[serde(rename = "per_100k_7d")]
    #[strum(serialize = "per_100k_7d")]
    Per100k7d,
    /// This week's sum over the previous week's, as a ratio (1.25 = +25%).
    GrowthWeekOnWeek,
    /// Days for the 7-day sum to double at the current growth.
    DoublingDays,
    /// A part of a whole, from 0 to 1.
    Share,
    /// The median of durations, in hours.
    Median,
    /// The 90th percentile of durations, in hours.
    #[serde(rename = "p90")]
    #[strum(serialize = "p90")]
    P90,
    /// A model's estimate, with its interval.
    Estimate,
    /// How many stand at the as-of day (open tasks, people in isolation).
    Current,
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Counted {
    /// Symptom reports filed.
    SymptomReports,
    /// Cases of any classification (as a country reports them).
    Cases,
    /// Suspected cases.
    SuspectedCases,
    /// Probable cases.
    ProbableCases,
    /// Confirmed cases.
    ConfirmedCases,
    /// Deaths.
    Deaths,
    /// People under isolation.
    Isolated,
    /// People under quarantine.
    Quarantined,
    /// Units that filed their daily report.
    UnitsReporting,
    /// The time-varying reproduction number Rt.
    ReproductionNumber,
    /// Investigation and follow-up tasks not yet done.
    OpenTasks,
    /// Open tasks past their acknowledgement deadline.
    OverdueTasks,
    /// Tasks and silences passed up the tree.
    Escalations,
    /// Hours from a symptom report to the acknowledgement of its investigation.
    HoursToAcknowledge,
    /// Hours from a symptom report to the first visit of its investigation.
    HoursToFirstVisit,
    /// Investigation tasks acknowledged before their first deadline.
    TasksAcknowledgedInTime,
    /// Daily unit reports filed, of those expected.
    DailyReportsFiled,
    /// Daily unit reports filed on their day, of those expected.
    DailyReportsOnTime,
    /// Detection alerts raised.
    Alerts,
    /// The alert level in force (0 to 4).
    AlertLevel,
    /// Directives in force.
    Directives,
}

/// The days a figure covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// A number with what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    /// The number.
    pub value: f64,
    /// Which measure.
    pub measure: Measure,
    /// What is counted.
    pub counted: Counted,
    /// The days it covers.
    pub period: Period,
    /// Where ("Japan", or a node's name).
    pub place: String,
    /// Who counted it ("cordon", "JHU CSSE via Our World in Data").
    pub source: String,
    /// The day it was true on.
    pub as_of: Date,
    /// For an estimate, its interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
}

/// The interval around an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// The probability it holds the true value (0.95).
    pub level: f64,
}

/// A figure as the API publishes it: its fields and its rendered label.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Labelled {
    /// The figure.
    #[serde(flatten)]
    pub figure: Figure,
    /// What it is, in words.
    pub label: String,
}

impl Labelled {
    /// The figure with its label in `language`.
    #[must_use]
    pub fn new(figure: Figure, language: Language) -> Self {
        let label = figure.label_in(language);
        Labelled { figure, label }
    }
}

impl From<Figure> for Labelled {
    fn from(figure: Figure) -> Self {
        Labelled::new(figure, Language::English)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn japan(value: f64, measure: Measure, counted: Counted, from: Date) -> Figure {
        Figure {
            value,
            measure,
            counted,
            period: Period { from, to: date(2022, 2, 21) },
            place: "Japan".into(),
            source: "JHU CSSE via Our World in Data".into(),
            as_of: date(2022, 2, 21),
            interval: None,
        }
    }

    #[test]
    fn a_cumulative_total_says_it_is_one() {
        let deaths = japan(22_033.0, Measure::Cumulative, Counted::Deaths, date(2020, 1, 22));
        assert_eq!(
            deaths.label(),
            "22,033 deaths in total since 2020-01-22 (cumulative), Japan, as of 2022-02-21 — source: JHU CSSE via Our World in Data"
        );
        let cases = japan(4_552_142.0, Measure::Cumulative, Counted::Cases, date(2020, 1, 22));
        assert!(cases.label().starts_with("4,552,142 cases in total since 2020-01-22 (cumulative)"));
    }

    #[test]
    fn every_measure_names_itself_in_its_label() {
        let day = date(2022, 2, 21);
        for (measure, says) in [
            (Measure::New, "(new)"),
            (Measure::Sum7d, "(7-day sum)"),
            (Measure::Average7d, "(7-day average)"),
            (Measure::Per100k7d, "(7-day incidence)"),
            (Measure::GrowthWeekOnWeek, "(week on week)"),
            (Measure::DoublingDays, "(doubling time)"),
            (Measure::Share, "(share)"),
            (Measure::Median, "(median)"),
            (Measure::P90, "(90th percentile)"),
            (Measure::Estimate, "(estimate)"),
        ] {
            let label = japan(12.0, measure, Counted::Cases, day).label();
            assert!(label.contains(says) && label.contains("Japan") && label.contains("as of 2022-02-21"), "{label}");
        }
        assert!(japan(1.0, Measure::New, Counted::Deaths, day).label().starts_with("1 new death on 2022-02-21"));
        assert!(japan(1.25, Measure::GrowthWeekOnWeek, Counted::Cases, day).label().starts_with("+25% cases"));
        let revised = japan(-3.0, Measure::New, Counted::Cases, day).label();
        assert!(revised.starts_with("-3 cases on 2022-02-21 (new: a correction, the total was revised down)"), "{revised}");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(22_033.0, 0), "22,033");
        assert_eq!(grouped(4_552_142.0, 0), "4,552,142");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(12.50, 2), "12.5");
        assert_eq!(grouped(-1_234.0, 0), "-1,234");
        assert_eq!(grouped(-0.0, 0), "0");
    }

    #[test]
    fn a_figure_in_json_says_what_it_is() {
        let deaths = japan(22_033.0, Measure::Sum7d, Counted::Deaths, date(2022, 2, 15));
        let json = serde_json::to_value(Labelled::from(deaths)).unwrap();
        assert_eq!(json["measure"], "sum_7d");
        assert_eq!(json["counted"], "deaths");
        assert_eq!(json["period"]["from"], "2022-02-15");
        assert_eq!(json["as_of"], "2022-02-21");
        assert_eq!(json["value"], 22_033.0);
        assert!(json["label"].as_str().unwrap().starts_with("22,033 deaths in the 7 days 2022-02-15 to 2022-02-21 (7-day sum)"));
        for measure in [Measure::Per100k7d, Measure::Average7d, Measure::P90, Measure::GrowthWeekOnWeek] {
            assert_eq!(serde_json::to_value(measure).unwrap(), <&str>::from(measure), "serde and strum agree");
        }
        assert_eq!(serde_json::to_value(Measure::Per100k7d).unwrap(), "per_100k_7d");
    }
}
