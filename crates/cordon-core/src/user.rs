//! Users of cordon and their roles.
//!
//! Every user is anchored at one node of the jurisdiction tree; together with
//! the role, that anchor is all [`crate::policy`] needs to decide what the
//! user may read and change.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Node, NodePath};
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

/// A user to be created, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Sign-in name: 3-64 letters, digits, `.`, `-` or `_`.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Code of the node the user is anchored at.
    pub node_code: String,
    /// Password, at least 8 characters.
    pub password: String,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
}

impl UserInput {
    /// Checks the fields that need nothing but the input itself.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        let name = self.username.trim();
        if name.len() < 3 || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
            p.add("username", "must be 3 to 64 letters, digits, '.', '-' or '_'");
        }
        p.text("display_name", &self.display_name, 200);
        if self.password.chars().count() < 8 {
            p.add("password", "must be at least 8 characters");
        }
        p.optional_text("phone", self.phone.as_deref(), 40);
        p.finish(())
    }

    /// The active user `id` this input describes, anchored at `node` (the
    /// node its `node_code` names).
    #[must_use]
    pub fn enrol(&self, id: Uuid, node: &Node) -> User {
        User {
            id,
            username: self.username.trim().to_owned(),
            display_name: self.display_name.trim().to_owned(),
            role: self.role,
            node_id: node.id,
            node_path: node.path.clone(),
            phone: self.phone.clone(),
            active: true,
        }
    }
}
