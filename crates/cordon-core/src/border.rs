//! The border: which points of entry are closed on a day. Border directives
//! are the one source of this (there is no separate list of closures): the
//! arrivals check, the border officer's page and the entry rules all read it
//! from the directives in force.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::directive::{self, Directive, Measure, Texts, Version};
use crate::jurisdiction::Facility;
use crate::refusal::Reason;

/// Why an arrival is refused at the border.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryError {
    /// A border directive closes the point of entry on that day.
    Closed {
        /// The point of entry.
        code: String,
        /// First closed day of the version in force.
        from: Date,
        /// Last closed day; until further notice when absent.
        to: Option<Date>,
        /// The border directive.
        directive_id: Uuid,
        /// Its version in force on the day.
        version: u32,
    },
}

impl From<&EntryError> for Reason {
    fn from(e: &EntryError) -> Self {
        match e {
            EntryError::Closed { code, from, to, directive_id, version } => {
                Reason::EntryClosed { code: code.clone(), from: *from, to: *to, directive_id: *directive_id, version: *version }
            }
        }
    }
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for EntryError {}

/// Checks that the point of entry is open on `day` under the border
/// directives: of those in force there naming it, the one that took effect
/// last (then the one issued last) decides, so a later "open" lifts an
/// earlier closure without revoking it.
pub fn check_open(directives: &[Directive], point_of_entry: &Facility, day: Date) -> Result<(), EntryError> {
    let deciding = directive::in_force(directives, &point_of_entry.node_path, day)
        .into_iter()
        .filter_map(|(d, v)| match &v.terms.measure {
            Measure::Border { point_of_entry_code, open } if *point_of_entry_code == point_of_entry.code => Some((d, v, *open)),
            _ => None,
        })
        .max_by_key(|(_, v, _)| (v.terms.starts_on, v.issued_at));
    match deciding {
        Some((d, v, false)) => Err(EntryError::Closed {
            code: point_of_entry.code.clone(),
            from: v.terms.starts_on,
            to: v.terms.ends_on,
            directive_id: d.id,
            version: v.number,
        }),
        _ => Ok(()),
    }
}

/// The words of a border directive that closes `code` from `from` to `to`
/// (until further notice when absent), in each language.
#[must_use]
pub fn closure_texts(code: &str, from: Date, to: Option<Date>) -> Texts {
    match to {
        Some(to) => Texts {
            en: format!("Point of entry {code} is closed from {from} to {to}."),
            ko: format!("입국 지점 {code}은(는) {from}부터 {to}까지 폐쇄됩니다."),
        },
        None => Texts {
            en: format!("Point of entry {code} is closed from {from} until further notice."),
            ko: format!("입국 지점 {code}은(는) {from}부터 별도 지시가 있을 때까지 폐쇄됩니다."),
        },
    }
}

/// A closure of a point of entry ordered by a border directive's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Closure {
    /// The point of entry.
    pub point_of_entry_code: String,
    /// First closed day.
    pub from: Date,
    /// Last closed day; until further notice when absent.
    pub to: Option<Date>,
    /// The border directive.
    pub directive_id: Uuid,
    /// Its version.
    pub version: u32,
    /// When that version was issued.
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: Timestamp,
}

/// The closures in force on `today` or still to come, ordered by point of
/// entry then first day: each version of a border directive that closes,
/// cut short where a later version or a revocation ends it. A later "open"
/// directive that lifts a closure early is shown by [`check_open`], not here.
#[must_use]
pub fn closures(directives: &[Directive], today: Date) -> Vec<Closure> {
    let mut found: Vec<Closure> = directives
        .iter()
        .flat_map(|d| d.versions.iter().enumerate().map(move |(i, v)| (d, v, d.versions.get(i + 1))))
        .filter_map(|(d, v, next)| {
            let Measure::Border { point_of_entry_code, open: false } = &v.terms.measure else { return None };
            let cut = [next.map(|n| n.terms.starts_on), d.revoked.as_ref().map(|r| r.from)].into_iter().flatten().min();
            let to = match (v.terms.ends_on, cut.and_then(|c| c.yesterday().ok())) {
                (Some(end), Some(cut)) => Some(end.min(cut)),
                (end, cut) => end.or(cut),
            };
            let ended = to.is_some_and(|to| to < today || to < v.terms.starts_on);
            (!ended).then(|| closure(point_of_entry_code, d, v, to))
        })
        .collect();
    found.sort_by(|a, b| (&a.point_of_entry_code, a.from).cmp(&(&b.point_of_entry_code, b.from)));
    found
}

