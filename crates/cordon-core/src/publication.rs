//! What a public situation report may show: aggregates only, and no count
//! small enough to point at a person. A count of people or reports from 1
//! to below the threshold (a setting, 5 by default) is replaced by "fewer
//! than N", and so is a rate or average computed from such a count; zero,
//! larger counts and the figures that count no one (Rt, response times,
//! shares of units, alert levels) are shown as they are.

use serde::Serialize;
use utoipa::ToSchema;

use crate::figure::{Counted, Figure, Labelled, Language, Measure, Period};

/// A figure in a published report: shown, or suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Published {
    /// Shown with its label.
    Shown(Labelled),
    /// Held back: it says what it is, but not its value.
    Suppressed(Suppressed),
}

/// A figure held back because it counts fewer than the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppressed {
    /// Which measure.
    pub measure: Measure,
    /// What is counted.
    pub counted: Counted,
    /// The days it covers.
    pub period: Period,
    /// Where.
    pub place: String,
    /// Who counted it.
    pub source: String,
    /// The day it was true on.
    #[schema(value_type = String, format = Date)]
    pub as_of: jiff::civil::Date,
    /// The threshold: the count is at least 1 and below this.
    pub suppressed_below: i64,
    /// What it is, in words.
    pub label: String,
}

/// Whether `counted` counts people or their reports (and so may point at one).
#[must_use]
pub fn counts_people(counted: Counted) -> bool {
    matches!(
        counted,
        Counted::SymptomReports
            | Counted::Cases
            | Counted::SuspectedCases
            | Counted::ProbableCases
            | Counted::ConfirmedCases
            | Counted::Deaths
            | Counted::Isolated
            | Counted::Quarantined
    )
}

/// Publishes `figure`, counted from `underlying` people or reports (its own
/// value for a count; the count a rate was computed from), suppressing it
/// when `below` says so. `below = None` publishes everything (the report
/// for signed-in officers).
#[must_use]
pub fn publish(figure: Figure, underlying: f64, below: Option<i64>, language: Language) -> Published {
    let small = |n: i64| counts_people(figure.counted) && underlying >= 1.0 && underlying < n as f64;
    match below {
        Some(n) if small(n) && !matches!(figure.measure, Measure::GrowthWeekOnWeek | Measure::DoublingDays) => {
            let label = suppressed_label(&figure, n, language);
            Published::Suppressed(Suppressed {
                measure: figure.measure,
                counted: figure.counted,
                period: figure.period,
                place: figure.place,
                source: figure.source,
                as_of: figure.as_of,
                suppressed_below: n,
                label,
            })
        }
        _ => Published::Shown(Labelled::new(figure, language)),
    }
}

/// Publishes a count (its value is the count).
#[must_use]
pub fn publish_count(figure: Figure, below: Option<i64>, language: Language) -> Published {
    let n = figure.value;
    publish(figure, n, below, language)
}

fn suppressed_label(f: &Figure, below: i64, language: Language) -> String {
    let (from, to) = (f.period.from, f.period.to);
    match language {
        Language::English => format!(
            "fewer than {below} {} from {from} to {to} ({}; suppressed to protect privacy), {}, as of {} — source: {}",
            f.counted.noun(false),
            <&str>::from(f.measure).replace('_', " "),
            f.place,
            f.as_of,
            f.source
        ),
        Language::Korean => {
            let (noun, counter) = f.counted.korean();
            format!(
                "{from}~{to} {noun} {below}{counter} 미만 (개인정보 보호를 위해 비공개), {}, {} 기준 — 출처: {}",
                f.place, f.as_of, f.source
            )
        }
    }
}

impl Published {
    /// The label.
    #[must_use]
    pub fn label(&self) -> &str {
        match self {
            Published::Shown(l) => &l.label,
            Published::Suppressed(s) => &s.label,
        }
    }

    /// The value, unless suppressed.
    #[must_use]
    pub fn value(&self) -> Option<f64> {
        match self {
            Published::Shown(l) => Some(l.figure.value),
            Published::Suppressed(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn figure(value: f64, measure: Measure, counted: Counted) -> Figure {
        let day = date(2026, 12, 7);
        Figure {
            value,
            measure,
            counted,
            period: Period { from: day, to: day },
            place: "P1".into(),
            source: "cordon".into(),
            as_of: day,
            interval: None,
        }
    }

    #[test]
    fn small_counts_of_people_are_suppressed_and_nothing_else() {
        let three = publish_count(figure(3.0, Measure::New, Counted::ConfirmedCases), Some(5), Language::English);
        let Published::Suppressed(s) = &three else { panic!("{three:?}") };
        assert!(s.label.starts_with("fewer than 5 confirmed cases from 2026-12-07 to 2026-12-07 (new; suppressed"), "{}", s.label);
        assert_eq!(three.value(), None);
        for shown in [
            publish_count(figure(0.0, Measure::New, Counted::ConfirmedCases), Some(5), Language::English),
            publish_count(figure(5.0, Measure::New, Counted::ConfirmedCases), Some(5), Language::English),
            publish_count(figure(3.0, Measure::Current, Counted::OpenTasks), Some(5), Language::English),
            publish_count(figure(3.0, Measure::New, Counted::ConfirmedCases), None, Language::English),
        ] {
            assert!(matches!(shown, Published::Shown(_)), "{shown:?}");
        }
        let rate = publish(figure(0.4, Measure::Per100k7d, Counted::Cases), 2.0, Some(5), Language::Korean);
        assert!(rate.label().contains("5명 미만"), "{}", rate.label());
        let json = serde_json::to_value(&three).unwrap();
        assert_eq!((json.get("value"), &json["suppressed_below"]), (None, &serde_json::json!(5)));
    }
}
