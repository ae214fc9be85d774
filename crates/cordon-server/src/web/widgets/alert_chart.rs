//! The chart of an alert's series: the observed counts per period as bars,
//! the expected value and the upper bound as lines, and the periods that
//! alarmed marked by a red bar and a triangle above it; drawn as SVG with
//! plotters, like the epidemic curve ([`super::curve`]).
//!
//! The points come from [`crate::detection::node_series`] (the same
//! computation that raised the alert). The canvas is narrow and the text
//! large so that the chart stays readable on a 360 px phone screen, and the
//! legend sits in its own band above the plot so it never hides a bar.

use jiff::civil::Date;
use plotters::prelude::*;

use super::day_axes::{self, DayAxes};
use crate::detection::SeriesPoint;
use crate::web::Lang;

/// The colour of observed counts below the bound.
const OBSERVED: RGBColor = RGBColor(0x9e, 0xb9, 0xd4);
/// The colour of the expected value.
const EXPECTED: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
/// The colour of the upper bound.
const BOUND: RGBColor = RGBColor(0xe0, 0x6c, 0x00);
/// The colour of alarms (bar and marker).
pub const ALARM: RGBColor = RGBColor(0xb0, 0x10, 0x18);

/// Canvas size: narrow enough that text stays legible when scaled to a phone.
const SIZE: (u32, u32) = (520, 400);
/// Height of the legend band above the plot.
const LEGEND_BAND: u32 = 56;

/// Draws the series as an SVG document; `weekly` labels periods by the
/// first day of their ISO week.
pub fn svg(t: Lang, points: &[SeriesPoint], weekly: bool) -> Result<String, String> {
    let mut out = String::new();
    if let Err(e) = draw(t, points, weekly, &mut out) {
        return Err(format!("drawing the alert's series: {e}"));
    }
    Ok(out)
}

/// The runs of consecutive periods where `value` is known, as line paths.
fn runs(points: &[SeriesPoint], value: impl Fn(&SeriesPoint) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match value(p) {
            Some(v) if v.is_finite() => current.push((i as f64, v)),
            _ if !current.is_empty() => out.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn draw<'a>(t: Lang, points: &[SeriesPoint], weekly: bool, out: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let top = points
        .iter()
        .flat_map(|p| [Some(p.observed), p.expected, p.upper_bound])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1.0);
    // Headroom for the alarm markers above the tallest bar.
    let y_max = (top * 1.2).ceil().max(top + 1.0);
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (band, plot) = root.split_vertically(LEGEND_BAND);
    legend(t, &band)?;
    let days: Vec<Date> = points.iter().map(|p| p.period_start).collect();
    let axes = DayAxes {
        days: &days,
        most_x_labels: 7,
        y_labels: 6,
        x_desc: t.get(if weekly { "alert_chart_axis_week" } else { "alert_chart_axis_day" }),
        y_desc: t.get("alert_chart_axis_count"),
        font_size: 16,
    };
    let mut chart =
        day_axes::build(ChartBuilder::on(&plot).margin(10).margin_top(4).x_label_area_size(52).y_label_area_size(50), &axes, y_max)?;
    let bars = points.iter().enumerate().map(|(i, p)| {
        let x = i as f64;
        let colour = if p.alarm == Some(true) { ALARM } else { OBSERVED };
        Rectangle::new([(x - 0.4, 0.0), (x + 0.4, p.observed.max(0.0))], colour.filled())
    });
    chart.draw_series(bars)?;
    for run in runs(points, |p| p.expected) {
        chart.draw_series(DashedLineSeries::new(run, 6, 4, EXPECTED.stroke_width(2)))?;
    }
    for run in runs(points, |p| p.upper_bound) {
        chart.draw_series(LineSeries::new(run, BOUND.stroke_width(3)))?;
    }
    let lift = y_max * 0.05;
    let alarms = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.alarm == Some(true))
        .map(|(i, p)| TriangleMarker::new((i as f64, p.observed.max(0.0) + lift), 8, ALARM.filled()));
    chart.draw_series(alarms)?;
    root.present()?;
    Ok(())
}

/// The legend band: two rows of two entries.
fn legend<DB: DrawingBackend>(t: Lang, band: &DrawingArea<DB, plotters::coord::Shift>) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = ("sans-serif", 16).into_font().color(&BLACK);
    let entries = [
        (t.get("alert_chart_observed"), 0),
        (t.get("alert_chart_expected"), 1),
        (t.get("alert_chart_bound"), 2),
        (t.get("alert_chart_alarm"), 3),
    ];
    for (label, k) in entries {
        let x = 14 + (k % 2) * 250;
        let y = 16 + (k / 2) * 24;
        match k {
            0 => band.draw(&Rectangle::new([(x, y - 7), (x + 22, y + 7)], OBSERVED.filled()))?,
            1 => band
                .draw(&PathElement::new(vec![(x, y), (x + 9, y)], EXPECTED.stroke_width(2)))
                .and_then(|()| band.draw(&PathElement::new(vec![(x + 13, y), (x + 22, y)], EXPECTED.stroke_width(2))))?,
            2 => band.draw(&PathElement::new(vec![(x, y), (x + 22, y)], BOUND.stroke_width(3)))?,
            _ => band.draw(&TriangleMarker::new((x + 11, y), 8, ALARM.filled()))?,
        }
        band.draw(&Text::new(label, (x + 30, y - 9), font.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn point(day: i8, observed: f64, bound: Option<f64>, alarm: Option<bool>) -> SeriesPoint {
        SeriesPoint {
            period_start: date(2026, 11, day),
            period_end: date(2026, 11, day),
            observed,
            expected: bound.map(|b| b / 2.0),
            upper_bound: bound,
            alarm,
        }
    }

    #[test]
    fn lines_break_where_the_method_could_not_run() {
        let points = [
            point(1, 1.0, None, None),
            point(2, 2.0, Some(4.0), Some(false)),
            point(3, 1.0, None, None),
            point(4, 9.0, Some(5.0), Some(true)),
        ];
        assert_eq!(runs(&points, |p| p.upper_bound), vec![vec![(1.0, 4.0)], vec![(3.0, 5.0)]]);
    }

    #[test]
    fn the_chart_shows_the_bound_the_alarm_and_a_translated_legend() {
        let points: Vec<SeriesPoint> =
            (1..=14).map(|d| point(d, 2.0, Some(5.0), Some(false))).chain([point(15, 13.0, Some(5.0), Some(true))]).collect();
        let svg = svg(Lang::Ko, &points, false).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        for key in ["alert_chart_observed", "alert_chart_expected", "alert_chart_bound", "alert_chart_alarm", "alert_chart_axis_day"] {
            assert!(svg.contains(Lang::Ko.get(key)), "{key}");
        }
        let alarm = format!("#{:02X}{:02X}{:02X}", ALARM.0, ALARM.1, ALARM.2);
        // One red bar, one marker in the plot and one in the legend.
        assert_eq!(svg.matches(&alarm).count(), 3, "{svg}");
    }

    #[test]
    fn an_empty_series_still_draws() {
        assert!(svg(Lang::En, &[], true).unwrap().contains("<svg"));
    }
}
