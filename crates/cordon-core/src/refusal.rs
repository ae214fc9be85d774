//! Why something was refused, as a code with parameters.
//!
//! Every refusal cordon gives — a field that breaks a rule, a move a state
//! machine does not allow, a request the access policy forbids, a record that
//! does not exist — is one [`Reason`]. It serialises as `{"code": "...",
//! "params": {...}}` for API clients, prints as one English sentence (its
//! `Display`), and is translated by the catalogues from its code and
//! parameters, never by matching the English.

mod english;
mod examples;
mod subjects;

use jiff::civil::Date;
use serde::Serialize;
use strum::{EnumDiscriminants, EnumIter, IntoStaticStr};
use uuid::Uuid;

use crate::alert::AlertStatus;
use crate::case::{CaseStatus, Outcome};
use crate::jurisdiction::NodePath;
use crate::policy::Action;
use crate::task::TaskStatus;
use crate::user::Role;

pub use examples::examples;
pub use subjects::{Record, Unit};

/// Why a field, a request or a change was refused: a code (the variant, in
/// `snake_case`) with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, EnumDiscriminants)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
#[strum_discriminants(name(ReasonCode), derive(EnumIter, IntoStaticStr, Hash), strum(serialize_all = "snake_case"))]
#[strum_discriminants(doc = "The code of a [`Reason`], without its parameters.")]
pub enum Reason {
    // Field rules.
    /// A required text was blank.
    Empty,
    /// A text was too long.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A text held a control character (NUL, escape, ...) other than a tab
    /// or a line break.
    ControlCharacter {
        /// The character, as `U+0000`.
        character: String,
    },
    /// A list held too many items.
    TooMany {
        /// The most items allowed.
        max: usize,
    },
    /// A password was too short.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// A user name broke the pattern.
    UsernamePattern,
    /// A code was not 1 to 32 characters.
    CodeLength,
    /// A code held characters other than letters, digits, `-`, `_` and `.`.
    CodeCharacters,
    /// A number was negative.
    Negative,
    /// A value was not a number.
    NotNumber,
    /// A number lay outside its range.
    Between {
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
        /// What it is measured in.
        unit: Unit,
    },
    /// A number was not strictly between two bounds.
    StrictlyBetween {
        /// The bound it must be above.
        above: f64,
        /// The bound it must be below.
        below: f64,
    },
    /// A limit or count lay outside 1 to `max`.
    LimitRange {
        /// The most allowed.
        max: i64,
        /// What was given.
        given: i64,
    },
    /// A date lay after today.
    AfterToday {
        /// Today.
        today: Date,
    },
    /// A date lay more than `days` days back.
    TooOld {
        /// How many days back are allowed.
        days: u32,
    },
    /// A date lay further ahead than allowed.
    TooFarAhead {
        /// The latest day allowed.
        latest: Date,
    },
    /// A date was neither today nor yesterday.
    TodayOrYesterday,
    /// A date was not within the last year.
    WithinAYear {
        /// Today.
        today: Date,
    },
    /// The exposure came after the contact was reported.
    AfterContactReported {
        /// The day the contact was reported.
        day: Date,
    },
    /// A shift's end was not after its start.
    ShiftEndsFirst,
    /// A shift was longer than its maximum.
    ShiftTooLong {
        /// The most days a shift lasts.
        days: u32,
    },
    /// A roster period was not after its start or too long.
    RosterPeriod {
        /// The most days a period covers.
        days: u32,
    },
    /// A deadline was outside one minute to seven days.
    DeadlineRange,
    /// An hour was outside 0 to 23.
    Hour,
    /// The silent-unit hour came before the daily report's due hour.
    HourBeforeDue,
    /// Not a known IANA time zone.
    TimeZone,
    /// Not a two-letter upper-case ISO 3166 country code.
    CountryCode,
    /// The nil UUID was given as an id.
    NilId,
    /// Too many symptoms listed.
    TooManySymptoms,
    /// A visit recorded readings for a person not seen.
    NotSeenNoReadings,
    /// A symptom count was not between 1 and the symptoms listed.
    SymptomCount,
    /// A case definition nested criteria too deep.
    TooDeep {
        /// The deepest nesting allowed.
        depth: u32,
    },
    /// A case definition listed no criterion.
    NoCriterion,
    /// A detection setting listed no syndrome.
    NoSyndrome,
    /// A detection setting listed no method.
    NoMethod,
    /// Tree depths outside 0 to 15.
    TreeDepths,
    /// Something was listed twice.
    ListedTwice,
    /// A free-text reason was missing.
    ReasonRequired,
    /// Neither a status nor an outcome was given.
    StatusOrOutcome,
    /// Neither an existing person nor a new one was given.
    PersonMissing,
    /// Both an existing person and a new one were given.
    PersonTwice,
    /// A value was not one of the allowed ones.
    OneOf {
        /// The allowed values, comma-separated.
        choices: String,
    },
    /// A search was too short.
    SearchTooShort,
    /// A list cursor was not one this list gave.
    BadCursor,
    /// A part of the address that names a record was not a UUID.
    NotUuid {
        /// The value given.
        value: String,
    },
    /// The code in a body differed from the one in the path.
    PathMismatch,
    /// A body was not valid JSON or did not fit.
    BadJson {
        /// The parser's message.
        message: String,
    },
    /// A value could not be read as the type its field needs.
    Unreadable {
        /// The parser's message.
        message: String,
    },
    /// A body was not JSON at all.
    ExpectedJson,
    /// A body was not a form.
    ExpectedForm,
    /// A body was too large or cut off.
    TooLarge {
        /// The largest body accepted, in bytes.
        max: usize,
    },
    /// A boundary geometry was not valid GeoJSON.
    Boundary {
        /// The node it was given for.
        node: String,
        /// What is wrong, with the path inside the geometry.
        problem: String,
    },