fn closure(code: &str, d: &Directive, v: &Version, to: Option<Date>) -> Closure {
    Closure {
        point_of_entry_code: code.to_owned(),
        from: v.terms.starts_on,
        to,
        directive_id: d.id,
        version: v.number,
        issued_at: v.issued_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jurisdiction::{FacilityKind, NodePath};
    use jiff::civil::date;

    fn facility(code: &str, kind: FacilityKind, path: &NodePath) -> Facility {
        Facility { id: Uuid::nil(), code: code.into(), name: code.into(), kind, node_id: Uuid::nil(), node_path: path.clone() }
    }

    /// A border directive for the point of entry "POE", issued at `second`.
    fn border(id: u128, open: bool, starts_on: Date, second: i64) -> Directive {
        let measure = Measure::Border { point_of_entry_code: "POE".into(), open };
        let at = Timestamp::from_second(second).unwrap();
        crate::fixtures::directive(id, &NodePath::root("KR"), measure, (starts_on, None), at)
    }

    #[test]
    fn the_border_directive_that_took_effect_last_decides() {
        let day = date(2026, 11, 23);
        let poe = facility("POE", FacilityKind::PointOfEntry, &NodePath::root("KR").child("C1"));
        let closed = border(1, false, date(2026, 11, 20), 1);
        assert!(check_open(std::slice::from_ref(&closed), &poe, day).is_err());
        assert!(check_open(&[closed.clone(), border(2, true, date(2026, 11, 22), 2)], &poe, day).is_ok(), "opened later");
        assert!(check_open(&[border(2, true, date(2026, 11, 10), 2), closed.clone()], &poe, day).is_err(), "opened before the closure");
        assert!(check_open(std::slice::from_ref(&closed), &poe, date(2026, 11, 19)).is_ok(), "before the closure");
        let mut other = closed.clone();
        other.versions[0].terms.measure = Measure::Border { point_of_entry_code: "POE-2".into(), open: false };
        assert!(check_open(&[other], &poe, day).is_ok(), "another point of entry");
        let mut elsewhere = closed;
        elsewhere.scope_path = NodePath::root("KR").child("C2");
        assert!(check_open(&[elsewhere], &poe, day).is_ok(), "a scope that does not hold the point of entry");
    }

    #[test]
    fn closures_list_what_is_closed_now_or_later_cut_where_a_version_or_revocation_ends_it() {
        let today = date(2026, 11, 23);
        let past = {
            let mut d = border(1, false, date(2026, 11, 1), 1);
            d.versions[0].terms.ends_on = Some(date(2026, 11, 10));
            d
        };
        let amended = {
            let mut d = border(2, false, date(2026, 11, 20), 2);
            let mut second = d.versions[0].clone();
            second.number = 2;
            second.terms.starts_on = date(2026, 11, 30);
            second.terms.ends_on = Some(date(2026, 12, 5));
            d.versions.push(second);
            d
        };
        let opened = border(3, true, date(2026, 11, 25), 3);
        let listed = closures(&[past, amended, opened], today);
        let spans: Vec<(Date, Option<Date>, u32)> = listed.iter().map(|c| (c.from, c.to, c.version)).collect();
        assert_eq!(spans, vec![(date(2026, 11, 20), Some(date(2026, 11, 29)), 1), (date(2026, 11, 30), Some(date(2026, 12, 5)), 2)]);
        let mut revoked = border(4, false, date(2026, 11, 20), 4);
        revoked.revoked =
            Some(directive::Revocation { from: date(2026, 11, 22), reason: "lifted".into(), by: Uuid::nil(), at: Timestamp::UNIX_EPOCH });
        assert!(closures(&[revoked], today).is_empty(), "revoked before today");
    }
}
