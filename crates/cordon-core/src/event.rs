//! Events: what happened, for live updates and notifications.
//!
//! Each event names the place it concerns, so it reaches only users whose
//! subtree contains that place.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;

/// The kinds of event the live stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A symptom report arrived.
    ReportReceived,
    /// A unit filed its daily report.
    DailyReportFiled,
    /// A suspected case was opened.
    CaseOpened,
    /// A case was reclassified or closed.
    CaseClassified,
    /// A task was assigned (new or reassigned).
    TaskAssigned,
    /// A worker acknowledged a task.
    TaskAcknowledged,
    /// A task was completed.
    TaskCompleted,
    /// Something was escalated.
    Escalated,
    /// Outbreak detection raised an alert.
    AlertRaised,
    /// An officer reviewed, verified or discarded an alert.
    AlertReviewed,
    /// An investigation was recorded.
    InvestigationRecorded,
    /// A contact was listed.
    ContactListed,
    /// A contact was handed to another jurisdiction.
    HandedOver,
    /// An isolation or quarantine order was issued.
    OrderIssued,
    /// An order was extended, released or converted.
    OrderChanged,
    /// A follow-up visit was recorded.
    VisitRecorded,
    /// An arrival was registered at a point of entry.
    ArrivalRegistered,
    /// A directive was issued (its path is its scope: every user at or
    /// below it is to acknowledge it).
    DirectiveIssued,
    /// A directive was amended or revoked.
    DirectiveChanged,
    /// A user acknowledged a directive.
    DirectiveAcknowledged,
    /// A gathering was registered (allowed or refused).
    GatheringRegistered,
    /// A command officer set a node's alert level.
    AlertLevelSet,
    /// What residents say was logged.
    RumourLogged,
    /// A lecture was scheduled.
    LectureScheduled,
    /// A unit's attendance at a lecture was recorded.
    AttendanceRecorded,
    /// A location on the watch list crossed a threshold (addressed to the
    /// whole country: its path is the root's).
    AbroadAlertRaised,
    /// An administrator put a location on the watch list, changed its
    /// entry or removed it.
    WatchChanged,
}

impl EventKind {
    /// The name used as the SSE event type (the same as its serde name).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ReportReceived => "report_received",
            EventKind::DailyReportFiled => "daily_report_filed",
            EventKind::CaseOpened => "case_opened",
            EventKind::CaseClassified => "case_classified",
            EventKind::TaskAssigned => "task_assigned",
            EventKind::TaskAcknowledged => "task_acknowledged",
            EventKind::TaskCompleted => "task_completed",
            EventKind::Escalated => "escalated",
            EventKind::AlertRaised => "alert_raised",
            EventKind::AlertReviewed => "alert_reviewed",
            EventKind::InvestigationRecorded => "investigation_recorded",
            EventKind::ContactListed => "contact_listed",
            EventKind::HandedOver => "handed_over",
            EventKind::OrderIssued => "order_issued",
            EventKind::OrderChanged => "order_changed",
            EventKind::VisitRecorded => "visit_recorded",
            EventKind::ArrivalRegistered => "arrival_registered",
            EventKind::DirectiveIssued => "directive_issued",
            EventKind::DirectiveChanged => "directive_changed",
            EventKind::DirectiveAcknowledged => "directive_acknowledged",
            EventKind::GatheringRegistered => "gathering_registered",
            EventKind::AlertLevelSet => "alert_level_set",
            EventKind::RumourLogged => "rumour_logged",
            EventKind::LectureScheduled => "lecture_scheduled",
            EventKind::AttendanceRecorded => "attendance_recorded",
            EventKind::AbroadAlertRaised => "abroad_alert_raised",
            EventKind::WatchChanged => "watch_changed",
        }
    }
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Event {
    /// Position in the event log (0 until stored).
    pub seq: i64,
    /// What happened.
    pub kind: EventKind,
    /// Where it happened: the event reaches users whose subtree holds it
    /// (and, for a directive, every user in its scope: see [`Event::reaches`]).
    pub path: NodePath,
    /// The entity it is about.
    pub entity_id: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The entity as it now is.
    pub data: serde_json::Value,
}

impl Event {
    /// A new event about `entity`, serialised as its data.
    pub fn new<T: Serialize>(kind: EventKind, path: &NodePath, entity_id: Uuid, at: Timestamp, entity: &T) -> Self {
        Event { seq: 0, kind, path: path.clone(), entity_id, at, data: serde_json::to_value(entity).unwrap_or(serde_json::Value::Null) }
    }

    /// Whether the event reaches a user anchored at `user`: what happens in
    /// their subtree does, and so does a directive issued or changed for an
    /// area that holds them (it is addressed to them).
    #[must_use]
    pub fn reaches(&self, user: &NodePath) -> bool {
        user.contains(&self.path) || (self.kind.is_addressed() && self.path.contains(user))
    }
}

impl EventKind {
    /// The kinds addressed to everyone below their path (directives), beside
    /// reaching those above it.
    pub const ADDRESSED: [EventKind; 5] = [
        EventKind::DirectiveIssued,
        EventKind::DirectiveChanged,
        EventKind::AlertLevelSet,
        EventKind::AbroadAlertRaised,
        EventKind::WatchChanged,
    ];

    /// Whether this kind is addressed to everyone below its path.
    #[must_use]
    pub fn is_addressed(self) -> bool {
        Self::ADDRESSED.contains(&self)
    }
}
