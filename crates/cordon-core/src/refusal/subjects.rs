//! What a refusal is about: the kind of record, and the unit a range is
//! measured in.

use serde::Serialize;

/// The unit a range is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A plain number.
    Number,
    /// Degrees Celsius.
    Celsius,
    /// Days.
    Days,
    /// Weeks.
    Weeks,
    /// Years.
    Years,
}

/// What kind of record a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// A symptom report.
    Report,
    /// A case.
    Case,
    /// A person.
    Person,
    /// A task.
    Task,
    /// An alert.
    Alert,
    /// An isolation or quarantine order.
    Order,
    /// An on-call shift.
    Shift,
    /// A user account.
    User,
    /// A jurisdiction node.
    Jurisdiction,
    /// A case definition.
    CaseDefinition,
    /// A case investigation.
    Investigation,
    /// An arrival at a point of entry.
    Arrival,
    /// A contact of a case.
    Contact,
    /// A daily report of a unit.
    DailyReport,
    /// A directive.
    Directive,
    /// A planned gathering.
    Gathering,
    /// A rumour logged.
    Rumour,
    /// A lecture.
    Lecture,
    /// A handover of a contact or an arrival to another area.
    Handover,
    /// A page of the site.
    Page,
    /// A location abroad whose series is imported.
    Location,
    /// A location on the watch list.
    WatchedLocation,
    /// A sign-in session or device token.
    Session,
}
