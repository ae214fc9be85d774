//! The queries of the line lists: one `SELECT` per list joining each row to
//! its person, unit (and case, investigation or order), read in batches in
//! the order of the row's id, each batch starting just past the last id of
//! the one before (keyset paging: a batch costs the same at the millionth
//! row as at the first). The subtree and the days are bound as parameters;
//! the first batch's query has no key condition, so that both databases walk
//! the primary key in order from the start.

use cordon_core::case::{Case, CaseStatus};
use cordon_core::contact::{Contact, ExposureSetting};
use cordon_core::export::{CaseLine, ContactLine, InvestigationTask, OrderLine, PersonFields, Place, ReportLine};
use cordon_core::investigation::{IsolationDecision, Sample};
use cordon_core::jurisdiction::NodePath;
use cordon_core::order::{Order, OrderStatus};
use cordon_core::person::Sex;
use cordon_core::report::Report;
use cordon_core::task::TaskStatus;
use sqlx::AssertSqlSafe;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cases::CaseRow;
use crate::db::{from_micros, parse_date, parse_enum, parse_opt_date};
use crate::error::{Result, StoreError};
use crate::orders::OrderRow;
use crate::reports::ReportRow;
use crate::{Store, exec};

/// A parameter of a line list's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    /// Text (a path pattern, a day, a status), or NULL.
    Text(Option<String>),
    /// A number (an instant in microseconds), or NULL.
    Int(Option<i64>),
}

#[derive(sqlx::FromRow)]
pub(crate) struct PersonCols {
    full_name: String,
    sex: String,
    birth_year: i64,
    phone: Option<String>,
    address: Option<String>,
}

impl PersonCols {
    fn fields(self, id: Uuid) -> Result<PersonFields> {
        Ok(PersonFields {
            id,
            full_name: self.full_name,
            sex: parse_enum("persons.sex", &self.sex, Sex::parse)?,
            birth_year: i32::try_from(self.birth_year)
                .map_err(|_| StoreError::Corrupt { column: "persons.birth_year", value: self.birth_year.to_string() })?,
            phone: self.phone,
            address: self.address,
        })
    }
}

/// The case list: `$1` the subtree pattern, `$2`/`$3` the first and
/// after-last instant of `opened_at` (µs), `$4` the classification.
pub(crate) const CASES: &str = "SELECT c.id, c.person_id, c.unit_id, c.unit_path, c.status, c.outcome, c.onset_date, c.definition_code, \
       c.source_case_id, c.opened_at, c.updated_at, d.name AS definition_name, n.code AS unit_code, n.name AS unit_name, \
       p.full_name, p.sex, p.birth_year, p.phone, p.address, \
       t.id AS task_id, t.status AS task_status, t.created_at AS task_created_at, t.updated_at AS task_updated_at, \
       i.sample, i.isolation, (SELECT COUNT(*) FROM contacts k WHERE k.case_id = c.id) AS contacts \
     FROM cases c JOIN persons p ON p.id = c.person_id JOIN nodes n ON n.id = c.unit_id \
     LEFT JOIN case_definitions d ON d.code = c.definition_code \
     LEFT JOIN investigations i ON i.case_id = c.id \
     LEFT JOIN tasks t ON t.id = (SELECT t2.id FROM tasks t2 WHERE t2.case_id = c.id AND t2.kind = 'investigation' \
                                  ORDER BY t2.created_at, t2.id LIMIT 1) \
     WHERE c.unit_path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR c.opened_at >= $2) AND ($3 IS NULL OR c.opened_at < $3) \
       AND ($4 IS NULL OR c.status = $4)";

#[derive(sqlx::FromRow)]
pub(crate) struct CaseLineRow {
    #[sqlx(flatten)]
    case: CaseRow,
    definition_name: Option<String>,
    unit_code: String,
    unit_name: String,
    #[sqlx(flatten)]
    person: PersonCols,
    task_id: Option<Uuid>,
    task_status: Option<String>,
    task_created_at: Option<i64>,
    task_updated_at: Option<i64>,
    sample: Option<Json<Sample>>,
    isolation: Option<Json<IsolationDecision>>,
    contacts: i64,
}

