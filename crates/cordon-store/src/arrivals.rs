//! Arrivals at points of entry: screening, a report when symptomatic, and
//! entry quarantine by the rule for the origin country.

use cordon_core::arrival::{self, Admission, Arrival, ArrivalInput, Outcome};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::{Facility, NodePath};
use cordon_core::order::Order;
use cordon_core::report::Symptom;
use cordon_core::user::User;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::types::Json;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros, parse_date, subtree};
use crate::directives::directives_over_in;
use crate::error::Result;
use crate::jurisdictions::{all_facilities, node_by_code};
use crate::orders::{issue_in, order_by_id};
use crate::paging::{self, Keyset, List, Page, PageRequest};
use crate::persons::insert_person;
use crate::reports::{Intake, intake_in};
use crate::{Store, Tx, exec};

type ArrivalRow =
    (Uuid, Uuid, Uuid, String, String, Option<String>, String, Option<f64>, Json<Vec<Symptom>>, Option<Uuid>, Option<Uuid>, Uuid, i64);
const ARRIVAL_COLUMNS: &str = "id, point_of_entry_id, person_id, travel_document, origin_country, route, arrived_on, temperature_c, symptoms, report_id, order_id, registered_by, registered_at";

fn arrival_from(r: ArrivalRow) -> Result<Arrival> {
    Ok(Arrival {
        id: r.0,
        point_of_entry_id: r.1,
        person_id: r.2,
        travel_document: r.3,
        origin_country: r.4,
        route: r.5,
        arrived_on: parse_date("arrivals.arrived_on", &r.6)?,
        temperature_c: r.7,
        symptoms: r.8.0,
        report_id: r.9,
        order_id: r.10,
        registered_by: r.11,
        registered_at: from_micros(r.12)?,
    })
}

/// What registering an arrival did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = ArrivalRegistered)]
pub struct Registered {
    /// False when an arrival with this id already existed.
    pub created: bool,
    /// The arrival.
    pub arrival: Arrival,
    /// The screening report, with its case and task.
    pub intake: Option<Intake>,
    /// The entry quarantine order.
    pub order: Option<Order>,
}

async fn arrival_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Arrival>> {
    let sql = format!("SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE id = $1");
    let row: Option<ArrivalRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(arrival_from).transpose()
}

/// Stores what [`arrival::decide`] admitted: the traveller, the order, the
/// screening report (through the report intake) and the arrival, with their
/// audit records and events.
async fn admit(tx: &mut Tx<'_>, officer: &User, a: &Admission, now: Timestamp) -> Result<Registered> {
    insert_person(tx, officer.id, &a.person, now).await?;
    let order = match (a.arrival.order_id, &a.order) {
        (Some(id), Some(draft)) => Some(issue_in(tx, Some(officer.id), id, draft.clone(), &a.person.unit_path, now).await?),
        _ => None,
    };
    let intake = match &a.report {
        Some(draft) => Some(intake_in(tx, officer, draft, &a.unit, now).await?),
        None => None,
    };
    let arrival = &a.arrival;
    let sql =
        format!("INSERT INTO arrivals ({ARRIVAL_COLUMNS}, poe_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)");
    exec!(
        &mut tx.conn,
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(arrival.id)
            .bind(arrival.point_of_entry_id)
            .bind(arrival.person_id)
            .bind(&arrival.travel_document)
            .bind(&arrival.origin_country)
            .bind(&arrival.route)
            .bind(arrival.arrived_on.to_string())
            .bind(arrival.temperature_c)
            .bind(Json(&arrival.symptoms))
            .bind(arrival.report_id)
            .bind(arrival.order_id)
            .bind(arrival.registered_by)
            .bind(micros(arrival.registered_at))
            .bind(a.point_of_entry.node_path.as_str()),
        execute
    )?;
    tx.audit(now, Some(officer.id), "arrival.register", arrival.id, None::<&()>, Some(arrival)).await?;
    tx.emit(Event::new(EventKind::ArrivalRegistered, &a.point_of_entry.node_path, arrival.id, now, arrival)).await?;
    Ok(Registered { created: true, arrival: arrival.clone(), intake, order })
}

impl Store {
    /// Registers an arrival in one transaction: loads what the rule needs
    /// (the places named, every facility, settings, the directives over the
    /// point of entry, an earlier arrival with this id), lets [`arrival::decide`] check and decide, and stores the
    /// traveller, the entry quarantine, the screening report and the arrival.
    /// Sending the same id again stores nothing and answers with the first.
    pub async fn register_arrival(&self, officer: &User, input: &ArrivalInput, now: Timestamp) -> Result<Registered> {
        self.write(async |tx| {
            let existing = arrival_by_id(&mut tx.conn, input.id).await?;
            let settings = settings_in(&mut tx.conn).await?;
            let facilities = all_facilities(&mut tx.conn).await?;
            let unit = node_by_code(&mut tx.conn, input.person.unit_code.trim()).await?;
            let by_code = |code: &str| facilities.iter().find(|f| f.code == code.trim());
            let point_of_entry = by_code(&input.point_of_entry_code);
            let directives = match point_of_entry {
                Some(poe) => directives_over_in(&mut tx.conn, &poe.node_path).await?,
                None => Vec::new(),
            };
            let cx = arrival::Context {
                officer,
                settings: &settings,
                directives: &directives,
                point_of_entry,
                unit: unit.as_ref(),
                facility: input.facility_code.as_deref().and_then(by_code),
                facilities: &facilities,
                existing: existing.as_ref(),
            };
            let ids = arrival::NewIds { person: Uuid::now_v7(), order: Uuid::now_v7(), report: Uuid::now_v7() };
            match arrival::decide(input, cx, ids, now)? {
                Outcome::AlreadyRegistered(arrival) => {
                    let order = match arrival.order_id {
                        Some(id) => order_by_id(&mut tx.conn, id).await?,
                        None => None,
                    };
                    Ok(Registered { created: false, arrival: *arrival, intake: None, order })
                }
                Outcome::Admitted(admission) => admit(tx, officer, &admission, now).await,
            }
        })
        .await
    }

    /// A page of the arrivals at points of entry at or below `path`, newest
    /// registration first (arrivals registered in the same microsecond by id).
    pub async fn arrivals_page(&self, path: &NodePath, request: &PageRequest<i64>) -> Result<Page<Arrival, i64>> {
        let pattern = subtree(path);
        let list = List {
            keyset: Keyset { key: "registered_at", descending: true },
            columns: ARRIVAL_COLUMNS,
            from: "FROM arrivals WHERE poe_path LIKE $1 ESCAPE '\\'",
            filters: &[Some(pattern.as_str())],
        };
        let (rows, counts) = self.read_page(list, request, |at| *at, |r: &ArrivalRow| (r.12, r.0)).await?;
        let arrivals = rows.into_iter().map(arrival_from).collect::<Result<Vec<_>>>()?;
        Ok(paging::assemble(arrivals, request.backwards(), counts, |a| (micros(a.registered_at), a.id)))
    }

    /// A facility by code.
    pub async fn facility_by_code(&self, code: &str) -> Result<Option<Facility>> {
        let all = self.read(async |c| all_facilities(c).await).await?;
        Ok(all.into_iter().find(|f| f.code == code.trim()))
    }
}
