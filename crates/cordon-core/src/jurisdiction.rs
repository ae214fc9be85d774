//! The jurisdiction tree: nation → province → county → district → unit.
//!
//! Levels are data (a list of names, root first), not code. Every node has a
//! code unique in the country, a name and a population, and a materialised
//! [`NodePath`] made of the codes from the root down, so that "is this node in
//! that subtree" is a prefix test both here and in SQL.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::policy::{self, Action, Denied, NodeRefused};
use crate::refusal::Reason;
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// The default level names, root first.
pub const DEFAULT_LEVELS: [&str; 5] = ["nation", "province", "county", "district", "unit"];

/// The path of a node from the root, e.g. `/KR/11/1101/`; a subtree is every
/// path that starts with its root's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct NodePath(String);

impl NodePath {
    /// The path of a root node with the given code.
    #[must_use]
    pub fn root(code: &str) -> Self {
        Self(format!("/{code}/"))
    }

    /// The path of a child with `code` under this node.
    #[must_use]
    pub fn child(&self, code: &str) -> Self {
        Self(format!("{}{code}/", self.0))
    }

    /// Wraps a path read back from storage.
    #[must_use]
    pub fn from_stored(path: String) -> Self {
        Self(path)
    }

    /// The path as text, always starting and ending with `/`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this node or lies below it.
    #[must_use]
    pub fn contains(&self, other: &NodePath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The depth of the node: 0 for the root.
    #[must_use]
    pub fn depth(&self) -> usize {
        self.0.matches('/').count().saturating_sub(2)
    }

    /// The parent's path, `None` for the root.
    #[must_use]
    pub fn parent(&self) -> Option<NodePath> {
        let trimmed = self.0.strip_suffix('/')?;
        let cut = trimmed.rfind('/')?;
        (cut > 0).then(|| NodePath(self.0[..=cut].to_owned()))
    }

    /// This path and every ancestor's, deepest first.
    #[must_use]
    pub fn self_and_ancestors(&self) -> Vec<NodePath> {
        let mut out = vec![self.clone()];
        let mut at = self.clone();
        while let Some(parent) = at.parent() {
            out.push(parent.clone());
            at = parent;
        }
        out
    }

    /// The code of the node this path ends at.
    #[must_use]
    pub fn code(&self) -> &str {
        let trimmed = self.0.trim_end_matches('/');
        trimmed.rsplit('/').next().unwrap_or(trimmed)
    }
}

impl std::fmt::Display for NodePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A node of the jurisdiction tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Node {
    /// Stable identifier.
    pub id: Uuid,
    /// Code, unique in the country (e.g. an administrative code).
    pub code: String,
    /// Name in the local language.
    pub name: String,
    /// Depth in the tree (0 = nation); names come from the level list.
    pub level: i64,
    /// The parent node, `None` for the root.
    pub parent_id: Option<Uuid>,
    /// Resident population, for rates.
    pub population: i64,
    /// Materialised path of codes from the root.
    pub path: NodePath,
}

/// A node to be created, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeInput {
    /// Code, unique in the country; letters, digits, `-` and `_`.
    pub code: String,
    /// Name.
    #[schema(max_length = 200)]
    pub name: String,
    /// Code of the parent node; absent only for the root.
    pub parent_code: Option<String>,
    /// Resident population (0 or more).
    #[serde(default)]
    pub population: i64,
}

/// Checks a node code: 1-32 characters of letters, digits, `-`, `_` or `.`.
pub fn check_code(problems: &mut Problems, field: &str, code: &str) -> String {
    let code = code.trim();
    if code.is_empty() || code.len() > 32 {
        problems.add(field, Reason::CodeLength);
    } else if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        problems.add(field, Reason::CodeCharacters);
    }
    code.to_owned()
}

impl NodeInput {
    /// Validates the fields that do not need the tree (code, name, population).
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        check_code(&mut p, "code", &self.code);
        p.text("name", &self.name, 200);
        if self.population < 0 {
            p.add("population", Reason::Negative);
        }
        p.finish(())
    }
}

