//! The choropleth map: a node's children coloured by 7-day symptom reports
//! per 100,000 residents, with a legend, as hand-written SVG paths.
//!
//! A region is a set of polygon rings. When every child has a stored
//! boundary (GeoJSON in longitude/latitude, read by [`rings_of`]) the map
//! draws them with [`Plane::LonLat`], projected equirectangularly, north up;
//! otherwise [`hex_layout`] generates a tessellation of hexagons, one per
//! child in code order. Every region is a link (drill-down)
//! with a `<title>` saying what its colour means. A region whose alert level
//! is set wears a badge with the level's number, and an outline in the
//! level's colour (levels 1 to 3; [`super::alert_level::LEVEL_COLOURS`]).

use std::fmt::Write;

use super::alert_level::{level_colour, level_label};
use crate::web::Lang;

/// The rings of a stored boundary (GeoJSON `Polygon` or `MultiPolygon`
/// geometry, longitude/latitude); `None` when it is neither.
#[must_use]
pub fn rings_of(geometry: &str) -> Option<Rings> {
    let value: serde_json::Value = serde_json::from_str(geometry).ok()?;
    let ring = |r: &serde_json::Value| -> Option<Vec<(f64, f64)>> {
        r.as_array()?.iter().map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect()
    };
    let polygon = |p: &serde_json::Value| -> Option<Rings> { p.as_array()?.iter().map(ring).collect() };
    let coordinates = value.get("coordinates")?;
    match value.get("type")?.as_str()? {
        "Polygon" => polygon(coordinates),
        "MultiPolygon" => Some(coordinates.as_array()?.iter().map(polygon).collect::<Option<Vec<_>>>()?.into_iter().flatten().collect()),
        _ => None,
    }
}

/// Class limits (reports per 100,000 in 7 days): a region falls in the first
/// class whose upper limit it does not exceed; 0 has a class of its own.
pub const BREAKS: [f64; 4] = [10.0, 25.0, 50.0, 100.0];

/// Fill colours (sequential, yellow to dark red) for 0, ≤10, ≤25, ≤50, ≤100
/// and >100; and the text colour that keeps contrast on each.
const CLASSES: [(&str, &str); 6] = [
    ("#ffffcc", "#1a1a1a"),
    ("#fed976", "#1a1a1a"),
    ("#feb24c", "#1a1a1a"),
    ("#fd8d3c", "#1a1a1a"),
    ("#e31a1c", "#ffffff"),
    ("#99000d", "#ffffff"),
];

/// The fill of a region without population (no rate).
const NO_RATE: (&str, &str) = ("#d9d9d9", "#1a1a1a");

/// The polygon rings of one region: outer rings and holes, as points.
pub type Rings = Vec<Vec<(f64, f64)>>;

/// How a region's coordinates are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plane {
    /// Abstract plane coordinates, y down (the generated layout).
    Layout,
    /// Longitude and latitude in degrees (real boundaries).
    LonLat,
}

/// A region to draw.
#[derive(Debug, Clone)]
pub struct Region {
    /// The node's code.
    pub code: String,
    /// The node's name.
    pub name: String,
    /// Where a click goes.
    pub href: String,
    /// Reports in the window.
    pub reports: i64,
    /// Residents.
    pub population: i64,
    /// Outer rings (and holes) of the region's polygons.
    pub rings: Rings,
    /// The alert level in force, when one was ever set.
    pub level: Option<u8>,
}

impl Region {
    /// Reports per 100,000 residents; `None` without population.
    #[must_use]
    pub fn rate(&self) -> Option<f64> {
        (self.population > 0).then(|| self.reports as f64 * 100_000.0 / self.population as f64)
    }
}

/// The class (index into the colour scale) of a rate.
#[must_use]
pub fn class_of(rate: f64) -> usize {
    if rate <= 0.0 {
        return 0;
    }
    BREAKS.iter().position(|b| rate <= *b).map_or(BREAKS.len() + 1, |i| i + 1)
}