impl TryFrom<CaseLineRow> for CaseLine {
    type Error = StoreError;
    fn try_from(r: CaseLineRow) -> Result<CaseLine> {
        let case = Case::try_from(r.case)?;
        let investigation = match (r.task_id, r.task_status, r.task_created_at, r.task_updated_at) {
            (Some(id), Some(status), Some(created), Some(updated)) => Some(InvestigationTask {
                id,
                status: parse_enum("tasks.status", &status, TaskStatus::parse)?,
                created_at: from_micros(created)?,
                updated_at: from_micros(updated)?,
            }),
            _ => None,
        };
        Ok(CaseLine {
            definition_name: r.definition_name,
            unit: Place { code: r.unit_code, name: r.unit_name, path: case.unit_path.as_str().to_owned() },
            person: r.person.fields(case.person_id)?,
            investigation,
            sample: r.sample.map(|j| j.0),
            isolation: r.isolation.map(|j| j.0),
            contacts: r.contacts,
            case,
        })
    }
}

/// The report list: `$1` the subtree pattern, `$2`/`$3` the first and last report day.
pub(crate) const REPORTS: &str = "SELECT r.id, r.person_id, r.unit_id, r.unit_path, r.reporter_id, r.symptoms, r.temperature_c, \
       r.onset_date, r.note, r.received_at, r.case_id, r.report_date, n.code AS unit_code, n.name AS unit_name, \
       p.full_name, p.sex, p.birth_year, p.phone, p.address, c.status AS case_status \
     FROM reports r JOIN persons p ON p.id = r.person_id JOIN nodes n ON n.id = r.unit_id LEFT JOIN cases c ON c.id = r.case_id \
     WHERE r.unit_path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR r.report_date >= $2) AND ($3 IS NULL OR r.report_date <= $3)";

#[derive(sqlx::FromRow)]
pub(crate) struct ReportLineRow {
    #[sqlx(flatten)]
    report: ReportRow,
    report_date: String,
    unit_code: String,
    unit_name: String,
    #[sqlx(flatten)]
    person: PersonCols,
    case_status: Option<String>,
}

impl TryFrom<ReportLineRow> for ReportLine {
    type Error = StoreError;
    fn try_from(r: ReportLineRow) -> Result<ReportLine> {
        let report = Report::try_from(r.report)?;
        Ok(ReportLine {
            report_date: parse_date("reports.report_date", &r.report_date)?,
            unit: Place { code: r.unit_code, name: r.unit_name, path: report.unit_path.as_str().to_owned() },
            person: r.person.fields(report.person_id)?,
            case_status: r.case_status.map(|s| parse_enum("cases.status", &s, CaseStatus::parse)).transpose()?,
            report,
        })
    }
}

/// The contact list: `$1` the subtree pattern (of the case's unit or of
/// where the contact lives), `$2`/`$3` the first and last day of exposure.
pub(crate) const CONTACTS: &str = "SELECT k.id, k.case_id, k.person_id, k.person_path, k.relation, k.exposure_date, k.setting, \
       k.order_id, k.became_case_id, k.handed_over, k.listed_by, k.listed_at, c.status AS case_status, cn.code AS case_unit_code, \
       n.code AS unit_code, n.name AS unit_name, p.full_name, p.sex, p.birth_year, p.phone, p.address, \
       o.status AS order_status, o.ends_on AS order_ends_on \
     FROM contacts k JOIN cases c ON c.id = k.case_id JOIN nodes cn ON cn.id = c.unit_id \
     JOIN persons p ON p.id = k.person_id JOIN nodes n ON n.id = p.unit_id LEFT JOIN orders o ON o.id = k.order_id";

/// The subtree and days of the contact list (a condition on [`CONTACTS`]).
pub(crate) const CONTACTS_WHERE: &str = " WHERE (c.unit_path LIKE $1 ESCAPE '\\' OR k.person_path LIKE $1 ESCAPE '\\') \
       AND ($2 IS NULL OR k.exposure_date >= $2) AND ($3 IS NULL OR k.exposure_date <= $3)";

#[derive(sqlx::FromRow)]
pub(crate) struct ContactLineRow {
    id: Uuid,
    case_id: Uuid,
    person_id: Uuid,
    person_path: String,
    relation: String,
    exposure_date: String,
    setting: String,
    order_id: Option<Uuid>,
    became_case_id: Option<Uuid>,
    handed_over: bool,
    listed_by: Uuid,
    listed_at: i64,
    case_status: String,
    case_unit_code: String,
    unit_code: String,
    unit_name: String,
    #[sqlx(flatten)]
    person: PersonCols,
    order_status: Option<String>,
    order_ends_on: Option<String>,
}