    // The situation abroad.
    /// A number was 0 or less where it must be greater than 0.
    NotPositive,
    /// No series is imported for the location named.
    NotImported {
        /// The location.
        location: String,
    },
    /// Neither the imported file nor the request gives the location's population.
    PopulationUnknown {
        /// The location.
        location: String,
    },
    /// A line of an Our World in Data file is wrong.
    FileLine {
        /// Line of the file, from 1 (the header is line 1).
        line: u64,
        /// Column, from 1.
        column: usize,
        /// The column's name in the header ("" when unknown).
        name: String,
        /// What is wrong there, in English.
        problem: String,
    },

    // The tree of jurisdictions.
    /// The tree has only so many levels.
    BelowUnit {
        /// The levels of the tree.
        levels: usize,
    },
    /// No node has this code.
    NoNode {
        /// The code.
        code: String,
    },
    /// A second root was asked for.
    RootExists,
    /// The level names were not 1 to 10 non-empty names.
    LevelNames,
    /// A node's parent differs from the stored one.
    ParentDiffers,
    /// Fewer levels than the nodes already stored.
    LevelsTooFew {
        /// The deepest stored node's depth.
        depth: usize,
        /// The fewest levels to give.
        levels: usize,
    },
    /// Daily reports are filed for units only.
    UnitsOnly,

    // Records not found or not reachable.
    /// A record does not exist (or lies outside the caller's area).
    NotFound {
        /// What kind of record.
        record: Record,
        /// Its key.
        key: String,
    },
    /// No such person.
    NoPerson,
    /// No such person in the caller's area; a new person may be given.
    NoPersonHere,
    /// The person is not a resident of the caller's area.
    NotResident,
    /// No such case in the caller's area.
    NoCaseHere,
    /// No such facility.
    NoFacility,
    /// No facility has this code.
    NoFacilityCode {
        /// The code.
        code: String,
    },
    /// No quarantine centre or hospital has this code.
    NoCentreCode {
        /// The code.
        code: String,
    },
    /// Facility quarantine applies and no quarantine centre was found.
    NoCentreFound,
    /// No point of entry has this code.
    NoPointOfEntry,
    /// A method is not configured.
    NotConfigured {
        /// The method.
        method: String,
    },
    /// Not an active health worker.
    NotWorker,
    /// Not an active health worker in the caller's area.
    NotWorkerHere,
    /// The worker's area does not cover the task's place.
    WorkerAreaMisses,
    /// A worker cannot cover an area outside their anchor.
    CannotCover {
        /// The worker.
        worker: String,
        /// The area asked for.
        area: String,
    },
    /// The task is not a follow-up visit.
    NotFollowUp,

    // Duplicates and conflicts.
    /// A value is already taken.
    Taken,
    /// A probable duplicate of an existing person.
    ProbableDuplicate,
    /// An id is already used by a different record (the same answer
    /// whether or not the caller may see that record, and nothing about it).
    IdReused {
        /// What kind of record.
        record: Record,
        /// The id.
        id: Uuid,
    },
    /// The person is already under an order of this kind.
    UnderOrder {
        /// Isolation or quarantine.
        kind: String,
        /// The order in force.
        order_id: Uuid,
        /// Its last day.
        ends_on: Date,
    },
    /// Facility or hospital isolation named no facility.
    FacilityRequired,
    /// Home isolation named a facility.
    HomeTakesNoFacility,
    /// A case named itself as its source.
    OwnSource,
    /// A case listed itself as its contact.
    OwnContact,
    /// A user tried to deactivate themselves.
    DeactivateSelf,