/// Builds a new node under `parent` (or as the root) after checking the input
/// and the level limit.
pub fn new_node(id: Uuid, input: &NodeInput, parent: Option<&Node>, levels: usize) -> Result<Node, Invalid> {
    input.check()?;
    let code = input.code.trim();
    let (level, path, parent_id) = match parent {
        Some(parent) => (parent.level + 1, parent.path.child(code), Some(parent.id)),
        None => (0, NodePath::root(code), None),
    };
    if usize::try_from(level).map_or(true, |level| level >= levels.max(1)) {
        return Err(Invalid::field("parent_code", Reason::BelowUnit { levels }));
    }
    Ok(Node { id, code: code.to_owned(), name: input.name.trim().to_owned(), level, parent_id, population: input.population, path })
}

/// Where a new node goes, as loaded: under the node its `parent_code` names
/// (`named`, refused when the code names none), or as the root when no code
/// is given (refused when the tree has a root already). `parent_field` is
/// the request field that names the parent.
pub fn place_node(
    id: Uuid,
    input: &NodeInput,
    (parent_field, named): (&str, Option<&Node>),
    has_root: bool,
    levels: usize,
) -> Result<Node, Invalid> {
    let parent = match input.parent_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(named.ok_or_else(|| Invalid::field(parent_field, Reason::NoNode { code: code.to_owned() }))?),
        None if has_root => return Err(Invalid::field(parent_field, Reason::RootExists)),
        None => None,
    };
    new_node(id, input, parent, levels)
}

/// Why an administrator's change to the tree was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// The administrator may not change the tree there.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// A field is wrong, or the node it names is unknown or out of reach.
    #[error(transparent)]
    Node(#[from] NodeRefused),
}

impl From<Invalid> for Refused {
    fn from(invalid: Invalid) -> Self {
        Refused::Node(NodeRefused::Invalid(invalid))
    }
}

/// Decides on `admin` creating the node `input` describes, on what was
/// loaded (as [`place_node`] takes it): under a parent, they must manage the
/// tree there ([`policy::named_node`] on `parent_code`); as the root, they
/// must manage the tree at all. Then [`place_node`] builds the node.
pub fn place_node_by(
    admin: &User,
    id: Uuid,
    input: &NodeInput,
    named: Option<&Node>,
    has_root: bool,
    levels: usize,
) -> Result<Node, Refused> {
    match input.parent_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => {
            policy::named_node(admin, Action::ManageJurisdictions, ("parent_code", code), named)?;
        }
        None => policy::authorise(admin, Action::ManageJurisdictions, &admin.node_path)?,
    }
    Ok(place_node(id, input, ("parent_code", named), has_root, levels)?)
}

/// Decides on `admin` renaming or reshaping the levels to `names`, given the
/// depth of the deepest node stored (`None` when the tree is empty): they
/// must manage the tree, every node must keep a level, and the names must
/// keep [`check_levels`].
pub fn relevel_by(admin: &User, names: &[String], deepest: Option<i64>) -> Result<(), Refused> {
    policy::authorise(admin, Action::ManageJurisdictions, &admin.node_path)?;
    if let Some(deepest) = deepest {
        let depth = usize::try_from(deepest).unwrap_or(0);
        if depth >= names.len() {
            return Err(Invalid::field("levels", Reason::LevelsTooFew { depth, levels: depth + 1 }).into());
        }
    }
    Ok(check_levels(names)?)
}

/// Checks new level names: 1 to 10, none empty.
pub fn check_levels(names: &[String]) -> Result<(), Invalid> {
    if names.is_empty() || names.len() > 10 || names.iter().any(|n| n.trim().is_empty()) {
        return Err(Invalid::field("levels", Reason::LevelNames));
    }
    Ok(())
}

/// Checks that an imported row for an existing node keeps its parent
/// (`existing_parent_code`, as loaded).
pub fn check_same_parent(input: &NodeInput, existing_parent_code: Option<&str>) -> Result<(), Invalid> {
    if existing_parent_code != input.parent_code.as_deref().map(str::trim) {
        return Err(Invalid::field("parent_code", Reason::ParentDiffers));
    }
    Ok(())
}

/// Kinds of facility hung off a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// A hospital.
    Hospital,
    /// A clinic or health post.
    Clinic,
    /// A quarantine centre.
    QuarantineCentre,
    /// A laboratory.
    Laboratory,
    /// A border crossing, port or airport.
    PointOfEntry,
}

