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

use crate::jurisdiction::NodePath;
use crate::refusal::Reason;
use crate::task::OnCall;
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

    #[test]
    fn gaps_are_the_uncovered_intervals() {
        let a = NodePath::root("KR");
        let shifts = [shift(1, &a, 0, 8), shift(2, &a, 6, 10), shift(3, &a, 12, 30)];
        assert_eq!(coverage_gaps(&shifts, t(0), t(24)), vec![(t(10), t(12))]);
        assert_eq!(coverage_gaps(&[], t(0), t(24)), vec![(t(0), t(24))]);
    }
}
