//! How fast the system answers: from a symptom report to the acknowledgement
//! of its investigation and to the worker's first visit (median and 90th
//! percentile), the share of investigations acknowledged before their first
//! deadline, and the completeness and timeliness of the units' daily reports.
//! Pure summaries of timings the store loads, as [`Figure`]s.

use std::collections::BTreeMap;

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
    let counted: Vec<(f64, u64)> = sorted.into_iter().map(|v| (v, 1)).collect();
    quantile_of_counts(&counted, p)
}

/// The `p` quantile (0 to 1) of the values `counts` holds as (value, how
/// many times), in ascending order of value, by R's type 7 as if each value
/// were repeated; `None` when there are none.
#[must_use]
pub fn quantile_of_counts(counts: &[(f64, u64)], p: f64) -> Option<f64> {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let last = total.checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "h lies in 0..=last")]
    let (below, above) = (h.floor() as u64, h.ceil() as u64);
    let order_statistic = |k: u64| {
        let mut seen = 0;
        counts.iter().find(|(_, n)| {
            seen += n;
            seen > k
        })
    };
    let (low, high) = (order_statistic(below)?.0, order_statistic(above)?.0);
    Some(low + (h - h.floor()) * (high - low))
}

/// The delay from opening an investigation to `at`, in the whole minutes
/// the response read model counts it in: to the minute below an hour, to
/// five minutes below a day, to the hour beyond (each rounded down; a
/// negative delay counts as none). The store's `response_facts` view
/// computes the same.
#[must_use]
pub fn delay_minutes(opened: Timestamp, at: Timestamp) -> i64 {
    let micros = i64::try_from(at.duration_since(opened).as_micros()).unwrap_or(i64::MAX);
    if micros < 3_600_000_000 {
        (micros / 60_000_000).max(0)
    } else if micros < 86_400_000_000 {
        micros / 300_000_000 * 5
    } else {
        micros / 3_600_000_000 * 60
    }
}

/// What the investigations opened in a place over some days add up to: how
/// many were opened, how many were acknowledged in time, and how many took
/// each delay (in [`delay_minutes`]) to their first acknowledgement and
/// first visit. The store reads it from its read model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseTally {
    /// Investigations opened.
    pub opened: u64,
    /// Of those, acknowledged before their first deadline.
    pub in_time: u64,
    /// Minutes to the first acknowledgement → investigations.
    pub acknowledged: BTreeMap<i64, u64>,
    /// Minutes to the first visit → investigations.
    pub visited: BTreeMap<i64, u64>,
}

impl ResponseTally {
    /// Adds one investigation's timings.
    pub fn add_timing(&mut self, t: &Timing) {
        self.opened += 1;
        self.in_time += u64::from(t.acknowledged_in_time == Some(true));
        if let Some(at) = t.acknowledged_at {
            *self.acknowledged.entry(delay_minutes(t.created_at, at)).or_default() += 1;
        }
        if let Some(at) = t.visited_at {
            *self.visited.entry(delay_minutes(t.created_at, at)).or_default() += 1;
        }
    }

    /// Adds another tally (of other days or places) to this one.
    pub fn add(&mut self, other: &ResponseTally) {
        self.opened += other.opened;
        self.in_time += other.in_time;
        for (mine, theirs) in [(&mut self.acknowledged, &other.acknowledged), (&mut self.visited, &other.visited)] {
            for (&minutes, &n) in theirs {
                *mine.entry(minutes).or_default() += n;
            }
        }
    }

    /// Adds `count` investigations of the read model's `measure` (`opened`,
    /// `in_time`, `acknowledged` or `visited`) at `minutes`; another measure
    /// is ignored.
    pub fn add_count(&mut self, measure: &str, minutes: i64, count: u64) {
        match measure {
            "opened" => self.opened += count,
            "in_time" => self.in_time += count,
            "acknowledged" => *self.acknowledged.entry(minutes).or_default() += count,
            "visited" => *self.visited.entry(minutes).or_default() += count,
            _ => {}
        }
    }
}