impl TryFrom<ContactLineRow> for ContactLine {
    type Error = StoreError;
    fn try_from(r: ContactLineRow) -> Result<ContactLine> {
        let order_status = r
            .order_status
            .map(|s| {
                parse_enum("orders.status", &s, |s| {
                    [OrderStatus::Active, OrderStatus::Extended, OrderStatus::Released, OrderStatus::ConvertedToCase]
                        .into_iter()
                        .find(|x| crate::orders::status_str(*x) == s)
                })
            })
            .transpose()?;
        Ok(ContactLine {
            unit: Place { code: r.unit_code, name: r.unit_name, path: r.person_path.clone() },
            person: r.person.fields(r.person_id)?,
            contact: Contact {
                id: r.id,
                case_id: r.case_id,
                person_id: r.person_id,
                person_path: NodePath::from_stored(r.person_path),
                relation: r.relation,
                exposure_date: parse_date("contacts.exposure_date", &r.exposure_date)?,
                setting: parse_enum("contacts.setting", &r.setting, ExposureSetting::parse)?,
                order_id: r.order_id,
                became_case_id: r.became_case_id,
                handed_over: r.handed_over,
                listed_by: r.listed_by,
                listed_at: from_micros(r.listed_at)?,
            },
            case_status: parse_enum("cases.status", &r.case_status, CaseStatus::parse)?,
            case_unit_code: r.case_unit_code,
            order_status,
            order_ends_on: parse_opt_date("orders.ends_on", r.order_ends_on)?,
        })
    }
}

/// The order list: `$1` the subtree pattern (of where the order is followed
/// up or of where the person lives), `$2`/`$3` the first and last day an
/// order must have been in force on (any of them).
pub(crate) const ORDERS: &str = "SELECT o.id, o.person_id, o.kind, o.place, o.facility_id, o.area_path, o.reason, o.case_id, \
       o.starts_on, o.ends_on, o.minimum_ends_on, o.status, o.note, o.issued_at, o.updated_at, o.person_path, \
       f.code AS facility_code, n.code AS unit_code, n.name AS unit_name, p.full_name, p.sex, p.birth_year, p.phone, p.address \
     FROM orders o JOIN persons p ON p.id = o.person_id JOIN nodes n ON n.id = p.unit_id \
     LEFT JOIN facilities f ON f.id = o.facility_id \
     WHERE (o.area_path LIKE $1 ESCAPE '\\' OR o.person_path LIKE $1 ESCAPE '\\') \
       AND ($2 IS NULL OR o.ends_on >= $2) AND ($3 IS NULL OR o.starts_on <= $3)";

#[derive(sqlx::FromRow)]
pub(crate) struct OrderLineRow {
    #[sqlx(flatten)]
    order: OrderRow,
    person_path: String,
    facility_code: Option<String>,
    unit_code: String,
    unit_name: String,
    #[sqlx(flatten)]
    person: PersonCols,
}

impl TryFrom<OrderLineRow> for OrderLine {
    type Error = StoreError;
    fn try_from(r: OrderLineRow) -> Result<OrderLine> {
        let order = Order::try_from(r.order)?;
        Ok(OrderLine {
            facility_code: r.facility_code,
            unit: Place { code: r.unit_code, name: r.unit_name, path: r.person_path },
            person: r.person.fields(order.person_id)?,
            order,
        })
    }
}

impl Store {
    /// Up to `limit` rows of `select` (a query whose parameters are
    /// `params`, in order, and that ends in its `WHERE` clause) past the id
    /// `after` of the column `key`, in the order of that column.
    pub(crate) async fn rows_past<R>(&self, select: &str, key: &str, params: &[Param], after: Option<Uuid>, limit: i64) -> Result<Vec<R>>
    where
        R: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let n = params.len();
        let past = if after.is_some() { format!(" AND {key} > ${}", n + 2) } else { String::new() };
        let sql = format!("{select}{past} ORDER BY {key} LIMIT ${}", n + 1);
        self.read(async |c| {
            Ok(exec!(
                c,
                {
                    let mut q = sqlx::query_as(AssertSqlSafe(sql.as_str()));
                    for param in params {
                        q = match param {
                            Param::Text(text) => q.bind(text.clone()),
                            Param::Int(number) => q.bind(*number),
                        };
                    }
                    q = q.bind(limit);
                    match after {
                        Some(id) => q.bind(id),
                        None => q,
                    }
                },
                fetch_all
            )?)
        })
        .await
    }
}
