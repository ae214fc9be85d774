//! Planned gatherings, checked against the gathering limits in force.
//!
//! A unit head (or an organiser through them) registers a planned gathering;
//! [`check`] answers allowed or refused, citing the directive version whose
//! limit decides it. The registration is kept either way.

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::directive::{Directive, Measure, Setting, Version, in_force};
use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// A gathering as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatheringInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// The unit where it is held.
    pub unit_code: String,
    /// The place (a hall, a square, a house).
    #[schema(max_length = 200)]
    pub place: String,
    /// When it starts, local time.
    #[schema(value_type = String, example = "2026-12-10T18:00:00")]
    pub starts_at: DateTime,
    /// How many people are expected.
    pub expected_size: u32,
    /// Indoors or outdoors.
    pub setting: Setting,
    /// What it is for (a wedding, a funeral, a market).
    #[schema(max_length = 200)]
    pub purpose: String,
}

impl GatheringInput {
    /// Checks the fields that need nothing else: a size of at least 1, a
    /// setting that is indoors or outdoors, a place and a purpose.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.text("place", &self.place, 200);
        p.text("purpose", &self.purpose, 200);
        if !(1..=1_000_000).contains(&self.expected_size) {
            p.add("expected_size", Reason::Between { min: 1.0, max: 1_000_000.0, unit: Unit::Number });
        }
        if self.setting == Setting::Any {
            p.add("setting", Reason::OneOf { choices: "indoor, outdoor".into() });
        }
        p.finish(())
    }
}

/// The directive version whose limit decided a gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cited {
    /// The directive.
    pub directive_id: Uuid,
    /// Its version.
    pub version: u32,
    /// The limit it sets.
    pub max_people: u32,
}

/// cordon's answer to a planned gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Allowed; the tightest limit that applies, when one does.
    Allowed {
        /// The limit it keeps within.
        limit: Option<Cited>,
    },
    /// Refused: more people than the limit.
    Refused {
        /// The limit it breaks.
        limit: Cited,
    },
}

/// Checks a gathering of `size` people in `setting` against the directives
/// in force at its place on its day ([`crate::directive::in_force`]): the
/// tightest gathering limit that covers the setting decides (on a tie, the
/// directive issued first).
#[must_use]
pub fn check(in_force: &[(&Directive, &Version)], size: u32, setting: Setting) -> Verdict {
    let tightest = in_force
        .iter()
        .filter_map(|(d, v)| match v.terms.measure {
            Measure::GatheringLimit { max_people, setting: applies } if applies.covers(setting) => {
                Some(Cited { directive_id: d.id, version: v.number, max_people })
            }
            _ => None,
        })
        .min_by_key(|c| (c.max_people, c.directive_id));
    match tightest {
        Some(limit) if size > limit.max_people => Verdict::Refused { limit },
        limit => Verdict::Allowed { limit },
    }
}

/// A registered gathering with cordon's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Gathering {
    /// Identifier.
    pub id: Uuid,
    /// The unit where it is held.
    pub unit_id: Uuid,
    /// That unit's path.
    pub unit_path: NodePath,
    /// The place.
    pub place: String,
    /// When it starts, local time.
    #[schema(value_type = String)]
    pub starts_at: DateTime,
    /// How many people are expected.
    pub expected_size: u32,
    /// Indoors or outdoors.
    pub setting: Setting,
    /// What it is for.
    pub purpose: String,
    /// Allowed or refused, and the limit that decided it.
    pub verdict: Verdict,
    /// Who registered it.
    pub registered_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: Timestamp,
}

