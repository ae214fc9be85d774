//! Directives: the measures a quarantine command issues to the units below it
//! (a gathering limit, a hygiene rule, a movement restriction, a lecture
//! order, a closed or opened border, or free text).
//!
//! A directive has a scope (a node and its subtree) and versions: amending
//! adds a version effective from a later day, and earlier versions stay
//! readable. [`in_force`] answers "what is in force at place P on day D" over
//! the versions; every part of cordon that needs a measure asks it.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Facility, Node, NodePath};
use crate::policy::{self, Action, Denied};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// Where a gathering is held, or which gatherings a limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Indoors.
    Indoor,
    /// Outdoors.
    Outdoor,
    /// Indoors and outdoors (for a limit only).
    Any,
}

impl Setting {
    /// Whether a limit set for `self` applies to a gathering held in `held`.
    #[must_use]
    pub fn covers(self, held: Setting) -> bool {
        self == Setting::Any || self == held
    }
}

/// Who a lecture is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The residents of the units.
    Residents,
    /// Health workers.
    HealthWorkers,
    /// Everyone.
    Everyone,
}

/// What a directive orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[schema(as = DirectiveMeasure)]
pub enum Measure {
    /// No gathering of more than `max_people` in the setting.
    GatheringLimit {
        /// The most people allowed.
        max_people: u32,
        /// Indoors, outdoors or both.
        setting: Setting,
    },
    /// Personal hygiene and distancing.
    Hygiene {
        /// Masks required.
        masks: bool,
        /// Hand washing required.
        hand_washing: bool,
        /// Distance to keep, in metres.
        #[serde(default)]
        distance_m: Option<f64>,
    },
    /// No movement between the named nodes (by code).
    MovementRestriction {
        /// The nodes between which movement is restricted.
        between: Vec<String>,
    },
    /// Explanatory lectures to be held.
    LectureOrder {
        /// The topic.
        topic: String,
        /// Who they are for.
        audience: Audience,
        /// The day by which they are held.
        by: Date,
        /// The share of units (0 to 1) that should have attended by then.
        coverage_target: f64,
    },
    /// A point of entry closed or opened.
    Border {
        /// The point of entry (a facility code).
        point_of_entry_code: String,
        /// Whether it is open.
        open: bool,
    },
    /// A measure said in words only.
    FreeText,
}

impl Measure {
    /// The kind, as the API names it (`gathering_limit`, `border`, ...).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Measure::GatheringLimit { .. } => "gathering_limit",
            Measure::Hygiene { .. } => "hygiene",
            Measure::MovementRestriction { .. } => "movement_restriction",
            Measure::LectureOrder { .. } => "lecture_order",
            Measure::Border { .. } => "border",
            Measure::FreeText => "free_text",
        }
    }

    /// Field problems of the measure itself.
    fn check(&self, starts_on: Date, p: &mut Problems) {
        match self {
            Measure::GatheringLimit { max_people, .. } if !(1..=1_000_000).contains(max_people) => {
                p.add("measure.max_people", Reason::Between { min: 1.0, max: 1_000_000.0, unit: Unit::Number });
            }
            Measure::Hygiene { distance_m: Some(d), .. } if !(d.is_finite() && (0.0..=10.0).contains(d)) => {
                p.add("measure.distance_m", Reason::Between { min: 0.0, max: 10.0, unit: Unit::Number });
            }
            Measure::MovementRestriction { between } if between.len() < 2 || between.iter().any(|c| c.trim().is_empty()) => {
                p.add("measure.between", Reason::TwoNodesAtLeast);
            }
            Measure::LectureOrder { topic, by, coverage_target, .. } => {
                p.text("measure.topic", topic, 200);
                if *by < starts_on {
                    p.add("measure.by", Reason::BeforeStart);
                }
                if !(coverage_target.is_finite() && (0.0..=1.0).contains(coverage_target)) {
                    p.add("measure.coverage_target", Reason::Between { min: 0.0, max: 1.0, unit: Unit::Number });
                }
            }
            Measure::Border { point_of_entry_code, .. } => {
                p.text("measure.point_of_entry_code", point_of_entry_code, 32);
            }
            _ => {}
        }
    }
}

/// A directive's text in each language of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

/// What prompted a directive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Detection alerts.
    #[serde(default)]
    pub alert_ids: Vec<Uuid>,
    /// Alert levels set.
    #[serde(default)]
    pub alert_level_ids: Vec<Uuid>,
    /// Figures abroad (e.g. "Japan, 7-day incidence 120 per 100,000").
    #[serde(default)]
    pub figures_abroad: Vec<String>,
    /// Anything else, in words.
    #[serde(default)]
    pub note: Option<String>,
}

/// The furthest a directive's end or review may lie after its first day (two years).
pub const MAX_TERM_DAYS: i64 = 730;

/// The most items in each list of a directive's evidence.
pub const MAX_EVIDENCE_ITEMS: usize = 50;

