//! Arrivals at points of entry: screening, a report when symptomatic, and
//! entry quarantine by the rule for the origin country.

use cordon_core::arrival::{self, Arrival, ArrivalInput};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::{Facility, Node, NodePath};
use cordon_core::order::{Order, OrderDraft, OrderKind, OrderPlace, OrderReason};
use cordon_core::person::PersonDraft;
use cordon_core::report::{ReportDraft, Symptom};
use cordon_core::settings::EntryRule;
use cordon_core::user::User;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::types::Json;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{from_micros, micros, parse_date, subtree};
use crate::error::Result;
use crate::orders::{issue_in, order_by_id};
use crate::paging::{self, Keyset, Page, PageRequest};
use crate::reports::{Intake, intake_in};
use crate::{Store, exec};

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

/// The checked parts of an arrival.
#[derive(Debug, Clone)]
pub struct CheckedArrival {
    /// The traveller.
    pub person: PersonDraft,
    /// Where they will stay.
    pub unit: Node,
    /// The point of entry.
    pub point_of_entry: Facility,
    /// The quarantine facility, for facility quarantine.
    pub facility: Option<Facility>,
    /// Document number.
    pub travel_document: String,
    /// Origin country.
    pub origin_country: String,
    /// Route.
    pub route: Option<String>,
}

/// What registering an arrival did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

