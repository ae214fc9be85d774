//! The figures of the areas below a node on a day, for the map, its GeoJSON
//! export and the situation report: a fixed number of grouped queries on one
//! reading connection, whatever the number of areas (never one per area).
//!
//! Reports of the 7 days and cases by classification are read per area from
//! the read models (`report_counts`, `case_counts`: each area's row already
//! holds its whole subtree), and `cordon_core::area::figures` makes the
//! labelled figures.

use std::collections::HashMap;

use cordon_core::area::{self, AreaCounts, AreaFigures};
use cordon_core::case::CaseStatus;
use cordon_core::jurisdiction::{Node, NodePath};
use jiff::civil::Date;
use serde_json::Value;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{from_micros, micros, parse_date, parse_enum, subtree};
use crate::error::Result;
use crate::{Store, exec};

type NodeTuple = (Uuid, String, String, i64, Option<Uuid>, i64, String);

/// What the queries of [`Store::map_figures`] read, as stored.
struct AreaRows {
    /// The areas.
    areas: Vec<NodeTuple>,
    /// Reports of the 7 days by unit path.
    reports: Vec<(String, i64)>,
    /// Cases by unit path and status, with the deaths among them.
    cases: Vec<(String, String, i64, i64)>,
    /// Levels set by the end of the day, latest first per node path.
    levels: Vec<(String, i64, i64)>,
    /// The first report day of all.
    since: Option<String>,
}

impl Store {
    /// The figures on `day` of every area from one to `depth` levels below
    /// `node`, in path order: symptom reports in the 7 days to `day` (and per
    /// 100,000 residents where the population is known), cases opened by the
    /// end of `day` by their classification, deaths, and the alert level in
    /// force at the end of `day`. Six queries.
    pub async fn map_figures(&self, node: &Node, depth: i64, day: Date) -> Result<Vec<AreaFigures>> {
        let AreaRows { areas, reports, cases, levels, since } = self.area_rows(node, depth, day).await?;
        let mut areas: Vec<Node> = areas
            .into_iter()
            .map(|(id, code, name, level, parent_id, population, path)| Node {
                id,
                code,
                name,
                level,
                parent_id,
                population,
                path: NodePath::from_stored(path),
            })
            .collect();
        // In byte order of the path, a parent before its children, whatever the database's collation.
        areas.sort_by(|a, b| a.path.cmp(&b.path));
        let mut counted: HashMap<NodePath, AreaCounts> = HashMap::new();
        for (path, count) in reports {
            counted.entry(NodePath::from_stored(path)).or_default().reports_7d += count;
        }
        for (path, status, count, died) in cases {
            let status = parse_enum("cases.status", &status, CaseStatus::parse)?;
            counted.entry(NodePath::from_stored(path)).or_default().add_cases(status, count, died);
        }
        let totals = counted;
        let mut in_force: HashMap<String, (u8, jiff::Timestamp)> = HashMap::new();
        for (path, level, set_at) in levels {
            if let std::collections::hash_map::Entry::Vacant(slot) = in_force.entry(path) {
                slot.insert((u8::try_from(level).unwrap_or(0), from_micros(set_at)?));
            }
        }
        let since = match since {
            Some(text) => parse_date("reports.report_date", &text)?,
            None => day,
        };
        Ok(areas
            .into_iter()
            .map(|node| {
                let counts = totals.get(&node.path).copied().unwrap_or_default();
                let level = in_force.get(node.path.as_str()).copied();
                area::figures(node, &counts, level, day, since)
            })
            .collect())
    }

