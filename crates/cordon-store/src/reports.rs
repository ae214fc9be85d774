//! Symptom reports and what they lead to, in one transaction: the report,
//! the case opened or joined, the investigation task for the worker on call,
//! any escalation, their audit records and their events.

use cordon_core::case::Case;
use cordon_core::event::{Event, EventKind};
use cordon_core::intake::{self, CaseChange, Context, NewIds};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::person::{Person, PersonDraft};
use cordon_core::report::{Report, ReportDraft, ReportStatus, Symptom};
use cordon_core::task::Task;
use cordon_core::user::User;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cases::{case_by_id, insert_case, open_case_of, update_case};
use crate::config::config_in;
use crate::db::{Conn, from_micros, micros, parse_opt_date};
use crate::error::{Result, StoreError};
use crate::escalations::record_escalation;
use crate::jurisdictions::node_by_code;
use crate::persons::{Registration, person_by_id, register_in};
use crate::rosters::on_call_in;
use crate::tasks::insert_task;
use crate::{Store, exec};

pub(crate) const REPORT_COLUMNS: &str =
    "id, person_id, unit_id, unit_path, reporter_id, symptoms, temperature_c, onset_date, note, received_at, case_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    id: Uuid,
    person_id: Uuid,
    unit_id: Uuid,
    unit_path: String,
    reporter_id: Uuid,
    symptoms: Json<Vec<Symptom>>,
    temperature_c: Option<f64>,
    onset_date: Option<String>,
    note: Option<String>,
    received_at: i64,
    case_id: Option<Uuid>,
}

impl TryFrom<ReportRow> for Report {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Report> {
        Ok(Report {
            id: r.id,
            person_id: r.person_id,
            unit_id: r.unit_id,
            unit_path: NodePath::from_stored(r.unit_path),
            reporter_id: r.reporter_id,
            symptoms: r.symptoms.0,
            temperature_c: r.temperature_c,
            onset_date: parse_opt_date("reports.onset_date", r.onset_date)?,
            note: r.note,
            received_at: from_micros(r.received_at)?,
            case_id: r.case_id,
        })
    }
}

async fn report_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Report>> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
    let row: Option<ReportRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(Report::try_from).transpose()
}

/// What filing a report did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Intake {
    /// False when a report with this id already existed; everything below is
    /// then what the first submission produced.
    pub created: bool,
    /// The stored report.
    pub report: Report,
    /// The case it opened or joined.
    pub case: Option<Case>,
    /// The investigation task (for a newly opened case).
    pub task: Option<Task>,
    /// Where the report stands.
    pub status: ReportStatus,
}

/// What filing a report about a new resident came to.
#[derive(Debug, Clone, PartialEq)]
pub enum NewResidentReport {
    /// The resident was registered and the report filed.
    Filed(Box<Intake>),
    /// Probable duplicates exist; nothing was stored. Offer these instead.
    ProbableDuplicates(Vec<Person>),
}

/// A report with where it stands, for the reporter's list.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReportWithStatus {
    /// The report.
    #[serde(flatten)]
    pub report: Report,
    /// Where it stands.
    pub status: ReportStatus,
}

async fn status_of(c: &mut Conn<'_>, report: &Report) -> Result<(Option<Case>, Option<Task>, ReportStatus)> {
    let Some(case_id) = report.case_id else { return Ok((None, None, ReportStatus::Received)) };
    let case = case_by_id(c, case_id).await?;
    let task_id: Option<Uuid> = exec!(
        c,
        sqlx::query_scalar("SELECT id FROM tasks WHERE case_id = $1 AND kind = 'investigation' ORDER BY created_at LIMIT 1").bind(case_id),
        fetch_optional
    )?;
    let task = match task_id {
        Some(id) => crate::tasks::task_by_id(c, id).await?,
        None => None,
    };
    let case_open = case.as_ref().is_none_or(Case::is_open);
    let status = ReportStatus::of(Some(case_open), task.as_ref().map(|t| t.status));
    Ok((case, task, status))
}

impl Store {
    /// Files a symptom report by `reporter` for the unit whose code is
    /// `unit_code`, in one transaction: the unit is loaded and
    /// [`intake::unit_for`] decides whether the reporter may file there.
    /// Sending the same id again stores nothing and answers with what the
    /// first one produced.
    pub async fn submit_report(&self, reporter: &User, draft: &ReportDraft, unit_code: &str, now: Timestamp) -> Result<Intake> {
        let mut attempt = 1;
        loop {
            let filed = self
                .write(async |tx| {
                    let unit = unit_in(tx, reporter, unit_code).await?;
                    intake_in(tx, reporter, draft, &unit, now).await
                })
                .await;
            if !crate::run_again(&mut attempt, &filed) {
                return filed;
            }
        }
    }

    /// Registers a new resident of the unit whose code is `unit_code` and
    /// files the report about them in one transaction: the unit is loaded and
    /// checked as for [`Store::submit_report`], a probable duplicate (unless
    /// `confirm_new`) files nothing, and a refused report leaves no person
    /// behind. The draft's `person_id` is replaced by the new person's.
    pub async fn submit_report_for_new_resident(
        &self,
        reporter: &User,
        resident: (&PersonDraft, bool),
        draft: &ReportDraft,
        unit_code: &str,
        now: Timestamp,
    ) -> Result<NewResidentReport> {
        let (person, confirm_new) = resident;
        let mut attempt = 1;
        loop {
            let filed = self
                .write(async |tx| {
                    let unit = unit_in(tx, reporter, unit_code).await?;
                    match register_in(tx, reporter.id, person, &unit, confirm_new, now).await? {
                        Registration::ProbableDuplicates(existing) => Ok(NewResidentReport::ProbableDuplicates(existing)),
                        Registration::Registered(person) => {
                            let draft = ReportDraft { person_id: person.id, ..draft.clone() };
                            Ok(NewResidentReport::Filed(Box::new(intake_in(tx, reporter, &draft, &unit, now).await?)))
                        }
                    }
                })
                .await;
            if !crate::run_again(&mut attempt, &filed) {
                return filed;
            }
        }
    }

