//! Isolation and quarantine orders: issue, extend, release, convert, and the
//! daily release of orders whose last day has passed (with the person
//! notified).

use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::order::{self, Order, OrderDraft, OrderKind, OrderPlace, OrderReason, OrderStatus};
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{Conn, from_micros, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::paging::{self, Keyset, List, Page, PageRequest};
use crate::{Store, Tx, exec};

pub(crate) const ORDER_COLUMNS: &str = "id, person_id, kind, place, facility_id, area_path, reason, case_id, starts_on, ends_on, minimum_ends_on, status, note, issued_at, updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
    id: Uuid,
    person_id: Uuid,
    kind: String,
    place: String,
    facility_id: Option<Uuid>,
    area_path: String,
    reason: String,
    case_id: Option<Uuid>,
    starts_on: String,
    ends_on: String,
    minimum_ends_on: String,
    status: String,
    note: Option<String>,
    issued_at: i64,
    updated_at: i64,
}

fn kind_parse(s: &str) -> Option<OrderKind> {
    [OrderKind::Isolation, OrderKind::Quarantine].into_iter().find(|k| k.as_str() == s)
}
fn place_str(p: OrderPlace) -> &'static str {
    match p {
        OrderPlace::Home => "home",
        OrderPlace::Facility => "facility",
    }
}
fn reason_str(r: OrderReason) -> &'static str {
    match r {
        OrderReason::Case => "case",
        OrderReason::Contact => "contact",
        OrderReason::Arrival => "arrival",
    }
}
/// Stored name of an order status.
#[must_use]
pub fn status_str(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Active => "active",
        OrderStatus::Extended => "extended",
        OrderStatus::Released => "released",
        OrderStatus::ConvertedToCase => "converted_to_case",
    }
}

impl TryFrom<OrderRow> for Order {
    type Error = StoreError;
    fn try_from(r: OrderRow) -> Result<Order> {
        Ok(Order {
            id: r.id,
            person_id: r.person_id,
            kind: parse_enum("orders.kind", &r.kind, kind_parse)?,
            place: parse_enum("orders.place", &r.place, |s| {
                [OrderPlace::Home, OrderPlace::Facility].into_iter().find(|p| place_str(*p) == s)
            })?,
            facility_id: r.facility_id,
            area_path: NodePath::from_stored(r.area_path),
            reason: parse_enum("orders.reason", &r.reason, |s| {
                [OrderReason::Case, OrderReason::Contact, OrderReason::Arrival].into_iter().find(|x| reason_str(*x) == s)
            })?,
            case_id: r.case_id,
            starts_on: parse_date("orders.starts_on", &r.starts_on)?,
            ends_on: parse_date("orders.ends_on", &r.ends_on)?,
            minimum_ends_on: parse_date("orders.minimum_ends_on", &r.minimum_ends_on)?,
            status: parse_enum("orders.status", &r.status, |s| {
                [OrderStatus::Active, OrderStatus::Extended, OrderStatus::Released, OrderStatus::ConvertedToCase]
                    .into_iter()
                    .find(|x| status_str(*x) == s)
            })?,
            note: r.note,
            issued_at: from_micros(r.issued_at)?,
            updated_at: from_micros(r.updated_at)?,
        })
    }
}

async fn orders_where(c: &mut Conn<'_>, clause: &str, id: Uuid) -> Result<Vec<Order>> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE {clause} ORDER BY issued_at");
    let rows: Vec<OrderRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_all)?;
    rows.into_iter().map(Order::try_from).collect()
}

/// Which orders a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFilter {
    /// The node whose subtree the orders are followed up in (or whose residents they bind).
    pub path: NodePath,
    /// Only orders in force (active or extended).
    pub in_force: bool,
    /// Only orders that stand at this status.
    pub status: Option<OrderStatus>,
}

impl OrderFilter {
    /// Whether only orders in force can match (then the soonest end comes first).
    fn only_in_force(&self) -> bool {
        self.in_force || self.status.is_some_and(OrderStatus::in_force)
    }
}

/// An order by id.
pub async fn order_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Order>> {
    Ok(orders_where(c, "id = $1", id).await?.pop())
}

/// The person's order of `kind` in force, if any.
pub async fn order_in_force(c: &mut Conn<'_>, person_id: Uuid, kind: OrderKind) -> Result<Option<Order>> {
    Ok(orders_where(c, "person_id = $1 AND status IN ('active', 'extended')", person_id).await?.into_iter().find(|o| o.kind == kind))
}

