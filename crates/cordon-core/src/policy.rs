//! The access policy: one function decides every read and every write.
//!
//! A user may act only on their own node and its subtree, and only in the ways
//! their role allows. Handlers call [`authorise`] with the node the request
//! touches; stores filter lists by the user's path with the same rule.

use std::fmt;

use serde::Serialize;

use crate::jurisdiction::{Node, NodePath};
use crate::refusal::Reason;
use crate::user::{Role, User};
use crate::validation::Invalid;

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::EnumIter, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Read anything in the subtree (lists, details, live events).
    Read,
    /// Register or update a resident.
    RegisterPerson,
    /// File a symptom report or a unit's daily report.
    FileReport,
    /// Acknowledge and complete one's own tasks.
    WorkTask,
    /// Record an investigation or classify a case.
    Classify,
    /// Reassign a task to another worker.
    ReassignTask,
    /// Create or remove roster shifts.
    ManageRoster,
    /// Create and deactivate users.
    ManageUsers,
    /// Create or import jurisdictions and facilities.
    ManageJurisdictions,
    /// Edit case definitions and settings.
    ManageConfiguration,
    /// Read the audit log.
    ReadAudit,
    /// Review, verify or discard outbreak alerts.
    ReviewAlert,
    /// Run outbreak detection now (instead of waiting for the daily job).
    RunDetection,
    /// Extend or release isolation and quarantine orders; take on handovers.
    DirectOrders,
    /// Register arrivals at a point of entry.
    RegisterArrival,
    /// Issue, amend and revoke directives; set alert levels.
    IssueDirectives,
    /// Register gatherings, record lecture attendance, log what residents say.
    RecordCommunity,
    /// Export line lists that hold personal data (cases, reports, contacts,
    /// orders, as CSV or FHIR) for the subtree.
    ExportLineLists,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// The target lies outside the user's subtree.
    OutsideJurisdiction {
        /// The user's anchor.
        anchor: NodePath,
        /// What they tried to reach.
        target: NodePath,
    },
    /// The user's role does not allow the action.
    RoleForbids {
        /// The user's role.
        role: Role,
        /// The refused action.
        action: Action,
    },
    /// The user account is deactivated.
    Inactive,
}

impl From<&Denied> for Reason {
    fn from(e: &Denied) -> Self {
        match e {
            // The refusal names the caller's own area, never where the
            // object lies: that would undo the redaction of what they may not see.
            Denied::OutsideJurisdiction { anchor, .. } => Reason::OutsideJurisdiction { anchor: anchor.clone() },
            Denied::RoleForbids { role, action } => Reason::RoleForbids { role: *role, action: *action },
            Denied::Inactive => Reason::Deactivated,
        }
    }
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for Denied {}

/// Whether a role may ever perform an action (anywhere in its subtree).
#[must_use]
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::{
        Classify, DirectOrders, ExportLineLists, FileReport, IssueDirectives, ManageConfiguration, ManageJurisdictions, ManageRoster,
        ManageUsers, Read, ReadAudit, ReassignTask, RecordCommunity, RegisterArrival, RegisterPerson, ReviewAlert, RunDetection, WorkTask,
    };
    use Role::{Administrator, BorderOfficer, CommandOfficer, HealthWorker, Reporter};
    match action {
        Read => true,
        RegisterPerson | FileReport => matches!(role, Reporter | HealthWorker | BorderOfficer | CommandOfficer),
        WorkTask | Classify => matches!(role, HealthWorker | CommandOfficer),
        ReassignTask | ManageRoster => matches!(role, CommandOfficer | Administrator),
        ManageUsers | ManageJurisdictions | ManageConfiguration | ReadAudit => role == Administrator,
        DirectOrders | ReviewAlert | IssueDirectives => role == CommandOfficer,
        RecordCommunity => matches!(role, Reporter | HealthWorker | CommandOfficer),
        RegisterArrival => matches!(role, BorderOfficer | CommandOfficer),
        RunDetection => matches!(role, CommandOfficer | Administrator),
        // Those who read every list of their subtree: commands, and the
        // administrators, whom the policy lets read everything below them.
        ExportLineLists => matches!(role, CommandOfficer | Administrator),
    }
}

/// Whether `user` may look units up by name or code anywhere in the country
/// rather than in their subtree: those who register arrivals, because a
/// traveller may stay anywhere (the arrival names the unit).
#[must_use]
pub fn may_find_units_anywhere(user: &User) -> bool {
    user.active && role_allows(user.role, Action::RegisterArrival)
}

/// Decides whether `user` may perform `action` on something at `target`.
pub fn authorise(user: &User, action: Action, target: &NodePath) -> Result<(), Denied> {
    if !user.active {
        return Err(Denied::Inactive);
    }
    if !role_allows(user.role, action) {
        return Err(Denied::RoleForbids { role: user.role, action });
    }
    if !user.node_path.contains(target) {
        return Err(Denied::OutsideJurisdiction { anchor: user.node_path.clone(), target: target.clone() });
    }
    Ok(())
}

/// Why the node a request names in one of its fields was refused. It reads
/// as the reason it carries.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeRefused {
    /// No node has the code given, or not one of the kind the field wants.
    Invalid(Invalid),
    /// The user may not perform the action there.
    Denied {
        /// The request field that names the node.
        field: &'static str,
        /// Why the policy refused.
        denied: Denied,
    },
}

impl fmt::Display for NodeRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeRefused::Invalid(invalid) => invalid.fmt(f),
            NodeRefused::Denied { denied, .. } => denied.fmt(f),
        }
    }
}