    // The access policy.
    /// No valid session or token.
    SignInFirst,
    /// Wrong user name or password.
    BadCredentials,
    /// A form came from another site.
    CrossSite,
    /// The target lies outside the caller's jurisdiction (where it lies is
    /// not said).
    OutsideJurisdiction {
        /// The caller's anchor.
        anchor: NodePath,
    },
    /// The caller's role does not allow the action.
    RoleForbids {
        /// The role.
        role: Role,
        /// The action.
        action: Action,
    },
    /// The account is deactivated.
    Deactivated,
    /// Too many failed sign-ins: wait before trying again.
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The password was reset: change it before anything else.
    PasswordChangeRequired,
    /// A new password was the same as the current one.
    SamePassword,

    // The state machines.
    /// An alert decision does not apply to its status.
    AlertMove {
        /// The alert's status.
        from: AlertStatus,
        /// The status asked for.
        to: AlertStatus,
        /// The status the decision needs.
        required: AlertStatus,
    },
    /// A classification is not reachable.
    CaseMove {
        /// The case's status.
        from: CaseStatus,
        /// The status asked for.
        to: CaseStatus,
    },
    /// Only probable or confirmed cases have outcomes.
    OutcomeNotAllowed {
        /// The case's status.
        status: CaseStatus,
    },
    /// The case is closed.
    CaseClosed {
        /// Its outcome.
        outcome: Outcome,
    },
    /// The task is someone else's.
    NotAssignee,
    /// The task cannot move so.
    TaskMove {
        /// Its status.
        from: TaskStatus,
        /// What was attempted.
        action: String,
    },
    /// The task already has that worker.
    SameAssignee,
    /// The order has ended.
    OrderEnded,
    /// An extension did not move the end later.
    NotLater {
        /// The requested end.
        requested: Date,
        /// The current end.
        current: Date,
    },
    /// An end before the minimum.
    BeforeMinimum {
        /// The earliest end.
        minimum: Date,
    },
    /// A release before the end day passed.
    NotYetDue {
        /// The last day.
        ends_on: Date,
    },
    /// The point of entry is closed by a border directive.
    EntryClosed {
        /// The point of entry.
        code: String,
        /// First closed day.
        from: Date,
        /// Last closed day; until further notice when absent.
        to: Option<Date>,
        /// The border directive that closes it.
        directive_id: Uuid,
        /// The version of the directive in force on the day.
        version: u32,
    },
    /// A movement restriction named fewer than two nodes.
    TwoNodesAtLeast,
    /// A day came before the measure's first day.
    BeforeStart,
    /// The directive is revoked.
    DirectiveRevoked,
    /// A day came before the earliest allowed.
    NotBefore {
        /// The earliest allowed day.
        day: Date,
    },
    /// An amendment changed the kind of measure.
    KindChanged {
        /// The directive's kind.
        kind: String,
    },
    /// More people than the place holds.
    AboveCapacity {
        /// The capacity.
        capacity: u32,
    },
    /// The directive is not addressed to the caller's area.
    NotAddressed,
    /// The unit is not one the lecture serves.
    NotServed,
    /// Some fields are invalid (each has its own reason).
    Invalid {
        /// How many fields.
        fields: usize,
    },
    /// The server failed; nothing the client did.
    Internal,

    // Operations.
    /// The database did not answer (`/readyz`).
    DatabaseUnreachable,
    /// The database's schema is not the one this server was built for
    /// (`/readyz`).
    MigrationsNotCurrent {
        /// Migrations this server carries that the database has not applied.
        pending: Box<[i64]>,
        /// Migrations the database applied that this server does not know.
        unknown: Box<[i64]>,
        /// Migrations that failed half-way.
        failed: Box<[i64]>,
    },
    /// `/metrics` asked without the configured metrics token.
    MetricsTokenRequired,
    /// `/metrics` asked from another machine (or through a proxy) when no
    /// metrics token is configured.
    MetricsLoopbackOnly,
}

impl Reason {
    /// The code, e.g. `too_long`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        ReasonCode::from(self).into()
    }

    /// The parameters as a JSON object (`{}` when there are none).
    #[must_use]
    pub fn params(&self) -> serde_json::Value {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut map)) => map.remove("params").unwrap_or_else(|| serde_json::json!({})),
            _ => serde_json::json!({}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_serialises_as_its_code_and_parameters() {
        let reason = Reason::TooLong { max: 200 };
        assert_eq!(reason.code(), "too_long");
        assert_eq!(reason.params(), serde_json::json!({ "max": 200 }));
        assert_eq!(reason.to_string(), "must be at most 200 characters");
        assert_eq!(Reason::Empty.params(), serde_json::json!({}));
        let between = Reason::Between { min: 30.0, max: 45.0, unit: Unit::Celsius };
        assert_eq!(between.to_string(), "must be between 30 and 45 °C");
        assert_eq!(between.params(), serde_json::json!({ "min": 30.0, "max": 45.0, "unit": "celsius" }));
    }
}
