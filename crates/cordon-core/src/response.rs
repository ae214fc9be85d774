//! How fast the system answers: from a symptom report to the acknowledgement
//! of its investigation and to the worker's first visit (median and 90th
//! percentile), the share of investigations acknowledged before their first
//! deadline, and the completeness and timeliness of the units' daily reports.
//! Pure summaries of timings the store loads, as [`Figure`]s.

use jiff::Timestamp;

use crate::figure::{Counted, Figure, Measure, Period};

/// The times of one investigation task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// When the task was created (the report that opened the case arrived).
    pub created_at: Timestamp,
    /// When it was first acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// Whether that was before the first deadline.
    pub acknowledged_in_time: Option<bool>,
    /// When the worker was first there.
    pub visited_at: Option<Timestamp>,
}

/// The `p` quantile (0 to 1) of `values`, interpolated linearly between
/// order statistics (R's default, type 7); `None` when there are none.
#[must_use]
pub fn quantile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "h lies in 0..=last")]
    let (below, above) = (h.floor() as usize, h.ceil() as usize);
    Some(sorted[below] + (h - h.floor()) * (sorted[above] - sorted[below]))
}

/// The hours from `from` to `to`.
fn hours(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() / 3600.0
}

/// What the figures of a group of timings are about.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    /// The days the investigations were opened on.
    pub period: Period,
    /// The node's name.
    pub place: String,
    /// The source ("cordon").
    pub source: String,
}

impl About {
    fn figure(&self, value: f64, measure: Measure, counted: Counted) -> Figure {
        Figure {
            value,
            measure,
            counted,
            period: self.period,
            place: self.place.clone(),
            source: self.source.clone(),
            as_of: self.period.to,
            interval: None,
        }
    }
}

/// The response-time figures of `timings`: the median and 90th percentile
/// of the hours to acknowledgement and to the first visit, and the share
/// acknowledged in time. A figure is left out when nothing was measured.
#[must_use]
pub fn response_figures(timings: &[Timing], about: &About) -> Vec<Figure> {
    let to_ack: Vec<f64> = timings.iter().filter_map(|t| t.acknowledged_at.map(|a| hours(t.created_at, a))).collect();
    let to_visit: Vec<f64> = timings.iter().filter_map(|t| t.visited_at.map(|v| hours(t.created_at, v))).collect();
    let mut figures = Vec::new();
    for (values, counted) in [(&to_ack, Counted::HoursToAcknowledge), (&to_visit, Counted::HoursToFirstVisit)] {
        if let (Some(median), Some(p90)) = (quantile(values, 0.5), quantile(values, 0.9)) {
            figures.push(about.figure(median, Measure::Median, counted));
            figures.push(about.figure(p90, Measure::P90, counted));
        }
    }
    if !timings.is_empty() {
        let in_time = timings.iter().filter(|t| t.acknowledged_in_time == Some(true)).count();
        figures.push(about.figure(in_time as f64 / timings.len() as f64, Measure::Share, Counted::TasksAcknowledgedInTime));
    }
    figures
}

/// Daily reports over a period: expected (units × days), filed, and filed
/// by the due hour of their day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyTally {
    /// Reports expected.
    pub expected: i64,
    /// Reports filed.
    pub filed: i64,
    /// Reports filed by the due hour.
    pub on_time: i64,
}

/// Completeness (share of expected daily reports filed) and timeliness
/// (share filed on their day by the due hour), when any were expected.
#[must_use]
pub fn filing_figures(filing: DailyTally, about: &About) -> Vec<Figure> {
    if filing.expected <= 0 {
        return Vec::new();
    }
    let expected = filing.expected as f64;
    vec![
        about.figure(filing.filed as f64 / expected, Measure::Share, Counted::DailyReportsFiled),
        about.figure(filing.on_time as f64 / expected, Measure::Share, Counted::DailyReportsOnTime),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn quantiles_interpolate_as_r_does() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        // R: quantile(c(1,2,3,4,10), 0.9) = 7.6
        assert!((quantile(&v, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[5.0], 0.9), Some(5.0));
    }

    #[test]
    fn response_figures_say_what_they_measure() {
        let t0 = Timestamp::UNIX_EPOCH;
        let at = |h: i64| t0.saturating_add(jiff::SignedDuration::from_hours(h)).unwrap();
        let timings = [
            Timing { created_at: t0, acknowledged_at: Some(at(1)), acknowledged_in_time: Some(true), visited_at: Some(at(3)) },
            Timing { created_at: t0, acknowledged_at: Some(at(3)), acknowledged_in_time: Some(false), visited_at: None },
            Timing { created_at: t0, acknowledged_at: None, acknowledged_in_time: None, visited_at: None },
        ];
        let about =
            About { period: Period { from: date(2026, 12, 1), to: date(2026, 12, 7) }, place: "Seoul".into(), source: "cordon".into() };
        let figures = response_figures(&timings, &about);
        let find = |m, c| figures.iter().find(|f| f.measure == m && f.counted == c).map(|f| f.value);
        assert_eq!(find(Measure::Median, Counted::HoursToAcknowledge), Some(2.0));
        assert_eq!(find(Measure::Median, Counted::HoursToFirstVisit), Some(3.0));
        assert!((find(Measure::Share, Counted::TasksAcknowledgedInTime).unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert!(figures[0].label().contains("median 2 hours"), "{}", figures[0].label());
        let filing = filing_figures(DailyTally { expected: 70, filed: 63, on_time: 56 }, &about);
        assert!(filing[0].label().starts_with("90% of expected daily unit reports filed"), "{}", filing[0].label());
        assert!(filing_figures(DailyTally::default(), &about).is_empty());
    }
}
