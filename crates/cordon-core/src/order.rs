//! Isolation and quarantine orders.
//!
//! A case is isolated; a contact or an arrival is quarantined, at home or in
//! a facility, from a start day to an end day computed from settings (by
//! default 14 days after the last exposure). An order is in force while
//! active or extended; it ends released (automatically once its end day has
//! passed with no symptoms, or early by a command officer with a reason) or
//! converted to a case. It can never be set to end before its minimum.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::NodePath;
use crate::refusal::Reason;

/// Isolation (a case) or quarantine (a contact or an arrival).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    /// Isolation of a case.
    Isolation,
    /// Quarantine of a contact or an arrival.
    Quarantine,
}

impl OrderKind {
    /// The stored and displayed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Isolation => "isolation",
            OrderKind::Quarantine => "quarantine",
        }
    }
}

/// Where the order is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderPlace {
    /// At home.
    Home,
    /// In a facility (quarantine centre or hospital).
    Facility,
}

/// Why the order was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderReason {
    /// The person is a case.
    Case,
    /// The person is a contact of a case.
    Contact,
    /// The person arrived from abroad.
    Arrival,
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// In force.
    Active,
    /// In force, with a later end than first set.
    Extended,
    /// Ended.
    Released,
    /// The person became a case; the quarantine gave way to the case's handling.
    ConvertedToCase,
}

impl OrderStatus {
    /// Whether the order still binds the person.
    #[must_use]
    pub fn in_force(self) -> bool {
        matches!(self, OrderStatus::Active | OrderStatus::Extended)
    }
}

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Order {
    /// Stable identifier.
    pub id: Uuid,
    /// The person bound by it.
    pub person_id: Uuid,
    /// Isolation or quarantine.
    pub kind: OrderKind,
    /// Home or facility.
    pub place: OrderPlace,
    /// The facility, for facility orders.
    pub facility_id: Option<Uuid>,
    /// Where the order is followed up: the facility's node, or the person's unit.
    pub area_path: NodePath,
    /// Why.
    pub reason: OrderReason,
    /// The case that caused it (the case itself for isolation).
    pub case_id: Option<Uuid>,
    /// First day.
    pub starts_on: Date,
    /// Last day; the order is released once it has passed.
    pub ends_on: Date,
    /// The earliest allowed last day (from the rules at issue).
    pub minimum_ends_on: Date,
    /// Where it stands.
    pub status: OrderStatus,
    /// Free text: the rule or decision behind it.
    pub note: Option<String>,
    /// When it was issued.
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: Timestamp,
    /// When it last changed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// An order that cannot change as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    /// The order has already ended.
    NotInForce,
    /// An extension must move the end later.
    NotLater {
        /// Current last day.
        current: Date,
        /// Requested last day.
        requested: Date,
    },
    /// An end before the minimum was asked for without an early release.
    BeforeMinimum {
        /// The earliest allowed end.
        minimum: Date,
    },
    /// Automatic release was attempted before the end day passed.
    NotYetDue {
        /// The last day.
        ends_on: Date,
    },
    /// A command decision came without a reason.
    ReasonRequired,
    /// The new last day lies past the longest an order may last.
    TooLong {
        /// The latest last day allowed.
        latest: Date,
    },
}

/// The person is already under an order of the same kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyUnderOrder {
    /// Isolation or quarantine.
    pub kind: &'static str,
    /// The order in force.
    pub order_id: Uuid,
    /// Its last day.
    pub ends_on: Date,
}

impl From<&OrderError> for Reason {
    fn from(e: &OrderError) -> Self {
        match *e {
            OrderError::NotInForce => Reason::OrderEnded,
            OrderError::NotLater { current, requested } => Reason::NotLater { requested, current },
            OrderError::BeforeMinimum { minimum } => Reason::BeforeMinimum { minimum },
            OrderError::NotYetDue { ends_on } => Reason::NotYetDue { ends_on },
            OrderError::ReasonRequired => Reason::ReasonRequired,
            OrderError::TooLong { latest } => Reason::TooFarAhead { latest },
        }
    }
}

impl From<&AlreadyUnderOrder> for Reason {
    fn from(e: &AlreadyUnderOrder) -> Self {
        Reason::UnderOrder { kind: e.kind.to_owned(), order_id: e.order_id, ends_on: e.ends_on }
    }
}

impl std::fmt::Display for OrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for OrderError {}

impl std::fmt::Display for AlreadyUnderOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Reason::from(self).fmt(f)
    }
}

impl std::error::Error for AlreadyUnderOrder {}

