//! The words of directives, for every page that shows one (the command's
//! directive pages, the home pages' panel of directives to acknowledge, the
//! board): a kind's name, a measure said in one line, where a directive
//! stands on a day, its text in the viewer's language, and how far it has
//! been acknowledged.

use cordon_core::delivery::Coverage;
use cordon_core::directive::{Audience, Directive, Measure, Setting, Version};
use jiff::civil::Date;

use crate::web::Lang;

/// Every kind of measure, as the API and the forms name them.
pub const KINDS: [&str; 6] = ["gathering_limit", "hygiene", "movement_restriction", "lecture_order", "border", "free_text"];

/// A kind's name in the viewer's language.
#[must_use]
pub fn kind_label(t: Lang, kind: &str) -> &'static str {
    t.get(match kind {
        "gathering_limit" => "directive_kind_gathering_limit",
        "hygiene" => "directive_kind_hygiene",
        "movement_restriction" => "directive_kind_movement_restriction",
        "lecture_order" => "directive_kind_lecture_order",
        "border" => "directive_kind_border",
        _ => "directive_kind_free_text",
    })
}

/// Where a gathering limit applies, in the viewer's language.
#[must_use]
pub fn setting_label(t: Lang, setting: Setting) -> &'static str {
    t.get(match setting {
        Setting::Indoor => "directive_setting_indoor",
        Setting::Outdoor => "directive_setting_outdoor",
        Setting::Any => "directive_setting_any",
    })
}

/// Who a lecture is for, in the viewer's language.
#[must_use]
pub fn audience_label(t: Lang, audience: Audience) -> &'static str {
    t.get(match audience {
        Audience::Residents => "directive_audience_residents",
        Audience::HealthWorkers => "directive_audience_health_workers",
        Audience::Everyone => "directive_audience_everyone",
    })
}

/// A share (0 to 1) as a whole percentage.
#[must_use]
#[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a share of 0 to 1, rounded to 0 to 100")]
pub fn percent(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// What a measure orders, in one line of the viewer's language.
#[must_use]
pub fn summary(t: Lang, measure: &Measure) -> String {
    match measure {
        Measure::GatheringLimit { max_people, setting } => {
            format!("{} ({})", t.fill("directive_summary_gathering", max_people), setting_label(t, *setting))
        }
        Measure::Hygiene { masks, hand_washing, distance_m } => {
            let mut parts = Vec::new();
            if *masks {
                parts.push(t.get("directive_summary_masks").to_owned());
            }
            if *hand_washing {
                parts.push(t.get("directive_summary_hand_washing").to_owned());
            }
            if let Some(d) = distance_m {
                parts.push(t.fill("directive_summary_distance", d));
            }
            if parts.is_empty() { t.get("directive_kind_hygiene").to_owned() } else { parts.join(" · ") }
        }
        Measure::MovementRestriction { between } => t.fill("directive_summary_movement", between.join(", ")),
        Measure::LectureOrder { topic, audience, by, coverage_target } => format!(
            "{} · {} · {} · {}",
            t.fill("directive_summary_lectures", topic),
            audience_label(t, *audience),
            t.fill("directive_summary_by", by),
            t.fill("directive_summary_target", percent(*coverage_target)),
        ),
        Measure::Border { point_of_entry_code, open } => {
            t.fill(if *open { "directive_summary_border_open" } else { "directive_summary_border_closed" }, point_of_entry_code)
        }
        Measure::FreeText => t.get("directive_summary_free_text").to_owned(),
    }
}

/// A version's text in the viewer's language.
#[must_use]
pub fn text_of(t: Lang, version: &Version) -> &str {
    match t {
        Lang::En => &version.terms.text.en,
        Lang::Ko => &version.terms.text.ko,
    }
}

/// A version's days in force: `from – until`, or `from –` when open-ended.
#[must_use]
pub fn period(t: Lang, version: &Version) -> String {
    match version.terms.ends_on {
        Some(end) => format!("{} – {end}", version.terms.starts_on),
        None => t.fill("directive_period_open", version.terms.starts_on),
    }
}

/// Where a directive stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A version governs the day.
    InForce,
    /// No version governs the day yet; one will.
    Upcoming,
    /// Revoked from the day or earlier.
    Revoked,
    /// Its last version ended.
    Ended,
}

