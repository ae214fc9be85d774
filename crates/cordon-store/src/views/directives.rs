//! What the directive pages read beside the directives themselves: the
//! directives still running around a node (the board's panel), how far each
//! has been acknowledged within an area (one query for the units, one for the
//! acknowledgements, however many directives), which directives a unit has
//! acknowledged already (the home pages' panel), and the nodes an officer may
//! address a directive to.

use std::collections::HashMap;

use cordon_core::delivery::Coverage;
use cordon_core::directive::Directive;
use cordon_core::jurisdiction::NodePath;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::{distinct, placeholders};
use crate::db::{from_micros, subtree};
use crate::directives::{JOINED, VersionRow, assemble};
use crate::error::Result;
use crate::jurisdictions::level_names;
use crate::{Store, exec};

/// A node as a list of places to choose from shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its depth in the tree (0 = nation).
    pub level: i64,
    /// Its path.
    pub path: NodePath,
}

/// Units counted per area (by its index in the list of areas), and units
/// that acknowledged per directive, as the two queries of
/// [`Store::directive_reach`] read them.
type Counts = (Vec<(i64, i64)>, Vec<(Uuid, i64)>);

/// The area a directive's acknowledgement is counted over when looked at
/// from `area`: its scope when the scope lies within the area, else the area.
fn counted_over<'a>(area: &'a NodePath, directive: &'a Directive) -> &'a NodePath {
    if area.contains(&directive.scope_path) { &directive.scope_path } else { area }
}

