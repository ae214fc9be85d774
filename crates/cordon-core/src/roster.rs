//! Rosters: who is on call for which area, when.
//!
//! A shift puts one health worker on call for one area (a node and, unless a
//! deeper area has its own shift, everything below it) for a time interval.
//! The worker on call for a place is found on the deepest area at or above
//! that place with a shift covering the moment; escalation looks only above the
//! area that failed.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, Denied, NodeRefused};
use crate::refusal::Reason;
use crate::task::OnCall;
use crate::user::{Role, User};
use crate::validation::{Invalid, Problems};

/// One worker on call for one area over an interval `[starts_at, ends_at)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Shift {
    /// Stable identifier.
    pub id: Uuid,
    /// The health worker.
    pub worker_id: Uuid,
    /// The area's node.
    pub node_id: Uuid,
    /// The area's path.
    pub node_path: NodePath,
    /// Start (inclusive).
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Timestamp,
    /// End (exclusive).
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Timestamp,
}

impl Shift {
    /// Whether the worker is on call at `at`.
    #[must_use]
    pub fn covers(&self, at: Timestamp) -> bool {
        self.starts_at <= at && at < self.ends_at
    }
}

/// A shift to be created, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    /// The health worker's user id.
    pub worker_id: Uuid,
    /// Code of the area.
    pub node_code: String,
    /// Start.
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Timestamp,
    /// End; after the start and at most 7 days later.
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Timestamp,
}

impl ShiftInput {
    /// Checks the interval.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        if self.ends_at <= self.starts_at {
            p.add("ends_at", Reason::ShiftEndsFirst);
        } else if self.ends_at.duration_since(self.starts_at) > jiff::SignedDuration::from_hours(24 * 7) {
            p.add("ends_at", Reason::ShiftTooLong { days: 7 });
        }
        p.finish(())
    }
}

/// Decides on `officer` putting a health worker on call as `input` asks,
/// on what was loaded in the transaction: the area its `node_code` names
/// (`area`) and the user its `worker_id` names (`worker`). The interval must
/// hold, the area must exist and lie where the officer keeps rosters
/// ([`policy::named_node`]), and the worker must be an active health worker
/// whose anchor contains the area. Returns the shift `id` to store; the
/// worker's refusals are field errors (`worker_id`, `node_code`).
pub fn put_on_call(officer: &User, input: &ShiftInput, area: Option<&Node>, worker: Option<&User>, id: Uuid) -> Result<Shift, NodeRefused> {
    input.check()?;
    let area = policy::named_node(officer, Action::ManageRoster, ("node_code", &input.node_code), area)?;
    let worker =
        worker.filter(|w| w.active && w.role == Role::HealthWorker).ok_or_else(|| Invalid::field("worker_id", Reason::NotWorker))?;
    if !worker.node_path.contains(&area.path) {
        let reason = Reason::CannotCover { worker: worker.display_name.clone(), area: area.code.clone() };
        return Err(Invalid::field("node_code", reason).into());
    }
    Ok(Shift {
        id,
        worker_id: worker.id,
        node_id: area.id,
        node_path: area.path.clone(),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
    })
}

/// Decides on `officer` removing `shift` (as loaded): they must keep the
/// rosters of its area.
pub fn remove_by(officer: &User, shift: &Shift) -> Result<(), Denied> {
    policy::authorise(officer, Action::ManageRoster, &shift.node_path)
}

/// Picks the worker on call for `place` at `at`: the deepest of `areas` (the
/// place and its ancestors, deepest first) that has a shift covering `at`;
/// among several shifts there, the one that started first, then the lowest
/// worker id, so the choice is stable.
#[must_use]
pub fn on_call(areas: &[NodePath], shifts: &[Shift], at: Timestamp) -> Option<OnCall> {
    areas.iter().find_map(|area| {
        shifts
            .iter()
            .filter(|s| &s.node_path == area && s.covers(at))
            .min_by_key(|s| (s.starts_at, s.worker_id))
            .map(|s| OnCall { worker_id: s.worker_id, area_path: s.node_path.clone() })
    })
}

