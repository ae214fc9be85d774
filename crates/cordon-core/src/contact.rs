//! Contacts of a case: who was exposed, how and when.
//!
//! The investigating worker lists each contact as an existing person of
//! their jurisdiction or as a new person. A contact who lives in another
//! jurisdiction is still quarantined there, and that jurisdiction's command
//! receives a handover in its queue; the listing worker never sees anything
//! of the other jurisdiction beyond what they typed.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::case::Case;
use crate::jurisdiction::{Node, NodePath};
use crate::order::{OrderDraft, OrderKind, OrderPlace, OrderReason};
use crate::person::{Person, PersonDraft, PersonInput};
use crate::policy::{self, Action};
use crate::refusal::Reason;
use crate::settings::Settings;
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// Where the exposure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExposureSetting {
    /// The same household.
    Household,
    /// Work or school.
    Work,
    /// A gathering.
    Gathering,
    /// Travel together.
    Travel,
    /// Health care.
    HealthCare,
}

impl ExposureSetting {
    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExposureSetting::Household => "household",
            ExposureSetting::Work => "work",
            ExposureSetting::Gathering => "gathering",
            ExposureSetting::Travel => "travel",
            ExposureSetting::HealthCare => "health_care",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Household, Self::Work, Self::Gathering, Self::Travel, Self::HealthCare].into_iter().find(|x| x.as_str() == s)
    }
}

/// A contact as listed by the worker: an existing person or a new one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// An existing person of your jurisdiction.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// Or a new person (any jurisdiction).
    #[serde(default)]
    pub new_person: Option<PersonInput>,
    /// Relation to the case (spouse, colleague, ...).
    #[schema(max_length = 100)]
    pub relation: String,
    /// Day of the last exposure; not after today.
    pub exposure_date: Date,
    /// Where the exposure happened.
    pub setting: ExposureSetting,
}

impl ContactInput {
    /// Checks the fields that need only the input and today's date.
    pub fn check(&self, today: Date) -> Result<String, Invalid> {
        let mut p = Problems::default();
        match (&self.person_id, &self.new_person) {
            (None, None) => p.add("person_id", Reason::PersonMissing),
            (Some(_), Some(_)) => p.add("new_person", Reason::PersonTwice),
            _ => {}
        }
        let relation = p.text("relation", &self.relation, 100);
        if self.exposure_date > today {
            p.add("exposure_date", Reason::AfterContactReported { day: today });
        } else if self.exposure_date < today.saturating_sub(jiff::Span::new().days(30)) {
            p.add("exposure_date", Reason::TooOld { days: 30 });
        }
        p.finish(relation)
    }
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    /// Stable identifier.
    pub id: Uuid,
    /// The case they were exposed to.
    pub case_id: Uuid,
    /// The contact.
    pub person_id: Uuid,
    /// Where the contact lives.
    pub person_path: NodePath,
    /// Relation to the case.
    pub relation: String,
    /// Last exposure.
    pub exposure_date: Date,
    /// Setting.
    pub setting: ExposureSetting,
    /// Their quarantine order.
    pub order_id: Option<Uuid>,
    /// The case they became, if they did.
    pub became_case_id: Option<Uuid>,
    /// Whether they live outside the listing worker's jurisdiction.
    pub handed_over: bool,
    /// Who listed them.
    pub listed_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub listed_at: Timestamp,
}

/// A contact handed to another jurisdiction's command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Handover {
    /// Stable identifier.
    pub id: Uuid,
    /// The contact.
    pub contact_id: Uuid,
    /// The person handed over.
    pub person_id: Uuid,
    /// Their quarantine order.
    pub order_id: Option<Uuid>,
    /// The jurisdiction that listed the contact (its case's unit).
    pub from_path: NodePath,
    /// The jurisdiction that receives it (the person's unit).
    pub to_path: NodePath,
    /// When it was handed over.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The officer who took it on.
    pub accepted_by: Option<Uuid>,
    /// When.
    #[schema(value_type = String, format = DateTime, nullable)]
    pub accepted_at: Option<Timestamp>,
}

