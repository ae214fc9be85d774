//! One example of every [`Reason`], for the catalogues' tests: a catalogue
//! that renders each of these renders every code.

use jiff::civil::date;
use uuid::Uuid;

use super::{Reason, Record, Unit};
use crate::alert::AlertStatus;
use crate::case::{CaseStatus, Outcome};
use crate::jurisdiction::NodePath;
use crate::policy::Action;
use crate::task::TaskStatus;
use crate::user::Role;

/// One example of every code, with typical parameters.
#[must_use]
#[expect(clippy::too_many_lines, reason = "a list with one example per code")]
pub fn examples() -> Vec<Reason> {
    #[allow(clippy::enum_glob_use, reason = "the variant names are the list's entries")]
    use Reason::*;
    let day = date(2026, 11, 23);
    let (code, id) = ("ICN".to_owned(), Uuid::nil());
    vec![
        Empty,
        TooLong { max: 200 },
        ControlCharacter { character: "U+0000".into() },
        TooMany { max: 50 },
        TooShort { min: 8 },
        UsernamePattern,
        CodeLength,
        CodeCharacters,
        Negative,
        NotNumber,
        Between { min: 30.0, max: 45.0, unit: Unit::Celsius },
        Between { min: 1.0, max: 60.0, unit: Unit::Days },
        Between { min: 1.0, max: 10.0, unit: Unit::Weeks },
        Between { min: 1.0, max: 10.0, unit: Unit::Years },
        Between { min: 0.0, max: 1000.0, unit: Unit::Number },
        StrictlyBetween { above: 0.0, below: 0.5 },
        LimitRange { max: 500, given: 0 },
        AfterToday { today: day },
        TooOld { days: 60 },
        TooFarAhead { latest: day },
        TodayOrYesterday,
        WithinAYear { today: day },
        AfterContactReported { day },
        ShiftEndsFirst,
        ShiftTooLong { days: 7 },
        RosterPeriod { days: 62 },
        DeadlineRange,
        Hour,
        HourBeforeDue,
        TimeZone,
        CountryCode,
        NilId,
        TooManySymptoms,
        NotSeenNoReadings,
        SymptomCount,
        TooDeep { depth: 8 },
        NoCriterion,
        NoSyndrome,
        NoMethod,
        TreeDepths,
        ListedTwice,
        ReasonRequired,
        StatusOrOutcome,
        PersonMissing,
        PersonTwice,
        OneOf { choices: "in_force, all".into() },
        SearchTooShort,
        BadCursor,
        NotUuid { value: "x1".into() },
        PathMismatch,
        BadJson { message: "expected value at line 1 column 1".into() },
        Unreadable { message: "invalid type: string \"x\", expected f64".into() },
        ExpectedJson,
        ExpectedForm,
        TooLarge { max: 65_536 },
        Boundary { node: "KR".into(), problem: "coordinates: must be an array".into() },
        NotPositive,
        NotImported { location: "Mongolia".into() },
        PopulationUnknown { location: "Japan".into() },
        FileLine { line: 3, column: 3, name: "new_cases".into(), problem: "\"x\" is not a number".into() },
        FileLine { line: 1, column: 1, name: String::new(), problem: "the header is not an Our World in Data layout".into() },
        NotFound { record: Record::WatchedLocation, key: "Japan".into() },
        BelowUnit { levels: 5 },
        NoNode { code: "KR-X".into() },
        RootExists,
        LevelNames,
        ParentDiffers,
        LevelsTooFew { depth: 4, levels: 5 },
        UnitsOnly,
        NotFound { record: Record::Report, key: id.to_string() },
        NotFound { record: Record::CaseDefinition, key: "ili".into() },
        NoPerson,
        NoPersonHere,
        NotResident,
        NoCaseHere,
        NoFacility,
        NoFacilityCode { code: code.clone() },
        NoCentreCode { code: code.clone() },
        NoCentreFound,
        NoPointOfEntry,
        NotConfigured { method: "ears_c1".into() },
        NotWorker,
        NotWorkerHere,
        WorkerAreaMisses,
        CannotCover { worker: "Kim".into(), area: "KR/11".into() },
        NotFollowUp,
        Taken,
        ProbableDuplicate,
        IdReused { record: Record::Report, id },
        UnderOrder { kind: "quarantine".into(), order_id: id, ends_on: day },
        FacilityRequired,
        HomeTakesNoFacility,
        OwnSource,
        OwnContact,
        DeactivateSelf,
        SignInFirst,
        BadCredentials,
        CrossSite,
        OutsideJurisdiction { anchor: NodePath::root("KR").child("P1") },
        RoleForbids { role: Role::Reporter, action: Action::ReviewAlert },
        Deactivated,
        TooManyAttempts { retry_after: 32 },
        PasswordChangeRequired,
        SamePassword,
        AlertMove { from: AlertStatus::New, to: AlertStatus::Verified, required: AlertStatus::UnderReview },
        CaseMove { from: CaseStatus::Confirmed, to: CaseStatus::Suspected },
        OutcomeNotAllowed { status: CaseStatus::Suspected },
        CaseClosed { outcome: Outcome::Recovered },
        NotAssignee,
        TaskMove { from: TaskStatus::Done, action: "acknowledged".into() },
        SameAssignee,
        OrderEnded,
        NotLater { requested: day, current: day },
        BeforeMinimum { minimum: day },
        NotYetDue { ends_on: day },
        EntryClosed { code: code.clone(), from: day, to: Some(day), directive_id: id, version: 2 },
        EntryClosed { code, from: day, to: None, directive_id: id, version: 1 },
        TwoNodesAtLeast,
        BeforeStart,
        DirectiveRevoked,
        NotBefore { day },
        KindChanged { kind: "gathering_limit".into() },
        AboveCapacity { capacity: 40 },
        NotAddressed,
        NotServed,
        Invalid { fields: 2 },
        Internal,
        DatabaseUnreachable,
        MigrationsNotCurrent { pending: Box::new([12]), unknown: Box::new([]), failed: Box::new([11]) },
        MetricsTokenRequired,
        MetricsLoopbackOnly,
    ]
}

#[cfg(test)]
mod tests {
    use super::super::ReasonCode;
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_has_an_example() {
        let examples = examples();
        let missing: Vec<&str> =
            ReasonCode::iter().filter(|c| !examples.iter().any(|e| ReasonCode::from(e) == *c)).map(<&str>::from).collect();
        assert!(missing.is_empty(), "codes without an example in refusal/examples.rs: {missing:?}");
    }
}
