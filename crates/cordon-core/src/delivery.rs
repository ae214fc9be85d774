//! Delivering directives: who must acknowledge one, how far acknowledgement
//! has spread over the scope, and which units are late.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directive::{Directive, Refused};
use crate::jurisdiction::NodePath;
use crate::policy::{self, Action};
use crate::refusal::Reason;
use crate::user::User;
use crate::validation::Invalid;

/// How long units have to acknowledge a directive before they escalate like a
/// silent unit, unless the settings say otherwise.
pub const DEFAULT_DEADLINE: SignedDuration = SignedDuration::from_hours(24);

/// Decides whether `user` may acknowledge `directive`: it must be addressed to
/// them (their node lies in its scope) and not revoked.
pub fn acknowledge(user: &User, directive: &Directive) -> Result<(), Invalid> {
    if !user.active || !directive.scope_path.contains(&user.node_path) {
        return Err(Invalid::field("id", Reason::NotAddressed));
    }
    if directive.revoked.is_some() {
        return Err(Invalid::field("id", Reason::DirectiveRevoked));
    }
    Ok(())
}

/// Decides whether `officer` may remind the units of a directive that have
/// not acknowledged it: they direct its scope, and it is not revoked.
pub fn remind(officer: &User, directive: &Directive) -> Result<(), Refused> {
    policy::authorise(officer, Action::IssueDirectives, &directive.scope_path)?;
    if directive.revoked.is_some() {
        return Err(Invalid::field("id", Reason::DirectiveRevoked).into());
    }
    Ok(())
}

/// Acknowledgement under one node of the scope (the scope itself, or one of
/// its children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = DirectiveCoverage)]
pub struct Coverage {
    /// The node.
    pub path: NodePath,
    /// Units below it that acknowledged.
    pub acknowledged: u32,
    /// Units below it.
    pub units: u32,
}

impl Coverage {
    /// Units that have not acknowledged yet.
    #[must_use]
    pub fn pending(&self) -> u32 {
        self.units - self.acknowledged
    }
}

/// Coverage of a directive over its scope: the total first, then one line per
/// child of the scope (by path), from every unit of the scope and whether it
/// acknowledged.
#[must_use]
pub fn coverage(scope: &NodePath, units: &[(NodePath, bool)]) -> Vec<Coverage> {
    let mut total = Coverage { path: scope.clone(), acknowledged: 0, units: 0 };
    let mut children: BTreeMap<NodePath, Coverage> = BTreeMap::new();
    for (unit, acknowledged) in units.iter().filter(|(u, _)| scope.contains(u)) {
        let child = unit.self_and_ancestors().into_iter().find(|p| p.parent().as_ref() == Some(scope)).unwrap_or_else(|| unit.clone());
        let line = children.entry(child.clone()).or_insert(Coverage { path: child, acknowledged: 0, units: 0 });
        for c in [&mut total, line] {
            c.units += 1;
            c.acknowledged += u32::from(*acknowledged);
        }
    }
    std::iter::once(total).chain(children.into_values()).collect()
}

/// Whether a unit that has not acknowledged a directive issued at
/// `issued_at` is late at `now`, given the `deadline`.
#[must_use]
pub fn is_late(issued_at: Timestamp, deadline: SignedDuration, now: Timestamp) -> bool {
    now.duration_since(issued_at) > deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::Role;
    use uuid::Uuid;

    fn p(parts: &[&str]) -> NodePath {
        parts[1..].iter().fold(NodePath::root(parts[0]), |path, part| path.child(part))
    }

    #[test]
    fn coverage_counts_units_per_child_of_the_scope() {
        let scope = p(&["KR", "P1"]);
        let units = [
            (p(&["KR", "P1", "D1", "U1"]), true),
            (p(&["KR", "P1", "D1", "U2"]), false),
            (p(&["KR", "P1", "D2", "U3"]), true),
            (p(&["KR", "P2", "D3", "U4"]), true),
        ];
        let lines = coverage(&scope, &units);
        let counts: Vec<(&str, u32, u32)> = lines.iter().map(|c| (c.path.as_str(), c.acknowledged, c.units)).collect();
        assert_eq!(counts, [(scope.as_str(), 2, 3), (p(&["KR", "P1", "D1"]).as_str(), 1, 2), (p(&["KR", "P1", "D2"]).as_str(), 1, 1)]);
        assert_eq!(lines[0].pending(), 1);
    }

    #[test]
    fn only_those_in_scope_acknowledge() {
        let directive =
            Directive { id: Uuid::nil(), scope_id: Uuid::nil(), scope_path: p(&["KR", "P1"]), versions: Vec::new(), revoked: None };
        let mut user = crate::fixtures::user(Role::Reporter, &p(&["KR", "P1", "D1", "U1"]));
        assert!(acknowledge(&user, &directive).is_ok());
        user.node_path = p(&["KR", "P2", "D3", "U4"]);
        assert_eq!(acknowledge(&user, &directive).unwrap_err().errors[0].reason, Reason::NotAddressed);
        assert!(is_late(Timestamp::UNIX_EPOCH, DEFAULT_DEADLINE, Timestamp::from_second(25 * 3600).unwrap()));
    }
}
