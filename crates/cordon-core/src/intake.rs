//! What happens when a symptom report arrives.
//!
//! The report is checked against the case definitions. If it meets one, the
//! person's open case is updated, or a suspected case is opened and an
//! investigation task is assigned to the worker on call for the unit, all in
//! the same decision; with nobody on call the task starts escalated.

use jiff::Timestamp;
use uuid::Uuid;

use crate::case::{Case, CaseStatus};
use crate::definition::{CaseDefinition, first_met};
use crate::escalation::{Escalation, EscalationKind, scope_above};
use crate::jurisdiction::{Node, NodePath};
use crate::person::Person;
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Record};
use crate::report::{Report, ReportDraft};
use crate::resend::IdReused;
use crate::settings::Settings;
use crate::task::{self, OnCall, Subject, Task, TaskKind};
use crate::user::User;
use crate::validation::Invalid;

/// What becomes of the person's case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseChange {
    /// The report does not meet any active definition.
    NoCase,
    /// A new suspected case.
    Opened(Case),
    /// The person already had an open case; the report joins it.
    Joined(Case),
}

/// Everything a report leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Intake {
    /// The case.
    pub case: CaseChange,
    /// A new investigation task, for a new case.
    pub task: Option<Task>,
    /// An escalation, when nobody is on call.
    pub escalation: Option<Escalation>,
}

/// Identifiers for whatever the decision may create.
#[derive(Debug, Clone, Copy)]
pub struct NewIds {
    /// For a new case.
    pub case: Uuid,
    /// For a new task.
    pub task: Uuid,
    /// For a new escalation.
    pub escalation: Uuid,
}

/// The facts a decision about one report needs.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The unit the report is for.
    pub unit_id: Uuid,
    /// Its path.
    pub unit_path: &'a NodePath,
    /// The case definitions in force.
    pub definitions: &'a [CaseDefinition],
    /// The person's open case, if any.
    pub open_case: Option<&'a Case>,
    /// The worker on call for the unit now.
    pub on_call: Option<&'a OnCall>,
    /// Settings (deadlines).
    pub settings: &'a Settings,
}

/// Checks the unit a report is filed for, as loaded by its code `unit_code`
/// (`None` when no node has it): it must exist and `reporter` must be allowed
/// to file reports there.
pub fn unit_for<'a>(reporter: &User, unit_code: &str, unit: Option<&'a Node>) -> Result<&'a Node, NodeRefused> {
    policy::named_node(reporter, Action::FileReport, ("unit_code", unit_code), unit)
}

/// Decides on a report whose id may be stored already (`existing`, as
/// loaded): the same report sent again (same person, same unit) is answered
/// with the stored one, `Some`; another report under that id is refused;
/// `None` when the id is new.
pub fn resent<'a>(existing: Option<&'a Report>, draft: &ReportDraft, unit_id: Uuid) -> Result<Option<&'a Report>, IdReused> {
    match existing {
        Some(stored) if stored.person_id != draft.person_id || stored.unit_id != unit_id => {
            Err(IdReused { record: Record::Report, id: draft.id })
        }
        other => Ok(other),
    }
}

/// Checks the person a report is about, as loaded: they must exist and live
/// in the unit reported for or in the reporter's jurisdiction
/// (`reporter_path`).
pub fn check_person<'a>(person: Option<&'a Person>, unit_path: &NodePath, reporter_path: &NodePath) -> Result<&'a Person, Invalid> {
    let person = person.ok_or_else(|| Invalid::field("person_id", Reason::NoPerson))?;
    if !unit_path.contains(&person.unit_path) && !reporter_path.contains(&person.unit_path) {
        return Err(Invalid::field("person_id", Reason::NotResident));
    }
    Ok(person)
}

