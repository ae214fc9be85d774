//! The words and places of quarantine: an order's kind and where it is
//! served, an entry rule, and the country's facilities that name them; used
//! by the orders, arrivals and entry-rules pages.

use cordon_core::jurisdiction::Facility;
use cordon_core::order::{Order, OrderKind, OrderPlace};
use cordon_core::settings::EntryRule;

use crate::state::AppState;
use crate::web::{Lang, WebResult};

/// An order's kind in the viewer's language.
#[must_use]
pub fn kind_label(t: Lang, kind: OrderKind) -> &'static str {
    t.get(match kind {
        OrderKind::Isolation => "quarantine_kind_isolation",
        OrderKind::Quarantine => "quarantine_kind_quarantine",
    })
}

/// Where an order is served: at home, or the facility's name.
#[must_use]
pub fn place_label(t: Lang, order: &Order, facilities: &[Facility]) -> String {
    match order.place {
        OrderPlace::Home => t.get("quarantine_place_home").to_owned(),
        OrderPlace::Facility => facilities
            .iter()
            .find(|f| Some(f.id) == order.facility_id)
            .map_or_else(|| t.get("quarantine_place_facility").to_owned(), |f| format!("{} ({})", f.name, f.code)),
    }
}

/// Every facility of the country (to name the place of facility orders).
pub async fn all_facilities(state: &AppState) -> WebResult<Vec<Facility>> {
    match state.store.root_node().await? {
        Some(root) => Ok(state.store.facilities(&root.path).await?),
        None => Ok(Vec::new()),
    }
}

/// An entry rule in the viewer's language.
#[must_use]
pub fn rule_label(t: Lang, rule: EntryRule) -> &'static str {
    t.get(match rule {
        EntryRule::FacilityQuarantine => "quarantine_rule_facility",
        EntryRule::HomeQuarantine => "quarantine_rule_home",
        EntryRule::NoQuarantine => "quarantine_rule_none",
    })
}

/// A point of entry closed by a border directive, as the border pages list it.
#[derive(Debug, Clone)]
pub struct ClosureLine {
    /// The point of entry's code.
    pub code: String,
    /// The closed days ("2026-12-01 – 2026-12-14", or until further notice).
    pub days: String,
    /// The border directive's id (its page is `/directives/{id}`).
    pub directive_id: String,
    /// The version of the directive that orders it.
    pub version: u32,
}

/// The closures in force today or to come, from the border directives.
pub async fn closure_lines(state: &AppState, t: Lang, today: jiff::civil::Date) -> WebResult<Vec<ClosureLine>> {
    let directives = state.store.border_directives().await?;
    Ok(cordon_core::border::closures(&directives, today)
        .into_iter()
        .map(|c| ClosureLine {
            days: match c.to {
                Some(to) => format!("{} – {to}", c.from),
                None => t.fill("border_from_until_notice", c.from),
            },
            code: c.point_of_entry_code,
            directive_id: c.directive_id.to_string(),
            version: c.version,
        })
        .collect())
}
