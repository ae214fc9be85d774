//! Investigation records: exposure, sample and result (which drives
//! classification), isolation decision (which issues the isolation order) and
//! the source case.

use cordon_core::case::{self, Case, Classification};
use cordon_core::event::{Event, EventKind};
use cordon_core::investigation::{self, Investigation, InvestigationInput, IsolationDecision, IsolationPlace, Sample};
use cordon_core::jurisdiction::Facility;
use cordon_core::order::{Order, OrderDraft, OrderKind, OrderPlace, OrderReason};
use jiff::Timestamp;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cases::{case_by_id, update_case};
use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros};
use crate::error::{Result, StoreError};
use crate::orders::issue_in;
use crate::persons::person_by_id;
use crate::{Store, exec};

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
    Ok(Some(Investigation {
        case_id,
        exposure_history,
        sample: sample.map(|j| j.0),
        isolation: isolation.map(|j| j.0),
        source_case_id: source,
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

    /// Records (or updates) the investigation of a case. `facility` is the
    /// resolved isolation facility; `history` the checked exposure text.
    pub async fn record_investigation(
        &self,
        worker: Uuid,
        case_id: Uuid,
        input: &InvestigationInput,
        history: Option<String>,
        facility: Option<&Facility>,
        now: Timestamp,
    ) -> Result<Recorded> {
        self.write(async |tx| {
            let before_case = case_by_id(&mut tx.conn, case_id).await?.ok_or_else(|| StoreError::not_found("case", case_id))?;
            let before = investigation_of(&mut tx.conn, case_id).await?;
            if let Some(source) = input.source_case_id {
                case_by_id(&mut tx.conn, source).await?.ok_or_else(|| cordon_core::Invalid::field("source_case_id", "no such case"))?;
            }
            let record = Investigation {
                case_id,
                exposure_history: history.clone(),
                sample: input.sample.clone(),
                isolation: input.isolation.clone(),
                source_case_id: input.source_case_id.or(before_case.source_case_id),
                recorded_by: worker,
                updated_at: now,
            };
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
            tx.emit(Event::new(EventKind::InvestigationRecorded, &before_case.unit_path, case_id, now, &record)).await?;

            let mut case = Case { source_case_id: record.source_case_id, updated_at: now, ..before_case.clone() };
            if let Some(result) = record.sample.as_ref().and_then(|s| s.result)
                && let Some(to) = investigation::classification_for(case.status, result)
            {
                case = case::classify(&case, Classification { status: Some(to), outcome: None }, now)?;
            }
            if case != before_case {
                update_case(&mut tx.conn, &case).await?;
                tx.audit(now, Some(worker), "case.classify", case_id, Some(&before_case), Some(&case)).await?;
                tx.emit(Event::new(EventKind::CaseClassified, &case.unit_path, case_id, now, &case)).await?;
            }

            let mut isolation_order = None;
            if let Some(decision) = &record.isolation {
                let person = person_by_id(&mut tx.conn, case.person_id).await?.ok_or_else(|| StoreError::not_found("person", case.person_id))?;
                let settings = settings_in(&mut tx.conn).await?;
                let (place, facility_id, area_path) = match (decision.place, facility) {
                    (IsolationPlace::Home, _) => (OrderPlace::Home, None, person.unit_path.clone()),
                    (_, Some(f)) => (OrderPlace::Facility, Some(f.id), f.node_path.clone()),
                    (_, None) => return Err(cordon_core::Invalid::field("isolation.facility_code", "no such facility").into()),
                };
                let draft = OrderDraft {
                    person_id: person.id,
                    kind: OrderKind::Isolation,
                    place,
                    facility_id,
                    area_path,
                    reason: OrderReason::Case,
                    case_id: Some(case_id),
                    starts_on: settings.local_date(now),
                    days: settings.isolation_days,
                    note: None,
                };
                let in_force = crate::orders::order_in_force(&mut tx.conn, person.id, OrderKind::Isolation).await?;
                if in_force.is_none() {
                    isolation_order = Some(issue_in(tx, Some(worker), draft, &person.unit_path, now).await?);
                }
            }
            Ok(Recorded { investigation: record, case, isolation_order })
        })
        .await
    }
}
