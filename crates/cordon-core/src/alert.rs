//! Alerts: an alarm of a detection method, raised for a node, a syndrome and
//! a period, and then reviewed by the command.
//!
//! The detection job hands the core one [`Signal`] per evaluated node,
//! syndrome, method and period; [`new_alerts`] turns those with an alarm into
//! alerts, one per node/syndrome/method/period, never twice for the same
//! signal however often detection re-runs. A command officer then moves an
//! alert new → under review → verified | discarded with [`decide`], each step
//! with a note; any other move is an [`AlertError`].

use std::collections::HashSet;
use std::hash::BuildHasher;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::detection::{DetectionMethod, Syndrome};
use crate::jurisdiction::NodePath;
use crate::refusal::Reason;
use crate::validation::{Invalid, Problems};

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised by detection; nobody has looked at it yet.
    New,
    /// An officer is looking into it.
    UnderReview,
    /// Confirmed as a real signal that needs a response.
    Verified,
    /// Found to be noise (a reporting artefact, a known event, ...).
    Discarded,
}

impl AlertStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [AlertStatus; 4] = [AlertStatus::New, AlertStatus::UnderReview, AlertStatus::Verified, AlertStatus::Discarded];

    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::New => "new",
            AlertStatus::UnderReview => "under_review",
            AlertStatus::Verified => "verified",
            AlertStatus::Discarded => "discarded",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<AlertStatus> {
        AlertStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the alert is settled (verified or discarded).
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, AlertStatus::Verified | AlertStatus::Discarded)
    }

    /// The decisions an officer may take on an alert in this status, in the
    /// order they are offered: a new alert can only be taken under review;
    /// one under review verified or discarded; a settled one nothing.
    #[must_use]
    pub fn allowed_decisions(self) -> &'static [AlertDecision] {
        match self {
            AlertStatus::New => &[AlertDecision::Review],
            AlertStatus::UnderReview => &[AlertDecision::Verify, AlertDecision::Discard],
            AlertStatus::Verified | AlertStatus::Discarded => &[],
        }
    }
}

/// What an officer does with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertDecision {
    /// Take a new alert under review.
    Review,
    /// Verify an alert under review.
    Verify,
    /// Discard an alert under review.
    Discard,
}

impl AlertDecision {
    /// The status the decision leads to.
    #[must_use]
    pub fn target(self) -> AlertStatus {
        match self {
            AlertDecision::Review => AlertStatus::UnderReview,
            AlertDecision::Verify => AlertStatus::Verified,
            AlertDecision::Discard => AlertStatus::Discarded,
        }
    }

    /// The status the decision starts from.
    #[must_use]
    pub fn source(self) -> AlertStatus {
        match self {
            AlertDecision::Review => AlertStatus::New,
            AlertDecision::Verify | AlertDecision::Discard => AlertStatus::UnderReview,
        }
    }
}

/// An alert that cannot change as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertError {
    /// The decision does not apply to the alert's current status (e.g.
    /// verifying a new alert before review, or anything on a settled alert).
    NotAllowed {
        /// The alert's status.
        from: AlertStatus,
        /// The status asked for.
        to: AlertStatus,
        /// The status the decision needs.
        required: AlertStatus,
    },
}

impl From<&AlertError> for Reason {
    fn from(e: &AlertError) -> Self {
        match *e {
            AlertError::NotAllowed { from, to, required } => Reason::AlertMove { from, to, required },
        }
    }
}

impl std::fmt::Display for AlertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for AlertError {}

/// One evaluated node, syndrome, method and period, as the detection job
/// hands it to the core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Signal {
    /// The node.
    pub node_id: Uuid,
    /// Its path.
    pub node_path: NodePath,
    /// The syndrome counted.
    pub syndrome: Syndrome,
    /// The method.
    pub method: DetectionMethod,
    /// First day of the period (the day itself for daily methods).
    pub period_start: Date,
    /// Last day of the period.
    pub period_end: Date,
    /// The count observed.
    pub observed: f64,
    /// The count expected from the baseline, when the method has one.
    pub expected: Option<f64>,
    /// The threshold; above it is an alarm.
    pub upper_bound: Option<f64>,
    /// Whether the method raised an alarm.
    pub alarm: bool,
}

/// What identifies a signal: one alert at most per key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SignalKey {
    /// The node's path.
    pub node_path: NodePath,
    /// The syndrome.
    pub syndrome: Syndrome,
    /// The method.
    pub method: DetectionMethod,
    /// Last day of the period.
    pub period_end: Date,
}