/// Decides what a report leads to.
#[must_use]
pub fn decide(report: &ReportDraft, cx: Context<'_>, ids: NewIds, now: Timestamp) -> Intake {
    let Some(definition) = first_met(cx.definitions, report) else {
        return Intake { case: CaseChange::NoCase, task: None, escalation: None };
    };
    if let Some(open) = cx.open_case {
        let onset_date = match (open.onset_date, report.onset_date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let joined = Case { onset_date, updated_at: now, ..open.clone() };
        return Intake { case: CaseChange::Joined(joined), task: None, escalation: None };
    }
    let case = Case {
        id: ids.case,
        person_id: report.person_id,
        unit_id: cx.unit_id,
        unit_path: cx.unit_path.clone(),
        status: CaseStatus::Suspected,
        outcome: None,
        onset_date: report.onset_date,
        definition_code: definition.code.clone(),
        source_case_id: None,
        opened_at: now,
        updated_at: now,
    };
    let task = task::assign(
        ids.task,
        Subject {
            kind: TaskKind::Investigation,
            case_id: Some(case.id),
            order_id: None,
            due_on: None,
            person_id: report.person_id,
            path: cx.unit_path.clone(),
        },
        cx.on_call,
        cx.settings.investigation_deadline(),
        now,
    );
    let escalation = cx.on_call.is_none().then(|| Escalation {
        id: ids.escalation,
        kind: EscalationKind::NobodyOnCall,
        scope_path: scope_above(cx.unit_path),
        subject_path: cx.unit_path.clone(),
        task_id: Some(task.id),
        date: None,
        directive_id: None,
        to_worker_id: None,
        raised_at: now,
    });
    Intake { case: CaseChange::Opened(case), task: Some(task), escalation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Symptom;
    use crate::task::TaskStatus;

    fn ids() -> NewIds {
        NewIds { case: Uuid::from_u128(1), task: Uuid::from_u128(2), escalation: Uuid::from_u128(3) }
    }

    fn fever() -> ReportDraft {
        ReportDraft {
            id: Uuid::from_u128(9),
            person_id: Uuid::from_u128(8),
            symptoms: vec![Symptom::Fever],
            temperature_c: Some(38.5),
            onset_date: None,
            note: None,
        }
    }

    #[test]
    fn a_fever_report_opens_a_case_and_assigns_the_on_call_worker() {
        let unit = NodePath::root("KR").child("u");
        let defs = [CaseDefinition::default_suspected()];
        let worker = OnCall { worker_id: Uuid::from_u128(5), area_path: NodePath::root("KR") };
        let settings = Settings::default();
        let cx = Context {
            unit_id: Uuid::nil(),
            unit_path: &unit,
            definitions: &defs,
            open_case: None,
            on_call: Some(&worker),
            settings: &settings,
        };
        let out = decide(&fever(), cx, ids(), Timestamp::UNIX_EPOCH);
        assert!(matches!(out.case, CaseChange::Opened(ref c) if c.status == CaseStatus::Suspected));
        let task = out.task.unwrap();
        assert_eq!((task.assignee_id, task.status), (Some(worker.worker_id), TaskStatus::Assigned));
        assert_eq!(task.deadline, Timestamp::from_second(7200).unwrap());
        assert!(out.escalation.is_none());
    }

    #[test]
    fn with_nobody_on_call_the_task_starts_escalated() {
        let unit = NodePath::root("KR").child("d").child("u");
        let defs = [CaseDefinition::default_suspected()];
        let settings = Settings::default();
        let cx =
            Context { unit_id: Uuid::nil(), unit_path: &unit, definitions: &defs, open_case: None, on_call: None, settings: &settings };
        let out = decide(&fever(), cx, ids(), Timestamp::UNIX_EPOCH);
        let e = out.escalation.unwrap();
        assert_eq!((e.kind, e.scope_path), (EscalationKind::NobodyOnCall, NodePath::root("KR").child("d")));
    }

    #[test]
    fn a_second_report_joins_the_open_case_without_a_new_task() {
        let unit = NodePath::root("KR");
        let defs = [CaseDefinition::default_suspected()];
        let settings = Settings::default();
        let first = decide(
            &fever(),
            Context { unit_id: Uuid::nil(), unit_path: &unit, definitions: &defs, open_case: None, on_call: None, settings: &settings },
            ids(),
            Timestamp::UNIX_EPOCH,
        );
        let CaseChange::Opened(open) = first.case else { panic!("expected a case") };
        let again = decide(
            &fever(),
            Context {
                unit_id: Uuid::nil(),
                unit_path: &unit,
                definitions: &defs,
                open_case: Some(&open),
                on_call: None,
                settings: &settings,
            },
            ids(),
            Timestamp::UNIX_EPOCH,
        );
        assert!(matches!(again.case, CaseChange::Joined(_)));
        assert!(again.task.is_none());
    }

    #[test]
    fn a_report_names_a_known_resident_of_the_unit_or_of_the_reporters_jurisdiction() {
        let unit = NodePath::root("KR").child("u");
        let person = Person {
            id: Uuid::from_u128(8),
            full_name: "Kim".into(),
            sex: crate::person::Sex::Female,
            birth_year: 1990,
            unit_id: Uuid::nil(),
            unit_path: NodePath::root("KR").child("v"),
            phone: None,
            address: None,
            document_number: None,
        };
        assert_eq!(check_person(None, &unit, &unit).unwrap_err().errors[0].reason, Reason::NoPerson);
        let outside = check_person(Some(&person), &unit, &unit).unwrap_err();
        assert_eq!(outside.errors[0].reason, Reason::NotResident);
        assert!(check_person(Some(&person), &unit, &NodePath::root("KR")).is_ok());
    }

    #[test]
    fn a_report_sent_again_is_the_stored_one_and_its_id_names_no_other() {
        let draft = fever();
        let unit = Uuid::from_u128(7);
        let stored = Report {
            id: draft.id,
            person_id: draft.person_id,
            unit_id: unit,
            unit_path: NodePath::root("KR"),
            reporter_id: Uuid::nil(),
            symptoms: draft.symptoms.clone(),
            temperature_c: draft.temperature_c,
            onset_date: None,
            note: None,
            received_at: Timestamp::UNIX_EPOCH,
            case_id: None,
        };
        assert_eq!(resent(None, &draft, unit), Ok(None));
        assert_eq!(resent(Some(&stored), &draft, unit), Ok(Some(&stored)));
        let other_person = ReportDraft { person_id: Uuid::from_u128(6), ..draft.clone() };
        assert_eq!(resent(Some(&stored), &other_person, unit), Err(IdReused { record: Record::Report, id: draft.id }));
        assert_eq!(resent(Some(&stored), &draft, Uuid::from_u128(5)), Err(IdReused { record: Record::Report, id: draft.id }));
    }

    #[test]
    fn a_report_outside_the_definition_opens_nothing() {
        let unit = NodePath::root("KR");
        let defs = [CaseDefinition::default_suspected()];
        let settings = Settings::default();
        let report = ReportDraft { symptoms: vec![Symptom::Diarrhoea], temperature_c: Some(36.8), ..fever() };
        let out = decide(
            &report,
            Context { unit_id: Uuid::nil(), unit_path: &unit, definitions: &defs, open_case: None, on_call: None, settings: &settings },
            ids(),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(out.case, CaseChange::NoCase);
    }
}
