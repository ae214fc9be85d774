//! Alert levels in words and colours, shared by the alert-level page, the
//! board and the map: a level's name (0 normal to 3 emergency), the colour of
//! its badge, and each reason of the core's recommendation ([`Why`]) said in
//! a sentence with the figure behind it, in the viewer's language.

use cordon_core::alert_level::{EMERGENCY, Why};

use crate::web::Lang;

/// The badge colours of levels 0 to 3 (white text keeps contrast on each).
pub const LEVEL_COLOURS: [&str; 4] = ["#1b7837", "#2166ac", "#b35806", "#b2182b"];

/// A level's name (`2 · Alert`), in the viewer's language.
#[must_use]
pub fn level_label(t: Lang, level: u8) -> &'static str {
    t.get(match level.min(EMERGENCY) {
        0 => "level_0",
        1 => "level_1",
        2 => "level_2",
        _ => "level_3",
    })
}

/// The colour of a level's badge.
#[must_use]
pub fn level_colour(level: u8) -> &'static str {
    LEVEL_COLOURS[usize::from(level.min(EMERGENCY))]
}

/// A level as the pages show it: the number, the name and the badge colour.
#[derive(Debug, Clone)]
pub struct LevelBadge {
    /// 0 to 3.
    pub level: u8,
    /// Its name.
    pub label: &'static str,
    /// Its colour.
    pub colour: &'static str,
}

impl LevelBadge {
    /// The badge of `level`.
    #[must_use]
    pub fn of(t: Lang, level: u8) -> LevelBadge {
        LevelBadge { level, label: level_label(t, level), colour: level_colour(level) }
    }
}

/// Every level's badge, 0 to 3 (a legend, or the choices of a form).
#[must_use]
pub fn every_level(t: Lang) -> Vec<LevelBadge> {
    (0..=EMERGENCY).map(|level| LevelBadge::of(t, level)).collect()
}

/// `key`'s text with its two `{}` filled in turn.
fn fill_two(t: Lang, key: &str, first: impl std::fmt::Display, second: impl std::fmt::Display) -> String {
    t.fill(key, first).replacen("{}", &second.to_string(), 1)
}

/// One reason of a recommendation in a sentence, with its figure.
#[must_use]
pub fn why_text(t: Lang, why: &Why) -> String {
    match why {
        Why::Incidence { per_100k, threshold } => fill_two(t, "level_why_incidence", format!("{per_100k:.1}"), threshold),
        Why::Rising { growth } => t.fill("level_why_rising", format!("{growth:.2}")),
        Why::Falling { growth } => t.fill("level_why_falling", format!("{growth:.2}")),
        Why::OpenAlerts { count } => t.fill("level_why_open_alerts", count),
        Why::SilentUnits { share } => t.fill("level_why_silent_units", format!("{:.0}", share * 100.0)),
        Why::OverdueTasks { count } => t.fill("level_why_overdue_tasks", count),
        Why::Neighbours { per_100k } => t.fill("level_why_neighbours", format!("{per_100k:.1}")),
        Why::Quiet => t.get("level_why_quiet").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_with_its_figures_in_each_language() {
        let reasons = [
            Why::Incidence { per_100k: 62.04, threshold: 50.0 },
            Why::Rising { growth: 2.0 },
            Why::Falling { growth: 0.5 },
            Why::OpenAlerts { count: 3 },
            Why::SilentUnits { share: 0.4 },
            Why::OverdueTasks { count: 12 },
            Why::Neighbours { per_100k: 120.0 },
            Why::Quiet,
        ];
        for why in &reasons {
            for t in Lang::ALL {
                let text = why_text(t, why);
                assert!(!text.contains("{}") && !text.contains('?'), "{why:?} in {t:?}: {text}");
            }
        }
        assert!(why_text(Lang::En, &reasons[0]).contains("62.0") && why_text(Lang::En, &reasons[0]).contains("50"));
        assert!(why_text(Lang::Ko, &reasons[4]).contains("40"));
        assert_eq!(level_label(Lang::En, 9), level_label(Lang::En, 3), "beyond the scale reads as the top");
    }
}
