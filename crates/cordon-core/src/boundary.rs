//! Map boundaries of jurisdiction nodes: a GeoJSON `Polygon` or
//! `MultiPolygon` geometry (RFC 7946, longitude/latitude) whose rings are
//! closed, have at least four positions and stay within the globe. The store
//! keeps the checked geometry; the maps draw it.

use serde_json::Value;

use crate::refusal::Reason;
use crate::validation::Invalid;

/// Reads the boundary `text` given for the node `code`: JSON holding a
/// boundary geometry, else the `boundary` field error naming the node.
pub fn parse(code: &str, text: &str) -> Result<Value, Invalid> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Invalid::field("boundary", Reason::Boundary { node: code.to_owned(), problem: format!("not valid JSON: {e}") }))?;
    check_geometry(&value).map_err(|e| Invalid::field("boundary", Reason::Boundary { node: code.to_owned(), problem: e }))?;
    Ok(value)
}

/// Checks a GeoJSON geometry for use as a boundary: a `Polygon` or
/// `MultiPolygon` whose rings are closed, have at least four positions, and
/// whose positions are finite longitude/latitude pairs. Says what is wrong,
/// with the path inside the geometry.
pub fn check_geometry(geometry: &Value) -> Result<(), String> {
    let kind = geometry.get("type").and_then(Value::as_str).ok_or("type: must be \"Polygon\" or \"MultiPolygon\"")?;
    let coordinates = geometry.get("coordinates").and_then(Value::as_array).ok_or("coordinates: must be an array")?;
    match kind {
        "Polygon" => check_polygon(coordinates, "coordinates"),
        "MultiPolygon" => {
            if coordinates.is_empty() {
                return Err("coordinates: a MultiPolygon needs at least one polygon".into());
            }
            for (i, polygon) in coordinates.iter().enumerate() {
                let rings = polygon.as_array().ok_or_else(|| format!("coordinates[{i}]: must be an array of rings"))?;
                check_polygon(rings, &format!("coordinates[{i}]"))?;
            }
            Ok(())
        }
        other => Err(format!("type: {other:?} is not a boundary; use \"Polygon\" or \"MultiPolygon\"")),
    }
}

fn check_polygon(rings: &[Value], at: &str) -> Result<(), String> {
    if rings.is_empty() {
        return Err(format!("{at}: a polygon needs an outer ring"));
    }
    for (r, ring) in rings.iter().enumerate() {
        let positions = ring.as_array().ok_or_else(|| format!("{at}[{r}]: a ring must be an array of positions"))?;
        if positions.len() < 4 {
            return Err(format!("{at}[{r}]: a ring needs at least 4 positions, not {}", positions.len()));
        }
        let mut points = Vec::with_capacity(positions.len());
        for (p, position) in positions.iter().enumerate() {
            let pair = position.as_array().filter(|a| a.len() >= 2).and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)));
            match pair {
                Some((lon, lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => points.push((lon, lat)),
                _ => return Err(format!("{at}[{r}][{p}]: must be [longitude, latitude] within ±180 and ±90")),
            }
        }
        if points.first() != points.last() {
            return Err(format!("{at}[{r}]: the ring is not closed (the last position must repeat the first)"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;

    #[test]
    fn polygons_and_multipolygons_pass_and_broken_rings_are_named() {
        assert_eq!(check_geometry(&serde_json::from_str(SQUARE).unwrap()), Ok(()));
        let multi: Value =
            serde_json::from_str(r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}"#)
                .unwrap();
        assert_eq!(check_geometry(&multi), Ok(()));
        let open: Value = serde_json::from_str(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#).unwrap();
        assert_eq!(check_geometry(&open).unwrap_err(), "coordinates[0]: the ring is not closed (the last position must repeat the first)");
        let short: Value = serde_json::from_str(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#).unwrap();
        assert_eq!(check_geometry(&short).unwrap_err(), "coordinates[0]: a ring needs at least 4 positions, not 3");
        let far: Value = serde_json::from_str(r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#).unwrap();
        assert!(check_geometry(&far).unwrap_err().starts_with("coordinates[0][1]:"));
        let point: Value = serde_json::from_str(r#"{"type":"Point","coordinates":[0,0]}"#).unwrap();
        assert!(check_geometry(&point).unwrap_err().contains("Point"));
    }

    #[test]
    fn a_boundary_that_is_no_json_or_no_polygon_is_refused_for_its_node() {
        assert!(parse("KR", SQUARE).is_ok());
        assert!(parse("KR", "{").unwrap_err().errors[0].reason.to_string().starts_with("KR: not valid JSON"));
        assert!(parse("KR", r#"{"type":"Point","coordinates":[0,0]}"#).unwrap_err().errors[0].reason.to_string().starts_with("KR: type:"));
    }
}
