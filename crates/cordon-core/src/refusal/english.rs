//! The English of every [`Reason`] and [`Record`]: the sentence the API's
//! `detail` and `reason` carry and the text English pages show.

use std::fmt;

use super::{Reason, Record, Unit};

impl fmt::Display for Reason {
    #[expect(clippy::too_many_lines, reason = "a table with one arm per code, exhaustive so that a new code must say itself")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[allow(clippy::enum_glob_use, reason = "the variant names are the table's first column")]
        use Reason::*;
        match self {
            Empty => write!(f, "must not be empty"),
            TooLong { max } => write!(f, "must be at most {max} characters"),
            ControlCharacter { character } => write!(f, "must not hold the control character {character}"),
            TooMany { max } => write!(f, "may hold at most {max} items"),
            TooShort { min } => write!(f, "must be at least {min} characters"),
            UsernamePattern => write!(f, "must be 3 to 64 letters, digits, '.', '-' or '_'"),
            CodeLength => write!(f, "must be 1 to 32 characters"),
            CodeCharacters => write!(f, "may hold only letters, digits, '-', '_' and '.'"),
            Negative => write!(f, "must not be negative"),
            NotNumber => write!(f, "must be a number, e.g. 37.8"),
            Between { min, max, unit } => {
                let unit = match unit {
                    Unit::Number => "",
                    Unit::Celsius => " °C",
                    Unit::Days => " days",
                    Unit::Weeks => " weeks",
                    Unit::Years => " years",
                };
                write!(f, "must be between {min} and {max}{unit}")
            }
            StrictlyBetween { above, below } => write!(f, "must be above {above} and below {below}"),
            LimitRange { max, given } => write!(f, "must be between 1 and {max}, not {given}"),
            AfterToday { today } => write!(f, "must not be after today ({today})"),
            TooOld { days } => write!(f, "must be within the last {days} days"),
            TooFarAhead { latest } => write!(f, "must be on or before {latest}"),
            TodayOrYesterday => write!(f, "may be today or yesterday only"),
            WithinAYear { today } => write!(f, "must be between a year ago and today ({today})"),
            AfterContactReported { day } => write!(f, "must not be after the day the contact is reported ({day})"),
            ShiftEndsFirst => write!(f, "must be after starts_at"),
            ShiftTooLong { days } => write!(f, "a shift may last at most {days} days"),
            RosterPeriod { days } => write!(f, "must be after from, at most {days} days later"),
            DeadlineRange => write!(f, "must be between 1 minute and 7 days"),
            Hour => write!(f, "must be an hour from 0 to 23"),
            HourBeforeDue => write!(f, "must be an hour from 0 to 23, not before the due hour"),
            TimeZone => write!(f, "is not a known IANA time zone"),
            CountryCode => write!(f, "must be a two-letter upper-case ISO 3166 country code"),
            NilId => write!(f, "must not be the nil UUID"),
            TooManySymptoms => write!(f, "lists too many symptoms"),
            NotSeenNoReadings => write!(f, "a person not seen has no temperature or symptoms"),
            SymptomCount => write!(f, "must be between 1 and the number of symptoms listed"),
            TooDeep { depth } => write!(f, "nests criteria more than {depth} deep"),
            NoCriterion => write!(f, "must list at least one criterion"),
            NoSyndrome => write!(f, "must list at least one syndrome"),
            NoMethod => write!(f, "must list at least one method"),
            TreeDepths => write!(f, "must list tree depths from 0 (the nation) to 15"),
            ListedTwice => write!(f, "is listed twice"),
            ReasonRequired => write!(f, "give a reason"),
            StatusOrOutcome => write!(f, "give a status, an outcome or both"),
            PersonMissing => write!(f, "give an existing person_id or a new_person"),
            PersonTwice => write!(f, "give either person_id or new_person, not both"),
            OneOf { choices } => write!(f, "must be one of {choices}"),
            SearchTooShort => write!(f, "give at least 2 characters of the unit's name or code"),
            BadCursor => write!(f, "not a cursor of this list; pass on the X-Next-Cursor or Link of the previous page unchanged"),
            NotUuid { value } => write!(f, "{value:?} in the address is not a valid id (a UUID)"),
            PathMismatch => write!(f, "must equal the code in the path"),
            BadJson { message } => write!(f, "malformed JSON: {message}"),
            Unreadable { message } => write!(f, "{message}"),
            ExpectedJson => write!(f, "expected a JSON body (Content-Type: application/json)"),
            ExpectedForm => write!(f, "expected a form (application/x-www-form-urlencoded)"),
            TooLarge { max } => write!(f, "the body is larger than {max} bytes or was cut off"),
            Boundary { node, problem } => write!(f, "{node}: {problem}"),
            NotPositive => write!(f, "must be greater than 0"),
            NotImported { location } => write!(f, "no series is imported for {location:?}; import an Our World in Data file first"),
            PopulationUnknown { location } => write!(f, "the imported file gives no population for {location:?}: give one"),
            FileLine { line, column, name, problem } if name.is_empty() => write!(f, "line {line}, column {column}: {problem}"),
            FileLine { line, column, name, problem } => write!(f, "line {line}, column {column} ({name}): {problem}"),
            BelowUnit { levels } => write!(f, "the tree has only {levels} levels; a node cannot sit below a unit"),
            NoNode { code } => write!(f, "no jurisdiction has code {code:?}"),
            RootExists => write!(f, "the tree already has a root; name the parent"),
            LevelNames => write!(f, "give 1 to 10 non-empty level names"),
            ParentDiffers => write!(f, "differs from the parent of the existing node with this code"),
            LevelsTooFew { depth, levels } => {
                write!(f, "the tree already has nodes at depth {depth}; give at least {levels} levels")
            }
            UnitsOnly => write!(f, "daily reports are filed for units only"),
            NotFound { record, key } => write!(f, "{record} {key} not found"),
            NoPerson => write!(f, "no such person"),
            NoPersonHere => write!(f, "no such person in your jurisdiction; give new_person instead"),
            NotResident => write!(f, "the person is not a resident of your jurisdiction"),
            NoCaseHere => write!(f, "no such case in your jurisdiction"),
            NoFacility => write!(f, "no such facility"),
            NoFacilityCode { code } => write!(f, "no facility has code {code:?}"),
            NoCentreCode { code } => write!(f, "no quarantine centre or hospital has code {code:?}"),
            NoCentreFound => write!(f, "facility quarantine applies and no quarantine centre was found; name one"),
            NoPointOfEntry => write!(f, "no point of entry has this code"),
            NotConfigured { method } => write!(f, "{method} is not configured"),
            NotWorker => write!(f, "is not an active health worker"),
            NotWorkerHere => write!(f, "is not an active health worker in your jurisdiction"),
            WorkerAreaMisses => write!(f, "this worker's area does not cover the task's place"),
            CannotCover { worker, area } => write!(f, "{worker} cannot cover {area}"),
            NotFollowUp => write!(f, "is not a follow-up visit"),
            Taken => write!(f, "is already taken"),
            ProbableDuplicate => write!(f, "probable duplicate of an existing person"),
            IdReused { record, id } => write!(f, "the id {id} cannot be used for this {record}; send it again with a new id"),
            UnderOrder { kind, order_id, ends_on } => {
                write!(f, "the person is already under {kind} order {order_id}, in force until {ends_on}")
            }
            FacilityRequired => write!(f, "name the facility for facility or hospital isolation"),
            HomeTakesNoFacility => write!(f, "home isolation takes no facility"),
            OwnSource => write!(f, "a case cannot be its own source"),
            OwnContact => write!(f, "a case is not its own contact"),
            DeactivateSelf => write!(f, "you cannot deactivate yourself"),
            SignInFirst => write!(f, "sign in first"),
            BadCredentials => write!(f, "wrong user name or password"),
            CrossSite => write!(f, "cross-site request refused"),
            OutsideJurisdiction { anchor } => write!(f, "this is outside your jurisdiction {anchor}"),
            RoleForbids { role, action } => write!(f, "a {} may not {action:?}", role.as_str()),
            Deactivated => write!(f, "this account is deactivated"),
            TooManyAttempts { retry_after } => write!(f, "too many failed sign-ins; try again in {retry_after} seconds"),
            PasswordChangeRequired => {
                write!(f, "your password was reset: choose a new one first (PUT /account/password or the account page)")
            }
            SamePassword => write!(f, "must differ from the current password"),
            AlertMove { from, to, required } => {
                write!(f, "an alert that is {} cannot become {}; it must be {} first", from.as_str(), to.as_str(), required.as_str())
            }
            CaseMove { from, to } => write!(f, "a {} case cannot become {}", from.as_str(), to.as_str()),
            OutcomeNotAllowed { status } => {
                write!(f, "only a probable or confirmed case can have an outcome; this one is {}", status.as_str())
            }
            CaseClosed { outcome } => write!(f, "the case is closed with outcome {}", outcome.as_str()),
            NotAssignee => write!(f, "this task is assigned to someone else"),
            TaskMove { from, action } => write!(f, "a task that is {} cannot be {action}", from.as_str()),
            SameAssignee => write!(f, "the task is already assigned to that worker"),
            OrderEnded => write!(f, "the order is no longer in force"),
            NotLater { requested, current } => write!(f, "the new end {requested} is not after the current end {current}"),
            BeforeMinimum { minimum } => write!(f, "the order cannot end before {minimum}"),
            NotYetDue { ends_on } => write!(f, "the order runs until {ends_on}"),
            EntryClosed { code, from, to: Some(to), version, .. } => {
                write!(f, "point of entry {code} is closed from {from} to {to} (border directive, version {version})")
            }
            EntryClosed { code, from, to: None, version, .. } => {
                write!(f, "point of entry {code} is closed from {from} until further notice (border directive, version {version})")
            }
            TwoNodesAtLeast => write!(f, "name at least two nodes, each by its code"),
            BeforeStart => write!(f, "must not be before starts_on"),
            DirectiveRevoked => write!(f, "the directive is revoked"),
            NotBefore { day } => write!(f, "must not be before {day}"),
            KindChanged { kind } => write!(f, "an amendment keeps the kind of measure ({kind})"),
            AboveCapacity { capacity } => write!(f, "must not be more than the capacity ({capacity})"),
            NotAddressed => write!(f, "the directive is not addressed to your area"),
            NotServed => write!(f, "the lecture does not serve this unit"),
            Invalid { fields } => write!(f, "{fields} field(s) are invalid"),
            Internal => write!(f, "the server failed; the error was logged"),
            DatabaseUnreachable => write!(f, "the database does not answer"),
            MigrationsNotCurrent { pending, unknown, failed } => {
                write!(f, "the database's migrations are not current")?;
                for (what, versions) in [("pending", pending), ("unknown to this server", unknown), ("failed", failed)] {
                    if !versions.is_empty() {
                        let list: Vec<String> = versions.iter().map(ToString::to_string).collect();
                        write!(f, "; {what}: {}", list.join(", "))?;
                    }
                }
                Ok(())
            }
            MetricsTokenRequired => write!(f, "send the metrics token (Authorization: Bearer ...)"),
            MetricsLoopbackOnly => {
                write!(f, "metrics are served only to this machine, not through a proxy, unless a metrics token is configured")
            }
        }
    }
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Record::Report => "report",
            Record::Case => "case",
            Record::Person => "person",
            Record::Task => "task",
            Record::Alert => "alert",
            Record::Order => "order",
            Record::Shift => "shift",
            Record::User => "user",
            Record::Jurisdiction => "jurisdiction",
            Record::CaseDefinition => "case definition",
            Record::Investigation => "investigation",
            Record::Arrival => "arrival",
            Record::Contact => "contact",
            Record::DailyReport => "daily report",
            Record::Directive => "directive",
            Record::Gathering => "gathering",
            Record::Rumour => "rumour",
            Record::Lecture => "lecture",
            Record::Handover => "handover",
            Record::Page => "page",
            Record::Location => "location abroad",
            Record::WatchedLocation => "location on the watch list",
            Record::Session => "session",
        })
    }
}
