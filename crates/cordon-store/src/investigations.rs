//! Investigation records: exposure, sample and result (which drives
//! classification), isolation decision (which issues the isolation order) and
//! the source case.

use cordon_core::case::Case;
use cordon_core::event::{Event, EventKind};
use cordon_core::gathering::Gathering;
use cordon_core::investigation::{self, Investigation, InvestigationInput, IsolationDecision, Recording, Sample};
use cordon_core::order::{Order, OrderKind};
use cordon_core::person::Person;
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cases::{case_by_id, update_case};
use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros};
use crate::error::{Result, StoreError};
use crate::gatherings::gathering_in;
use crate::jurisdictions::all_facilities;
use crate::orders::{issue_in, order_in_force};
use crate::persons::person_by_id;
use crate::{Store, Tx, exec};

type InvestigationRow = (Uuid, Option<String>, Option<Json<Sample>>, Option<Json<IsolationDecision>>, Uuid, i64);

async fn investigation_of(c: &mut Conn<'_>, case_id: Uuid) -> Result<Option<Investigation>> {
    let row: Option<InvestigationRow> = exec!(
        c,
        sqlx::query_as(
            "SELECT case_id, exposure_history, sample, isolation, recorded_by, updated_at FROM investigations WHERE case_id = $1"
        )
        .bind(case_id),
        fetch_optional
    )?;
    let Some((case_id, exposure_history, sample, isolation, recorded_by, updated_at)) = row else { return Ok(None) };
    let source: Option<Uuid> = exec!(c, sqlx::query_scalar("SELECT source_case_id FROM cases WHERE id = $1").bind(case_id), fetch_one)?;
    let gathering: Option<Uuid> =
        exec!(c, sqlx::query_scalar("SELECT gathering_id FROM gathering_cases WHERE case_id = $1").bind(case_id), fetch_optional)?;
    Ok(Some(Investigation {
        case_id,
        exposure_history,
        sample: sample.map(|j| j.0),
        isolation: isolation.map(|j| j.0),
        source_case_id: source,
        gathering_id: gathering,
        recorded_by,
        updated_at: from_micros(updated_at)?,
    }))
}

/// What recording an investigation did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// The record.
    pub investigation: Investigation,
    /// The case, reclassified if a result came in.
    pub case: Case,
    /// The isolation order issued by this record, if any.
    pub isolation_order: Option<Order>,
}

impl Store {
    /// The investigation of a case.
    pub async fn investigation(&self, case_id: Uuid) -> Result<Option<Investigation>> {
        self.read(async |c| investigation_of(c, case_id).await).await
    }

    /// Records (or updates) the investigation of a case in one transaction:
    /// loads the case, its person, the facility, source case and gathering
    /// named, the settings and any isolation in force; checks the worker may
    /// classify the case; lets [`investigation::decide`] check and decide; and
    /// stores the record, the case's link to the gathering, the reclassified
    /// case and the isolation order.
    pub async fn record_investigation(&self, worker: &User, case_id: Uuid, input: &InvestigationInput, now: Timestamp) -> Result<Recorded> {
        self.write(async |tx| {
            let case = case_by_id(&mut tx.conn, case_id).await?.ok_or_else(|| StoreError::not_found(Record::Case, case_id))?;
            policy::authorise(worker, Action::Classify, &case.unit_path)?;
            let person =
                person_by_id(&mut tx.conn, case.person_id).await?.ok_or_else(|| StoreError::not_found(Record::Person, case.person_id))?;
            let settings = settings_in(&mut tx.conn).await?;
            let facility = match input.isolation.as_ref().and_then(|i| i.facility_code.as_deref()) {
                Some(code) => all_facilities(&mut tx.conn).await?.into_iter().find(|f| f.code == code.trim()),
                None => None,
            };
            let source = match input.source_case_id {
                Some(id) => case_by_id(&mut tx.conn, id).await?,
                None => None,
            };
            let gathering = match input.gathering_id {
                Some(id) => gathering_in(&mut tx.conn, id).await?,
                None => None,
            };
            let isolation_in_force = order_in_force(&mut tx.conn, person.id, OrderKind::Isolation).await?;
            let cx = investigation::Context {
                worker,
                case: &case,
                person: &person,
                settings: &settings,
                facility: facility.as_ref(),
                source: source.as_ref(),
                gathering: gathering.as_ref(),
                isolation_in_force: isolation_in_force.as_ref(),
            };
            let recording = investigation::decide(input, cx, now)?;
            store_recording(tx, worker.id, (&case, &person, gathering.as_ref()), recording, now).await
        })
        .await
    }
}