    /// The rows [`Store::map_figures`] reads, on one reading connection.
    async fn area_rows(&self, node: &Node, depth: i64, day: Date) -> Result<AreaRows> {
        let pattern = subtree(&node.path);
        let week_start = day.saturating_sub(jiff::Span::new().days(6));
        self.read(async |c| {
            let settings = settings_in(c).await?;
            let day_end = micros(settings.local_instant(day.tomorrow().unwrap_or(day), 0));
            let areas: Vec<NodeTuple> = exec!(
                c,
                sqlx::query_as(
                    "SELECT id, code, name, level, parent_id, population, path FROM nodes \
                         WHERE path LIKE $1 ESCAPE '\\' AND level > $2 AND level <= $3"
                )
                .bind(&pattern)
                .bind(node.level)
                .bind(node.level + depth),
                fetch_all
            )?;
            // The areas first, then each one's week of counts (SQLite keeps
            // the order of a CROSS JOIN; otherwise it skips through every
            // node's counts: 90 ms at 10 M reports).
            let reports: Vec<(String, i64)> = exec!(
                c,
                sqlx::query_as(
                    "SELECT rc.node_path, CAST(SUM(rc.count) AS BIGINT) FROM nodes n CROSS JOIN report_counts rc \
                      WHERE rc.node_path = n.path AND n.path LIKE $1 ESCAPE '\\' AND n.level > $4 AND n.level <= $5 \
                        AND rc.day >= $2 AND rc.day <= $3 \
                      GROUP BY rc.node_path"
                )
                .bind(&pattern)
                .bind(week_start.to_string())
                .bind(day.to_string())
                .bind(node.level)
                .bind(node.level + depth),
                fetch_all
            )?;
            // No case opened after `day`: the totals to date are the counts
            // to `day` (one row per area and status instead of every day).
            let latest: Option<String> = exec!(
                c,
                sqlx::query_scalar("SELECT MAX(opened_date) FROM case_counts WHERE node_path = $1 AND cases <> 0").bind(node.path.as_str()),
                fetch_one
            )?;
            let to_date = latest.is_none_or(|latest| latest <= day.to_string());
            let sql = if to_date {
                "SELECT t.node_path, t.status, t.cases, t.deaths FROM case_totals t JOIN nodes n ON n.path = t.node_path \
                  WHERE n.path LIKE $1 ESCAPE '\\' AND n.level > $2 AND n.level <= $3"
            } else {
                "SELECT cc.node_path, cc.status, CAST(SUM(cc.cases) AS BIGINT), CAST(SUM(cc.deaths) AS BIGINT) \
                  FROM case_counts cc JOIN nodes n ON n.path = cc.node_path \
                  WHERE n.path LIKE $1 ESCAPE '\\' AND n.level > $2 AND n.level <= $3 AND cc.opened_date <= $4 \
                  GROUP BY cc.node_path, cc.status"
            };
            let cases: Vec<(String, String, i64, i64)> = exec!(
                c,
                {
                    let query = sqlx::query_as(sql).bind(&pattern).bind(node.level).bind(node.level + depth);
                    if to_date { query } else { query.bind(day.to_string()) }
                },
                fetch_all
            )?;
            let levels: Vec<(String, i64, i64)> = exec!(
                c,
                sqlx::query_as(
                    "SELECT node_path, level, set_at FROM alert_levels WHERE node_path LIKE $1 ESCAPE '\\' AND set_at < $2 \
                         ORDER BY node_path, set_at DESC, id DESC"
                )
                .bind(&pattern)
                .bind(day_end),
                fetch_all
            )?;
            let since: Option<String> = exec!(c, sqlx::query_scalar("SELECT MIN(report_date) FROM reports"), fetch_one)?;
            Ok(AreaRows { areas, reports, cases, levels, since })
        })
        .await
    }

    /// The boundaries of the nodes one to `depth` levels below `node` that
    /// have one, as GeoJSON geometries by node code.
    pub async fn boundaries_below(&self, node: &Node, depth: i64) -> Result<HashMap<String, Value>> {
        let pattern = subtree(&node.path);
        let rows: Vec<(String, String)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT code, boundary FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND level > $2 AND level <= $3 \
                         AND boundary IS NOT NULL"
                    )
                    .bind(&pattern)
                    .bind(node.level)
                    .bind(node.level + depth),
                    fetch_all
                )?)
            })
            .await?;
        Ok(rows.into_iter().filter_map(|(code, text)| serde_json::from_str(&text).ok().map(|g| (code, g))).collect())
    }
}
