//! Users of cordon and their roles.
//!
//! Every user is anchored at one node of the jurisdiction tree; together with
//! the role, that anchor is all [`crate::policy`] needs to decide what the
//! user may read and change.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, Denied, NodeRefused};
use crate::refusal::Reason;
use crate::validation::{Invalid, Problems};

/// What a user does in the quarantine system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A unit head or community informant: files reports for a unit.
    Reporter,
    /// An on-call health worker: investigates and follows up.
    HealthWorker,
    /// A border officer at a point of entry.
    BorderOfficer,
    /// A command officer: sees and directs a subtree.
    CommandOfficer,
    /// An administrator: users, jurisdictions, case definitions, settings.
    Administrator,
}

impl Role {
    /// Every role, in order of the table in DESIGN.md.
    pub const ALL: [Role; 5] = [Role::Reporter, Role::HealthWorker, Role::BorderOfficer, Role::CommandOfficer, Role::Administrator];

    /// The stored and displayed name of the role.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::HealthWorker => "health_worker",
            Role::BorderOfficer => "border_officer",
            Role::CommandOfficer => "command_officer",
            Role::Administrator => "administrator",
        }
    }

    /// Parses a role name (`reporter`, `health_worker`, ...).
    #[must_use]
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user as the rest of the system sees them (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Stable identifier.
    pub id: Uuid,
    /// Sign-in name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// What the user does.
    pub role: Role,
    /// The node the user is anchored at.
    pub node_id: Uuid,
    /// That node's path: the root of everything the user may see.
    pub node_path: NodePath,
    /// Phone number for call-outs, when known.
    pub phone: Option<String>,
    /// Whether the user may sign in.
    pub active: bool,
}

impl User {
    /// The active user `id` with `role`, anchored at `node`, with no phone.
    #[must_use]
    pub fn anchored(id: Uuid, username: &str, display_name: &str, role: Role, node: &Node) -> User {
        User {
            id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            role,
            node_id: node.id,
            node_path: node.path.clone(),
            phone: None,
            active: true,
        }
    }
}

/// A user to be created, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Sign-in name: 3-64 letters, digits, `.`, `-` or `_`.
    pub username: String,
    /// Name shown to others.
    #[schema(max_length = 200)]
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Code of the node the user is anchored at.
    pub node_code: String,
    /// Password, 8 to 1,024 characters.
    pub password: String,
    /// Phone number.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
}

impl UserInput {
    /// Checks the fields that need nothing but the input itself.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        let name = self.username.trim();
        if name.len() < 3 || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
            p.add("username", Reason::UsernamePattern);
        }
        p.text("display_name", &self.display_name, 200);
        crate::sign_in::check_password(&mut p, "password", &self.password);
        p.optional_text("phone", self.phone.as_deref(), 40);
        p.finish(())
    }

    /// The active user `id` this input describes, anchored at `node` (the
    /// node its `node_code` names).
    #[must_use]
    pub fn enrol(&self, id: Uuid, node: &Node) -> User {
        User { phone: self.phone.clone(), ..User::anchored(id, self.username.trim(), self.display_name.trim(), self.role, node) }
    }
}

/// Decides on the user `input` describes (its own fields already checked),
/// created by `admin`: the node its `node_code` names, as loaded (`None` when
/// no node has that code), must exist and lie where the administrator may
/// manage users; the active user `id` is anchored there.
pub fn enrol_by(admin: &User, input: &UserInput, id: Uuid, node: Option<&Node>) -> Result<User, NodeRefused> {
    let node = policy::named_node(admin, Action::ManageUsers, ("node_code", &input.node_code), node)?;
    Ok(input.enrol(id, node))
}

/// Why a user's standing cannot change as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandingError {
    /// The administrator may not manage that user.
    Denied(Denied),
    /// Nobody deactivates their own account.
    OwnAccount,
}

impl fmt::Display for StandingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StandingError::Denied(denied) => denied.fmt(f),
            StandingError::OwnAccount => Reason::DeactivateSelf.fmt(f),
        }
    }
}

impl std::error::Error for StandingError {}

impl From<Denied> for StandingError {
    fn from(denied: Denied) -> Self {
        StandingError::Denied(denied)
    }
}

/// Decides on `admin` making `target` (as loaded) active or inactive: the
/// target must be someone the administrator manages, and nobody deactivates
/// themselves. Returns the user as they will be.
pub fn set_active(admin: &User, target: &User, active: bool) -> Result<User, StandingError> {
    policy::authorise(admin, Action::ManageUsers, &target.node_path)?;
    if target.id == admin.id && !active {
        return Err(StandingError::OwnAccount);
    }
    Ok(User { active, ..target.clone() })
}

/// Decides on `admin` resetting the password of `target` (as loaded): the
/// target must be someone the administrator manages. The user must choose a
/// new password at their next sign-in.
pub fn reset_password(admin: &User, target: &User) -> Result<(), Denied> {
    policy::authorise(admin, Action::ManageUsers, &target.node_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The active administrator 1 anchored at `path`.
    fn administrator(path: NodePath) -> User {
        User {
            id: Uuid::from_u128(1),
            username: "admin".into(),
            display_name: "Admin".into(),
            role: Role::Administrator,
            node_id: Uuid::nil(),
            node_path: path,
            phone: None,
            active: true,
        }
    }

    fn node(path: NodePath) -> Node {
        Node { id: Uuid::from_u128(4), code: "C".into(), name: "C".into(), level: 1, parent_id: None, population: 0, path }
    }

    #[test]
    fn a_user_is_enrolled_at_a_known_node_in_the_administrators_reach() {
        let province = NodePath::root("KR").child("P1");
        let admin = administrator(province.clone());
        let input = UserInput {
            username: " kim ".into(),
            display_name: "Kim".into(),
            role: Role::Reporter,
            node_code: "C".into(),
            password: "long enough".into(),
            phone: None,
        };
        let anchor = node(province.child("C"));
        let user = enrol_by(&admin, &input, Uuid::from_u128(1), Some(&anchor)).unwrap();
        assert_eq!((user.username.as_str(), user.node_id, user.active), ("kim", anchor.id, true));
        assert!(matches!(enrol_by(&admin, &input, Uuid::from_u128(1), None), Err(NodeRefused::Invalid(_))));
        let elsewhere = node(NodePath::root("KR").child("P2").child("C"));
        let refused = enrol_by(&admin, &input, Uuid::from_u128(1), Some(&elsewhere));
        assert!(matches!(refused, Err(NodeRefused::Denied { field: "node_code", denied: Denied::OutsideJurisdiction { .. } })));
    }

    #[test]
    fn an_administrator_changes_the_standing_of_others_in_reach_only() {
        let province = NodePath::root("KR").child("P1");
        let admin = administrator(province.clone());
        let worker = User { id: Uuid::from_u128(2), role: Role::HealthWorker, node_path: province.child("C1"), ..admin.clone() };
        assert_eq!(set_active(&admin, &worker, false).map(|u| u.active), Ok(false));
        assert_eq!(set_active(&admin, &admin, false), Err(StandingError::OwnAccount));
        assert_eq!(set_active(&admin, &admin, true).map(|u| u.active), Ok(true));
        let elsewhere = User { node_path: NodePath::root("KR").child("P2"), ..worker };
        assert!(matches!(set_active(&admin, &elsewhere, false), Err(StandingError::Denied(Denied::OutsideJurisdiction { .. }))));
    }
}
