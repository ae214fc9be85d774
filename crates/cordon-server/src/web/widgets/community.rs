//! The words and form pieces of the community measures, shared by the
//! gathering, lecture and rumour pages, the investigation page (which names a
//! gathering as exposure) and the board: the setting of a gathering and
//! cordon's verdict on it, the audience of a lecture, the category of a
//! rumour, local times as the forms send and show them, and the unit a unit
//! head records for (fixed when they are anchored at a unit, chosen otherwise).

use cordon_core::directive::{Audience, Setting};
use cordon_core::gathering::{Gathering, Verdict};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::rumour::Category;
use cordon_core::user::User;
use jiff::civil::DateTime;

use crate::state::AppState;
use crate::web::{FieldErrors, FormData, Lang, WebResult};

/// The settings a gathering can be held in, as the form offers them.
pub const SETTINGS: [Setting; 2] = [Setting::Indoor, Setting::Outdoor];

/// The audiences of a lecture, as the form offers them.
pub const AUDIENCES: [Audience; 3] = [Audience::Residents, Audience::HealthWorkers, Audience::Everyone];

/// A gathering's setting (or a limit's) in the viewer's language.
#[must_use]
pub fn setting_label(t: Lang, setting: Setting) -> &'static str {
    t.get(match setting {
        Setting::Indoor => "gathering_setting_indoor",
        Setting::Outdoor => "gathering_setting_outdoor",
        Setting::Any => "gathering_setting_any",
    })
}

/// A lecture's audience in the viewer's language.
#[must_use]
pub fn audience_label(t: Lang, audience: Audience) -> &'static str {
    t.get(match audience {
        Audience::Residents => "lecture_audience_residents",
        Audience::HealthWorkers => "lecture_audience_health_workers",
        Audience::Everyone => "lecture_audience_everyone",
    })
}

/// A rumour's category in the viewer's language.
#[must_use]
pub fn category_label(t: Lang, category: Category) -> &'static str {
    t.get(match category {
        Category::Harmless => "rumour_category_harmless",
        Category::FalseRemedy => "rumour_category_false_remedy",
        Category::Distrust => "rumour_category_distrust",
        Category::Fear => "rumour_category_fear",
        Category::Other => "rumour_category_other",
    })
}

/// cordon's verdict on a gathering in words, and the CSS class that colours it.
#[must_use]
pub fn verdict_label(t: Lang, verdict: &Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Allowed { .. } => (t.get("gathering_allowed"), "status-closed"),
        Verdict::Refused { .. } => (t.get("gathering_refused"), "status-overdue"),
    }
}

/// A local date and time as the pages show it: `YYYY-MM-DD HH:MM`.
#[must_use]
pub fn local_datetime(at: DateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M").to_string()
}

/// A local date and time as a `datetime-local` input holds it: `YYYY-MM-DDTHH:MM`.
#[must_use]
pub fn datetime_value(at: DateTime) -> String {
    at.strftime("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a local date and time as a browser sends it (`2026-12-10T18:00`,
/// seconds optional, a space instead of the `T` accepted).
#[must_use]
pub fn parse_datetime(text: &str) -> Option<DateTime> {
    text.trim().replacen(' ', "T", 1).parse::<DateTime>().ok()
}

/// A gathering in one line, to choose it from a list: when, where, what, how many.
#[must_use]
pub fn gathering_label(g: &Gathering) -> String {
    format!("{} · {} · {} · {} ({})", local_datetime(g.starts_at), g.unit_path.code(), g.place, g.purpose, g.expected_size)
}

/// The unit a form records for: fixed when the user is anchored at a unit
/// (the deepest level of the tree), else chosen from the units below them.
#[derive(Debug, Clone, Default)]
pub struct UnitField {
    /// The user's own unit, when they are anchored at one.
    pub fixed: Option<Node>,
    /// The units to choose from otherwise: code, label, chosen.
    pub units: Vec<(String, String, bool)>,
}

/// The most units a form offers to choose from.
const MAX_UNITS: usize = 500;

/// The unit `user` is anchored at, when their anchor is a unit (the deepest
/// level of the tree).
pub async fn anchored_unit(state: &AppState, user: &User) -> WebResult<Option<Node>> {
    let levels = state.store.levels().await?;
    let node = state.store.node(user.node_id).await?;
    Ok(node.filter(|n| usize::try_from(n.level + 1) == Ok(levels.len())))
}

impl UnitField {
    /// The unit field for `user`, choosing from the units below `under`
    /// (their anchor, or a narrower area) with `chosen` selected.
    pub async fn of(state: &AppState, user: &User, under: &NodePath, chosen: &str) -> WebResult<UnitField> {
        if let Some(fixed) = anchored_unit(state, user).await? {
            return Ok(UnitField { fixed: Some(fixed), units: Vec::new() });
        }
        let units = state.store.units_under(under).await?;
        let units =
            units.into_iter().take(MAX_UNITS).map(|u| (u.code.clone(), format!("{} {}", u.code, u.name), u.code == chosen)).collect();
        Ok(UnitField { fixed: None, units })
    }

    /// The unit code a posted form names: the fixed unit's, else the one
    /// chosen (an error when none was).
    #[must_use]
    pub fn code(&self, v: &FormData, errors: &mut FieldErrors) -> String {
        if let Some(unit) = &self.fixed {
            return unit.code.clone();
        }
        let code = v.get("unit_code").to_owned();
        if code.is_empty() {
            errors.key("unit_code", "reason_required");
        }
        code
    }
}

/// Reads a whole number field, noting an error when it is not one.
pub fn whole_number(v: &FormData, field: &'static str, errors: &mut FieldErrors) -> u32 {
    v.get(field).parse::<u32>().unwrap_or_else(|_| {
        errors.key(field, "reason_whole_number");
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn times_read_as_browsers_send_them_and_show_to_the_minute() {
        let at = date(2026, 12, 10).at(18, 0, 0, 0);
        assert_eq!(parse_datetime("2026-12-10T18:00"), Some(at));
        assert_eq!(parse_datetime("2026-12-10 18:00:00"), Some(at));
        assert_eq!(parse_datetime("tonight"), None);
        assert_eq!((local_datetime(at), datetime_value(at)), ("2026-12-10 18:00".to_owned(), "2026-12-10T18:00".to_owned()));
    }
}