    /// A report by id, with where it stands.
    pub async fn report(&self, id: Uuid) -> Result<Option<ReportWithStatus>> {
        self.read(async |c| {
            let Some(report) = report_by_id(c, id).await? else { return Ok(None) };
            let (_, _, status) = status_of(c, &report).await?;
            Ok(Some(ReportWithStatus { report, status }))
        })
        .await
    }
}

async fn insert_report(c: &mut Conn<'_>, r: &Report, report_date: jiff::civil::Date) -> Result<()> {
    let sql = format!("INSERT INTO reports ({REPORT_COLUMNS}, report_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
    exec!(
        c,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(r.id)
            .bind(r.person_id)
            .bind(r.unit_id)
            .bind(r.unit_path.as_str())
            .bind(r.reporter_id)
            .bind(Json(&r.symptoms))
            .bind(r.temperature_c)
            .bind(r.onset_date.map(|d| d.to_string()))
            .bind(&r.note)
            .bind(micros(r.received_at))
            .bind(r.case_id)
            .bind(report_date.to_string()),
        execute
    )?;
    Ok(())
}

/// The unit whose code is `unit_code`, loaded inside the transaction and
/// checked by [`intake::unit_for`] for `reporter`.
async fn unit_in(tx: &mut crate::Tx<'_>, reporter: &User, unit_code: &str) -> Result<Node> {
    let found = node_by_code(&mut tx.conn, unit_code.trim()).await?;
    Ok(intake::unit_for(reporter, unit_code, found.as_ref())?.clone())
}

/// Files a report inside an open transaction (used by the API path and by
/// follow-up visits and arrivals, which report symptoms as part of their own
/// change).
pub(crate) async fn intake_in(tx: &mut crate::Tx<'_>, reporter: &User, draft: &ReportDraft, unit: &Node, now: Timestamp) -> Result<Intake> {
    let stored = report_by_id(&mut tx.conn, draft.id).await?;
    if let Some(existing) = intake::resent(stored.as_ref(), draft, unit.id)? {
        let (case, task, status) = status_of(&mut tx.conn, existing).await?;
        return Ok(Intake { created: false, report: existing.clone(), case, task, status });
    }
    let found = person_by_id(&mut tx.conn, draft.person_id).await?;
    let person = intake::check_person(found.as_ref(), &unit.path, &reporter.node_path)?;
    let config = config_in(tx).await?;
    let (definitions, settings) = (&config.definitions, &config.settings);
    let open_case = open_case_of(&mut tx.conn, person.id).await?;
    let on_call = on_call_in(&mut tx.conn, &unit.path.self_and_ancestors(), now).await?;
    let ids = NewIds { case: Uuid::now_v7(), task: Uuid::now_v7(), escalation: Uuid::now_v7() };
    let cx = Context {
        unit_id: unit.id,
        unit_path: &unit.path,
        definitions,
        open_case: open_case.as_ref(),
        on_call: on_call.as_ref(),
        settings,
    };
    let decision = intake::decide(draft, cx, ids, now);

    let case = match &decision.case {
        CaseChange::NoCase => None,
        CaseChange::Opened(case) => {
            insert_case(&mut tx.conn, case, settings.local_date(case.opened_at)).await?;
            tx.audit(now, Some(reporter.id), "case.open", case.id, None::<&()>, Some(case)).await?;
            Some(case.clone())
        }
        CaseChange::Joined(case) => {
            update_case(&mut tx.conn, case).await?;
            tx.audit(now, Some(reporter.id), "case.update", case.id, open_case.as_ref(), Some(case)).await?;
            Some(case.clone())
        }
    };
    let report = Report {
        id: draft.id,
        person_id: person.id,
        unit_id: unit.id,
        unit_path: unit.path.clone(),
        reporter_id: reporter.id,
        symptoms: draft.symptoms.clone(),
        temperature_c: draft.temperature_c,
        onset_date: draft.onset_date,
        note: draft.note.clone(),
        received_at: now,
        case_id: case.as_ref().map(|c| c.id),
    };
    insert_report(&mut tx.conn, &report, settings.local_date(now)).await?;
    tx.audit(now, Some(reporter.id), "report.create", report.id, None::<&()>, Some(&report)).await?;
    tx.emit(Event::new(EventKind::ReportReceived, &report.unit_path, report.id, now, &report)).await?;
    if let (CaseChange::Opened(case), Some(_)) = (&decision.case, &case) {
        tx.emit(Event::new(EventKind::CaseOpened, &case.unit_path, case.id, now, case)).await?;
    }
    if let Some(task) = &decision.task {
        insert_task(&mut tx.conn, task, settings.local_date(task.created_at)).await?;
        tx.audit(now, Some(reporter.id), "task.assign", task.id, None::<&()>, Some(task)).await?;
        tx.emit(Event::new(EventKind::TaskAssigned, &task.subject_path, task.id, now, task)).await?;
    }
    if let Some(escalation) = &decision.escalation {
        record_escalation(tx, escalation, now).await?;
    }
    let status = if case.is_some() { ReportStatus::CaseOpened } else { ReportStatus::Received };
    Ok(Intake { created: true, report, case, task: decision.task, status })
}
