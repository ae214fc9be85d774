//! Cases and their classification.
//!
//! A case is opened as suspected when a report meets the case definition and
//! then moves suspected → probable → confirmed, or to discarded; a probable or
//! confirmed case ends with an outcome (recovered or died). Every other move is
//! a [`CaseError`].

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::policy::{self, Action, Denied};
use crate::refusal::Reason;
use crate::user::User;

/// Classification of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Meets the suspected-case definition; not yet investigated.
    Suspected,
    /// Clinically or epidemiologically probable.
    Probable,
    /// Laboratory confirmed.
    Confirmed,
    /// Not a case.
    Discarded,
}

impl CaseStatus {
    /// Every status, in order.
    pub const ALL: [CaseStatus; 4] = [CaseStatus::Suspected, CaseStatus::Probable, CaseStatus::Confirmed, CaseStatus::Discarded];

    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Suspected => "suspected",
            CaseStatus::Probable => "probable",
            CaseStatus::Confirmed => "confirmed",
            CaseStatus::Discarded => "discarded",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        CaseStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the classification may move from `self` to `to`.
    #[must_use]
    pub fn may_become(self, to: CaseStatus) -> bool {
        use CaseStatus::{Confirmed, Discarded, Probable, Suspected};
        matches!((self, to), (Suspected, Probable | Confirmed | Discarded) | (Probable, Confirmed | Discarded))
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Recovered.
    Recovered,
    /// Died.
    Died,
}

impl Outcome {
    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Recovered => "recovered",
            Outcome::Died => "died",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Recovered, Outcome::Died].into_iter().find(|x| x.as_str() == s)
    }
}

/// A case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    /// Stable identifier.
    pub id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The unit where the case was reported.
    pub unit_id: Uuid,
    /// That unit's path.
    pub unit_path: NodePath,
    /// Classification.
    pub status: CaseStatus,
    /// Outcome once the case has ended.
    pub outcome: Option<Outcome>,
    /// Earliest onset date reported.
    pub onset_date: Option<Date>,
    /// The definition that opened it.
    pub definition_code: String,
    /// The case it came from, when known (set by the investigation or by a
    /// contact who fell ill).
    pub source_case_id: Option<Uuid>,
    /// When it was opened.
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: Timestamp,
    /// When it last changed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl Case {
    /// Whether the case still needs work (not discarded, no outcome).
    #[must_use]
    pub fn is_open(&self) -> bool {
        still_open(self.status, self.outcome.is_some())
    }
}

/// Whether a case in `status`, with or without an outcome, still needs work
/// (not discarded, no outcome); for readers that hold the two columns only.
#[must_use]
pub fn still_open(status: CaseStatus, has_outcome: bool) -> bool {
    status != CaseStatus::Discarded && !has_outcome
}

/// A case that cannot change as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseError {
    /// The requested classification is not reachable from the current one.
    InvalidTransition {
        /// Current classification.
        from: CaseStatus,
        /// Requested classification.
        to: CaseStatus,
    },
    /// An outcome was given for a case that is suspected or discarded.
    OutcomeNotAllowed {
        /// Current classification.
        status: CaseStatus,
    },
    /// The case already has an outcome.
    Closed {
        /// The recorded outcome.
        outcome: Outcome,
    },
}