impl Evidence {
    /// Bounds the lists and the figures' words.
    fn check(&self, p: &mut Problems) {
        for (field, len) in [
            ("evidence.alert_ids", self.alert_ids.len()),
            ("evidence.alert_level_ids", self.alert_level_ids.len()),
            ("evidence.figures_abroad", self.figures_abroad.len()),
        ] {
            if len > MAX_EVIDENCE_ITEMS {
                p.add(field, Reason::TooMany { max: MAX_EVIDENCE_ITEMS });
            }
        }
        for (i, figure) in self.figures_abroad.iter().enumerate() {
            p.text(&format!("evidence.figures_abroad[{i}]"), figure, 300);
        }
    }
}

/// The terms of a directive: what, from when, until when, looked at again when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// What is ordered.
    pub measure: Measure,
    /// First day in force.
    pub starts_on: Date,
    /// Last day in force; open-ended when absent.
    #[serde(default)]
    pub ends_on: Option<Date>,
    /// The day it will be looked at again.
    pub review_on: Date,
    /// Its text in each language.
    pub text: Texts,
    /// What prompted it.
    #[serde(default)]
    pub evidence: Evidence,
}

impl Terms {
    /// Checks the terms against today: an interval that ends before it
    /// starts, a review before the start, a measure out of range, blank texts.
    pub fn check(&self, today: Date) -> Result<(), Invalid> {
        let mut p = Problems::default();
        self.measure.check(self.starts_on, &mut p);
        if self.starts_on < today.yesterday().unwrap_or(today) {
            p.add("starts_on", Reason::TooOld { days: 1 });
        }
        if self.ends_on.is_some_and(|end| end < self.starts_on) {
            p.add("ends_on", Reason::BeforeStart);
        }
        if self.review_on < self.starts_on {
            p.add("review_on", Reason::BeforeStart);
        }
        p.text("text.en", &self.text.en, 4000);
        p.text("text.ko", &self.text.ko, 4000);
        let latest = self.starts_on.saturating_add(jiff::Span::new().days(MAX_TERM_DAYS));
        if self.ends_on.is_some_and(|end| end > latest) {
            p.add("ends_on", Reason::TooFarAhead { latest });
        }
        if self.review_on > latest {
            p.add("review_on", Reason::TooFarAhead { latest });
        }
        if let Some(note) = &self.evidence.note {
            p.optional_text("evidence.note", Some(note), 2000);
        }
        self.evidence.check(&mut p);
        p.finish(())
    }
}

/// A directive as a command officer issues it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectiveInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// The node whose subtree it applies to.
    pub scope_code: String,
    /// What, when, and why.
    pub terms: Terms,
}

impl DirectiveInput {
    /// A directive to the node `scope_code` on these terms.
    #[must_use]
    pub fn new(id: Uuid, scope_code: &str, terms: Terms) -> Self {
        DirectiveInput { id, scope_code: scope_code.to_owned(), terms }
    }
}

/// One version of a directive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Version {
    /// 1 for the directive as issued, then one more per amendment.
    pub number: u32,
    /// What, when, and why.
    pub terms: Terms,
    /// Why it was amended (absent on the first version).
    pub change_reason: Option<String>,
    /// Who issued this version.
    pub issued_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: Timestamp,
}

/// A revocation: the directive ends from a day on, for a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Revocation {
    /// The first day it is no longer in force.
    pub from: Date,
    /// Why.
    pub reason: String,
    /// Who revoked it.
    pub by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

/// A directive with every version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Directive {
    /// Identifier.
    pub id: Uuid,
    /// The node whose subtree it applies to.
    pub scope_id: Uuid,
    /// That node's path.
    pub scope_path: NodePath,
    /// The versions, oldest first.
    pub versions: Vec<Version>,
    /// The revocation, when revoked.
    pub revoked: Option<Revocation>,
}

impl Directive {
    /// The latest version.
    #[must_use]
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }

    /// The version that governs `day`: the latest one effective on or before
    /// it, when that version's interval covers the day and the directive is
    /// not revoked by then.
    #[must_use]
    pub fn version_on(&self, day: Date) -> Option<&Version> {
        if self.revoked.as_ref().is_some_and(|r| r.from <= day) {
            return None;
        }
        let version = self.versions.iter().rev().find(|v| v.terms.starts_on <= day)?;
        version.terms.ends_on.is_none_or(|end| day <= end).then_some(version)
    }

    /// Whether it is past its review day on `today` and still to be in force.
    #[must_use]
    pub fn past_review(&self, today: Date) -> bool {
        let Some(current) = self.current() else { return false };
        let ended = self.revoked.is_some() || current.terms.ends_on.is_some_and(|end| end < today);
        !ended && current.terms.review_on < today
    }
}