/// Who a listed contact is, once the input is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Named<'a> {
    /// A known person of the lister's jurisdiction.
    Existing(&'a Person),
    /// A new person living in the unit (any jurisdiction).
    New(PersonDraft, &'a Node),
}

/// Checks a listing before anything is written: the fields, and who the
/// contact is. `existing` is the person named by `person_id` and `unit` the
/// node named by `new_person.unit_code`, as loaded; an existing person must
/// lie in `lister`'s jurisdiction. Returns the checked relation and the person.
pub fn admit<'a>(
    input: &ContactInput,
    lister: &User,
    today: Date,
    existing: Option<&'a Person>,
    unit: Option<&'a Node>,
) -> Result<(String, Named<'a>), Invalid> {
    let relation = input.check(today)?;
    let named = match (&input.person_id, &input.new_person) {
        (Some(_), _) => {
            let person = existing.ok_or_else(|| Invalid::field("person_id", Reason::NoPerson))?;
            policy::authorise(lister, Action::Read, &person.unit_path).map_err(|_| Invalid::field("person_id", Reason::NoPersonHere))?;
            Named::Existing(person)
        }
        (None, Some(p)) => {
            let draft = p.parse(i32::from(today.year())).map_err(|e| e.prefixed("new_person"))?;
            let unit =
                unit.ok_or_else(|| Invalid::field("new_person.unit_code", Reason::NoNode { code: p.unit_code.trim().to_owned() }))?;
            Named::New(draft, unit)
        }
        (None, None) => return Err(Invalid::field("person_id", Reason::PersonMissing)),
    };
    Ok((relation, named))
}

/// Identifiers for whatever listing a contact creates.
#[derive(Debug, Clone, Copy)]
pub struct NewIds {
    /// For the contact.
    pub contact: Uuid,
    /// For the quarantine order.
    pub order: Uuid,
    /// For the handover.
    pub handover: Uuid,
}

/// What listing a contact leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The contact record.
    pub contact: Contact,
    /// The quarantine where they live (its id is `contact.order_id`).
    pub order: OrderDraft,
    /// The handover, when they live outside the lister's jurisdiction.
    pub handover: Option<Handover>,
}

/// Decides what listing `person` as a contact of `case` by `lister` leads
/// to: a home quarantine from the exposure day for the settings' quarantine
/// days and, outside the lister's jurisdiction, a handover. A case is not its
/// own contact.
pub fn decide(
    case: &Case,
    person: &Person,
    lister: &User,
    settings: &Settings,
    (input, relation): (&ContactInput, String),
    ids: NewIds,
    now: Timestamp,
) -> Result<Listing, Invalid> {
    if person.id == case.person_id {
        return Err(Invalid::field("person_id", Reason::OwnContact));
    }
    let order = OrderDraft {
        person_id: person.id,
        kind: OrderKind::Quarantine,
        place: OrderPlace::Home,
        facility_id: None,
        area_path: person.unit_path.clone(),
        reason: OrderReason::Contact,
        case_id: Some(case.id),
        starts_on: input.exposure_date,
        days: settings.quarantine_days,
        note: Some(format!("contact of case {}", case.id)),
    };
    let handed_over = !lister.node_path.contains(&person.unit_path);
    let contact = Contact {
        id: ids.contact,
        case_id: case.id,
        person_id: person.id,
        person_path: person.unit_path.clone(),
        relation,
        exposure_date: input.exposure_date,
        setting: input.setting,
        order_id: Some(ids.order),
        became_case_id: None,
        handed_over,
        listed_by: lister.id,
        listed_at: now,
    };
    let handover = handed_over.then(|| Handover {
        id: ids.handover,
        contact_id: contact.id,
        person_id: person.id,
        order_id: Some(ids.order),
        from_path: case.unit_path.clone(),
        to_path: person.unit_path.clone(),
        created_at: now,
        accepted_by: None,
        accepted_at: None,
    });
    Ok(Listing { contact, order, handover })
}