impl Store {
    /// Registers an arrival: refuses a closed point of entry, quarantines by
    /// the rule for the origin country, and files a report when symptomatic.
    pub async fn register_arrival(
        &self,
        officer: &User,
        input: &ArrivalInput,
        checked: &CheckedArrival,
        now: Timestamp,
    ) -> Result<Registered> {
        self.write(async |tx| {
            let sql = format!("SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE id = $1");
            let existing: Option<ArrivalRow> =
                exec!(&mut tx.conn, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(input.id), fetch_optional)?;
            if let Some(row) = existing {
                let arrival = arrival_from(row)?;
                let order = match arrival.order_id {
                    Some(id) => order_by_id(&mut tx.conn, id).await?,
                    None => None,
                };
                return Ok(Registered { created: false, arrival, intake: None, order });
            }
            let settings = settings_in(&mut tx.conn).await?;
            arrival::check_open(&settings, &checked.point_of_entry.code, input.arrived_on)?;
            let person = crate::persons::insert_person(tx, officer.id, &checked.person, &checked.unit, now).await?;
            let rule = arrival::rule_for(&settings, &checked.origin_country);
            let place = match rule {
                EntryRule::FacilityQuarantine => Some((OrderPlace::Facility, checked.facility.as_ref())),
                EntryRule::HomeQuarantine => Some((OrderPlace::Home, None)),
                EntryRule::NoQuarantine => None,
            };
            let order = match place {
                Some((OrderPlace::Facility, None)) => {
                    return Err(cordon_core::Invalid::field(
                        "facility_code",
                        "facility quarantine applies and no quarantine centre was found; name one",
                    )
                    .into());
                }
                Some((place, facility)) => {
                    let area: NodePath = facility.map(|f| f.node_path.clone()).unwrap_or_else(|| person.unit_path.clone());
                    let draft = OrderDraft {
                        person_id: person.id,
                        kind: OrderKind::Quarantine,
                        place,
                        facility_id: facility.map(|f| f.id),
                        area_path: area,
                        reason: OrderReason::Arrival,
                        case_id: None,
                        starts_on: input.arrived_on,
                        days: settings.entry_quarantine_days,
                        note: Some(format!("arrival from {} at {}", checked.origin_country, checked.point_of_entry.code)),
                    };
                    Some(issue_in(tx, Some(officer.id), draft, &person.unit_path, now).await?)
                }
                None => None,
            };
            let intake = if input.is_symptomatic() {
                let mut symptoms = input.symptoms.clone();
                symptoms.sort();
                symptoms.dedup();
                let draft = ReportDraft {
                    id: Uuid::now_v7(),
                    person_id: person.id,
                    symptoms,
                    temperature_c: input.temperature_c,
                    onset_date: Some(input.arrived_on),
                    note: Some(format!("screened at {}", checked.point_of_entry.code)),
                };
                Some(intake_in(tx, officer, &draft, &checked.unit, now).await?)
            } else {
                None
            };
            let arrival = Arrival {
                id: input.id,
                point_of_entry_id: checked.point_of_entry.id,
                person_id: person.id,
                travel_document: checked.travel_document.clone(),
                origin_country: checked.origin_country.clone(),
                route: checked.route.clone(),
                arrived_on: input.arrived_on,
                temperature_c: input.temperature_c,
                symptoms: input.symptoms.clone(),
                report_id: intake.as_ref().map(|i| i.report.id),
                order_id: order.as_ref().map(|o| o.id),
                registered_by: officer.id,
                registered_at: now,
            };
            let sql = format!(
                "INSERT INTO arrivals ({ARRIVAL_COLUMNS}, poe_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
            );
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
                    .bind(officer.id)
                    .bind(micros(now))
                    .bind(checked.point_of_entry.node_path.as_str()),
                execute
            )?;
            tx.audit(now, Some(officer.id), "arrival.register", arrival.id, None::<&()>, Some(&arrival)).await?;
            tx.emit(Event::new(EventKind::ArrivalRegistered, &checked.point_of_entry.node_path, arrival.id, now, &arrival)).await?;
            Ok(Registered { created: true, arrival, intake, order })
        })
        .await
    }

    /// A page of the arrivals at points of entry at or below `path`, newest
    /// registration first (arrivals registered in the same microsecond by id).
    pub async fn arrivals_page(&self, path: &NodePath, request: &PageRequest<i64>) -> Result<Page<Arrival, i64>> {
        let keyset = Keyset { key: "registered_at", descending: true };
        let from = "FROM arrivals WHERE poe_path LIKE $1 ESCAPE '\\'";
        let backwards = request.backwards();
        let (rows_sql, count_sql) = keyset.queries(ARRIVAL_COLUMNS, from, 1, request.cursor.is_some(), backwards);
        let pattern = subtree(path);
        let limit = request.bounded_limit();
        let (rows, counts) = self
            .read(async |c| {
                let rows: Vec<ArrivalRow> = exec!(
                    c,
                    {
                        let q = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql.as_str())).bind(&pattern).bind(limit);
                        match &request.cursor {
                            Some(at) => q.bind(at.key).bind(at.id),
                            None => q,
                        }
                    },
                    fetch_all
                )?;
                // Counted around the first row read: the list's size and the rows before the page.
                let first = if backwards { rows.last() } else { rows.first() };
                let (first_key, first_id) = first.map(|r| (r.12, r.0)).unwrap_or_default();
                let counts: (i64, i64) = exec!(
                    c,
                    sqlx::query_as(sqlx::AssertSqlSafe(count_sql.as_str())).bind(&pattern).bind(first_key).bind(first_id),
                    fetch_one
                )?;
                Ok((rows, counts))
            })
            .await?;
        let arrivals = rows.into_iter().map(arrival_from).collect::<Result<Vec<_>>>()?;
        Ok(paging::assemble(arrivals, backwards, counts, |a| (micros(a.registered_at), a.id)))
    }

    /// A facility by code.
    pub async fn facility_by_code(&self, code: &str) -> Result<Option<Facility>> {
        let root = match self.root_node().await? {
            Some(r) => r,
            None => return Ok(None),
        };
        Ok(self.facilities(&root.path).await?.into_iter().find(|f| f.code == code.trim()))
    }

    /// The first quarantine centre at or above `path` (nearest first).
    pub async fn nearest_quarantine_centre(&self, path: &NodePath) -> Result<Option<Facility>> {
        let Some(root) = self.root_node().await? else { return Ok(None) };
        let all = self.facilities(&root.path).await?;
        Ok(path.self_and_ancestors().into_iter().find_map(|p| {
            all.iter().find(|f| f.node_path == p && f.kind == cordon_core::jurisdiction::FacilityKind::QuarantineCentre).cloned()
        }))
    }
}
