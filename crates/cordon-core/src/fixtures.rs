//! Values the unit tests of several modules build alike: a suspected case,
//! a resident, a user anchored at a node, a directive. Test-only.

use jiff::Timestamp;
use uuid::Uuid;

use crate::case::{Case, CaseStatus};
use crate::directive::{Directive, Evidence, Measure, Terms, Texts, Version};
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

/// A directive `id` over `scope` with one version ordering `measure` from
/// `starts_on` to `ends_on`, issued at `issued_at`.
pub(crate) fn directive(
    id: u128,
    scope: &NodePath,
    measure: Measure,
    days: (jiff::civil::Date, Option<jiff::civil::Date>),
    issued_at: Timestamp,
) -> Directive {
    let (starts_on, ends_on) = days;
    let terms = Terms {
        measure,
        starts_on,
        ends_on,
        review_on: starts_on,
        text: Texts { en: "Measure".into(), ko: "조치".into() },
        evidence: Evidence::default(),
    };
    Directive {
        id: Uuid::from_u128(id),
        scope_id: Uuid::nil(),
        scope_path: scope.clone(),
        versions: vec![Version { number: 1, terms, change_reason: None, issued_by: Uuid::from_u128(7), issued_at }],
        revoked: None,
    }
}