/// One hexagon (pointy top, radius 1) per region, rows offset to tessellate,
/// in a block about as wide as it is tall.
#[must_use]
pub fn hex_layout(n: usize) -> Vec<Vec<(f64, f64)>> {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "the square root of a region count: whole, ≥ 0 and small")]
    let cols = ((n as f64 * 1.2).sqrt().ceil() as usize).max(1);
    let w = 3f64.sqrt();
    (0..n)
        .map(|i| {
            let (row, col) = (i / cols, i % cols);
            let cx = col as f64 * w + if row % 2 == 1 { w / 2.0 } else { 0.0 };
            let cy = row as f64 * 1.5;
            (0..6)
                .map(|k| {
                    let angle = std::f64::consts::PI / 180.0 * (60.0 * f64::from(k) - 30.0);
                    (cx + angle.cos() * 0.97, cy + angle.sin() * 0.97)
                })
                .collect()
        })
        .collect()
}

/// Size of the drawing.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const MARGIN: f64 = 12.0;
/// The largest radius (in drawing units) of a generated hexagon.
const MAX_HEX_RADIUS: f64 = 95.0;

/// Draws the regions as an SVG document (the legend is HTML beside it).
#[must_use]
pub fn svg(t: Lang, regions: &[Region], plane: Plane) -> String {
    let project = projection(regions, plane);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="group" aria-label="{}">"#,
        escape(t.get("map_title"))
    );
    for region in regions {
        let rate = region.rate();
        let (fill, ink) = rate.map_or(NO_RATE, |r| CLASSES[class_of(r)]);
        let mut d = String::new();
        let (mut sx, mut sy, mut count) = (0.0, 0.0, 0.0);
        for ring in &region.rings {
            for (i, point) in ring.iter().enumerate() {
                let (x, y) = project(*point);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                sx += x;
                sy += y;
                count += 1.0;
            }
            d.push('Z');
        }
        let (cx, cy) = if count > 0.0 { (sx / count, sy / count) } else { (0.0, 0.0) };
        let rate_text = rate.map_or_else(|| "–".into(), |r| format!("{r:.1}"));
        let mut title = match rate {
            Some(r) => format!("{}: {}", region.name, t.fill("map_region_title", format!("{} / {r:.1}", region.reports))),
            None => format!("{}: {}", region.name, t.get("map_no_population")),
        };
        if let Some(level) = region.level {
            title = format!("{title}; {}", t.fill("level_map_title", level_label(t, level)));
        }
        let (stroke, width) = match region.level {
            Some(level) if level > 0 => (level_colour(level), 4),
            _ => ("#ffffff", 2),
        };
        let _ = write!(
            out,
            r#"<a href="{href}" class="region"><title>{title}</title><path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/><text x="{cx:.1}" y="{y1:.1}" text-anchor="middle" fill="{ink}" font-size="13" font-weight="600">{code}</text><text x="{cx:.1}" y="{y2:.1}" text-anchor="middle" fill="{ink}" font-size="12">{rate_text}</text>{badge}</a>"#,
            href = escape(&region.href),
            title = escape(&title),
            y1 = cy - 2.0,
            y2 = cy + 14.0,
            code = escape(&region.code),
            badge = region.level.map(|level| level_badge(level, cx, cy - 30.0)).unwrap_or_default(),
        );
    }
    out.push_str("</svg>");
    out
}

/// Maps region coordinates into the drawing, keeping the aspect ratio.
fn projection(regions: &[Region], plane: Plane) -> impl Fn((f64, f64)) -> (f64, f64) {
    let points = regions.iter().flat_map(|r| r.rings.iter().flatten());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut lat_sum = (0.0f64, 0.0f64);
    for &(x, y) in points {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
        lat_sum = (lat_sum.0 + y, lat_sum.1 + 1.0);
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (0.0, 0.0, 1.0, 1.0);
    }
    // Equirectangular: shrink longitudes by the cosine of the mean latitude.
    let kx = match plane {
        Plane::Layout => 1.0,
        Plane::LonLat => (lat_sum.0 / lat_sum.1.max(1.0)).to_radians().cos().max(0.1),
    };
    let (w, h) = (((x1 - x0) * kx).max(1e-9), (y1 - y0).max(1e-9));
    let mut scale = ((WIDTH - 2.0 * MARGIN) / w).min((HEIGHT - 2.0 * MARGIN) / h);
    if plane == Plane::Layout {
        // A few generated hexagons should not fill the page.
        scale = scale.min(MAX_HEX_RADIUS);
    }
    let (ox, oy) = ((WIDTH - w * scale) / 2.0, (HEIGHT - h * scale) / 2.0);
    move |(x, y)| {
        let px = ox + (x - x0) * kx * scale;
        let py = match plane {
            Plane::Layout => oy + (y - y0) * scale,
            Plane::LonLat => oy + (y1 - y) * scale,
        };
        (px, py)
    }
}

