//! Map boundaries of jurisdiction nodes, and jurisdictions from GeoJSON.
//!
//! A boundary is a GeoJSON `Polygon` or `MultiPolygon` geometry (RFC 7946,
//! longitude/latitude), checked by `cordon_core::boundary` and stored compactly in `nodes.boundary`;
//! maps read them back per level. [`parse_feature_collection`] reads a
//! GeoJSON `FeatureCollection` whose features carry `code`, `name`,
//! `parent_code` and `population` properties into the same import rows as the
//! CSV import, each with its geometry; errors
//! name the feature and property (`features[3].properties.population`), or
//! the line and column of a JSON syntax error.

use cordon_core::boundary::{self, check_geometry};
use cordon_core::jurisdiction::{NodeInput, NodePath};
use cordon_core::refusal::Record;
use jiff::Timestamp;
use serde_json::Value;
use uuid::Uuid;

use crate::db::subtree;
use crate::error::{Result, StoreError};
use crate::jurisdictions::{ImportRow, node_by_code};
use crate::{Store, exec};

/// One feature of a GeoJSON jurisdiction file.
#[derive(Debug, Clone)]
pub struct FeatureRow {
    /// The node; `line` is the feature's index plus one.
    pub row: ImportRow,
    /// The checked geometry as compact GeoJSON, if the feature has one.
    pub boundary: Option<String>,
}

/// Turns an import error's `line N: field` into
/// `features[N-1].properties.field: reason`.
#[must_use]
pub fn locate(field: &str, reason: &str) -> String {
    match field.split_once(": ") {
        Some((line, field)) => match line.strip_prefix("line ").and_then(|n| n.parse::<u64>().ok()) {
            Some(n) => format!("features[{}].properties.{field}: {reason}", n.saturating_sub(1)),
            None => format!("{line}: {field}: {reason}"),
        },
        None => format!("{field}: {reason}"),
    }
}

/// Reads a GeoJSON `FeatureCollection` of jurisdictions (parents before
/// children), or says where it is wrong.
pub fn parse_feature_collection(text: &str) -> std::result::Result<Vec<FeatureRow>, String> {
    let doc: Value = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
        .map_err(|e| format!("line {}, column {}: not valid JSON: {e}", e.line(), e.column()))?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err("type: the file must be a GeoJSON FeatureCollection".into());
    }
    let features = doc.get("features").and_then(Value::as_array).ok_or("features: must be an array")?;
    if features.is_empty() {
        return Err("features: the collection has no features".into());
    }
    features.iter().enumerate().map(|(i, f)| feature(i, f)).collect()
}

fn feature(i: usize, f: &Value) -> std::result::Result<FeatureRow, String> {
    let at = |field: &str, reason: &str| format!("features[{i}].{field}: {reason}");
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(at("type", "must be \"Feature\""));
    }
    let props = f.get("properties").and_then(Value::as_object).ok_or_else(|| at("properties", "must be an object"))?;
    let text = |key: &str, required: bool| -> std::result::Result<Option<String>, String> {
        match props.get(key) {
            None | Some(Value::Null) if !required => Ok(None),
            Some(Value::String(s)) if !(required && s.trim().is_empty()) => Ok(Some(s.clone()).filter(|s| !s.trim().is_empty())),
            Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
            _ => Err(at(&format!("properties.{key}"), if required { "must be a non-empty string" } else { "must be a string or null" })),
        }
    };
    let code = text("code", true)?.unwrap_or_default();
    let name = text("name", true)?.unwrap_or_default();
    let parent_code = text("parent_code", false)?;
    let population = match props.get("population") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.is_i64() => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => s.trim().parse().unwrap_or(0),
        Some(other) => return Err(at("properties.population", &format!("{other} is not a whole number"))),
    };
    let node = NodeInput { code, name, parent_code, population };
    if let Err(invalid) = node.check() {
        let e = &invalid.errors[0];
        return Err(at(&format!("properties.{}", e.field), &e.reason.to_string()));
    }
    let boundary = match f.get("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => {
            check_geometry(g).map_err(|e| format!("features[{i}].geometry.{e}"))?;
            Some(g.to_string())
        }
    };
    Ok(FeatureRow { row: ImportRow { line: i as u64 + 1, node }, boundary })
}