/// A command officer takes on `handover`: the accepted handover, or `None`
/// when it was taken on already (nothing changes).
#[must_use]
pub fn take_on(handover: &Handover, officer_id: Uuid, now: Timestamp) -> Option<Handover> {
    handover.accepted_by.is_none().then(|| Handover { accepted_by: Some(officer_id), accepted_at: Some(now), ..handover.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, resident};
    use crate::user::Role;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn worker(path: &NodePath) -> User {
        fixtures::user(Role::HealthWorker, path)
    }

    fn case(path: &NodePath) -> Case {
        fixtures::case(1, 2, path)
    }

    fn input(person_id: Option<u128>) -> ContactInput {
        ContactInput {
            person_id: person_id.map(Uuid::from_u128),
            new_person: None,
            relation: "spouse".into(),
            exposure_date: date(2026, 11, 20),
            setting: ExposureSetting::Household,
        }
    }

    const IDS: NewIds = NewIds { contact: Uuid::from_u128(21), order: Uuid::from_u128(22), handover: Uuid::from_u128(23) };

    #[test]
    fn an_existing_person_must_be_known_and_in_the_listers_jurisdiction() {
        let c1 = NodePath::root("KR").child("C1");
        let lister = worker(&c1);
        let today = date(2026, 11, 23);
        let missing = admit(&input(Some(3)), &lister, today, None, None).unwrap_err();
        assert_eq!(missing.errors[0].reason, Reason::NoPerson);
        let elsewhere = resident(3, &NodePath::root("KR").child("C2"));
        let outside = admit(&input(Some(3)), &lister, today, Some(&elsewhere), None).unwrap_err();
        assert!(outside.errors[0].reason == Reason::NoPersonHere);
        let here = resident(3, &c1);
        let (relation, named) = admit(&input(Some(3)), &lister, today, Some(&here), None).unwrap();
        assert_eq!((relation.as_str(), named), ("spouse", Named::Existing(&here)));
    }

    #[test]
    fn a_case_is_not_its_own_contact() {
        let c1 = NodePath::root("KR").child("C1");
        let the_case = case(&c1);
        let themselves = resident(2, &c1);
        let refused = decide(
            &the_case,
            &themselves,
            &worker(&c1),
            &Settings::default(),
            (&input(Some(2)), "self".into()),
            IDS,
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(refused.unwrap_err().errors[0].reason, Reason::OwnContact);
    }

    #[test]
    fn a_contact_is_quarantined_at_home_from_the_exposure_day() {
        let c1 = NodePath::root("KR").child("C1");
        let listing = decide(
            &case(&c1),
            &resident(3, &c1),
            &worker(&c1),
            &Settings::default(),
            (&input(Some(3)), "spouse".into()),
            IDS,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!((listing.order.place, listing.order.starts_on, listing.order.days), (OrderPlace::Home, date(2026, 11, 20), 14));
        assert_eq!(listing.contact.order_id, Some(IDS.order));
        assert!(listing.handover.is_none());
    }

    #[test]
    fn a_handover_is_taken_on_once() {
        let c1 = NodePath::root("KR").child("C1");
        let listing = decide(
            &case(&c1),
            &resident(3, &NodePath::root("KR").child("C2")),
            &worker(&c1),
            &Settings::default(),
            (&input(Some(3)), "friend".into()),
            IDS,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        let handover = listing.handover.unwrap();
        let taken = take_on(&handover, Uuid::from_u128(9), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(taken.accepted_by, Some(Uuid::from_u128(9)));
        assert_eq!(take_on(&taken, Uuid::from_u128(10), Timestamp::UNIX_EPOCH), None);
    }

    proptest! {
        /// A contact is handed over exactly when they live outside the
        /// lister's jurisdiction, and the handover goes to where they live.
        #[test]
        fn a_handover_goes_where_the_contact_lives(county in 1u8..4, lister_county in 1u8..4) {
            let home = NodePath::root("KR").child(&format!("C{county}"));
            let lister = worker(&NodePath::root("KR").child(&format!("C{lister_county}")));
            let listing = decide(&case(&lister.node_path), &resident(3, &home), &lister, &Settings::default(), (&input(Some(3)), "friend".into()), IDS, Timestamp::UNIX_EPOCH).unwrap();
            prop_assert_eq!(listing.contact.handed_over, county != lister_county);
            prop_assert_eq!(listing.handover.map(|h| h.to_path), (county != lister_county).then_some(home));
        }
    }
}
