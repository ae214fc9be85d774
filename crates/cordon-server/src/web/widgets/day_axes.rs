//! The axes the day charts ([`super::curve`], [`super::alert_chart`]) share:
//! one bar a period along x, labelled with the period's first day as
//! `MM-DD`, and whole counts up the y axis, over a light grid.

use jiff::civil::Date;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A chart over periods (x) and counts (y).
pub type DayChart<'b, DB> = ChartContext<'b, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// How a chart's axes are labelled.
pub struct DayAxes<'a> {
    /// The first day of each period, in order (period `i` is drawn at x = `i`).
    pub days: &'a [Date],
    /// The most day labels along x (at least 2 are asked for).
    pub most_x_labels: usize,
    /// How many count labels up y.
    pub y_labels: usize,
    /// The x axis's title.
    pub x_desc: &'a str,
    /// The y axis's title.
    pub y_desc: &'a str,
    /// Font size of the labels; the titles are one point larger.
    pub font_size: u32,
}

/// Builds the chart `builder` sets up over the periods of `axes` (x from
/// −0.5 to n − 0.5) and counts up to `y_max`, and draws its mesh and labels.
pub fn build<'b, DB: DrawingBackend>(
    builder: &mut ChartBuilder<'_, 'b, DB>,
    axes: &DayAxes<'_>,
    y_max: f64,
) -> Result<DayChart<'b, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let n = axes.days.len().max(1) as f64;
    let mut chart = builder.build_cartesian_2d(-0.5f64..(n - 0.5), 0f64..y_max)?;
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "i is a whole number ≥ 0 here, an index into the series")]
    let label_of = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        axes.days.get(i as usize).map(|d| d.strftime("%m-%d").to_string()).unwrap_or_default()
    };
    #[expect(clippy::cast_possible_truncation, reason = "a whole count on the y axis, far inside i64")]
    let y_label = |y: &f64| if (y - y.round()).abs() < 1e-6 { format!("{}", y.round() as i64) } else { String::new() };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(axes.days.len().clamp(2, axes.most_x_labels))
        .y_labels(axes.y_labels)
        .x_label_formatter(&label_of)
        .y_label_formatter(&y_label)
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .label_style(("sans-serif", axes.font_size))
        .axis_desc_style(("sans-serif", axes.font_size + 1))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    Ok(chart)
}
