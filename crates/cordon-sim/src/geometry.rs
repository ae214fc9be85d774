//! Boundaries for the generated country: every node's area is a rectangle
//! in longitude/latitude, cut out of its parent's by recursive splits, so the
//! children of a node tile it exactly and a map of any level has no gaps or
//! overlaps. Boundaries leave the crate as GeoJSON polygons.

/// A rectangle in degrees: west and east longitude, south and north latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Western longitude.
    pub west: f64,
    /// Southern latitude.
    pub south: f64,
    /// Eastern longitude.
    pub east: f64,
    /// Northern latitude.
    pub north: f64,
}

impl Rect {
    /// Width in degrees of longitude.
    #[must_use]
    pub fn width(&self) -> f64 {
        self.east - self.west
    }

    /// Height in degrees of latitude.
    #[must_use]
    pub fn height(&self) -> f64 {
        self.north - self.south
    }

    /// The centre point (longitude, latitude).
    #[must_use]
    pub fn centre(&self) -> (f64, f64) {
        (f64::midpoint(self.west, self.east), f64::midpoint(self.south, self.north))
    }

    /// Splits the rectangle into one piece per weight, each piece's area
    /// proportional to its weight, by halving the weights recursively and
    /// cutting across the longer side (so pieces stay roughly square).
    #[must_use]
    pub fn split(&self, weights: &[f64]) -> Vec<Rect> {
        let mut out = Vec::with_capacity(weights.len());
        split_into(*self, weights, &mut out);
        out
    }

    /// Distance in kilometres between the centres of two rectangles
    /// (equirectangular approximation, good at country scale).
    #[must_use]
    pub fn distance_km(&self, other: &Rect) -> f64 {
        let (x1, y1) = self.centre();
        let (x2, y2) = other.centre();
        let mid_lat = f64::midpoint(y1, y2).to_radians();
        let dx = (x2 - x1) * mid_lat.cos() * 111.32;
        let dy = (y2 - y1) * 110.57;
        (dx * dx + dy * dy).sqrt()
    }

    /// The rectangle as a GeoJSON Polygon geometry (counter-clockwise outer
    /// ring, as RFC 7946 asks), coordinates rounded to 1e-5 degrees (~1 m).
    #[must_use]
    pub fn to_geojson(&self) -> String {
        let (w, s, e, n) = (round5(self.west), round5(self.south), round5(self.east), round5(self.north));
        format!(r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#)
    }
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

fn split_into(rect: Rect, weights: &[f64], out: &mut Vec<Rect>) {
    match weights {
        [] => {}
        [_] => out.push(rect),
        _ => {
            let total: f64 = weights.iter().sum();
            // The cut that leaves the two halves' weights closest to equal.
            let mut acc = 0.0;
            let mut cut = 1;
            let mut best = f64::INFINITY;
            for (i, w) in weights.iter().enumerate().take(weights.len() - 1) {
                acc += w;
                let gap = (acc - total / 2.0).abs();
                if gap < best {
                    best = gap;
                    cut = i + 1;
                }
            }
            let left: f64 = weights[..cut].iter().sum();
            let share = if total > 0.0 { left / total } else { cut as f64 / weights.len() as f64 };
            // Compare in kilometres-ish so that a tall narrow piece is cut across.
            let (first, second) = if rect.width() * 0.8 >= rect.height() {
                let x = rect.west + rect.width() * share;
                (Rect { east: x, ..rect }, Rect { west: x, ..rect })
            } else {
                let y = rect.north - rect.height() * share;
                (Rect { south: y, ..rect }, Rect { north: y, ..rect })
            };
            split_into(first, &weights[..cut], out);
            split_into(second, &weights[cut..], out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(r: &Rect) -> f64 {
        r.width() * r.height()
    }

    #[test]
    fn pieces_tile_the_rectangle_in_proportion() {
        let r = Rect { west: 124.0, south: 34.0, east: 130.0, north: 42.0 };
        let weights = [3.0, 1.0, 1.0, 2.0, 5.0];
        let pieces = r.split(&weights);
        assert_eq!(pieces.len(), weights.len());
        let total: f64 = pieces.iter().map(area).sum();
        assert!((total - area(&r)).abs() < 1e-9);
        for (p, w) in pieces.iter().zip(weights) {
            assert!((area(p) / area(&r) - w / 12.0).abs() < 1e-9, "{p:?}");
            assert!(p.west >= r.west && p.east <= r.east && p.south >= r.south && p.north <= r.north);
        }
    }

    #[test]
    fn the_geojson_ring_is_closed() {
        let g = Rect { west: 1.0, south: 2.0, east: 3.0, north: 4.0 }.to_geojson();
        assert_eq!(g, r#"{"type":"Polygon","coordinates":[[[1,2],[3,2],[3,4],[1,4],[1,2]]]}"#);
    }
}