impl Store {
    /// When the node `node_id` first acknowledged each of `ids` (a unit has
    /// acknowledged once any of its users has), for those it has; one query.
    pub async fn acknowledged_at(&self, node_id: Uuid, ids: &[Uuid]) -> Result<HashMap<Uuid, Timestamp>> {
        let ids = distinct(ids.iter().copied());
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT directive_id, MIN(acknowledged_at) FROM directive_acks WHERE node_id = $1 AND directive_id IN ({}) GROUP BY directive_id",
            placeholders(2, ids.len())
        );
        let rows: Vec<(Uuid, i64)> = self
            .read(async |c| {
                Ok(exec!(c, ids.iter().fold(sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(node_id), |q, id| q.bind(*id)), fetch_all)?)
            })
            .await?;
        rows.into_iter().map(|(id, at)| Ok((id, from_micros(at)?))).collect()
    }

    /// The directives that apply at `path` or anywhere below it (issued to
    /// it, above it or below it) with a version that has not ended before
    /// `today`, newest first, at most `limit`: those in force, those to come
    /// and those past their review, for the board. Revoked ones are among
    /// them until the caller asks [`Directive::version_on`].
    pub async fn directives_live_around(&self, path: &NodePath, today: Date, limit: i64) -> Result<Vec<Directive>> {
        let sql = format!(
            "{JOINED} WHERE d.id IN (SELECT x.id FROM directives x \
               WHERE (x.scope_path LIKE $1 ESCAPE '\\' OR $2 LIKE x.scope_path || '%') \
               AND EXISTS (SELECT 1 FROM directive_versions w WHERE w.directive_id = x.id AND (w.ends_on IS NULL OR w.ends_on >= $3)) \
               ORDER BY x.issued_at DESC, x.id LIMIT $4) \
             ORDER BY d.issued_at DESC, d.id, v.number"
        );
        let (pattern, day) = (subtree(path), today.to_string());
        let rows: Vec<VersionRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(path.as_str()).bind(&day).bind(limit),
                    fetch_all
                )?)
            })
            .await?;
        // LIKE reads `_` in a code as any character: keep only what truly applies.
        Ok(assemble(rows)?.into_iter().filter(|d| d.scope_path.contains(path) || path.contains(&d.scope_path)).collect())
    }

    /// How far each of `directives` has been acknowledged within `area`:
    /// the units of its scope that lie in the area, and how many of them
    /// acknowledged (the line's path is the area counted over: the scope
    /// when it lies within the area). Two queries for any number of
    /// directives: the units of each area counted over, and the units that
    /// acknowledged each directive.
    pub async fn directive_reach(&self, area: &NodePath, directives: &[Directive]) -> Result<HashMap<Uuid, Coverage>> {
        let mut areas: Vec<&NodePath> = directives.iter().map(|d| counted_over(area, d)).collect();
        areas.sort();
        areas.dedup();
        if areas.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = distinct(directives.iter().map(|d| d.id));
        let unit_sql = (0..areas.len())
            .map(|i| format!("SELECT CAST({i} AS BIGINT), COUNT(*) FROM nodes WHERE path LIKE ${} ESCAPE '\\' AND level = $1", i + 2))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let ack_sql = format!(
            "SELECT a.directive_id, COUNT(DISTINCT a.node_id) FROM directive_acks a JOIN nodes n ON n.id = a.node_id \
             WHERE n.level = $1 AND n.path LIKE $2 ESCAPE '\\' AND a.directive_id IN ({}) GROUP BY a.directive_id",
            placeholders(3, ids.len())
        );
        let patterns: Vec<String> = areas.iter().map(|a| subtree(a)).collect();
        let area_pattern = subtree(area);
        let (units, acks): Counts = self
            .read(async |c| {
                let deepest = i64::try_from(level_names(c).await?.len()).unwrap_or(1) - 1;
                let units = exec!(
                    c,
                    patterns.iter().fold(sqlx::query_as(AssertSqlSafe(unit_sql.as_str())).bind(deepest), |q, p| q.bind(p.as_str())),
                    fetch_all
                )?;
                let acks = exec!(
                    c,
                    ids.iter().fold(sqlx::query_as(AssertSqlSafe(ack_sql.as_str())).bind(deepest).bind(&area_pattern), |q, id| q.bind(*id)),
                    fetch_all
                )?;
                Ok((units, acks))
            })
            .await?;
        let units: HashMap<usize, u32> =
            units.into_iter().map(|(i, n)| (usize::try_from(i).unwrap_or(usize::MAX), u32::try_from(n).unwrap_or(u32::MAX))).collect();
        let acks: HashMap<Uuid, u32> = acks.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX))).collect();
        Ok(directives
            .iter()
            .map(|d| {
                let over = counted_over(area, d);
                let index = areas.iter().position(|a| *a == over).unwrap_or(usize::MAX);
                let line = Coverage {
                    path: over.clone(),
                    acknowledged: acks.get(&d.id).copied().unwrap_or(0),
                    units: units.get(&index).copied().unwrap_or(0),
                };
                (d.id, line)
            })
            .collect())
    }

    /// At most `limit` nodes at or below `path`, by path (a parent before its
    /// children): the places a command at `path` may address, when they are
    /// few enough to choose from.
    pub async fn places_under(&self, path: &NodePath, limit: i64) -> Result<Vec<Place>> {
        let pattern = subtree(path);
        let rows: Vec<(String, String, i64, String)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as("SELECT code, name, level, path FROM nodes WHERE path LIKE $1 ESCAPE '\\' ORDER BY path LIMIT $2")
                        .bind(&pattern)
                        .bind(limit),
                    fetch_all
                )?)
            })
            .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, _, p)| p.starts_with(path.as_str()))
            .map(|(code, name, level, p)| Place { code, name, level, path: NodePath::from_stored(p) })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgement_is_counted_over_the_narrower_of_the_area_and_the_scope() {
        let nation = NodePath::root("KR");
        let province = nation.child("P1");
        let directive = |scope: &NodePath| Directive {
            id: Uuid::nil(),
            scope_id: Uuid::nil(),
            scope_path: scope.clone(),
            versions: Vec::new(),
            revoked: None,
        };
        assert_eq!(counted_over(&province, &directive(&nation)), &province, "a national directive, seen from a province");
        assert_eq!(counted_over(&nation, &directive(&province)), &province, "a provincial directive, seen from the nation");
    }
}