impl Standing {
    /// Where `directive` stands on `today`.
    #[must_use]
    pub fn of(directive: &Directive, today: Date) -> Standing {
        if directive.revoked.as_ref().is_some_and(|r| r.from <= today) {
            Standing::Revoked
        } else if directive.version_on(today).is_some() {
            Standing::InForce
        } else if directive.versions.iter().any(|v| v.terms.starts_on > today) {
            Standing::Upcoming
        } else {
            Standing::Ended
        }
    }

    /// Its stable name (for tests and styles).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Standing::InForce => "in_force",
            Standing::Upcoming => "upcoming",
            Standing::Revoked => "revoked",
            Standing::Ended => "ended",
        }
    }

    /// Its name in the viewer's language.
    #[must_use]
    pub fn label(self, t: Lang) -> &'static str {
        t.get(match self {
            Standing::InForce => "directive_standing_in_force",
            Standing::Upcoming => "directive_standing_upcoming",
            Standing::Revoked => "directive_standing_revoked",
            Standing::Ended => "directive_standing_ended",
        })
    }

    /// The CSS class of its badge.
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            Standing::InForce => "status-on-way",
            Standing::Upcoming => "status-case",
            Standing::Revoked | Standing::Ended => "status-received",
        }
    }
}

/// How far a directive has been acknowledged, as a line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    /// Units that acknowledged.
    pub acknowledged: u32,
    /// Units addressed.
    pub units: u32,
    /// The share acknowledged, 0 to 100.
    pub percent: u32,
    /// The two counts in words ("3 of 10 units acknowledged").
    pub text: String,
}

impl Reach {
    /// The reach a coverage line says, in the viewer's language.
    #[must_use]
    pub fn of(t: Lang, c: &Coverage) -> Reach {
        let share = if c.units == 0 { 0.0 } else { f64::from(c.acknowledged) / f64::from(c.units) };
        let text = t.fill("directive_reach_units", c.acknowledged).replacen("{}", &c.units.to_string(), 1);
        Reach { acknowledged: c.acknowledged, units: c.units, percent: percent(share), text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cordon_core::directive::{Evidence, Revocation, Terms, Texts};
    use cordon_core::jurisdiction::NodePath;
    use jiff::Timestamp;
    use uuid::Uuid;

    fn version(number: u32, starts_on: Date, ends_on: Option<Date>) -> Version {
        let terms = Terms {
            measure: Measure::GatheringLimit { max_people: 10, setting: Setting::Indoor },
            starts_on,
            ends_on,
            review_on: starts_on,
            text: Texts { en: "No gatherings".into(), ko: "모임 금지".into() },
            evidence: Evidence::default(),
        };
        Version { number, terms, change_reason: None, issued_by: Uuid::nil(), issued_at: Timestamp::UNIX_EPOCH }
    }

    fn directive(versions: Vec<Version>, revoked_from: Option<Date>) -> Directive {
        let revoked = revoked_from.map(|from| Revocation { from, reason: "over".into(), by: Uuid::nil(), at: Timestamp::UNIX_EPOCH });
        Directive { id: Uuid::nil(), scope_id: Uuid::nil(), scope_path: NodePath::root("KR"), versions, revoked }
    }

    #[test]
    fn a_directive_stands_in_force_upcoming_revoked_or_ended() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2026-11-23");
        assert_eq!(Standing::of(&directive(vec![version(1, today, None)], None), today), Standing::InForce);
        assert_eq!(Standing::of(&directive(vec![version(1, d("2026-11-25"), None)], None), today), Standing::Upcoming);
        assert_eq!(Standing::of(&directive(vec![version(1, d("2026-11-01"), Some(d("2026-11-10")))], None), today), Standing::Ended);
        assert_eq!(Standing::of(&directive(vec![version(1, today, None)], Some(today)), today), Standing::Revoked);
        assert_eq!(Standing::of(&directive(vec![version(1, today, None)], Some(d("2026-11-30"))), today), Standing::InForce);
    }

    #[test]
    fn a_measure_reads_in_either_language() {
        let limit = Measure::GatheringLimit { max_people: 10, setting: Setting::Indoor };
        assert_eq!(summary(Lang::En, &limit), "No gathering of more than 10 people (indoors)");
        assert!(summary(Lang::Ko, &limit).contains("10명"));
        let hygiene = Measure::Hygiene { masks: true, hand_washing: false, distance_m: Some(1.5) };
        assert_eq!(summary(Lang::En, &hygiene), "Masks · Keep 1.5 m apart");
        let reach = Reach::of(Lang::En, &Coverage { path: NodePath::root("KR"), acknowledged: 1, units: 3 });
        assert_eq!((reach.percent, reach.text.as_str()), (33, "1 of 3 units acknowledged"));
    }
}
