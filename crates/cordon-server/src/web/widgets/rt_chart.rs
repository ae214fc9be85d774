//! Rt drawn under the epidemic curve: for each window's last day, the mean
//! as a line and the 95% credible interval as a band, with the line at 1
//! where the epidemic neither grows nor shrinks. Drawn on the server as
//! SVG; the figures' labels (window, serial interval, as of) go beside it.

use std::fmt::Write as _;

use cordon_core::figure::Figure;
use jiff::civil::Date;

use crate::web::Lang;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 160.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 18.0;

/// The SVG of `estimates` (Rt figures in date order) over the days
/// `from..=to`; empty when none falls in them.
#[must_use]
pub fn svg(t: Lang, estimates: &[Figure], (from, to): (Date, Date)) -> String {
    let shown: Vec<&Figure> = estimates.iter().filter(|f| f.period.to >= from && f.period.to <= to).collect();
    if shown.is_empty() {
        return String::new();
    }
    let days = to.since(from).map_or(1, |s| s.get_days()).max(1);
    let top = shown.iter().filter_map(|f| f.interval.map(|i| i.upper)).fold(2.0_f64, f64::max).min(10.0);
    let x = |d: Date| LEFT + f64::from(d.since(from).map_or(0, |s| s.get_days())) / f64::from(days) * (WIDTH - LEFT);
    let y = |v: f64| (HEIGHT - BOTTOM) - v.min(top) / top * (HEIGHT - BOTTOM);
    let mut band = String::new();
    for f in &shown {
        let upper = f.interval.map_or(f.value, |i| i.upper);
        let _ = write!(band, "{:.1},{:.1} ", x(f.period.to), y(upper));
    }
    for f in shown.iter().rev() {
        let lower = f.interval.map_or(f.value, |i| i.lower);
        let _ = write!(band, "{:.1},{:.1} ", x(f.period.to), y(lower));
    }
    let mut line = String::new();
    for (i, f) in shown.iter().enumerate() {
        let _ = write!(line, "{}{:.1},{:.1} ", if i == 0 { "M" } else { "L" }, x(f.period.to), y(f.value));
    }
    let one = y(1.0);
    let caption = t.get("rt_title");
    format!(
        "<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{caption}\" xmlns=\"http://www.w3.org/2000/svg\" class=\"rt-chart\">\
         <polygon points=\"{band}\" fill=\"#9ecae1\" fill-opacity=\"0.6\"/>\
         <line x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{one:.1}\" y2=\"{one:.1}\" stroke=\"#b3261e\" stroke-dasharray=\"4 3\"/>\
         <path d=\"{}\" fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\"/>\
         <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">1</text>\
         <text x=\"{}\" y=\"12\" font-size=\"11\" text-anchor=\"end\">{}</text>\
         <text x=\"{LEFT}\" y=\"{}\" font-size=\"11\">{from}</text>\
         <text x=\"{WIDTH}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{to}</text></svg>",
        line.trim_end(),
        LEFT - 4.0,
        one + 4.0,
        LEFT - 4.0,
        cordon_core::figure::grouped(top, 1),
        HEIGHT - 2.0,
        HEIGHT - 2.0,
    )
}
