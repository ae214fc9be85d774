//! Contacts: listed on a case, quarantined where they live, handed over to
//! another jurisdiction's command when they live outside the lister's.

use cordon_core::case::Case;
use cordon_core::contact::{self, Contact, ContactInput, ExposureSetting, Handover, Listing, Named};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::order::Order;
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::cases::case_by_id;
use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_code;
use crate::orders::issue_in;
use crate::paging::{self, Keyset, List, Page, PageRequest};
use crate::persons::{find_or_register, person_by_id};
use crate::{Store, Tx, exec};

type ContactRow = (Uuid, Uuid, Uuid, String, String, String, String, Option<Uuid>, Option<Uuid>, bool, Uuid, i64);
const CONTACT_COLUMNS: &str =
    "id, case_id, person_id, person_path, relation, exposure_date, setting, order_id, became_case_id, handed_over, listed_by, listed_at";

type HandoverRow = (Uuid, Uuid, Uuid, Option<Uuid>, String, String, i64, Option<Uuid>, Option<i64>);
const HANDOVER_COLUMNS: &str = "id, contact_id, person_id, order_id, from_path, to_path, created_at, accepted_by, accepted_at";

fn handover_from(r: HandoverRow) -> Result<Handover> {
    Ok(Handover {
        id: r.0,
        contact_id: r.1,
        person_id: r.2,
        order_id: r.3,
        from_path: NodePath::from_stored(r.4),
        to_path: NodePath::from_stored(r.5),
        created_at: from_micros(r.6)?,
        accepted_by: r.7,
        accepted_at: r.8.map(from_micros).transpose()?,
    })
}

fn contact_from(r: ContactRow) -> Result<Contact> {
    Ok(Contact {
        id: r.0,
        case_id: r.1,
        person_id: r.2,
        person_path: NodePath::from_stored(r.3),
        relation: r.4,
        exposure_date: parse_date("contacts.exposure_date", &r.5)?,
        setting: parse_enum("contacts.setting", &r.6, ExposureSetting::parse)?,
        order_id: r.7,
        became_case_id: r.8,
        handed_over: r.9,
        listed_by: r.10,
        listed_at: from_micros(r.11)?,
    })
}

/// Contacts of a case.
pub async fn contacts_of(c: &mut Conn<'_>, case_id: Uuid) -> Result<Vec<Contact>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE case_id = $1 ORDER BY listed_at");
    let rows: Vec<ContactRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(case_id), fetch_all)?;
    rows.into_iter().map(contact_from).collect()
}

/// Contact records naming a person (for chains and conversions).
pub async fn contacts_naming(c: &mut Conn<'_>, person_id: Uuid) -> Result<Vec<Contact>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE person_id = $1 ORDER BY listed_at");
    let rows: Vec<ContactRow> = exec!(c, sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id), fetch_all)?;
    rows.into_iter().map(contact_from).collect()
}

/// What listing a contact did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Listed {
    /// The contact.
    pub contact: Contact,
    /// Their quarantine order.
    pub order: Order,
    /// The handover, when they live outside your jurisdiction.
    pub handover: Option<Handover>,
}

/// The handover `id`, if it was received at or below `path`, inside any connection.
async fn handover_under(c: &mut Conn<'_>, path: &NodePath, id: Uuid) -> Result<Option<Handover>> {
    let sql = format!("SELECT {HANDOVER_COLUMNS} FROM handovers WHERE id = $1 AND to_path LIKE $2 ESCAPE '\\'");
    let row: Option<HandoverRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id).bind(subtree(path)), fetch_optional)?;
    row.map(handover_from).transpose()
}