impl Signal {
    /// The key of this signal.
    #[must_use]
    pub fn key(&self) -> SignalKey {
        SignalKey { node_path: self.node_path.clone(), syndrome: self.syndrome, method: self.method, period_end: self.period_end }
    }
}

/// An alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Alert {
    /// Stable identifier.
    pub id: Uuid,
    /// The node the alarm is for.
    pub node_id: Uuid,
    /// Its path.
    pub node_path: NodePath,
    /// The syndrome.
    pub syndrome: Syndrome,
    /// The method that raised it.
    pub method: DetectionMethod,
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period.
    pub period_end: Date,
    /// The count observed.
    pub observed: f64,
    /// The count expected.
    pub expected: Option<f64>,
    /// The threshold that was exceeded.
    pub upper_bound: Option<f64>,
    /// Where it stands.
    pub status: AlertStatus,
    /// When detection raised it.
    #[schema(value_type = String, format = DateTime)]
    pub raised_at: Timestamp,
    /// When it last changed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl Alert {
    /// The key of the signal this alert was raised for.
    #[must_use]
    pub fn key(&self) -> SignalKey {
        SignalKey { node_path: self.node_path.clone(), syndrome: self.syndrome, method: self.method, period_end: self.period_end }
    }
}

/// One step of an alert's review, with who took it and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlertReview {
    /// The alert.
    pub alert_id: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The officer.
    pub officer_id: Uuid,
    /// The status before.
    pub from: AlertStatus,
    /// The status after.
    pub to: AlertStatus,
    /// The officer's note.
    pub note: String,
}

/// A review step as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Why (1-2000 characters).
    #[schema(max_length = 2000)]
    pub note: String,
}

impl ReviewInput {
    /// The trimmed note, or the field error.
    pub fn parse(&self) -> Result<String, Invalid> {
        let mut p = Problems::default();
        let note = p.text("note", &self.note, 2000);
        p.finish(note)
    }
}

/// Applies an officer's decision to an alert: the changed alert and the
/// review record, or why the move is not allowed.
pub fn decide(
    alert: &Alert,
    decision: AlertDecision,
    officer_id: Uuid,
    note: String,
    now: Timestamp,
) -> Result<(Alert, AlertReview), AlertError> {
    let (from, to) = (alert.status, decision.target());
    if from != decision.source() {
        return Err(AlertError::NotAllowed { from, to, required: decision.source() });
    }
    let changed = Alert { status: to, updated_at: now, ..alert.clone() };
    Ok((changed, AlertReview { alert_id: alert.id, at: now, officer_id, from, to, note }))
}

