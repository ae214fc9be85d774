//! Escalations: the record that something needed a response and did not get
//! one in time, raised to the level above so the command sees it.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;

/// Why something was escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EscalationKind {
    /// A task was not acknowledged by its deadline.
    TaskOverdue,
    /// A task was created with nobody on call for its area.
    NobodyOnCall,
    /// A unit filed no daily report by the silent hour.
    UnitSilent,
    /// A unit did not acknowledge a directive by the deadline.
    DirectiveUnacknowledged,
}

impl EscalationKind {
    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationKind::TaskOverdue => "task_overdue",
            EscalationKind::NobodyOnCall => "nobody_on_call",
            EscalationKind::UnitSilent => "unit_silent",
            EscalationKind::DirectiveUnacknowledged => "directive_unacknowledged",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [EscalationKind::TaskOverdue, EscalationKind::NobodyOnCall, EscalationKind::UnitSilent, EscalationKind::DirectiveUnacknowledged]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One escalation, visible to the command at `scope_path` and above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Escalation {
    /// Stable identifier.
    pub id: Uuid,
    /// Why.
    pub kind: EscalationKind,
    /// The node the escalation was raised to (parent of the area that failed).
    pub scope_path: NodePath,
    /// The place it is about (the task's subject or the silent unit).
    pub subject_path: NodePath,
    /// The task, for task escalations.
    pub task_id: Option<Uuid>,
    /// The day, for silent units.
    pub date: Option<Date>,
    /// The directive, for a unit that did not acknowledge it.
    #[serde(default)]
    pub directive_id: Option<Uuid>,
    /// The worker it was passed to, if anyone was on call.
    pub to_worker_id: Option<Uuid>,
    /// When it was raised.
    #[schema(value_type = String, format = DateTime)]
    pub raised_at: Timestamp,
}

/// The node an escalation from `area` is raised to: its parent, or the area
/// itself at the root.
#[must_use]
pub fn scope_above(area: &NodePath) -> NodePath {
    area.parent().unwrap_or_else(|| area.clone())
}