/// Stores what [`contact::decide`] decided: the quarantine order, the
/// contact and any handover, with their audit records and events.
async fn record_listing(tx: &mut Tx<'_>, case: &Case, listing: Listing, now: Timestamp) -> Result<Listed> {
    let Listing { contact, order, handover } = listing;
    let order_id = contact.order_id.unwrap_or_else(Uuid::now_v7);
    let order = issue_in(tx, Some(contact.listed_by), order_id, order, &contact.person_path, now).await?;
    let sql = format!("INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
    exec!(
        &mut tx.conn,
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(contact.id)
            .bind(contact.case_id)
            .bind(contact.person_id)
            .bind(contact.person_path.as_str())
            .bind(&contact.relation)
            .bind(contact.exposure_date.to_string())
            .bind(contact.setting.as_str())
            .bind(contact.order_id)
            .bind(contact.became_case_id)
            .bind(contact.handed_over)
            .bind(contact.listed_by)
            .bind(micros(contact.listed_at)),
        execute
    )?;
    tx.audit(now, Some(contact.listed_by), "contact.list", contact.id, None::<&()>, Some(&contact)).await?;
    tx.emit(Event::new(EventKind::ContactListed, &case.unit_path, contact.id, now, &contact)).await?;
    if let Some(h) = &handover {
        exec!(
            &mut tx.conn,
            sqlx::query("INSERT INTO handovers (id, contact_id, person_id, order_id, from_path, to_path, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(h.id)
                .bind(h.contact_id)
                .bind(h.person_id)
                .bind(h.order_id)
                .bind(h.from_path.as_str())
                .bind(h.to_path.as_str())
                .bind(micros(h.created_at)),
            execute
        )?;
        tx.audit(now, Some(contact.listed_by), "handover.create", h.id, None::<&()>, Some(h)).await?;
        tx.emit(Event::new(EventKind::HandedOver, &h.to_path, h.id, now, h)).await?;
    }
    Ok(Listed { contact, order, handover })
}

impl Store {
    /// Lists a contact of a case in one transaction: loads the case, the
    /// person or unit the input names and the settings; checks the lister
    /// may work on the case; lets [`contact::admit`] and [`contact::decide`]
    /// check and decide (a new person is found among probable duplicates or
    /// registered in between); and stores the quarantine where they live, the
    /// contact and, outside the lister's jurisdiction, the handover.
    pub async fn list_contact(&self, lister: &User, case_id: Uuid, input: &ContactInput, now: Timestamp) -> Result<Listed> {
        self.write(async |tx| {
            let case = case_by_id(&mut tx.conn, case_id).await?.ok_or_else(|| StoreError::not_found(Record::Case, case_id))?;
            policy::authorise(lister, Action::Classify, &case.unit_path)?;
            let settings = settings_in(&mut tx.conn).await?;
            let existing = match input.person_id {
                Some(id) => person_by_id(&mut tx.conn, id).await?,
                None => None,
            };
            let unit = match (&input.person_id, &input.new_person) {
                (None, Some(p)) => node_by_code(&mut tx.conn, p.unit_code.trim()).await?,
                _ => None,
            };
            let (relation, named) = contact::admit(input, lister, settings.local_date(now), existing.as_ref(), unit.as_ref())?;
            let person = match named {
                Named::Existing(person) => person.clone(),
                Named::New(draft, unit) => find_or_register(tx, lister.id, &draft, unit, now).await?,
            };
            let ids = contact::NewIds { contact: Uuid::now_v7(), order: Uuid::now_v7(), handover: Uuid::now_v7() };
            let listing = contact::decide(&case, &person, lister, &settings, (input, relation), ids, now)?;
            record_listing(tx, &case, listing, now).await
        })
        .await
    }

    /// Contacts of a case.
    pub async fn contacts(&self, case_id: Uuid) -> Result<Vec<Contact>> {
        self.read(async |c| contacts_of(c, case_id).await).await
    }

    /// A page of the handovers received by places at or below `path`, newest
    /// first (handovers made in the same microsecond by id).
    pub async fn handovers_page(&self, path: &NodePath, request: &PageRequest<i64>) -> Result<Page<Handover, i64>> {
        let pattern = subtree(path);
        let list = List {
            keyset: Keyset { key: "created_at", descending: true },
            columns: HANDOVER_COLUMNS,
            from: "FROM handovers WHERE to_path LIKE $1 ESCAPE '\\'",
            filters: &[Some(pattern.as_str())],
        };
        let (rows, counts) = self.read_page(list, request, |at| *at, |r: &HandoverRow| (r.6, r.0)).await?;
        let handovers = rows.into_iter().map(handover_from).collect::<Result<Vec<_>>>()?;
        Ok(paging::assemble(handovers, request.backwards(), counts, |h| (micros(h.created_at), h.id)))
    }

    /// How many handovers received at or below `path` nobody has taken on yet.
    pub async fn handovers_waiting(&self, path: &NodePath) -> Result<i64> {
        let pattern = subtree(path);
        self.read(async |c| {
            Ok(exec!(
                c,
                sqlx::query_scalar("SELECT COUNT(*) FROM handovers WHERE to_path LIKE $1 ESCAPE '\\' AND accepted_by IS NULL")
                    .bind(&pattern),
                fetch_one
            )?)
        })
        .await
    }

    /// The handover `id`, if it was received at or below `path`.
    pub async fn handover_to(&self, path: &NodePath, id: Uuid) -> Result<Option<Handover>> {
        self.read(async |c| handover_under(c, path, id).await).await
    }

    /// A command officer takes on a handover: it is loaded (one received
    /// outside their jurisdiction is not found) and [`contact::take_on`]
    /// decides, in one transaction; taking it on again changes nothing.
    pub async fn accept_handover(&self, officer: &User, id: Uuid, now: Timestamp) -> Result<Handover> {
        self.write(async |tx| {
            let found =
                handover_under(&mut tx.conn, &officer.node_path, id).await?.ok_or_else(|| StoreError::not_found(Record::Handover, id))?;
            let Some(after) = contact::take_on(&found, officer.id, now) else { return Ok(found) };
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE handovers SET accepted_by = $1, accepted_at = $2 WHERE id = $3")
                    .bind(officer.id)
                    .bind(micros(now))
                    .bind(id),
                execute
            )?;
            tx.audit(now, Some(officer.id), "handover.accept", id, Some(&found), Some(&after)).await?;
            Ok(after)
        })
        .await
    }
}
