//! Alert levels: per node, 0 (normal) to 3 (emergency), recommended from the
//! node's signals with the reasons and figures behind the recommendation, and
//! set by a command officer.
//!
//! The rules look at the 7-day incidence per 100,000 and its growth, open
//! detection alerts, silent units, overdue tasks and, where watched, the
//! neighbouring countries' incidence. They recommend lowering as well as
//! raising, one level at a time and only once the epidemic is falling:
//! prolonged measures have a cost, and residents tire of them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::Problems;

/// The highest level.
pub const EMERGENCY: u8 = 3;

/// Incidence thresholds (7-day cases per 100,000) of levels 1, 2 and 3.
pub const INCIDENCE_THRESHOLDS: [f64; 3] = [10.0, 50.0, 100.0];

/// Week-on-week growth (this week's cases over last week's) at which a level
/// is raised one step ahead of the incidence; below [`FALLING`] the epidemic
/// counts as falling.
pub const RISING: f64 = 1.5;

/// Growth below which the epidemic counts as falling (a level may be lowered).
pub const FALLING: f64 = 0.8;

/// What the rules look at, for one node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Signals {
    /// The level in force.
    pub current: u8,
    /// New cases in the last 7 days per 100,000 residents, when the population is known.
    pub incidence_7d_per_100k: Option<f64>,
    /// This week's cases over last week's, when last week had any.
    pub growth_week_on_week: Option<f64>,
    /// Open (new or under review) detection alerts.
    pub open_alerts: u32,
    /// Share (0 to 1) of units that did not file yesterday's daily report.
    pub silent_share: f64,
    /// Tasks past their deadline.
    pub overdue_tasks: u32,
    /// The highest 7-day incidence per 100,000 among watched neighbouring countries.
    pub neighbours_7d_per_100k: Option<f64>,
}

/// One reason of a recommendation, with the figure behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Why {
    /// The 7-day incidence reaches a level's threshold.
    Incidence {
        /// Cases per 100,000 in 7 days.
        per_100k: f64,
        /// The threshold reached.
        threshold: f64,
    },
    /// Cases are growing fast.
    Rising {
        /// Week-on-week growth.
        growth: f64,
    },
    /// Cases are falling.
    Falling {
        /// Week-on-week growth.
        growth: f64,
    },
    /// Detection alerts are open.
    OpenAlerts {
        /// How many.
        count: u32,
    },
    /// Many units are silent: the picture may be worse than it looks.
    SilentUnits {
        /// Their share.
        share: f64,
    },
    /// Tasks are overdue: the response is not keeping up.
    OverdueTasks {
        /// How many.
        count: u32,
    },
    /// A neighbouring country's incidence is high.
    Neighbours {
        /// Cases per 100,000 in 7 days.
        per_100k: f64,
    },
    /// Nothing calls for a measure.
    Quiet,
}

/// A recommended level with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Recommendation {
    /// The level recommended, 0 to 3.
    pub level: u8,
    /// Why, the strongest reason first.
    pub reasons: Vec<Why>,
}

/// Recommends a level from a node's signals.
///
/// The incidence sets the base (thresholds [`INCIDENCE_THRESHOLDS`]); fast
/// growth raises it one step; open alerts, many silent units, many overdue
/// tasks or a neighbour above the level-2 threshold each call for at least
/// level 1. Above the current level the recommendation is that level; below
/// it, the level steps down by one, and only when cases are falling.
#[must_use]
pub fn recommend(s: &Signals) -> Recommendation {
    let mut reasons = Vec::new();
    let mut level = 0u8;
    if let Some(per_100k) = s.incidence_7d_per_100k {
        for (step, threshold) in (1u8..).zip(INCIDENCE_THRESHOLDS) {
            if per_100k >= threshold {
                level = step;
            }
        }
        if level > 0 {
            reasons.push(Why::Incidence { per_100k, threshold: INCIDENCE_THRESHOLDS[usize::from(level - 1)] });
        }
    }
    let growth = s.growth_week_on_week;
    if let Some(g) = growth.filter(|g| *g >= RISING && level > 0) {
        level = (level + 1).min(EMERGENCY);
        reasons.push(Why::Rising { growth: g });
    }
    let mut floor = |why: Option<Why>| {
        if let Some(why) = why {
            reasons.push(why);
            level = level.max(1);
        }
    };
    floor((s.open_alerts >= 1).then_some(Why::OpenAlerts { count: s.open_alerts }));
    floor((s.silent_share >= 0.3).then_some(Why::SilentUnits { share: s.silent_share }));
    floor((s.overdue_tasks >= 10).then_some(Why::OverdueTasks { count: s.overdue_tasks }));
    floor(s.neighbours_7d_per_100k.filter(|n| *n >= INCIDENCE_THRESHOLDS[1]).map(|per_100k| Why::Neighbours { per_100k }));
    if level < s.current {
        match growth {
            Some(g) if g < FALLING => {
                level = s.current - 1;
                reasons.insert(0, Why::Falling { growth: g });
            }
            // Not falling (or unknown): hold the level in force.
            _ => level = s.current,
        }
    }
    if reasons.is_empty() {
        reasons.push(Why::Quiet);
    }
    Recommendation { level, reasons }
}

