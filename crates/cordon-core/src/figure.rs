//! A published number that says what it is: what is counted, which measure
//! (new in the period, cumulative, a 7-day sum, ...), the period, the place,
//! the source and when it was true. cordon never publishes a bare number:
//! every summary is made of [`Figure`]s, and each renders its own label
//! ("22,033 deaths in total since 2020-01-22 (cumulative), Japan, as of
//! 2022-02-21 — source: JHU CSSE via Our World in Data").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    /// A model's estimate (with its interval in the label's source).
    Estimate,
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
}

impl Counted {
    /// The English noun, singular or plural.
    #[must_use]
    pub fn noun(self, one: bool) -> &'static str {
        match (self, one) {
            (Counted::SymptomReports, true) => "symptom report",
            (Counted::SymptomReports, false) => "symptom reports",
            (Counted::Cases, true) => "case",
            (Counted::Cases, false) => "cases",
            (Counted::SuspectedCases, true) => "suspected case",
            (Counted::SuspectedCases, false) => "suspected cases",
            (Counted::ProbableCases, true) => "probable case",
            (Counted::ProbableCases, false) => "probable cases",
            (Counted::ConfirmedCases, true) => "confirmed case",
            (Counted::ConfirmedCases, false) => "confirmed cases",
            (Counted::Deaths, true) => "death",
            (Counted::Deaths, false) => "deaths",
            (Counted::Isolated, true) => "person in isolation",
            (Counted::Isolated, false) => "people in isolation",
            (Counted::Quarantined, true) => "person in quarantine",
            (Counted::Quarantined, false) => "people in quarantine",
            (Counted::UnitsReporting, true) => "unit reporting",
            (Counted::UnitsReporting, false) => "units reporting",
        }
    }
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
}

/// Writes `value` with thousands separators and at most `decimals` decimals
/// (trailing zeros dropped): 22033 → "22,033", 12.5 → "12.5".
#[must_use]
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

impl Figure {
    /// The label in English: the number, what it counts and which measure,
    /// the period, the place, the day it held on and the source.
    #[must_use]
    pub fn label(&self) -> String {
        let one = (self.value - 1.0).abs() < f64::EPSILON;
        let noun = self.counted.noun(one);
        let (from, to) = (self.period.from, self.period.to);
        let what = match self.measure {
            Measure::New if self.value < 0.0 => {
                format!("{} {} on {to} (new: a correction, the total was revised down)", grouped(self.value, 0), self.counted.noun(false))
            }
            Measure::New if from == to => format!("{} new {noun} on {to} (new)", grouped(self.value, 0)),
            Measure::New => format!("{} new {noun} from {from} to {to} (new)", grouped(self.value, 0)),
            Measure::Cumulative => format!("{} {noun} in total since {from} (cumulative)", grouped(self.value, 0)),
            Measure::Sum7d => format!("{} {noun} in the 7 days {from} to {to} (7-day sum)", grouped(self.value, 0)),
            Measure::Average7d => {
                format!("{} {} a day over the 7 days {from} to {to} (7-day average)", grouped(self.value, 1), self.counted.noun(false))
            }
            Measure::Per100k7d => {
                format!(
                    "{} {} per 100,000 residents in the 7 days {from} to {to} (7-day incidence)",
                    grouped(self.value, 1),
                    self.counted.noun(false)
                )
            }
            Measure::GrowthWeekOnWeek => {
                format!(
                    "{:+.0}% {} in the 7 days to {to} against the 7 days before (week on week)",
                    (self.value - 1.0) * 100.0,
                    self.counted.noun(false)
                )
            }
            Measure::DoublingDays => {
                format!("{} doubling in {} days at the growth to {to} (doubling time)", self.counted.noun(false), grouped(self.value, 1))
            }
            Measure::Share => format!("{}% of {} from {from} to {to} (share)", grouped(self.value * 100.0, 1), self.counted.noun(false)),
            Measure::Median => {
                format!("{} hours, the median for {} from {from} to {to} (median)", grouped(self.value, 1), self.counted.noun(false))
            }
            Measure::P90 => format!(
                "{} hours, the 90th percentile for {} from {from} to {to} (90th percentile)",
                grouped(self.value, 1),
                self.counted.noun(false)
            ),
            Measure::Estimate => {
                format!("{} {} estimated from {from} to {to} (estimate)", grouped(self.value, 2), self.counted.noun(false))
            }
        };
        format!("{what}, {}, as of {} — source: {}", self.place, self.as_of, self.source)
    }
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

impl From<Figure> for Labelled {
    fn from(figure: Figure) -> Self {
        let label = figure.label();
        Labelled { figure, label }
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