impl Store {
    /// Sets (or, with `None`, clears) the boundaries of nodes by code, in one
    /// transaction, each checked and audited. Returns how many changed.
    pub async fn set_boundaries(&self, actor: Option<Uuid>, boundaries: &[(String, Option<String>)], now: Timestamp) -> Result<usize> {
        let mut parsed = Vec::with_capacity(boundaries.len());
        for (code, geometry) in boundaries {
            let value = match geometry {
                Some(text) => Some(boundary::parse(code, text)?),
                None => None,
            };
            parsed.push((code, value));
        }
        self.write(async |tx| {
            let mut changed = 0;
            for (code, value) in &parsed {
                let node = node_by_code(&mut tx.conn, code).await?.ok_or_else(|| StoreError::not_found(Record::Jurisdiction, code))?;
                let before: Option<String> =
                    exec!(&mut tx.conn, sqlx::query_scalar("SELECT boundary FROM nodes WHERE id = $1").bind(node.id), fetch_one)?;
                let after = value.as_ref().map(Value::to_string);
                if before == after {
                    continue;
                }
                exec!(&mut tx.conn, sqlx::query("UPDATE nodes SET boundary = $1 WHERE id = $2").bind(&after).bind(node.id), execute)?;
                let before: Option<Value> = before.and_then(|b| serde_json::from_str(&b).ok());
                tx.audit(now, actor, "node.boundary", node.id, Some(&before), Some(value)).await?;
                changed += 1;
            }
            Ok(changed)
        })
        .await
    }

    /// The boundary of a node, as GeoJSON geometry text.
    pub async fn boundary(&self, node_id: Uuid) -> Result<Option<String>> {
        let row: Option<Option<String>> = self
            .read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT boundary FROM nodes WHERE id = $1").bind(node_id), fetch_optional)?))
            .await?;
        Ok(row.flatten())
    }

    /// Codes and boundaries of the nodes at or below `path` (at `level` if
    /// given) that have one, ordered by path: what a map of that area draws.
    pub async fn boundaries_under(&self, path: &NodePath, level: Option<i64>) -> Result<Vec<(String, String)>> {
        let pattern = subtree(path);
        self.read(async |c| {
            Ok(exec!(
                c,
                sqlx::query_as(
                    "SELECT code, boundary FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR level = $2) AND boundary IS NOT NULL ORDER BY path"
                )
                .bind(&pattern)
                .bind(level),
                fetch_all
            )?)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;

    #[test]
    fn a_feature_collection_becomes_import_rows_with_boundaries() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
              {{"type":"Feature","properties":{{"code":"KR","name":"Korea","parent_code":null,"population":100}},"geometry":{SQUARE}}},
              {{"type":"Feature","properties":{{"code":11,"name":"North","parent_code":"KR","population":"60"}},"geometry":null}}]}}"#
        );
        let rows = parse_feature_collection(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].row.line, rows[1].row.node.code.as_str(), rows[1].row.node.population), (2, "11", 60));
        assert!(rows[0].boundary.is_some() && rows[1].boundary.is_none());
    }

    #[test]
    fn errors_name_the_feature_and_property_or_the_line() {
        let bad_population = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"KR","name":"Korea"},"geometry":null},
            {"type":"Feature","properties":{"code":"P1","name":"North","parent_code":"KR","population":"lots"},"geometry":null}]}"#;
        assert_eq!(
            parse_feature_collection(bad_population).unwrap_err(),
            "features[1].properties.population: \"lots\" is not a whole number"
        );
        let bad_code =
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"K/R","name":"Korea"},"geometry":null}]}"#;
        assert!(parse_feature_collection(bad_code).unwrap_err().starts_with("features[0].properties.code:"));
        let syntax = "{\"type\": \"FeatureCollection\",\n \"features\": [ }";
        assert!(parse_feature_collection(syntax).unwrap_err().starts_with("line 2, column"));
        assert_eq!(locate("line 3: parent_code", "no such node"), "features[2].properties.parent_code: no such node");
    }
}
