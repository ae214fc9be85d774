//! Values the unit tests of several modules build alike: a suspected case,
//! a resident and a user anchored at a node. Test-only.

use jiff::Timestamp;
use uuid::Uuid;

use crate::case::{Case, CaseStatus};
use crate::jurisdiction::{Node, NodePath};
use crate::person::{Person, Sex};
use crate::user::{Role, User};

/// A suspected case `id` of the person `person_id`, reported at `path`.
pub(crate) fn case(id: u128, person_id: u128, path: &NodePath) -> Case {
    Case {
        id: Uuid::from_u128(id),
        person_id: Uuid::from_u128(person_id),
        unit_id: Uuid::nil(),
        unit_path: path.clone(),
        status: CaseStatus::Suspected,
        outcome: None,
        onset_date: None,
        definition_code: "suspected".into(),
        source_case_id: None,
        opened_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
    }
}

/// A resident `id` living at `path`.
pub(crate) fn resident(id: u128, path: &NodePath) -> Person {
    Person {
        id: Uuid::from_u128(id),
        full_name: "Resident".into(),
        sex: Sex::Female,
        birth_year: 1980,
        unit_id: Uuid::nil(),
        unit_path: path.clone(),
        phone: None,
        address: None,
        document_number: None,
    }
}

/// An active user (id 7) with `role`, anchored at `path`.
pub(crate) fn user(role: Role, path: &NodePath) -> User {
    User {
        id: Uuid::from_u128(7),
        username: "user".into(),
        display_name: "User".into(),
        role,
        node_id: Uuid::nil(),
        node_path: path.clone(),
        phone: None,
        active: true,
    }
}

/// A node `id` at `path` (its level the path's depth).
pub(crate) fn node(id: u128, path: &NodePath) -> Node {
    Node {
        id: Uuid::from_u128(id),
        code: "N".into(),
        name: "Node".into(),
        level: i64::try_from(path.depth()).unwrap_or(0),
        parent_id: None,
        population: 0,
        path: path.clone(),
    }
}