/// Issues an order under `id` in an open transaction; [`order::issue_unless_under_order`]
/// refuses a second order of the same kind in force for the person.
pub(crate) async fn issue_in(
    tx: &mut Tx<'_>,
    actor: Option<Uuid>,
    id: Uuid,
    draft: OrderDraft,
    person_path: &NodePath,
    now: Timestamp,
) -> Result<Order> {
    let in_force = order_in_force(&mut tx.conn, draft.person_id, draft.kind).await?;
    let o = order::issue_unless_under_order(id, draft, in_force.as_ref(), now)?;
    let sql = format!(
        "INSERT INTO orders ({ORDER_COLUMNS}, person_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    exec!(
        &mut tx.conn,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(o.id)
            .bind(o.person_id)
            .bind(o.kind.as_str())
            .bind(place_str(o.place))
            .bind(o.facility_id)
            .bind(o.area_path.as_str())
            .bind(reason_str(o.reason))
            .bind(o.case_id)
            .bind(o.starts_on.to_string())
            .bind(o.ends_on.to_string())
            .bind(o.minimum_ends_on.to_string())
            .bind(status_str(o.status))
            .bind(&o.note)
            .bind(micros(o.issued_at))
            .bind(micros(o.updated_at))
            .bind(person_path.as_str()),
        execute
    )?;
    tx.audit(now, actor, "order.issue", o.id, None::<&()>, Some(&o)).await?;
    tx.emit(Event::new(EventKind::OrderIssued, &o.area_path, o.id, now, &o)).await?;
    Ok(o)
}

/// An order as audited after a change: the order and, for a command
/// decision, the reason given (which the order itself does not keep).
#[derive(Serialize)]
struct Changed<'a> {
    #[serde(flatten)]
    order: &'a Order,
    #[serde(skip_serializing_if = "Option::is_none")]
    change_reason: Option<&'a str>,
}

/// Writes an order's changed status and end, with audit (holding `reason`,
/// when a person decided) and event.
pub(crate) async fn save_in(
    tx: &mut Tx<'_>,
    actor: Option<Uuid>,
    action: &str,
    (before, after): (&Order, &Order),
    reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    exec!(
        &mut tx.conn,
        sqlx::query("UPDATE orders SET status = $1, ends_on = $2, updated_at = $3 WHERE id = $4")
            .bind(status_str(after.status))
            .bind(after.ends_on.to_string())
            .bind(micros(after.updated_at))
            .bind(after.id),
        execute
    )?;
    let audited = Changed { order: after, change_reason: reason.map(str::trim) };
    tx.audit(now, actor, action, after.id, Some(before), Some(&audited)).await?;
    tx.emit(Event::new(EventKind::OrderChanged, &after.area_path, after.id, now, after)).await
}

/// The order `id`, if `officer` may direct it (not found, else refused
/// outside their jurisdiction or role).
async fn directed_order(tx: &mut Tx<'_>, officer: &User, id: Uuid) -> Result<Order> {
    let order = order_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::Order, id))?;
    policy::authorise(officer, Action::DirectOrders, &order.area_path)?;
    Ok(order)
}

/// Converts the person's quarantine in force (if any) because they became a case.
pub(crate) async fn convert_in(tx: &mut Tx<'_>, actor: Option<Uuid>, person_id: Uuid, now: Timestamp) -> Result<Option<Order>> {
    let Some(before) = order_in_force(&mut tx.conn, person_id, OrderKind::Quarantine).await? else { return Ok(None) };
    let after = order::convert_to_case(&before, now)?;
    save_in(tx, actor, "order.convert", (&before, &after), None, now).await?;
    Ok(Some(after))
}

/// Queues a message to the person an order binds (sent after commit by the server's notifier).
async fn queue_notification(tx: &mut Tx<'_>, order: &Order, message: &str, now: Timestamp) -> Result<()> {
    exec!(
        &mut tx.conn,
        sqlx::query("INSERT INTO notifications (id, person_id, order_id, message, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(Uuid::now_v7())
            .bind(order.person_id)
            .bind(order.id)
            .bind(message)
            .bind(micros(now)),
        execute
    )?;
    Ok(())
}

/// A message queued for a person (sent by the server's notifier).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Notification {
    /// Stable identifier.
    pub id: Uuid,
    /// The person, for a message to a resident (an order lifted, ...).
    pub person_id: Option<Uuid>,
    /// The user, for a message to a user (a directive to acknowledge).
    pub user_id: Option<Uuid>,
    /// Their phone, if known.
    pub phone: Option<String>,
    /// The order it is about.
    pub order_id: Option<Uuid>,
    /// The directive it is about.
    pub directive_id: Option<Uuid>,
    /// The message.
    pub message: String,
}

impl Store {
    /// An order by id.
    pub async fn order(&self, id: Uuid) -> Result<Option<Order>> {
        self.read(async |c| order_by_id(c, id).await).await
    }

