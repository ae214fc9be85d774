//! The access policy: one function decides every read and every write.
//!
//! A user may act only on their own node and its subtree, and only in the ways
//! their role allows. Handlers call [`authorise`] with the node the request
//! touches; stores filter lists by the user's path with the same rule.

use serde::Serialize;

use crate::jurisdiction::NodePath;
use crate::user::{Role, User};

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The target lies outside the user's subtree.
    #[error("{target} is outside your jurisdiction {anchor}")]
    OutsideJurisdiction {
        /// The user's anchor.
        anchor: NodePath,
        /// What they tried to reach.
        target: NodePath,
    },
    /// The user's role does not allow the action.
    #[error("a {role} may not {action:?}")]
    RoleForbids {
        /// The user's role.
        role: &'static str,
        /// The refused action.
        action: Action,
    },
    /// The user account is deactivated.
    #[error("this account is deactivated")]
    Inactive,
}

/// Whether a role may ever perform an action (anywhere in its subtree).
#[must_use]
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::{
        Classify, DirectOrders, FileReport, ManageConfiguration, ManageJurisdictions, ManageRoster, ManageUsers, Read, ReadAudit,
        ReassignTask, RegisterArrival, RegisterPerson, ReviewAlert, RunDetection, WorkTask,
    };
    use Role::{Administrator, BorderOfficer, CommandOfficer, HealthWorker, Reporter};
    match action {
        Read => true,
        RegisterPerson | FileReport => matches!(role, Reporter | HealthWorker | BorderOfficer | CommandOfficer),
        WorkTask | Classify => matches!(role, HealthWorker | CommandOfficer),
        ReassignTask | ManageRoster => matches!(role, CommandOfficer | Administrator),
        ManageUsers | ManageJurisdictions | ManageConfiguration | ReadAudit => role == Administrator,
        DirectOrders | ReviewAlert => role == CommandOfficer,
        RegisterArrival => matches!(role, BorderOfficer | CommandOfficer),
        RunDetection => matches!(role, CommandOfficer | Administrator),
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
        return Err(Denied::RoleForbids { role: user.role.as_str(), action });
    }
    if !user.node_path.contains(target) {
        return Err(Denied::OutsideJurisdiction { anchor: user.node_path.clone(), target: target.clone() });
    }
    Ok(())
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
    fn an_inactive_user_may_do_nothing() {
        let unit = NodePath::root("KR");
        let mut u = user(Role::Administrator, unit.clone());
        u.active = false;
        assert_eq!(authorise(&u, Action::Read, &unit), Err(Denied::Inactive));
    }
}
