//! The jurisdiction tree and its facilities.

use cordon_core::jurisdiction::{self, DEFAULT_LEVELS, Facility, FacilityInput, FacilityKind, Node, NodeInput, NodePath};
use cordon_core::user::User;
use cordon_core::{FieldError, Invalid};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::paging::{MAX_LIMIT, Window};
use crate::{Store, Tx, exec};

const NODE_COLUMNS: &str = "id, code, name, level, parent_id, population, path";

#[derive(sqlx::FromRow)]
struct NodeRow {
    id: Uuid,
    code: String,
    name: String,
    level: i64,
    parent_id: Option<Uuid>,
    population: i64,
    path: String,
}

impl From<NodeRow> for Node {
    fn from(r: NodeRow) -> Node {
        Node {
            id: r.id,
            code: r.code,
            name: r.name,
            level: r.level,
            parent_id: r.parent_id,
            population: r.population,
            path: NodePath::from_stored(r.path),
        }
    }
}

/// How many units (nodes of the `deepest` level) lie under the subtree
/// `pattern` (from [`crate::db::subtree`]), inside any connection.
pub async fn count_units(c: &mut Conn<'_>, pattern: &str, deepest: i64) -> Result<i64> {
    Ok(exec!(
        c,
        sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND level = $2").bind(pattern).bind(deepest),
        fetch_one
    )?)
}

/// A node by code, inside any connection.
pub async fn node_by_code(c: &mut Conn<'_>, code: &str) -> Result<Option<Node>> {
    let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE code = $1");
    let row: Option<NodeRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(code), fetch_optional)?;
    Ok(row.map(Node::from))
}

/// Facilities whose node path matches the `LIKE` pattern, by code.
async fn facilities_like(c: &mut Conn<'_>, pattern: &str) -> Result<Vec<Facility>> {
    let rows: Vec<(Uuid, String, String, String, Uuid, String)> = exec!(
        c,
        sqlx::query_as("SELECT id, code, name, kind, node_id, node_path FROM facilities WHERE node_path LIKE $1 ESCAPE '\\' ORDER BY code")
            .bind(pattern),
        fetch_all
    )?;
    rows.into_iter()
        .map(|(id, code, name, kind, node_id, node_path)| {
            Ok(Facility {
                id,
                code,
                name,
                kind: parse_enum("facilities.kind", &kind, FacilityKind::parse)?,
                node_id,
                node_path: NodePath::from_stored(node_path),
            })
        })
        .collect()
}

/// Every facility in the country, by code, inside any connection.
pub async fn all_facilities(c: &mut Conn<'_>) -> Result<Vec<Facility>> {
    facilities_like(c, "%").await
}

/// A node by id, inside any connection.
pub async fn node_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Node>> {
    let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE id = $1");
    let row: Option<NodeRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    Ok(row.map(Node::from))
}

/// The names of the tree's levels, nation first (the defaults until an
/// administrator names them).
pub(crate) async fn level_names(c: &mut Conn<'_>) -> Result<Vec<String>> {
    let names: Vec<String> = exec!(c, sqlx::query_scalar("SELECT name FROM levels ORDER BY depth"), fetch_all)?;
    Ok(if names.is_empty() { DEFAULT_LEVELS.iter().map(ToString::to_string).collect() } else { names })
}

async fn insert_node(c: &mut Conn<'_>, node: &Node) -> Result<()> {
    let sql = format!("INSERT INTO nodes ({NODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    exec!(
        c,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(node.id)
            .bind(&node.code)
            .bind(&node.name)
            .bind(node.level)
            .bind(node.parent_id)
            .bind(node.population)
            .bind(node.path.as_str()),
        execute
    )
    .map_err(|e| StoreError::taken_or(e, "code", &node.code))?;
    Ok(())
}

/// One row of a jurisdiction import: the node and where it came from.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// Line number in the source file (1-based), for error messages.
    pub line: u64,
    /// The node.
    pub node: NodeInput,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Nodes created.
    pub created: usize,
    /// Existing nodes whose name or population changed.
    pub updated: usize,
    /// Existing nodes left as they were.
    pub unchanged: usize,
}

impl Store {
    /// The names of the tree's levels, root first.
    pub async fn levels(&self) -> Result<Vec<String>> {
        self.read(async |c| level_names(c).await).await
    }

    /// `admin` replaces the level names, in one transaction: the depth of
    /// the deepest node is loaded and [`jurisdiction::relevel_by`] decides.
    /// Returns the names as stored.
    pub async fn set_levels(&self, admin: &User, names: &[String], now: Timestamp) -> Result<Vec<String>> {
        self.write(async |tx| {
            let deepest: Option<i64> = exec!(&mut tx.conn, sqlx::query_scalar("SELECT MAX(level) FROM nodes"), fetch_one)?;
            jurisdiction::relevel_by(admin, names, deepest)?;
            let before = level_names(&mut tx.conn).await?;
            exec!(&mut tx.conn, sqlx::query("DELETE FROM levels"), execute)?;
            for (depth, name) in (0_i64..).zip(names) {
                exec!(
                    &mut tx.conn,
                    sqlx::query("INSERT INTO levels (depth, name) VALUES ($1, $2)").bind(depth).bind(name.trim()),
                    execute
                )?;
            }
            tx.audit(now, Some(admin.id), "levels.set", "levels", Some(&before), Some(&names)).await?;
            level_names(&mut tx.conn).await
        })
        .await
    }

