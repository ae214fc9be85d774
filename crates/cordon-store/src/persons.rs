//! Residents, with the probable-duplicate check at registration.

use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::person::{self, Person, PersonDraft, Sex, name_key};
use cordon_core::user::User;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, micros, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_code;
use crate::paging::Window;
use crate::{Store, exec};

pub(crate) const PERSON_COLUMNS: &str = "id, full_name, sex, birth_year, unit_id, unit_path, phone, address, document_number";

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: Uuid,
    full_name: String,
    sex: String,
    birth_year: i64,
    unit_id: Uuid,
    unit_path: String,
    phone: Option<String>,
    address: Option<String>,
    document_number: Option<String>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Person> {
        Ok(Person {
            id: r.id,
            full_name: r.full_name,
            sex: parse_enum("persons.sex", &r.sex, Sex::parse)?,
            birth_year: i32::try_from(r.birth_year)
                .map_err(|_| StoreError::Corrupt { column: "persons.birth_year", value: r.birth_year.to_string() })?,
            unit_id: r.unit_id,
            unit_path: NodePath::from_stored(r.unit_path),
            phone: r.phone,
            address: r.address,
            document_number: r.document_number,
        })
    }
}

/// A person by id, inside any connection.
pub async fn person_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1");
    let row: Option<PersonRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(Person::try_from).transpose()
}

/// The outcome of a registration.
#[derive(Debug, Clone, PartialEq)]
pub enum Registration {
    /// The person was registered.
    Registered(Person),
    /// Probable duplicates exist; nothing was stored. Offer these instead, or
    /// register again with the confirmation.
    ProbableDuplicates(Vec<Person>),
}

impl Store {
    /// `registrar` registers a resident of the unit whose code is
    /// `unit_code`, unless probable duplicates exist and `confirm_new` is
    /// false, in one transaction: the unit is loaded and [`person::unit_for`]
    /// decides whether the registrar may register residents there.
    pub async fn register_person(
        &self,
        registrar: &User,
        draft: &PersonDraft,
        unit_code: &str,
        confirm_new: bool,
        now: Timestamp,
    ) -> Result<Registration> {
        self.write(async |tx| {
            let found = node_by_code(&mut tx.conn, unit_code.trim()).await?;
            let unit = person::unit_for(registrar, unit_code, found.as_ref())?;
            register_in(tx, registrar.id, draft, unit, confirm_new, now).await
        })
        .await
    }

    /// A person by id.
    pub async fn person(&self, id: Uuid) -> Result<Option<Person>> {
        self.read(async |c| person_by_id(c, id).await).await
    }

    /// Residents at or below `path` whose name contains `query` (all when
    /// empty), by name, at most `limit`.
    pub async fn find_persons(&self, path: &NodePath, query: &str, limit: i64) -> Result<Vec<Person>> {
        self.persons_in_window(path, query, Window::first(limit)).await
    }

    /// One window of [`Store::find_persons`].
    pub async fn persons_in_window(&self, path: &NodePath, query: &str, window: Window) -> Result<Vec<Person>> {
        let query = cordon_core::validation::search_text("q", query)?;
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE unit_path LIKE $1 ESCAPE '\\' AND name_key LIKE $2 ESCAPE '\\' ORDER BY full_name, id LIMIT $3 OFFSET $4"
        );
        let pattern = subtree(path);
        let name = format!("%{}%", name_key(query).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rows: Vec<PersonRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str()))
                        .bind(&pattern)
                        .bind(&name)
                        .bind(window.bounded_limit())
                        .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(Person::try_from).collect()
    }
}

/// The residents of `unit` whose folded name is `draft`'s, oldest first.
async fn namesakes_in(c: &mut Conn<'_>, unit: &Node, draft: &PersonDraft) -> Result<Vec<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE unit_id = $1 AND name_key = $2 ORDER BY created_at");
    let rows: Vec<PersonRow> =
        exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(unit.id).bind(name_key(&draft.full_name)), fetch_all)?;
    rows.into_iter().map(Person::try_from).collect()
}

/// Finds a probable duplicate of `draft` in the unit or registers the
/// person, in an open transaction ([`person::find_or_register`] decides).
pub(crate) async fn find_or_register(
    tx: &mut crate::Tx<'_>,
    actor: Uuid,
    draft: &PersonDraft,
    unit: &Node,
    now: Timestamp,
) -> Result<Person> {
    let namesakes = namesakes_in(&mut tx.conn, unit, draft).await?;
    let (person, new) = person::find_or_register(Uuid::now_v7(), draft, unit, namesakes);
    if new {
        insert_person(tx, actor, &person, now).await?;
    }
    Ok(person)
}

/// Registers a resident of `unit` inside an open transaction: loads the
/// residents of the unit with the same folded name and lets
/// [`person::register_unless_duplicate`] decide.
pub(crate) async fn register_in(
    tx: &mut crate::Tx<'_>,
    actor: Uuid,
    draft: &PersonDraft,
    unit: &Node,
    confirm_new: bool,
    now: Timestamp,
) -> Result<Registration> {
    let namesakes = namesakes_in(&mut tx.conn, unit, draft).await?;
    match person::register_unless_duplicate(Uuid::now_v7(), draft, unit, namesakes, confirm_new) {
        Ok(person) => {
            insert_person(tx, actor, &person, now).await?;
            Ok(Registration::Registered(person))
        }
        Err(duplicates) => Ok(Registration::ProbableDuplicates(duplicates)),
    }
}

/// Inserts a new person (no duplicate check) with its audit record, in an open transaction.
pub(crate) async fn insert_person(tx: &mut crate::Tx<'_>, actor: Uuid, person: &Person, now: Timestamp) -> Result<()> {
    let sql = format!("INSERT INTO persons ({PERSON_COLUMNS}, name_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    exec!(
        &mut tx.conn,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(person.id)
            .bind(&person.full_name)
            .bind(person.sex.as_str())
            .bind(i64::from(person.birth_year))
            .bind(person.unit_id)
            .bind(person.unit_path.as_str())
            .bind(&person.phone)
            .bind(&person.address)
            .bind(&person.document_number)
            .bind(name_key(&person.full_name))
            .bind(micros(now)),
        execute
    )?;
    tx.audit(now, Some(actor), "person.create", person.id, None::<&()>, Some(person)).await?;
    Ok(())
}
