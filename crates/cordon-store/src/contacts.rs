//! Contacts: listed on a case, quarantined where they live, handed over to
//! another jurisdiction's command when they live outside the lister's.

use cordon_core::contact::{Contact, ContactInput, ExposureSetting, Handover};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::order::{Order, OrderDraft, OrderKind, OrderPlace, OrderReason};
use cordon_core::person::{Person, PersonDraft, is_probable_duplicate, name_key};
use cordon_core::user::User;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::cases::case_by_id;
use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::orders::issue_in;
use crate::paging::{self, Keyset, Page, PageRequest};
use crate::persons::person_by_id;
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

/// Who the contact is: someone already known, or a new person in a unit.
#[derive(Debug, Clone)]
pub enum ContactPerson {
    /// An existing person (already checked to be in the lister's jurisdiction).
    Existing(Uuid),
    /// A new person living in `unit` (any jurisdiction).
    New(Box<(PersonDraft, Node)>),
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

/// Finds a probable duplicate in the unit or registers the person, in an open transaction.
async fn find_or_register(tx: &mut Tx<'_>, actor: Uuid, draft: &PersonDraft, unit: &Node, now: Timestamp) -> Result<Person> {
    let ids: Vec<Uuid> = exec!(
        &mut tx.conn,
        sqlx::query_scalar("SELECT id FROM persons WHERE unit_id = $1 AND name_key = $2 ORDER BY created_at")
            .bind(unit.id)
            .bind(name_key(&draft.full_name)),
        fetch_all
    )?;
    for id in ids {
        if let Some(p) = person_by_id(&mut tx.conn, id).await?
            && is_probable_duplicate(draft, unit.id, &p)
        {
            return Ok(p);
        }
    }
    crate::persons::insert_person(tx, actor, draft, unit, now).await
}

impl Store {
    /// Lists a contact of a case, quarantines them where they live, and hands
    /// them over when they live outside `lister`'s jurisdiction.
    pub async fn list_contact(
        &self,
        lister: &User,
        case_id: Uuid,
        who: ContactPerson,
        input: &ContactInput,
        relation: String,
        now: Timestamp,
    ) -> Result<Listed> {
        self.write(async |tx| {
            let case = case_by_id(&mut tx.conn, case_id).await?.ok_or_else(|| StoreError::not_found("case", case_id))?;
            let person = match &who {
                ContactPerson::Existing(id) => person_by_id(&mut tx.conn, *id).await?.ok_or_else(|| cordon_core::Invalid::field("person_id", "no such person"))?,
                ContactPerson::New(new) => find_or_register(tx, lister.id, &new.0, &new.1, now).await?,
            };
            if person.id == case.person_id {
                return Err(cordon_core::Invalid::field("person_id", "a case is not its own contact").into());
            }
            let settings = settings_in(&mut tx.conn).await?;
            let draft = OrderDraft {
                person_id: person.id,
                kind: OrderKind::Quarantine,
                place: OrderPlace::Home,
                facility_id: None,
                area_path: person.unit_path.clone(),
                reason: OrderReason::Contact,
                case_id: Some(case_id),
                starts_on: input.exposure_date,
                days: settings.quarantine_days,
                note: Some(format!("contact of case {case_id}")),
            };
            let order = issue_in(tx, Some(lister.id), draft, &person.unit_path, now).await?;
            let handed_over = !lister.node_path.contains(&person.unit_path);
            let contact = Contact {
                id: Uuid::now_v7(),
                case_id,
                person_id: person.id,
                person_path: person.unit_path.clone(),
                relation,
                exposure_date: input.exposure_date,
                setting: input.setting,
                order_id: Some(order.id),
                became_case_id: None,
                handed_over,
                listed_by: lister.id,
                listed_at: now,
            };
            let sql = format!("INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
            exec!(
                &mut tx.conn,
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(contact.id)
                    .bind(case_id)
                    .bind(person.id)
                    .bind(person.unit_path.as_str())
                    .bind(&contact.relation)
                    .bind(contact.exposure_date.to_string())
                    .bind(contact.setting.as_str())
                    .bind(contact.order_id)
                    .bind(contact.became_case_id)
                    .bind(handed_over)
                    .bind(lister.id)
                    .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(lister.id), "contact.list", contact.id, None::<&()>, Some(&contact)).await?;
            tx.emit(Event::new(EventKind::ContactListed, &case.unit_path, contact.id, now, &contact)).await?;
            let handover = if handed_over {
                let h = Handover {
                    id: Uuid::now_v7(),
                    contact_id: contact.id,
                    person_id: person.id,
                    order_id: Some(order.id),
                    from_path: case.unit_path.clone(),
                    to_path: person.unit_path.clone(),
                    created_at: now,
                    accepted_by: None,
                    accepted_at: None,
                };
                exec!(
                    &mut tx.conn,
                    sqlx::query("INSERT INTO handovers (id, contact_id, person_id, order_id, from_path, to_path, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(h.id)
                        .bind(h.contact_id)
                        .bind(h.person_id)
                        .bind(h.order_id)
                        .bind(h.from_path.as_str())
                        .bind(h.to_path.as_str())
                        .bind(micros(now)),
                    execute
                )?;
                tx.audit(now, Some(lister.id), "handover.create", h.id, None::<&()>, Some(&h)).await?;
                tx.emit(Event::new(EventKind::HandedOver, &h.to_path, h.id, now, &h)).await?;
                Some(h)
            } else {
                None
            };
            Ok(Listed { contact, order, handover })
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
        let keyset = Keyset { key: "created_at", descending: true };
        let from = "FROM handovers WHERE to_path LIKE $1 ESCAPE '\\'";
        let backwards = request.backwards();
        let (rows_sql, count_sql) = keyset.queries(HANDOVER_COLUMNS, from, 1, request.cursor.is_some(), backwards);
        let pattern = subtree(path);
        let limit = request.bounded_limit();
        let (rows, counts) = self
            .read(async |c| {
                let rows: Vec<HandoverRow> = exec!(
                    c,
                    {
                        let q = sqlx::query_as(AssertSqlSafe(rows_sql.as_str())).bind(&pattern).bind(limit);
                        match &request.cursor {
                            Some(at) => q.bind(at.key).bind(at.id),
                            None => q,
                        }
                    },
                    fetch_all
                )?;
                // Counted around the first row read: the list's size and the rows before the page.
                let first = if backwards { rows.last() } else { rows.first() };
                let (first_key, first_id) = first.map(|r| (r.6, r.0)).unwrap_or_default();
                let counts: (i64, i64) =
                    exec!(c, sqlx::query_as(AssertSqlSafe(count_sql.as_str())).bind(&pattern).bind(first_key).bind(first_id), fetch_one)?;
                Ok((rows, counts))
            })
            .await?;
        let handovers = rows.into_iter().map(handover_from).collect::<Result<Vec<_>>>()?;
        Ok(paging::assemble(handovers, backwards, counts, |h| (micros(h.created_at), h.id)))
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
        let sql = format!("SELECT {HANDOVER_COLUMNS} FROM handovers WHERE id = $1 AND to_path LIKE $2 ESCAPE '\\'");
        let pattern = subtree(path);
        let row: Option<HandoverRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id).bind(&pattern), fetch_optional)?)).await?;
        row.map(handover_from).transpose()
    }

    /// A command officer takes on a handover.
    pub async fn accept_handover(&self, officer: &User, id: Uuid, now: Timestamp) -> Result<Handover> {
        let found = self.handover_to(&officer.node_path, id).await?.ok_or_else(|| StoreError::not_found("handover", id))?;
        if found.accepted_by.is_some() {
            return Ok(found);
        }
        self.write(async |tx| {
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE handovers SET accepted_by = $1, accepted_at = $2 WHERE id = $3")
                    .bind(officer.id)
                    .bind(micros(now))
                    .bind(id),
                execute
            )?;
            let after = Handover { accepted_by: Some(officer.id), accepted_at: Some(now), ..found.clone() };
            tx.audit(now, Some(officer.id), "handover.accept", id, Some(&found), Some(&after)).await?;
            Ok(after)
        })
        .await
    }
}