/// The intervals within `[from, to)` when no shift of `shifts` covers the
/// area: the gaps in 24/7 coverage a command officer must fill.
#[must_use]
pub fn coverage_gaps(shifts: &[Shift], from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    let mut spans: Vec<(Timestamp, Timestamp)> =
        shifts.iter().filter(|s| s.ends_at > from && s.starts_at < to).map(|s| (s.starts_at.max(from), s.ends_at.min(to))).collect();
    spans.sort();
    let mut gaps = Vec::new();
    let mut covered_until = from;
    for (start, end) in spans {
        if start > covered_until {
            gaps.push((covered_until, start));
        }
        covered_until = covered_until.max(end);
    }
    if covered_until < to {
        gaps.push((covered_until, to));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> Timestamp {
        Timestamp::from_second(h * 3600).unwrap()
    }

    fn shift(worker: u128, path: &NodePath, from: i64, to: i64) -> Shift {
        Shift {
            id: Uuid::from_u128(worker),
            worker_id: Uuid::from_u128(worker),
            node_id: Uuid::nil(),
            node_path: path.clone(),
            starts_at: t(from),
            ends_at: t(to),
        }
    }

    #[test]
    fn the_deepest_covering_area_wins() {
        let nation = NodePath::root("KR");
        let county = nation.child("11");
        let unit = county.child("1101");
        let shifts = [shift(1, &nation, 0, 24), shift(2, &county, 0, 8), shift(3, &county, 8, 16)];
        let areas = unit.self_and_ancestors();
        assert_eq!(on_call(&areas, &shifts, t(3)).unwrap().worker_id, Uuid::from_u128(2));
        assert_eq!(on_call(&areas, &shifts, t(8)).unwrap().worker_id, Uuid::from_u128(3));
        let night = on_call(&areas, &shifts, t(20)).unwrap();
        assert_eq!((night.worker_id, night.area_path), (Uuid::from_u128(1), nation));
        assert!(on_call(&areas, &shifts, t(30)).is_none());
    }

    fn node(path: &NodePath) -> Node {
        Node {
            id: Uuid::from_u128(50),
            code: path.code().into(),
            name: "Area".into(),
            level: 2,
            parent_id: None,
            population: 0,
            path: path.clone(),
        }
    }

    #[test]
    fn a_shift_needs_an_area_in_reach_and_an_active_worker_who_covers_it() {
        let province = NodePath::root("KR").child("P1");
        let county = province.child("C1");
        let officer = crate::fixtures::user(Role::CommandOfficer, &province);
        let worker = User { id: Uuid::from_u128(9), ..crate::fixtures::user(Role::HealthWorker, &county) };
        let input = ShiftInput { worker_id: worker.id, node_code: "C1".into(), starts_at: t(0), ends_at: t(8) };
        let area = node(&county);
        let shift = put_on_call(&officer, &input, Some(&area), Some(&worker), Uuid::from_u128(1)).unwrap();
        assert_eq!((shift.worker_id, shift.node_path.clone(), shift.ends_at), (worker.id, county.clone(), t(8)));

        let field_reason = |refused: NodeRefused| match refused {
            NodeRefused::Invalid(i) => (i.errors[0].field.clone(), i.errors[0].reason.clone()),
            NodeRefused::Denied { field, .. } => (field.to_owned(), Reason::Deactivated),
        };
        let unknown = put_on_call(&officer, &input, None, Some(&worker), Uuid::nil()).unwrap_err();
        assert_eq!(field_reason(unknown), ("node_code".into(), Reason::NoNode { code: "C1".into() }));
        let elsewhere = node(&NodePath::root("KR").child("P2"));
        let refused = put_on_call(&officer, &input, Some(&elsewhere), Some(&worker), Uuid::nil()).unwrap_err();
        assert!(matches!(refused, NodeRefused::Denied { field: "node_code", denied: Denied::OutsideJurisdiction { .. } }));
        let inactive = User { active: false, ..worker.clone() };
        let reporter = User { role: Role::Reporter, ..worker.clone() };
        for not_a_worker in [None, Some(&inactive), Some(&reporter)] {
            let refused = put_on_call(&officer, &input, Some(&area), not_a_worker, Uuid::nil()).unwrap_err();
            assert_eq!(field_reason(refused), ("worker_id".into(), Reason::NotWorker));
        }
        let below = User { node_path: county.child("U1"), ..worker.clone() };
        let refused = put_on_call(&officer, &input, Some(&area), Some(&below), Uuid::nil()).unwrap_err();
        assert_eq!(field_reason(refused), ("node_code".into(), Reason::CannotCover { worker: "User".into(), area: "C1".into() }));
        let backwards = ShiftInput { ends_at: t(0), ..input };
        let refused = put_on_call(&officer, &backwards, Some(&area), Some(&worker), Uuid::nil()).unwrap_err();
        assert_eq!(field_reason(refused), ("ends_at".into(), Reason::ShiftEndsFirst));
    }

    #[test]
    fn only_an_officer_who_keeps_the_area_removes_its_shift() {
        let province = NodePath::root("KR").child("P1");
        let in_p1 = shift(1, &province.child("C1"), 0, 8);
        assert!(remove_by(&crate::fixtures::user(Role::CommandOfficer, &province), &in_p1).is_ok());
        let other = crate::fixtures::user(Role::CommandOfficer, &NodePath::root("KR").child("P2"));
        assert!(matches!(remove_by(&other, &in_p1), Err(Denied::OutsideJurisdiction { .. })));
        let worker = crate::fixtures::user(Role::HealthWorker, &province);
        assert!(matches!(remove_by(&worker, &in_p1), Err(Denied::RoleForbids { .. })));
    }

    #[test]
    fn gaps_are_the_uncovered_intervals() {
        let a = NodePath::root("KR");
        let shifts = [shift(1, &a, 0, 8), shift(2, &a, 6, 10), shift(3, &a, 12, 30)];
        assert_eq!(coverage_gaps(&shifts, t(0), t(24)), vec![(t(10), t(12))]);
        assert_eq!(coverage_gaps(&[], t(0), t(24)), vec![(t(0), t(24))]);
    }
}