    /// A page of the orders followed up at or below the filter's node (or
    /// binding residents there). Orders in force are listed by last day,
    /// soonest first; any other selection by last day, latest first; orders
    /// ending on the same day by id.
    pub async fn orders_page(&self, filter: &OrderFilter, request: &PageRequest<Date>) -> Result<Page<Order, Date>> {
        let in_force = if filter.in_force { " AND status IN ('active', 'extended')" } else { "" };
        let from = format!(
            "FROM orders WHERE (area_path LIKE $1 ESCAPE '\\' OR person_path LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR status = $2){in_force}"
        );
        let pattern = subtree(&filter.path);
        let list = List {
            keyset: Keyset { key: "ends_on", descending: !filter.only_in_force() },
            columns: ORDER_COLUMNS,
            from: &from,
            filters: &[Some(pattern.as_str()), filter.status.map(status_str)],
        };
        let (rows, counts) = self.read_page(list, request, Date::to_string, |r: &OrderRow| (r.ends_on.clone(), r.id)).await?;
        let orders = rows.into_iter().map(Order::try_from).collect::<Result<Vec<_>>>()?;
        Ok(paging::assemble(orders, request.backwards(), counts, |o| (o.ends_on, o.id)))
    }

    /// A command officer extends an order to a later last day: the order is
    /// loaded, the officer's right to direct it checked and
    /// [`order::extend`] decides, in one transaction.
    pub async fn extend_order(&self, officer: &User, id: Uuid, new_end: Date, reason: &str, now: Timestamp) -> Result<Order> {
        self.write(async |tx| {
            let before = directed_order(tx, officer, id).await?;
            let max_days = crate::config::settings_in(&mut tx.conn).await?.max_order_days;
            let after = order::extend(&before, new_end, reason, now, max_days)?;
            save_in(tx, Some(officer.id), "order.extend", (&before, &after), Some(reason), now).await?;
            Ok(after)
        })
        .await
    }

    /// A command officer releases an order early; the person is told. The
    /// order is loaded, the officer's right to direct it checked and
    /// [`order::release_early`] decides, in one transaction.
    pub async fn release_order_early(&self, officer: &User, id: Uuid, reason: &str, now: Timestamp) -> Result<Order> {
        self.write(async |tx| {
            let before = directed_order(tx, officer, id).await?;
            let after = order::release_early(&before, reason, now)?;
            save_in(tx, Some(officer.id), "order.release_early", (&before, &after), Some(reason), now).await?;
            let kind = if after.kind == OrderKind::Isolation { "isolation" } else { "quarantine" };
            queue_notification(tx, &after, &format!("Your {kind} has been lifted early by the quarantine command. You are released."), now)
                .await?;
            Ok(after)
        })
        .await
    }

    /// Releases every order whose last day has passed and queues a message to
    /// the person. Returns the released orders.
    pub async fn release_due_orders(&self, now: Timestamp) -> Result<Vec<Order>> {
        let today = self.settings().await?.local_date(now);
        let due: Vec<Uuid> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT id FROM orders WHERE status IN ('active', 'extended') AND ends_on < $1 ORDER BY ends_on LIMIT 5000"
                    )
                    .bind(today.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        let mut released = Vec::new();
        for id in due {
            let done = self
                .write(async |tx| {
                    let Some(before) = order_by_id(&mut tx.conn, id).await? else { return Ok(None) };
                    let Ok(after) = order::release_when_due(&before, settings_in(&mut tx.conn).await?.local_date(now), now) else {
                        return Ok(None);
                    };
                    save_in(tx, None, "order.release", (&before, &after), None, now).await?;
                    let kind = if after.kind == OrderKind::Isolation { "isolation" } else { "quarantine" };
                    queue_notification(
                        tx,
                        &after,
                        &format!("Your {kind} ended on {}. You are released; thank you for protecting your neighbours.", after.ends_on),
                        now,
                    )
                    .await?;
                    Ok(Some(after))
                })
                .await?;
            released.extend(done);
        }
        Ok(released)
    }

    /// Messages not yet sent, oldest first.
    pub async fn pending_notifications(&self, limit: i64) -> Result<Vec<Notification>> {
        type Row = (Uuid, Option<Uuid>, Option<Uuid>, Option<String>, Option<Uuid>, Option<Uuid>, String);
        let rows: Vec<Row> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT n.id, n.person_id, n.user_id, COALESCE(p.phone, u.phone), n.order_id, n.directive_id, n.message \
                         FROM notifications n LEFT JOIN persons p ON p.id = n.person_id LEFT JOIN users u ON u.id = n.user_id \
                         WHERE n.sent_at IS NULL ORDER BY n.created_at, n.id LIMIT $1"
                    )
                    .bind(limit.clamp(1, 1000)),
                    fetch_all
                )?)
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, person_id, user_id, phone, order_id, directive_id, message)| Notification {
                id,
                person_id,
                user_id,
                phone,
                order_id,
                directive_id,
                message,
            })
            .collect())
    }

    /// Marks a message sent through `channel`.
    pub async fn mark_notification_sent(&self, id: Uuid, channel: &str, now: Timestamp) -> Result<()> {
        self.write(async |tx| {
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE notifications SET sent_at = $1, channel = $2 WHERE id = $3").bind(micros(now)).bind(channel).bind(id),
                execute
            )?;
            Ok(())
        })
        .await
    }
}