/// Decides on a registration: the unit named must be one `user` may record
/// for, the fields must hold, and the gathering is checked against the
/// directives in force at the unit on its day (from `directives`, those over
/// the unit). The registration as it will be kept, allowed or refused.
pub fn decide(
    user: &User,
    unit: Option<&Node>,
    input: &GatheringInput,
    directives: &[Directive],
    now: Timestamp,
) -> Result<Gathering, NodeRefused> {
    let unit = policy::named_node(user, Action::RecordCommunity, ("unit_code", &input.unit_code), unit)?;
    input.check()?;
    let verdict = check(&in_force(directives, &unit.path, input.starts_at.date()), input.expected_size, input.setting);
    Ok(Gathering {
        id: input.id,
        unit_id: unit.id,
        unit_path: unit.path.clone(),
        place: input.place.trim().to_owned(),
        starts_at: input.starts_at,
        expected_size: input.expected_size,
        setting: input.setting,
        purpose: input.purpose.trim().to_owned(),
        verdict,
        registered_by: user.id,
        registered_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directive::{DirectiveInput, Evidence, Terms, Texts, in_force, issue};
    use crate::jurisdiction::NodePath;
    use crate::user::{Role, User};
    use jiff::Timestamp;
    use jiff::civil::{Date, date};
    use proptest::prelude::*;

    fn officer() -> User {
        crate::fixtures::user(Role::CommandOfficer, &NodePath::root("KR"))
    }

    fn limit(id: u128, max_people: u32, setting: Setting, starts_on: Date, ends_on: Option<Date>) -> Directive {
        let scope = crate::fixtures::node(0, &NodePath::root("KR").child("P1"));
        let terms = Terms {
            measure: Measure::GatheringLimit { max_people, setting },
            starts_on,
            ends_on,
            review_on: starts_on,
            text: Texts { en: "No gatherings".into(), ko: "집회 금지".into() },
            evidence: Evidence::default(),
        };
        let input = DirectiveInput::new(Uuid::from_u128(id), "P1", terms);
        issue(&officer(), &scope, &input, starts_on, Timestamp::UNIX_EPOCH).unwrap()
    }

    #[test]
    fn twelve_under_a_limit_of_ten_is_refused_citing_it_and_eight_allowed() {
        let day = date(2026, 12, 1);
        let directives = vec![limit(1, 10, Setting::Any, day, Some(date(2026, 12, 14)))];
        let place = NodePath::root("KR").child("P1").child("U1");
        let now = in_force(&directives, &place, day);
        let cited = Cited { directive_id: Uuid::from_u128(1), version: 1, max_people: 10 };
        assert_eq!(check(&now, 12, Setting::Indoor), Verdict::Refused { limit: cited });
        assert_eq!(check(&now, 8, Setting::Indoor), Verdict::Allowed { limit: Some(cited) });
        let after = in_force(&directives, &place, date(2026, 12, 15));
        assert_eq!(check(&after, 12, Setting::Indoor), Verdict::Allowed { limit: None }, "after expiry");
        let elsewhere = in_force(&directives, &NodePath::root("KR").child("P2"), day);
        assert_eq!(check(&elsewhere, 12, Setting::Indoor), Verdict::Allowed { limit: None }, "outside the scope");
    }

    #[test]
    fn an_indoor_limit_leaves_outdoor_gatherings_to_the_others() {
        let day = date(2026, 12, 1);
        let directives = vec![limit(1, 10, Setting::Indoor, day, None), limit(2, 50, Setting::Any, day, None)];
        let now = in_force(&directives, &NodePath::root("KR").child("P1"), day);
        assert!(matches!(check(&now, 30, Setting::Outdoor), Verdict::Allowed { limit: Some(c) } if c.max_people == 50));
        assert!(matches!(check(&now, 30, Setting::Indoor), Verdict::Refused { limit } if limit.max_people == 10));
    }

    #[test]
    fn a_gathering_names_its_place_size_and_a_setting_it_can_be_held_in() {
        let input = GatheringInput {
            id: Uuid::nil(),
            unit_code: "U1".into(),
            place: " ".into(),
            starts_at: date(2026, 12, 1).at(18, 0, 0, 0),
            expected_size: 0,
            setting: Setting::Any,
            purpose: "wedding".into(),
        };
        let fields: Vec<String> = input.check().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["place", "expected_size", "setting"]);
    }

    proptest! {
        /// A gathering is refused exactly when it is larger than the
        /// smallest limit in force that covers its setting.
        #[test]
        fn refused_exactly_above_the_tightest_limit(limits in prop::collection::vec((1u32..100, 0usize..3), 0..6), size in 1u32..150, indoor in any::<bool>()) {
            let day = date(2026, 12, 1);
            let settings = [Setting::Indoor, Setting::Outdoor, Setting::Any];
            let directives: Vec<Directive> = limits.iter().enumerate().map(|(i, (max, s))| limit(i as u128 + 1, *max, settings[*s], day, None)).collect();
            let held = if indoor { Setting::Indoor } else { Setting::Outdoor };
            let now = in_force(&directives, &NodePath::root("KR").child("P1"), day);
            let tightest = limits.iter().filter(|(_, s)| settings[*s].covers(held)).map(|(max, _)| *max).min();
            let refused = matches!(check(&now, size, held), Verdict::Refused { .. });
            prop_assert_eq!(refused, tightest.is_some_and(|t| size > t));
        }
    }
}