impl From<&CaseError> for Reason {
    fn from(e: &CaseError) -> Self {
        match *e {
            CaseError::InvalidTransition { from, to } => Reason::CaseMove { from, to },
            CaseError::OutcomeNotAllowed { status } => Reason::OutcomeNotAllowed { status },
            CaseError::Closed { outcome } => Reason::CaseClosed { outcome },
        }
    }
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for CaseError {}

/// A change of classification and/or outcome asked for by a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// New classification; absent keeps the current one.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// Outcome; only for probable or confirmed cases.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

/// Applies a classification to a case, or says why it cannot.
pub fn classify(case: &Case, change: Classification, now: Timestamp) -> Result<Case, CaseError> {
    if let Some(outcome) = case.outcome {
        return Err(CaseError::Closed { outcome });
    }
    let mut next = case.clone();
    if let Some(to) = change.status.filter(|to| *to != case.status) {
        if !case.status.may_become(to) {
            return Err(CaseError::InvalidTransition { from: case.status, to });
        }
        next.status = to;
    }
    if let Some(outcome) = change.outcome {
        if !matches!(next.status, CaseStatus::Probable | CaseStatus::Confirmed) {
            return Err(CaseError::OutcomeNotAllowed { status: next.status });
        }
        next.outcome = Some(outcome);
    }
    next.updated_at = now;
    Ok(next)
}

/// Why a user's classification of a case was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The user may not classify the case.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The case cannot change as asked.
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// Decides on `user` classifying `case` (as loaded) as `change` asks: they
/// may classify cases at its unit, and [`classify`] allows the move.
pub fn classify_by(user: &User, case: &Case, change: Classification, now: Timestamp) -> Result<Case, Refused> {
    policy::authorise(user, Action::Classify, &case.unit_path)?;
    Ok(classify(case, change, now)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn case(status: CaseStatus) -> Case {
        Case { status, ..crate::fixtures::case(0, 0, &NodePath::root("u")) }
    }

    fn any_status() -> impl Strategy<Value = CaseStatus> {
        prop::sample::select(CaseStatus::ALL.to_vec())
    }

    fn any_outcome() -> impl Strategy<Value = Option<Outcome>> {
        prop::option::of(prop::sample::select(vec![Outcome::Recovered, Outcome::Died]))
    }

    proptest! {
        /// Any sequence of requested changes either applies a legal move or is
        /// refused with the case unchanged; a discarded or closed case never moves.
        #[test]
        fn classification_only_follows_legal_moves(steps in prop::collection::vec((prop::option::of(any_status()), any_outcome()), 0..12)) {
            let mut current = case(CaseStatus::Suspected);
            for (status, outcome) in steps {
                if let Ok(next) = classify(&current, Classification { status, outcome }, Timestamp::UNIX_EPOCH) {
                    prop_assert!(current.outcome.is_none());
                    prop_assert!(next.status == current.status || current.status.may_become(next.status));
                    if next.outcome.is_some() {
                        prop_assert!(matches!(next.status, CaseStatus::Probable | CaseStatus::Confirmed));
                    }
                    current = next;
                }
            }
            if current.status == CaseStatus::Discarded {
                prop_assert!(current.outcome.is_none());
            }
        }

        /// Discarded is final.
        #[test]
        fn a_discarded_case_cannot_be_reclassified(to in any_status()) {
            let result = classify(&case(CaseStatus::Discarded), Classification { status: Some(to), outcome: None }, Timestamp::UNIX_EPOCH);
            if to == CaseStatus::Discarded { prop_assert!(result.is_ok()); } else { prop_assert!(result.is_err()); }
        }
    }

    #[test]
    fn a_worker_classifies_the_cases_of_their_area_only() {
        use crate::user::Role;
        let c1 = NodePath::root("KR").child("C1");
        let suspected = Case { unit_path: c1.child("U1"), ..case(CaseStatus::Suspected) };
        let confirm = Classification { status: Some(CaseStatus::Confirmed), outcome: None };
        let worker = crate::fixtures::user(Role::HealthWorker, &c1);
        assert_eq!(classify_by(&worker, &suspected, confirm, Timestamp::UNIX_EPOCH).map(|c| c.status), Ok(CaseStatus::Confirmed));
        let elsewhere = crate::fixtures::user(Role::HealthWorker, &NodePath::root("KR").child("C2"));
        assert!(matches!(classify_by(&elsewhere, &suspected, confirm, Timestamp::UNIX_EPOCH), Err(Refused::Denied(_))));
        let reporter = crate::fixtures::user(Role::Reporter, &c1);
        assert!(matches!(classify_by(&reporter, &suspected, confirm, Timestamp::UNIX_EPOCH), Err(Refused::Denied(_))));
        let back = Classification { status: Some(CaseStatus::Suspected), outcome: None };
        let confirmed = Case { status: CaseStatus::Confirmed, ..suspected };
        assert!(matches!(classify_by(&worker, &confirmed, back, Timestamp::UNIX_EPOCH), Err(Refused::Case(_))));
    }

    #[test]
    fn confirmed_cannot_go_back_to_suspected() {
        let err = classify(
            &case(CaseStatus::Confirmed),
            Classification { status: Some(CaseStatus::Suspected), outcome: None },
            Timestamp::UNIX_EPOCH,
        )
        .unwrap_err();
        assert_eq!(err, CaseError::InvalidTransition { from: CaseStatus::Confirmed, to: CaseStatus::Suspected });
    }

    #[test]
    fn a_suspected_case_can_be_confirmed_and_recover_in_one_step() {
        let next = classify(
            &case(CaseStatus::Suspected),
            Classification { status: Some(CaseStatus::Confirmed), outcome: Some(Outcome::Recovered) },
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!((next.status, next.outcome), (CaseStatus::Confirmed, Some(Outcome::Recovered)));
    }
}