    /// `admin` creates a node under the node `input.parent_code` names (or
    /// the root), in one transaction: the parent is loaded and
    /// [`jurisdiction::place_node_by`] decides.
    pub async fn create_node_by(&self, admin: &User, input: &NodeInput, now: Timestamp) -> Result<Node> {
        self.write(async |tx| {
            let (named, has_root, levels) = placement_in(&mut tx.conn, input).await?;
            let node = jurisdiction::place_node_by(admin, Uuid::now_v7(), input, named.as_ref(), has_root, levels)?;
            insert_node(&mut tx.conn, &node).await?;
            tx.audit(now, Some(admin.id), "node.create", node.id, None::<&()>, Some(&node)).await?;
            Ok(node)
        })
        .await
    }

    /// Creates a node under the node with `input.parent_code` (or the root),
    /// with no access check: the seeders' way (administrators go through
    /// [`Store::create_node_by`]).
    pub async fn create_node(&self, actor: Option<Uuid>, input: &NodeInput, now: Timestamp) -> Result<Node> {
        self.write(async |tx| {
            let node = new_node_in(&mut tx.conn, input, "parent_code").await?;
            insert_node(&mut tx.conn, &node).await?;
            tx.audit(now, actor, "node.create", node.id, None::<&()>, Some(&node)).await?;
            Ok(node)
        })
        .await
    }

    /// Imports many nodes in one transaction: new codes are created (parents
    /// before children, in file order), existing codes get their name and
    /// population updated. The first bad row aborts the whole import.
    pub async fn import_nodes(&self, actor: Option<Uuid>, rows: &[ImportRow], now: Timestamp) -> Result<ImportSummary> {
        self.write(async |tx| {
            let mut summary = ImportSummary::default();
            for row in rows {
                let at_line = |e: Invalid| Invalid {
                    errors: e
                        .errors
                        .into_iter()
                        .map(|f| FieldError { field: format!("line {}: {}", row.line, f.field), reason: f.reason })
                        .collect(),
                };
                row.node.check().map_err(at_line)?;
                if let Some(existing) = node_by_code(&mut tx.conn, row.node.code.trim()).await? {
                    let parent_code = match existing.parent_id {
                        Some(p) => node_by_id(&mut tx.conn, p).await?.map(|n| n.code),
                        None => None,
                    };
                    jurisdiction::check_same_parent(&row.node, parent_code.as_deref()).map_err(at_line)?;
                    if existing.name == row.node.name.trim() && existing.population == row.node.population {
                        summary.unchanged += 1;
                        continue;
                    }
                    exec!(
                        &mut tx.conn,
                        sqlx::query("UPDATE nodes SET name = $1, population = $2 WHERE id = $3")
                            .bind(row.node.name.trim())
                            .bind(row.node.population)
                            .bind(existing.id),
                        execute
                    )?;
                    let after = Node { name: row.node.name.trim().to_owned(), population: row.node.population, ..existing.clone() };
                    tx.audit(now, actor, "node.update", existing.id, Some(&existing), Some(&after)).await?;
                    summary.updated += 1;
                } else {
                    let node = new_node_in(&mut tx.conn, &row.node, "parent_code").await.map_err(|e| match e {
                        StoreError::Invalid(i) => StoreError::Invalid(at_line(i)),
                        other => other,
                    })?;
                    insert_node(&mut tx.conn, &node).await?;
                    tx.audit(now, actor, "node.create", node.id, None::<&()>, Some(&node)).await?;
                    summary.created += 1;
                }
            }
            Ok(summary)
        })
        .await
    }

    /// A node by code.
    pub async fn node_by_code(&self, code: &str) -> Result<Option<Node>> {
        self.read(async |c| node_by_code(c, code).await).await
    }

    /// A node by id.
    pub async fn node(&self, id: Uuid) -> Result<Option<Node>> {
        self.read(async |c| node_by_id(c, id).await).await
    }