/// The new alerts for a batch of signals: one per signal with an alarm whose
/// key is neither in `existing` (alerts already raised) nor earlier in the batch.
pub fn new_alerts<S: BuildHasher>(
    signals: &[Signal],
    existing: &HashSet<SignalKey, S>,
    now: Timestamp,
    mut new_id: impl FnMut() -> Uuid,
) -> Vec<Alert> {
    let mut seen = HashSet::new();
    signals
        .iter()
        .filter(|s| s.alarm)
        .filter(|s| {
            let key = s.key();
            !existing.contains(&key) && seen.insert(key)
        })
        .map(|s| Alert {
            id: new_id(),
            node_id: s.node_id,
            node_path: s.node_path.clone(),
            syndrome: s.syndrome,
            method: s.method,
            period_start: s.period_start,
            period_end: s.period_end,
            observed: s.observed,
            expected: s.expected,
            upper_bound: s.upper_bound,
            status: AlertStatus::New,
            raised_at: now,
            updated_at: now,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn the_decisions_allowed_are_those_that_start_from_the_status() {
        let all = [AlertDecision::Review, AlertDecision::Verify, AlertDecision::Discard];
        for status in AlertStatus::ALL {
            let starting_here: Vec<AlertDecision> = all.into_iter().filter(|d| d.source() == status).collect();
            assert_eq!(status.allowed_decisions(), starting_here.as_slice(), "{status:?}");
        }
        assert!(AlertStatus::Verified.allowed_decisions().is_empty());
        assert_eq!(AlertStatus::New.allowed_decisions(), &[AlertDecision::Review]);
    }

    fn signal(node: &str, day: i8, alarm: bool) -> Signal {
        Signal {
            node_id: Uuid::nil(),
            node_path: NodePath::root("KR").child(node),
            syndrome: Syndrome::Fever,
            method: DetectionMethod::EarsC2,
            period_start: date(2026, 11, day),
            period_end: date(2026, 11, day),
            observed: 12.0,
            expected: Some(2.0),
            upper_bound: Some(5.1),
            alarm,
        }
    }

    fn now() -> Timestamp {
        "2026-11-23T00:10:00Z".parse().unwrap()
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut n = 0;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn only_alarms_become_alerts_and_a_rerun_adds_nothing() {
        let signals = [signal("D1", 22, true), signal("D2", 22, false), signal("D1", 21, true), signal("D1", 22, true)];
        let first = new_alerts(&signals, &HashSet::new(), now(), ids());
        assert_eq!(first.len(), 2, "one per node/syndrome/method/day, the repeat in the batch dropped");
        let existing: HashSet<_> = first.iter().map(Alert::key).collect();
        assert!(new_alerts(&signals, &existing, now(), ids()).is_empty());
    }

    #[test]
    fn an_alert_is_reviewed_before_it_is_settled() {
        let alert = new_alerts(&[signal("D1", 22, true)], &HashSet::new(), now(), ids()).remove(0);
        let officer = Uuid::from_u128(9);
        let err = decide(&alert, AlertDecision::Verify, officer, "x".into(), now()).unwrap_err();
        assert_eq!(err, AlertError::NotAllowed { from: AlertStatus::New, to: AlertStatus::Verified, required: AlertStatus::UnderReview });
        let (reviewing, step) = decide(&alert, AlertDecision::Review, officer, "calling the district".into(), now()).unwrap();
        assert_eq!((reviewing.status, step.from, step.to), (AlertStatus::UnderReview, AlertStatus::New, AlertStatus::UnderReview));
        let (verified, _) = decide(&reviewing, AlertDecision::Verify, officer, "cluster at a school".into(), now()).unwrap();
        assert!(verified.status.is_final());
        assert!(decide(&verified, AlertDecision::Discard, officer, "x".into(), now()).is_err());
    }

    #[test]
    fn a_blank_note_is_refused() {
        assert_eq!(ReviewInput { note: "  ".into() }.parse().unwrap_err().errors[0].field, "note");
        assert_eq!(ReviewInput { note: " ok ".into() }.parse().unwrap(), "ok");
    }

    fn decisions() -> impl Strategy<Value = Vec<AlertDecision>> {
        proptest::collection::vec(
            prop_oneof![Just(AlertDecision::Review), Just(AlertDecision::Verify), Just(AlertDecision::Discard)],
            0..12,
        )
    }

    proptest! {
        #[test]
        fn any_sequence_of_decisions_follows_the_lifecycle(steps in decisions()) {
            let mut alert = new_alerts(&[signal("D1", 22, true)], &HashSet::new(), now(), ids()).remove(0);
            let mut history = vec![alert.status];
            for step in steps {
                match decide(&alert, step, Uuid::nil(), "n".into(), now()) {
                    Ok((next, review)) => {
                        prop_assert_eq!(review.from, alert.status);
                        prop_assert_eq!(review.to, next.status);
                        prop_assert!(!alert.status.is_final(), "a settled alert never changes");
                        alert = next;
                        history.push(alert.status);
                    }
                    Err(AlertError::NotAllowed { from, required, .. }) => {
                        prop_assert_eq!(from, alert.status);
                        prop_assert_ne!(from, required);
                    }
                }
            }
            // The statuses visited are a prefix of new → under review → settled.
            prop_assert!(history.len() <= 3);
            prop_assert_eq!(history[0], AlertStatus::New);
            if history.len() > 1 { prop_assert_eq!(history[1], AlertStatus::UnderReview); }
            if history.len() > 2 { prop_assert!(history[2].is_final()); }
        }

        #[test]
        fn rerunning_the_rule_never_duplicates(alarms in proptest::collection::vec((0u8..4, 1i8..28, any::<bool>()), 0..40)) {
            let signals: Vec<Signal> = alarms.iter().map(|&(n, d, a)| signal(&format!("D{n}"), d, a)).collect();
            let first = new_alerts(&signals, &HashSet::new(), now(), ids());
            let distinct: HashSet<_> = signals.iter().filter(|s| s.alarm).map(Signal::key).collect();
            prop_assert_eq!(first.len(), distinct.len());
            let existing: HashSet<_> = first.iter().map(Alert::key).collect();
            prop_assert!(new_alerts(&signals, &existing, now(), ids()).is_empty());
        }
    }
}
