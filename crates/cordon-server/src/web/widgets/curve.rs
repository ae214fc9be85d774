//! The epidemic curve: cases by day of onset, stacked by classification, as
//! adjacent bars (a true epi curve), with the symptom reports received each
//! day as a line; drawn as SVG with plotters (no font or image libraries).
//!
//! The counts come from the store's `GROUP BY` queries
//! ([`cordon_store::figures`]); this module only fills the missing days and
//! draws.

use cordon_core::case::CaseStatus;
use cordon_store::figures::DayCount;
use jiff::civil::Date;
use plotters::prelude::*;

use super::day_axes::{self, DayAxes};
use crate::web::Lang;

/// The colour of each case status in charts (and their legends).
#[must_use]
pub fn status_colour(status: CaseStatus) -> RGBColor {
    match status {
        CaseStatus::Suspected => RGBColor(0xf2, 0xb7, 0x01),
        CaseStatus::Probable => RGBColor(0xe0, 0x6c, 0x00),
        CaseStatus::Confirmed => RGBColor(0xa5, 0x0f, 0x15),
        CaseStatus::Discarded => RGBColor(0x9a, 0x9a, 0x9a),
    }
}

/// The colour of the reports line.
const REPORTS: RGBColor = RGBColor(0x1f, 0x4e, 0x79);

/// One day of the curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurveDay {
    /// The day.
    pub date: Date,
    /// Symptom reports received.
    pub reports: i64,
    /// Cases with onset that day, by status (in `CaseStatus::ALL` order).
    pub cases: [i64; 4],
}

impl CurveDay {
    /// All cases of the day.
    #[must_use]
    pub fn total_cases(&self) -> i64 {
        self.cases.iter().sum()
    }
}

/// Every day from `from` to `to` with its counts (zero when none).
#[must_use]
pub fn fill_days(from: Date, to: Date, reports: &[DayCount], cases: &[DayCount]) -> Vec<CurveDay> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let reports = reports.iter().filter(|r| r.date == day).map(|r| r.count).sum();
        let mut by_status = [0i64; 4];
        for c in cases.iter().filter(|c| c.date == day) {
            if let Some(i) = c.status.and_then(|s| CaseStatus::ALL.iter().position(|x| *x == s)) {
                by_status[i] += c.count;
            }
        }
        days.push(CurveDay { date: day, reports, cases: by_status });
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    days
}

/// Draws the curve as an SVG document.
pub fn svg(t: Lang, days: &[CurveDay]) -> Result<String, String> {
    let mut out = String::new();
    if let Err(e) = draw(t, days, &mut out) {
        return Err(format!("drawing the epidemic curve: {e}"));
    }
    Ok(out)
}

fn draw<'a>(t: Lang, days: &[CurveDay], out: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let top = days.iter().map(|d| d.reports.max(d.total_cases())).max().unwrap_or(0).max(1);
    let y_max = (top as f64 * 1.15).ceil().max(top as f64 + 1.0);
    let root = SVGBackend::with_string(out, (900, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
    let axes = DayAxes {
        days: &dates,
        most_x_labels: 14,
        y_labels: 8,
        x_desc: t.get("curve_axis_day"),
        y_desc: t.get("curve_axis_count"),
        font_size: 13,
    };
    let mut chart = day_axes::build(ChartBuilder::on(&root).margin(16).x_label_area_size(48).y_label_area_size(48), &axes, y_max)?;
    for (k, status) in CaseStatus::ALL.iter().enumerate() {
        let colour = status_colour(*status);
        let bars = days.iter().enumerate().filter(|(_, d)| d.cases[k] > 0).map(move |(i, d)| {
            let below: i64 = d.cases[..k].iter().sum();
            let x = i as f64;
            Rectangle::new([(x - 0.5, below as f64), (x + 0.5, (below + d.cases[k]) as f64)], colour.filled())
        });
        chart
            .draw_series(bars)?
            .label(t.case_status(*status))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], colour.filled()));
    }
    // Thin white gaps between stacked blocks keep adjacent days apart.
    let outlines = days.iter().enumerate().filter(|(_, d)| d.total_cases() > 0).map(|(i, d)| {
        let x = i as f64;
        Rectangle::new([(x - 0.5, 0.0), (x + 0.5, d.total_cases() as f64)], WHITE.stroke_width(1))
    });
    chart.draw_series(outlines)?;
    chart
        .draw_series(LineSeries::new(days.iter().enumerate().map(|(i, d)| (i as f64, d.reports as f64)), REPORTS.stroke_width(2)))?
        .label(t.get("curve_reports"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], REPORTS.stroke_width(2)));
    chart.draw_series(PointSeries::of_element(
        days.iter().enumerate().map(|(i, d)| (i as f64, d.reports as f64)),
        3,
        REPORTS.filled(),
        &|c, s, st| Circle::new(c, s, st),
    ))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 13))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0x88, 0x88, 0x88))
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn missing_days_are_zero_and_statuses_stack() {
        let cases = [
            DayCount { date: date(2026, 11, 2), status: Some(CaseStatus::Confirmed), count: 2 },
            DayCount { date: date(2026, 11, 2), status: Some(CaseStatus::Suspected), count: 1 },
        ];
        let reports = [DayCount { date: date(2026, 11, 3), status: None, count: 4 }];
        let days = fill_days(date(2026, 11, 1), date(2026, 11, 3), &reports, &cases);
        assert_eq!(days.len(), 3);
        assert_eq!(days[1].cases, [1, 0, 2, 0]);
        assert_eq!((days[0].reports, days[2].reports), (0, 4));
    }

    #[test]
    fn the_chart_is_an_svg_with_translated_labels() {
        let days = fill_days(date(2026, 11, 1), date(2026, 11, 7), &[], &[]);
        let svg = svg(Lang::Ko, &days).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains(Lang::Ko.get("curve_reports")));
    }
}