/// A level as a command officer sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelInput {
    /// The node.
    pub node_code: String,
    /// The level, 0 to 3.
    pub level: u8,
    /// Why, in the officer's words.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A level set for a node, with the recommendation it was set against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelSet {
    /// Identifier.
    pub id: Uuid,
    /// The node.
    pub node_id: Uuid,
    /// Its path.
    pub node_path: NodePath,
    /// The level set.
    pub level: u8,
    /// What the rules recommended at the time, with the signals and reasons.
    pub recommendation: Recommendation,
    /// The signals the recommendation read.
    pub signals: Signals,
    /// The officer's note.
    pub note: Option<String>,
    /// Who set it.
    pub set_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub set_at: Timestamp,
}

/// Decides on setting a level: the node named must be one `officer` directs,
/// the level 0 to 3. The recommendation and its signals are kept beside the
/// decision, so that a later reader sees what the officer saw.
pub fn set(
    officer: &User,
    node: Option<&Node>,
    input: &LevelInput,
    signals: Signals,
    id: Uuid,
    now: Timestamp,
) -> Result<LevelSet, NodeRefused> {
    let node = policy::named_node(officer, Action::IssueDirectives, ("node_code", &input.node_code), node)?;
    let mut p = Problems::default();
    if input.level > EMERGENCY {
        p.add("level", Reason::Between { min: 0.0, max: f64::from(EMERGENCY), unit: Unit::Number });
    }
    let remark = p.optional_text("note", input.note.as_deref(), 2000);
    p.finish(()).map_err(NodeRefused::Invalid)?;
    Ok(LevelSet {
        id,
        node_id: node.id,
        node_path: node.path.clone(),
        level: input.level,
        recommendation: recommend(&signals),
        signals,
        note: remark,
        set_by: officer.id,
        set_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signals(current: u8, incidence: f64, growth: f64) -> Signals {
        Signals { current, incidence_7d_per_100k: Some(incidence), growth_week_on_week: Some(growth), ..Signals::default() }
    }

    #[test]
    fn rising_incidence_raises_the_level_with_its_figures() {
        let r = recommend(&signals(0, 62.0, 1.1));
        assert_eq!(r, Recommendation { level: 2, reasons: vec![Why::Incidence { per_100k: 62.0, threshold: 50.0 }] });
        let fast = recommend(&signals(1, 62.0, 2.0));
        assert_eq!(fast.level, 3);
        assert_eq!(fast.reasons[1], Why::Rising { growth: 2.0 });
    }

    #[test]
    fn a_level_comes_down_one_step_at_a_time_and_only_when_falling() {
        assert_eq!(recommend(&signals(3, 5.0, 0.5)), Recommendation { level: 2, reasons: vec![Why::Falling { growth: 0.5 }] });
        assert_eq!(recommend(&signals(3, 5.0, 0.95)).level, 3, "flat: hold");
        assert_eq!(recommend(&signals(1, 0.0, 0.2)), Recommendation { level: 0, reasons: vec![Why::Falling { growth: 0.2 }] });
    }

    #[test]
    fn signals_other_than_incidence_call_for_watchfulness() {
        let quiet = Signals::default();
        assert_eq!(recommend(&quiet), Recommendation { level: 0, reasons: vec![Why::Quiet] });
        let blind = Signals { silent_share: 0.4, overdue_tasks: 12, neighbours_7d_per_100k: Some(120.0), ..Signals::default() };
        let r = recommend(&blind);
        assert_eq!(r.level, 1);
        assert_eq!(r.reasons, vec![Why::SilentUnits { share: 0.4 }, Why::OverdueTasks { count: 12 }, Why::Neighbours { per_100k: 120.0 }]);
    }

    proptest! {
        /// The recommendation stays within 0 to 3, always says why, never
        /// falls by more than one step, and falls only when cases are falling.
        #[test]
        fn recommendations_are_bounded_and_step_down_slowly(current in 0u8..=3, incidence in 0.0f64..500.0, growth in 0.0f64..4.0, alerts in 0u32..5, silent in 0.0f64..1.0) {
            let s = Signals { current, incidence_7d_per_100k: Some(incidence), growth_week_on_week: Some(growth), open_alerts: alerts, silent_share: silent, ..Signals::default() };
            let r = recommend(&s);
            prop_assert!(r.level <= EMERGENCY && !r.reasons.is_empty());
            if r.level < current {
                prop_assert_eq!(r.level, current - 1);
                prop_assert!(growth < FALLING);
            }
        }
    }
}