/// The directives in force at `place` on `day`, each with the version that
/// governs the day: those whose scope contains the place.
#[must_use]
pub fn in_force<'a>(directives: &'a [Directive], place: &NodePath, day: Date) -> Vec<(&'a Directive, &'a Version)> {
    directives.iter().filter(|d| d.scope_path.contains(place)).filter_map(|d| d.version_on(day).map(|v| (d, v))).collect()
}

/// Why a directive is not issued, amended or revoked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A field is wrong.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The officer may not direct that area.
    #[error(transparent)]
    Denied(#[from] Denied),
}

/// Decides on issuing: `officer` must be a command officer at or above the
/// scope, and the terms must hold. The directive as it will be stored.
pub fn issue(officer: &User, scope: &Node, input: &DirectiveInput, today: Date, now: Timestamp) -> Result<Directive, Refused> {
    policy::authorise(officer, Action::IssueDirectives, &scope.path)?;
    input.terms.check(today).map_err(|i| i.prefixed("terms"))?;
    let first = Version { number: 1, terms: input.terms.clone(), change_reason: None, issued_by: officer.id, issued_at: now };
    Ok(Directive { id: input.id, scope_id: scope.id, scope_path: scope.path.clone(), versions: vec![first], revoked: None })
}

/// A border closure kept in the settings of an earlier cordon (from `from` to
/// `to`, inclusive) as the border directive that now says it: scoped to the
/// point of entry's node, looked at again on its last day, issued by
/// `issuer`. Not checked against today: the closure may have begun long ago.
#[must_use]
pub fn adopted_closure(id: Uuid, point_of_entry: &Facility, days: (Date, Date), issuer: Uuid, now: Timestamp) -> Directive {
    let (from, to) = days;
    let code = &point_of_entry.code;
    let terms = Terms {
        measure: Measure::Border { point_of_entry_code: code.clone(), open: false },
        starts_on: from,
        ends_on: Some(to),
        review_on: to,
        text: crate::border::closure_texts(code, from, Some(to)),
        evidence: Evidence { note: Some("Moved from the entry rules in the settings".into()), ..Evidence::default() },
    };
    let first = Version { number: 1, terms, change_reason: None, issued_by: issuer, issued_at: now };
    Directive { id, scope_id: point_of_entry.node_id, scope_path: point_of_entry.node_path.clone(), versions: vec![first], revoked: None }
}

/// An amendment: new terms effective from their `starts_on`, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// The new terms; their `starts_on` is the day they take effect.
    pub terms: Terms,
    /// Why.
    #[schema(max_length = 2000)]
    pub reason: String,
}

impl Amendment {
    /// An amendment to these terms, for `reason`.
    #[must_use]
    pub fn new(terms: Terms, reason: &str) -> Self {
        Amendment { terms, reason: reason.to_owned() }
    }
}

/// Decides on amending: the officer directs the scope, the directive is not
/// revoked, the new version takes effect no earlier than today and after the
/// current version's start, and its kind stays the same. The new version.
pub fn amend(officer: &User, directive: &Directive, amendment: &Amendment, today: Date, now: Timestamp) -> Result<Version, Refused> {
    policy::authorise(officer, Action::IssueDirectives, &directive.scope_path)?;
    let mut p = Problems::default();
    let reason = p.text("reason", &amendment.reason, 2000);
    let current = directive.current();
    if directive.revoked.is_some() {
        p.add("id", Reason::DirectiveRevoked);
    }
    if let Some(current) = current {
        let earliest = today.max(current.terms.starts_on.tomorrow().unwrap_or(current.terms.starts_on));
        if amendment.terms.starts_on < earliest {
            p.add("terms.starts_on", Reason::NotBefore { day: earliest });
        }
        if current.terms.measure.kind() != amendment.terms.measure.kind() {
            p.add("terms.measure.kind", Reason::KindChanged { kind: current.terms.measure.kind().to_owned() });
        }
    }
    p.finish(())?;
    amendment.terms.check(today).map_err(|i| i.prefixed("terms"))?;
    let number = current.map_or(1, |c| c.number + 1);
    Ok(Version { number, terms: amendment.terms.clone(), change_reason: Some(reason), issued_by: officer.id, issued_at: now })
}

/// Decides on revoking from `from` (today or later) for `reason`.
pub fn revoke(officer: &User, directive: &Directive, from: Date, reason: &str, today: Date, now: Timestamp) -> Result<Revocation, Refused> {
    policy::authorise(officer, Action::IssueDirectives, &directive.scope_path)?;
    let mut p = Problems::default();
    let reason = p.text("reason", reason, 2000);
    if directive.revoked.is_some() {
        p.add("id", Reason::DirectiveRevoked);
    }
    if from < today {
        p.add("from", Reason::NotBefore { day: today });
    }
    p.finish(Revocation { from, reason, by: officer.id, at: now }).map_err(Refused::from)
}

#[cfg(test)]
#[path = "directive_tests.rs"]
mod tests;