impl FacilityKind {
    /// The stored name of the kind.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hospital => "hospital",
            Self::Clinic => "clinic",
            Self::QuarantineCentre => "quarantine_centre",
            Self::Laboratory => "laboratory",
            Self::PointOfEntry => "point_of_entry",
        }
    }

    /// Parses a stored kind name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Hospital, Self::Clinic, Self::QuarantineCentre, Self::Laboratory, Self::PointOfEntry].into_iter().find(|k| k.as_str() == s)
    }
}

/// A facility (hospital, quarantine centre, point of entry, ...) at a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Facility {
    /// Stable identifier.
    pub id: Uuid,
    /// Code, unique in the country.
    pub code: String,
    /// Name.
    pub name: String,
    /// What the facility is.
    pub kind: FacilityKind,
    /// The node it belongs to.
    pub node_id: Uuid,
    /// That node's path.
    pub node_path: NodePath,
}

/// A facility to create, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityInput {
    /// Code, unique in the country.
    pub code: String,
    /// Name.
    #[schema(max_length = 200)]
    pub name: String,
    /// What it is.
    pub kind: FacilityKind,
    /// Code of the node it belongs to.
    pub node_code: String,
}

/// Decides on `admin` creating the facility `input` describes as `id`, at
/// the node its `node_code` names (`node`, as loaded): the node must exist
/// and lie where the administrator manages the tree, and the code and the
/// name must keep their rules.
pub fn facility_by(admin: &User, id: Uuid, input: &FacilityInput, node: Option<&Node>) -> Result<Facility, NodeRefused> {
    let node = policy::named_node(admin, Action::ManageJurisdictions, ("node_code", &input.node_code), node)?;
    let mut p = Problems::default();
    let code = check_code(&mut p, "code", &input.code);
    let name = p.text("name", &input.name, 200);
    p.finish(())?;
    Ok(Facility { id, code, name, kind: input.kind, node_id: node.id, node_path: node.path.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, parent_code: Option<&str>) -> NodeInput {
        NodeInput { code: code.into(), name: code.into(), parent_code: parent_code.map(str::to_owned), population: 10 }
    }

    #[test]
    fn a_node_goes_under_a_known_parent_or_becomes_the_only_root() {
        let root = place_node(Uuid::from_u128(1), &input("KR", None), ("parent_code", None), false, 3).unwrap();
        let second_root = place_node(Uuid::from_u128(2), &input("JP", None), ("parent_code", None), true, 3).unwrap_err();
        assert_eq!(second_root.errors[0].reason, Reason::RootExists);
        let unknown = place_node(Uuid::from_u128(2), &input("P1", Some("XX")), ("node.parent_code", None), true, 3).unwrap_err();
        assert_eq!(
            (unknown.errors[0].field.as_str(), &unknown.errors[0].reason),
            ("node.parent_code", &Reason::NoNode { code: "XX".into() })
        );
        let child = place_node(Uuid::from_u128(2), &input("P1", Some("KR")), ("parent_code", Some(&root)), true, 3).unwrap();
        assert_eq!((child.level, child.path), (1, NodePath::root("KR").child("P1")));
        assert!(check_levels(&[]).is_err() && check_levels(&[" ".into()]).is_err() && check_levels(&["nation".into()]).is_ok());
        assert!(check_same_parent(&input("P1", Some("KR")), Some("KR")).is_ok());
        assert!(check_same_parent(&input("P1", Some("KR")), None).is_err());
    }

    fn node_at(path: &NodePath, level: i64) -> Node {
        Node {
            id: Uuid::from_u128(9),
            code: path.code().into(),
            name: "n".into(),
            level,
            parent_id: None,
            population: 0,
            path: path.clone(),
        }
    }

    #[test]
    fn an_administrator_adds_to_the_tree_in_reach_only() {
        use crate::user::Role;
        let p1 = NodePath::root("KR").child("P1");
        let admin = crate::fixtures::user(Role::Administrator, &p1);
        let parent = node_at(&p1, 1);
        let child = place_node_by(&admin, Uuid::nil(), &input("C9", Some("P1")), Some(&parent), true, 5).unwrap();
        assert_eq!(child.path, p1.child("C9"));
        let p2 = node_at(&NodePath::root("KR").child("P2"), 1);
        let refused = place_node_by(&admin, Uuid::nil(), &input("C9", Some("P2")), Some(&p2), true, 5).unwrap_err();
        assert!(matches!(refused, Refused::Node(NodeRefused::Denied { field: "parent_code", .. })));
        let officer = crate::fixtures::user(Role::CommandOfficer, &p1);
        let refused = place_node_by(&officer, Uuid::nil(), &input("C9", None), None, true, 5).unwrap_err();
        assert!(matches!(refused, Refused::Denied(Denied::RoleForbids { .. })));
        let root = place_node_by(&admin, Uuid::nil(), &input("C9", None), None, true, 5).unwrap_err();
        assert!(matches!(root, Refused::Node(NodeRefused::Invalid(ref i)) if i.errors[0].reason == Reason::RootExists));

        let facility =
            FacilityInput { code: "QC-1".into(), name: "Centre".into(), kind: FacilityKind::QuarantineCentre, node_code: "P1".into() };
        assert_eq!(facility_by(&admin, Uuid::nil(), &facility, Some(&parent)).map(|f| f.node_path), Ok(p1.clone()));
        assert!(matches!(facility_by(&admin, Uuid::nil(), &facility, Some(&p2)), Err(NodeRefused::Denied { field: "node_code", .. })));
        assert!(matches!(facility_by(&admin, Uuid::nil(), &facility, None), Err(NodeRefused::Invalid(_))));
        let unnamed = FacilityInput { name: " ".into(), ..facility };
        assert!(
            matches!(facility_by(&admin, Uuid::nil(), &unnamed, Some(&parent)), Err(NodeRefused::Invalid(ref i)) if i.errors[0].field == "name")
        );
    }

    #[test]
    fn levels_keep_every_node_on_one() {
        use crate::user::Role;
        let admin = crate::fixtures::user(Role::Administrator, &NodePath::root("KR"));
        let names = |n: usize| (0..n).map(|i| format!("level {i}")).collect::<Vec<_>>();
        assert_eq!(relevel_by(&admin, &names(3), Some(2)), Ok(()));
        assert_eq!(relevel_by(&admin, &names(1), None), Ok(()));
        let too_few = relevel_by(&admin, &names(2), Some(2)).unwrap_err();
        assert!(
            matches!(too_few, Refused::Node(NodeRefused::Invalid(ref i)) if i.errors[0].reason == Reason::LevelsTooFew { depth: 2, levels: 3 })
        );
        assert!(matches!(relevel_by(&admin, &[], None), Err(Refused::Node(_))));
        let officer = crate::fixtures::user(Role::CommandOfficer, &NodePath::root("KR"));
        assert!(matches!(relevel_by(&officer, &names(5), None), Err(Refused::Denied(_))));
    }

    #[test]
    fn a_path_knows_its_ancestors_and_subtree() {
        let unit = NodePath::root("KR").child("11").child("1101").child("110101");
        assert_eq!(unit.depth(), 3);
        assert_eq!(unit.code(), "110101");
        assert_eq!(unit.parent(), Some(NodePath::root("KR").child("11").child("1101")));
        assert_eq!(unit.self_and_ancestors().len(), 4);
        assert!(NodePath::root("KR").contains(&unit));
        assert!(!NodePath::root("KR").child("12").contains(&unit));
        assert!(!NodePath::root("KR").child("1").contains(&unit), "prefix of a code is not an ancestor");
        assert_eq!(NodePath::root("KR").parent(), None);
    }

    #[test]
    fn a_node_below_the_last_level_is_refused() {
        let input = NodeInput { code: "X".into(), name: "x".into(), parent_code: Some("U".into()), population: 1 };
        let unit = Node {
            id: Uuid::nil(),
            code: "U".into(),
            name: "u".into(),
            level: 4,
            parent_id: None,
            population: 0,
            path: NodePath::root("U"),
        };
        assert!(new_node(Uuid::nil(), &input, Some(&unit), 5).is_err());
    }

    #[test]
    fn codes_with_slashes_are_refused() {
        let input = NodeInput { code: "a/b".into(), name: "x".into(), parent_code: None, population: 1 };
        assert_eq!(input.check().unwrap_err().errors[0].field, "code");
    }
}