/// What a new order needs.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderDraft {
    /// The person.
    pub person_id: Uuid,
    /// Isolation or quarantine.
    pub kind: OrderKind,
    /// Home or facility.
    pub place: OrderPlace,
    /// The facility.
    pub facility_id: Option<Uuid>,
    /// Where it is followed up.
    pub area_path: NodePath,
    /// Why.
    pub reason: OrderReason,
    /// The case behind it.
    pub case_id: Option<Uuid>,
    /// First day (the exposure day for contacts; the issue day otherwise).
    pub starts_on: Date,
    /// Days it lasts after `starts_on`.
    pub days: i16,
    /// Note.
    pub note: Option<String>,
}

/// Issues an order: it lasts `days` days after its start.
#[must_use]
pub fn issue(id: Uuid, draft: OrderDraft, now: Timestamp) -> Order {
    let ends_on = draft.starts_on.saturating_add(jiff::Span::new().days(i64::from(draft.days)));
    Order {
        id,
        person_id: draft.person_id,
        kind: draft.kind,
        place: draft.place,
        facility_id: draft.facility_id,
        area_path: draft.area_path,
        reason: draft.reason,
        case_id: draft.case_id,
        starts_on: draft.starts_on,
        ends_on,
        minimum_ends_on: ends_on,
        status: OrderStatus::Active,
        note: draft.note,
        issued_at: now,
        updated_at: now,
    }
}

/// Issues an order unless the person is already under one of the same kind
/// (`in_force`, as loaded): a second order in force is refused.
pub fn issue_unless_under_order(id: Uuid, draft: OrderDraft, in_force: Option<&Order>, now: Timestamp) -> Result<Order, AlreadyUnderOrder> {
    match in_force.filter(|o| o.kind == draft.kind && o.status.in_force()) {
        Some(existing) => Err(AlreadyUnderOrder { kind: existing.kind.as_str(), order_id: existing.id, ends_on: existing.ends_on }),
        None => Ok(issue(id, draft, now)),
    }
}

fn reason_given(reason: &str) -> Result<(), OrderError> {
    if reason.trim().is_empty() { Err(OrderError::ReasonRequired) } else { Ok(()) }
}

/// A command officer extends the order to a later last day, at most
/// `max_days` after its first day (the `max_order_days` setting).
pub fn extend(order: &Order, new_end: Date, reason: &str, now: Timestamp, max_days: i16) -> Result<Order, OrderError> {
    reason_given(reason)?;
    if !order.status.in_force() {
        return Err(OrderError::NotInForce);
    }
    if new_end <= order.ends_on {
        return Err(OrderError::NotLater { current: order.ends_on, requested: new_end });
    }
    let latest = order.starts_on.saturating_add(jiff::Span::new().days(i64::from(max_days)));
    if new_end > latest {
        return Err(OrderError::TooLong { latest });
    }
    Ok(Order { ends_on: new_end, status: OrderStatus::Extended, updated_at: now, ..order.clone() })
}

/// A command officer releases the order before its end, with a reason.
pub fn release_early(order: &Order, reason: &str, now: Timestamp) -> Result<Order, OrderError> {
    reason_given(reason)?;
    if !order.status.in_force() {
        return Err(OrderError::NotInForce);
    }
    Ok(Order { status: OrderStatus::Released, updated_at: now, ..order.clone() })
}

/// Releases an order whose last day has passed (`today` is after `ends_on`).
pub fn release_when_due(order: &Order, today: Date, now: Timestamp) -> Result<Order, OrderError> {
    if !order.status.in_force() {
        return Err(OrderError::NotInForce);
    }
    if today <= order.ends_on {
        return Err(OrderError::NotYetDue { ends_on: order.ends_on });
    }
    Ok(Order { status: OrderStatus::Released, updated_at: now, ..order.clone() })
}

/// The person became a case: a quarantine order gives way to the case.
pub fn convert_to_case(order: &Order, now: Timestamp) -> Result<Order, OrderError> {
    if !order.status.in_force() {
        return Err(OrderError::NotInForce);
    }
    Ok(Order { status: OrderStatus::ConvertedToCase, updated_at: now, ..order.clone() })
}