/// Links the case to the gathering its record names as exposure (replacing
/// any earlier link), or unlinks it when the record names none.
async fn link_gathering(tx: &mut Tx<'_>, case_id: Uuid, gathering: Option<&Gathering>, now: Timestamp) -> Result<()> {
    exec!(&mut tx.conn, sqlx::query("DELETE FROM gathering_cases WHERE case_id = $1").bind(case_id), execute)?;
    if let Some(g) = gathering {
        exec!(
            &mut tx.conn,
            sqlx::query("INSERT INTO gathering_cases (case_id, gathering_id, gathering_path, linked_at) VALUES ($1, $2, $3, $4)")
                .bind(case_id)
                .bind(g.id)
                .bind(g.unit_path.as_str())
                .bind(micros(now)),
            execute
        )?;
    }
    Ok(())
}

/// Stores what [`investigation::decide`] decided: the record with its link to
/// the gathering named, the case when it changed and the isolation order,
/// with their audit records and events.
async fn store_recording(
    tx: &mut Tx<'_>,
    worker: Uuid,
    (before_case, person, gathering): (&Case, &Person, Option<&Gathering>),
    recording: Recording,
    now: Timestamp,
) -> Result<Recorded> {
    let Recording { record, case, isolation } = recording;
    let case_id = before_case.id;
    let before = investigation_of(&mut tx.conn, case_id).await?;
    link_gathering(tx, case_id, gathering.filter(|g| record.gathering_id == Some(g.id)), now).await?;
    exec!(&mut tx.conn, sqlx::query("DELETE FROM investigations WHERE case_id = $1").bind(case_id), execute)?;
    exec!(
        &mut tx.conn,
        sqlx::query("INSERT INTO investigations (case_id, exposure_history, sample, isolation, recorded_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(case_id)
            .bind(&record.exposure_history)
            .bind(record.sample.as_ref().map(Json))
            .bind(record.isolation.as_ref().map(Json))
            .bind(worker)
            .bind(micros(now)),
        execute
    )?;
    tx.audit(now, Some(worker), "investigation.record", case_id, before.as_ref(), Some(&record)).await?;
    // The first recording is the worker's first visit, for the response times.
    exec!(
        &mut tx.conn,
        sqlx::query("UPDATE tasks SET visited_at = $1 WHERE case_id = $2 AND kind = 'investigation' AND visited_at IS NULL")
            .bind(micros(now))
            .bind(case_id),
        execute
    )?;
    tx.emit(Event::new(EventKind::InvestigationRecorded, &before_case.unit_path, case_id, now, &record)).await?;
    if case != *before_case {
        update_case(&mut tx.conn, &case).await?;
        tx.audit(now, Some(worker), "case.classify", case_id, Some(before_case), Some(&case)).await?;
        tx.emit(Event::new(EventKind::CaseClassified, &case.unit_path, case_id, now, &case)).await?;
    }
    let isolation_order = match isolation {
        Some(draft) => Some(issue_in(tx, Some(worker), Uuid::now_v7(), draft, &person.unit_path, now).await?),
        None => None,
    };
    Ok(Recorded { investigation: record, case, isolation_order })
}