/// The hours of each delay, with how many took it, in ascending order.
fn in_hours(delays: &BTreeMap<i64, u64>) -> Vec<(f64, u64)> {
    delays.iter().map(|(&minutes, &n)| (minutes as f64 / 60.0, n)).collect()
}

/// What a group of figures is about.
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

/// The response-time figures of `tally`: the median and 90th percentile of
/// the hours to acknowledgement and to the first visit, and the share
/// acknowledged in time. A figure is left out when nothing was measured.
#[must_use]
pub fn response_figures(tally: &ResponseTally, about: &About) -> Vec<Figure> {
    let mut figures = Vec::new();
    for (delays, counted) in [(&tally.acknowledged, Counted::HoursToAcknowledge), (&tally.visited, Counted::HoursToFirstVisit)] {
        let hours = in_hours(delays);
        if let (Some(median), Some(p90)) = (quantile_of_counts(&hours, 0.5), quantile_of_counts(&hours, 0.9)) {
            figures.push(about.figure(median, Measure::Median, counted));
            figures.push(about.figure(p90, Measure::P90, counted));
        }
    }
    if tally.opened > 0 {
        figures.push(about.figure(tally.in_time as f64 / tally.opened as f64, Measure::Share, Counted::TasksAcknowledgedInTime));
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
    fn quantiles_of_counts_are_those_of_the_repeated_values() {
        let counts: [(f64, u64); 4] = [(0.5, 3), (1.0, 1), (2.0, 4), (7.0, 2)];
        let repeated: Vec<f64> = counts.iter().flat_map(|&(v, n)| std::iter::repeat_n(v, usize::try_from(n).unwrap())).collect();
        for p in [0.0, 0.1, 0.25, 0.5, 0.77, 0.9, 1.0] {
            assert_eq!(quantile_of_counts(&counts, p), quantile(&repeated, p), "p = {p}");
        }
        // R: quantile(c(0.5,0.5,0.5,1,2,2,2,2,7,7), 0.9) = 7
        assert_eq!(quantile_of_counts(&counts, 0.9), Some(7.0));
        assert_eq!(quantile_of_counts(&[], 0.5), None);
        assert_eq!(quantile_of_counts(&[(1.0, 0)], 0.5), None);
    }

    proptest::proptest! {
        #[test]
        fn any_quantile_of_counts_is_that_of_the_repeated_values(
            mut counts in proptest::collection::vec((0_i64..5000, 0_u64..6), 0..40),
            p in 0.0_f64..=1.0,
        ) {
            counts.sort_unstable();
            counts.dedup_by_key(|c| c.0);
            let counted: Vec<(f64, u64)> = counts.iter().map(|&(m, n)| (m as f64 / 60.0, n)).collect();
            let repeated: Vec<f64> = counted.iter().flat_map(|&(v, n)| std::iter::repeat_n(v, usize::try_from(n).unwrap())).collect();
            proptest::prop_assert_eq!(quantile_of_counts(&counted, p), quantile(&repeated, p));
        }
    }

    #[test]
    fn delays_are_counted_to_the_minute_then_five_minutes_then_the_hour() {
        let t0 = Timestamp::UNIX_EPOCH;
        let after = |secs: i64| t0.saturating_add(jiff::SignedDuration::from_secs(secs)).unwrap();
        assert_eq!(delay_minutes(t0, after(-30)), 0);
        assert_eq!(delay_minutes(t0, after(59)), 0);
        assert_eq!(delay_minutes(t0, after(61)), 1);
        assert_eq!(delay_minutes(t0, after(3599)), 59);
        assert_eq!(delay_minutes(t0, after(3600 + 299)), 60);
        assert_eq!(delay_minutes(t0, after(3600 + 301)), 65);
        assert_eq!(delay_minutes(t0, after(86_399)), 1435);
        assert_eq!(delay_minutes(t0, after(86_400 + 3599)), 1440);
        assert_eq!(delay_minutes(t0, after(3 * 86_400 + 5000)), 3 * 1440 + 60);
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
        let mut tally = ResponseTally::default();
        for t in &timings {
            tally.add_timing(t);
        }
        let figures = response_figures(&tally, &about);
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