/// The days a follow-up visit is due: every day after the start up to and
/// including the last day.
pub fn follow_up_days(order: &Order) -> impl Iterator<Item = Date> + '_ {
    order.starts_on.series(jiff::Span::new().days(1)).skip(1).take_while(move |d| *d <= order.ends_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn order() -> Order {
        let draft = OrderDraft {
            person_id: Uuid::nil(),
            kind: OrderKind::Quarantine,
            place: OrderPlace::Home,
            facility_id: None,
            area_path: NodePath::root("KR"),
            reason: OrderReason::Contact,
            case_id: None,
            starts_on: date(2026, 11, 23),
            days: 14,
            note: None,
        };
        issue(Uuid::nil(), draft, Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn a_quarantine_lasts_fourteen_days_with_a_visit_each_day() {
        let o = order();
        assert_eq!(o.ends_on, date(2026, 12, 7));
        let days: Vec<_> = follow_up_days(&o).collect();
        assert_eq!(days.len(), 14);
        assert_eq!((days[0], days[13]), (date(2026, 11, 24), date(2026, 12, 7)));
    }

    #[test]
    fn release_waits_for_the_end_day_to_pass() {
        let o = order();
        assert_eq!(
            release_when_due(&o, date(2026, 12, 7), Timestamp::UNIX_EPOCH),
            Err(OrderError::NotYetDue { ends_on: date(2026, 12, 7) })
        );
        assert_eq!(release_when_due(&o, date(2026, 12, 8), Timestamp::UNIX_EPOCH).unwrap().status, OrderStatus::Released);
    }

    #[test]
    fn extension_and_early_release_need_a_reason() {
        let o = order();
        assert_eq!(extend(&o, date(2026, 12, 10), " ", Timestamp::UNIX_EPOCH, 90), Err(OrderError::ReasonRequired));
        assert_eq!(release_early(&o, "", Timestamp::UNIX_EPOCH), Err(OrderError::ReasonRequired));
        assert!(matches!(extend(&o, date(2026, 12, 1), "x", Timestamp::UNIX_EPOCH, 90), Err(OrderError::NotLater { .. })));
    }

    #[test]
    fn an_order_lasts_at_most_the_setting_from_its_first_day() {
        let o = order();
        let latest = o.starts_on.saturating_add(jiff::Span::new().days(90));
        assert_eq!(extend(&o, date(9999, 12, 31), "x", Timestamp::UNIX_EPOCH, 90), Err(OrderError::TooLong { latest }));
        assert_eq!(extend(&o, latest, "x", Timestamp::UNIX_EPOCH, 90).map(|e| e.ends_on), Ok(latest));
    }

    #[test]
    fn a_second_order_of_the_same_kind_in_force_is_refused() {
        let first = order();
        let draft = OrderDraft {
            person_id: first.person_id,
            kind: OrderKind::Quarantine,
            place: OrderPlace::Home,
            facility_id: None,
            area_path: NodePath::root("KR"),
            reason: OrderReason::Arrival,
            case_id: None,
            starts_on: date(2026, 11, 25),
            days: 14,
            note: None,
        };
        let refused = issue_unless_under_order(Uuid::from_u128(2), draft.clone(), Some(&first), Timestamp::UNIX_EPOCH);
        assert_eq!(refused, Err(AlreadyUnderOrder { kind: "quarantine", order_id: first.id, ends_on: first.ends_on }));
        let released = release_early(&first, "negative test", Timestamp::UNIX_EPOCH).unwrap();
        assert!(issue_unless_under_order(Uuid::from_u128(2), draft.clone(), Some(&released), Timestamp::UNIX_EPOCH).is_ok());
        assert!(issue_unless_under_order(Uuid::from_u128(2), draft, None, Timestamp::UNIX_EPOCH).is_ok());
    }

    proptest! {
        /// Whatever is attempted, an order that has left force never returns,
        /// and an in-force order's end never moves before its minimum.
        #[test]
        fn orders_never_come_back_or_shrink(steps in prop::collection::vec((0u8..4, -5i64..20), 0..12)) {
            let mut o = order();
            for (action, days) in steps {
                let day = o.starts_on.saturating_add(jiff::Span::new().days(days));
                let before = o.clone();
                let next = match action {
                    0 => extend(&o, day, "exposure again", Timestamp::UNIX_EPOCH, 90),
                    1 => release_early(&o, "negative test", Timestamp::UNIX_EPOCH),
                    2 => release_when_due(&o, day, Timestamp::UNIX_EPOCH),
                    _ => convert_to_case(&o, Timestamp::UNIX_EPOCH),
                };
                if let Ok(next) = next {
                    prop_assert!(before.status.in_force());
                    o = next;
                }
                prop_assert!(o.ends_on >= o.minimum_ends_on);
                if !before.status.in_force() { prop_assert_eq!(&o, &before); }
            }
        }
    }
}