/// One entry of the legend.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    /// Fill colour.
    pub fill: &'static str,
    /// What it means.
    pub label: String,
}

/// The legend: every class of the scale, then "no population".
#[must_use]
pub fn legend(t: Lang) -> Vec<LegendEntry> {
    let mut out = vec![LegendEntry { fill: CLASSES[0].0, label: "0".into() }];
    let mut low = 0.0;
    for (i, high) in BREAKS.iter().enumerate() {
        out.push(LegendEntry { fill: CLASSES[i + 1].0, label: format!("> {low} – {high}") });
        low = *high;
    }
    out.push(LegendEntry { fill: CLASSES[BREAKS.len() + 1].0, label: format!("> {low}") });
    out.push(LegendEntry { fill: NO_RATE.0, label: t.get("map_no_population").to_owned() });
    out
}

/// The badge of an alert level: a disc in the level's colour with its number.
fn level_badge(level: u8, cx: f64, cy: f64) -> String {
    format!(
        r##"<g class="level-badge" data-level="{level}"><circle cx="{cx:.1}" cy="{cy:.1}" r="10" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" fill="#ffffff" font-size="12" font-weight="bold">{level}</text></g>"##,
        colour = level_colour(level),
        ty = cy + 4.0,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_fall_into_their_classes() {
        assert_eq!(class_of(0.0), 0);
        assert_eq!(class_of(3.0), 1);
        assert_eq!(class_of(10.0), 1);
        assert_eq!(class_of(10.5), 2);
        assert_eq!(class_of(250.0), 5);
        assert_eq!(legend(Lang::En).len(), 7);
    }

    #[test]
    fn the_layout_gives_each_child_a_shape_inside_the_drawing() {
        let rings = hex_layout(7);
        let regions: Vec<Region> = (0_i64..)
            .zip(rings)
            .map(|(i, ring)| Region {
                code: format!("C{i}"),
                name: format!("<Child {i}>"),
                href: format!("/map?node=C{i}"),
                reports: i,
                population: if i == 0 { 0 } else { 50_000 },
                rings: vec![ring],
                level: u8::try_from(i % 5).ok().filter(|l| *l < 4),
            })
            .collect();
        let svg = svg(Lang::En, &regions, Plane::Layout);
        assert_eq!(svg.matches("<path").count(), 7);
        assert_eq!(svg.matches(r#"class="level-badge""#).count(), 6, "the regions with a level (0 to 3) wear its badge");
        assert!(svg.contains(r#"data-level="3""#) && svg.contains("alert level 3 · Emergency"), "{svg}");
        assert!(svg.contains("&lt;Child 3&gt;"), "names are escaped");
        for number in svg.split(['M', 'L', ',', 'Z', '"']).filter_map(|s| s.parse::<f64>().ok()) {
            assert!((-1.0..=WIDTH + 1.0).contains(&number), "{number} outside the drawing");
        }
    }

    #[test]
    fn stored_boundaries_become_rings() {
        let square = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;
        assert_eq!(rings_of(square).map(|r| r[0].len()), Some(5));
        let two = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}"#;
        assert_eq!(rings_of(two).map(|r| r.len()), Some(2));
        assert_eq!(rings_of(r#"{"type":"Point","coordinates":[0,0]}"#), None);
    }

    #[test]
    fn real_boundaries_are_projected_north_up() {
        let square = vec![(126.0, 37.0), (127.0, 37.0), (127.0, 38.0), (126.0, 38.0)];
        let region =
            Region { code: "A".into(), name: "A".into(), href: "/".into(), reports: 0, population: 1, rings: vec![square], level: None };
        let project = projection(std::slice::from_ref(&region), Plane::LonLat);
        let (_, south) = project((126.0, 37.0));
        let (_, north) = project((126.0, 38.0));
        assert!(north < south);
    }
}