    /// The root node, if the tree has one.
    pub async fn root_node(&self) -> Result<Option<Node>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE parent_id IS NULL ORDER BY code LIMIT 1");
        let row: Option<NodeRow> = self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())), fetch_optional)?)).await?;
        Ok(row.map(Node::from))
    }

    /// The children of a node, by code.
    pub async fn children(&self, id: Uuid) -> Result<Vec<Node>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE parent_id = $1 ORDER BY code");
        let rows: Vec<NodeRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_all)?)).await?;
        Ok(rows.into_iter().map(Node::from).collect())
    }

    /// Every node at or below `path`, at `level` if given, ordered by path.
    pub async fn subtree(&self, path: &NodePath, level: Option<i64>) -> Result<Vec<Node>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR level = $2) ORDER BY path");
        let pattern = subtree(path);
        let rows: Vec<NodeRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(level), fetch_all)?)).await?;
        Ok(rows.into_iter().map(Node::from).collect())
    }

    /// The units (nodes of the deepest level) at or below `path`.
    pub async fn units_under(&self, path: &NodePath) -> Result<Vec<Node>> {
        let levels = self.levels().await?;
        let deepest = i64::try_from(levels.len()).map_or(i64::MAX, |n| n - 1);
        self.subtree(path, Some(deepest)).await
    }

    /// The `window` of the units (nodes of the deepest level) at or below `path`
    /// whose code starts with `text` or whose name contains it (ignoring
    /// case), by code: how a person's unit is found by someone who does not
    /// know its code.
    pub async fn find_units(&self, path: &NodePath, text: &str, window: Window) -> Result<Vec<Node>> {
        let text = cordon_core::validation::search_text("search", text)?;
        let deepest = i64::try_from(self.levels().await?.len()).unwrap_or(1) - 1;
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let (code_prefix, name_part) = (format!("{escaped}%"), format!("%{}%", escaped.to_lowercase()));
        let sql = format!(
            "SELECT {NODE_COLUMNS} FROM nodes WHERE path LIKE $1 ESCAPE '\\' AND level = $2 \
             AND (code LIKE $3 ESCAPE '\\' OR LOWER(name) LIKE $4 ESCAPE '\\') ORDER BY code LIMIT $5 OFFSET $6"
        );
        let pattern = subtree(path);
        let rows: Vec<NodeRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str()))
                        .bind(&pattern)
                        .bind(deepest)
                        .bind(&code_prefix)
                        .bind(&name_part)
                        .bind(window.limit.clamp(1, MAX_LIMIT + 1))
                        .bind(window.offset.max(0)),
                    fetch_all
                )?)
            })
            .await?;
        Ok(rows.into_iter().map(Node::from).collect())
    }

    /// `admin` creates the facility `input` describes, in one transaction:
    /// the node its `node_code` names is loaded and
    /// [`jurisdiction::facility_by`] decides.
    pub async fn create_facility_by(&self, admin: &User, input: &FacilityInput, now: Timestamp) -> Result<Facility> {
        self.write(async |tx| {
            let node = node_by_code(&mut tx.conn, input.node_code.trim()).await?;
            let facility = jurisdiction::facility_by(admin, Uuid::now_v7(), input, node.as_ref())?;
            insert_facility(tx, Some(admin.id), &facility, now).await?;
            Ok(facility)
        })
        .await
    }

    /// Creates a facility at a node, with no access check: the seeders' way
    /// (administrators go through [`Store::create_facility_by`]).
    pub async fn create_facility(
        &self,
        actor: Option<Uuid>,
        code: &str,
        name: &str,
        kind: FacilityKind,
        node: &Node,
        now: Timestamp,
    ) -> Result<Facility> {
        let mut p = cordon_core::validation::Problems::default();
        let code = jurisdiction::check_code(&mut p, "code", code);
        let name = p.text("name", name, 200);
        p.finish(())?;
        let facility = Facility { id: Uuid::now_v7(), code, name, kind, node_id: node.id, node_path: node.path.clone() };
        self.write(async |tx| {
            insert_facility(tx, actor, &facility, now).await?;
            Ok(facility.clone())
        })
        .await
    }

    /// Facilities at or below `path`.
    pub async fn facilities(&self, path: &NodePath) -> Result<Vec<Facility>> {
        let pattern = subtree(path);
        self.read(async |c| facilities_like(c, &pattern).await).await
    }
}

/// Stores a new facility with its audit record.
async fn insert_facility(tx: &mut Tx<'_>, actor: Option<Uuid>, facility: &Facility, now: Timestamp) -> Result<()> {
    exec!(
        &mut tx.conn,
        sqlx::query("INSERT INTO facilities (id, code, name, kind, node_id, node_path) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(facility.id)
            .bind(&facility.code)
            .bind(&facility.name)
            .bind(facility.kind.as_str())
            .bind(facility.node_id)
            .bind(facility.node_path.as_str()),
        execute
    )
    .map_err(|e| StoreError::taken_or(e, "code", &facility.code))?;
    tx.audit(now, actor, "facility.create", facility.id, None::<&()>, Some(facility)).await
}

/// What placing the node `input` describes needs, as loaded: the node its
/// parent code names, whether the tree has a root, and how many levels it
/// has.
async fn placement_in(c: &mut Conn<'_>, input: &NodeInput) -> Result<(Option<Node>, bool, usize)> {
    let levels = level_names(c).await?.len();
    let named = match input.parent_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => node_by_code(c, code).await?,
        None => None,
    };
    let roots: i64 = exec!(c, sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE parent_id IS NULL"), fetch_one)?;
    Ok((named, roots > 0, levels))
}

/// Loads what placing the node needs ([`placement_in`]) and lets
/// [`jurisdiction::place_node`] build the node.
async fn new_node_in(c: &mut Conn<'_>, input: &NodeInput, parent_field: &str) -> Result<Node> {
    let (named, has_root, levels) = placement_in(c, input).await?;
    Ok(jurisdiction::place_node(Uuid::now_v7(), input, (parent_field, named.as_ref()), has_root, levels)?)
}