impl std::error::Error for NodeRefused {}

impl From<Invalid> for NodeRefused {
    fn from(invalid: Invalid) -> Self {
        NodeRefused::Invalid(invalid)
    }
}

/// Decides on the node named by the request field `field` (its code
/// `code`), as loaded (`None` when no node has that code): it must exist,
/// and `user` must be allowed to perform `action` there.
pub fn named_node<'a>(
    user: &User,
    action: Action,
    (field, code): (&'static str, &str),
    node: Option<&'a Node>,
) -> Result<&'a Node, NodeRefused> {
    let node = node.ok_or_else(|| Invalid::field(field, Reason::NoNode { code: code.trim().to_owned() }))?;
    authorise(user, action, &node.path).map_err(|denied| NodeRefused::Denied { field, denied })?;
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn user(role: Role, path: NodePath) -> User {
        User {
            id: Uuid::nil(),
            username: "u".into(),
            display_name: "U".into(),
            role,
            node_id: Uuid::nil(),
            node_path: path,
            phone: None,
            active: true,
        }
    }

    #[test]
    fn only_those_who_register_arrivals_find_units_anywhere() {
        let post = NodePath::root("KR").child("11").child("1101-AIR");
        assert!(may_find_units_anywhere(&user(Role::BorderOfficer, post.clone())));
        assert!(may_find_units_anywhere(&user(Role::CommandOfficer, post.clone())));
        assert!(!may_find_units_anywhere(&user(Role::Reporter, post.clone())));
        assert!(!may_find_units_anywhere(&user(Role::HealthWorker, post.clone())));
        let mut gone = user(Role::BorderOfficer, post);
        gone.active = false;
        assert!(!may_find_units_anywhere(&gone));
    }

    #[test]
    fn a_user_reaches_only_their_subtree() {
        let province = NodePath::root("KR").child("11");
        let officer = user(Role::CommandOfficer, province.clone());
        assert!(authorise(&officer, Action::Read, &province.child("1101")).is_ok());
        assert!(authorise(&officer, Action::Read, &NodePath::root("KR").child("12")).is_err());
        assert!(authorise(&officer, Action::Read, &NodePath::root("KR")).is_err());
    }

    #[test]
    fn roles_limit_actions() {
        let unit = NodePath::root("KR").child("u");
        assert!(authorise(&user(Role::Reporter, unit.clone()), Action::Classify, &unit).is_err());
        assert!(authorise(&user(Role::Reporter, unit.clone()), Action::FileReport, &unit).is_ok());
        assert!(authorise(&user(Role::CommandOfficer, unit.clone()), Action::ReadAudit, &unit).is_err());
    }

    #[test]
    fn only_commands_and_administrators_export_line_lists() {
        let unit = NodePath::root("KR").child("u");
        for role in [Role::CommandOfficer, Role::Administrator] {
            assert!(authorise(&user(role, unit.clone()), Action::ExportLineLists, &unit).is_ok(), "{role:?}");
        }
        for role in [Role::Reporter, Role::HealthWorker, Role::BorderOfficer] {
            assert!(authorise(&user(role, unit.clone()), Action::ExportLineLists, &unit).is_err(), "{role:?}");
        }
    }

    #[test]
    fn a_named_node_must_exist_and_lie_in_reach() {
        let province = NodePath::root("KR").child("11");
        let officer = user(Role::CommandOfficer, province.clone());
        let node =
            |path: NodePath| Node { id: Uuid::nil(), code: "X".into(), name: "X".into(), level: 2, parent_id: None, population: 0, path };
        let unknown = named_node(&officer, Action::Read, ("unit_code", " NOWHERE "), None).unwrap_err();
        assert!(
            matches!(unknown, NodeRefused::Invalid(ref i) if i.errors[0].field == "unit_code" && i.errors[0].reason == Reason::NoNode { code: "NOWHERE".into() })
        );
        let outside = node(NodePath::root("KR").child("12").child("1201"));
        let refused = named_node(&officer, Action::Read, ("unit_code", "X"), Some(&outside)).unwrap_err();
        assert!(matches!(refused, NodeRefused::Denied { field: "unit_code", denied: Denied::OutsideJurisdiction { .. } }));
        let inside = node(province.child("1101"));
        assert_eq!(named_node(&officer, Action::Read, ("unit_code", "X"), Some(&inside)), Ok(&inside));
    }

    /// The policy table of docs/SECURITY.md is this function's: a row per
    /// action, a column per role in [`Role::ALL`]'s order, `yes` or `no`.
    #[test]
    fn the_documented_policy_table_is_the_policy() {
        use strum::IntoEnumIterator;
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/SECURITY.md")).unwrap();
        for action in Action::iter() {
            let name: &str = action.into();
            let row = doc.lines().find(|l| l.starts_with(&format!("| `{name}` |"))).unwrap_or_else(|| panic!("no row for {name}"));
            let cells: Vec<&str> = row.split('|').map(str::trim).filter(|c| !c.is_empty()).skip(1).take(Role::ALL.len()).collect();
            let expected: Vec<&str> = Role::ALL.iter().map(|&role| if role_allows(role, action) { "yes" } else { "no" }).collect();
            assert_eq!(cells, expected, "the row of {name} in docs/SECURITY.md");
        }
    }

    #[test]
    fn an_inactive_user_may_do_nothing() {
        let unit = NodePath::root("KR");
        let mut u = user(Role::Administrator, unit.clone());
        u.active = false;
        assert_eq!(authorise(&u, Action::Read, &unit), Err(Denied::Inactive));
    }
}
