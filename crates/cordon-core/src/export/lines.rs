//! The rows of each line list as the store loads them, and each row as a CSV
//! record under its list's header. The headers are part of cordon's
//! interface (docs/EXPORTS.md describes every column): columns are added at
//! the end, never renamed, moved or removed.
//!
//! Instants are written in UTC as `YYYY-MM-DDTHH:MM:SSZ`, days as
//! `YYYY-MM-DD`, enumerations by their API names (`suspected`,
//! `sore_throat`), several values in one field joined by `;`, and an
//! unknown value as an empty field.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::case::{Case, CaseStatus};
use crate::contact::Contact;
use crate::investigation::{IsolationDecision, Sample};
use crate::jurisdiction::NodePath;
use crate::order::{Order, OrderStatus};
use crate::person::Sex;
use crate::report::Report;
use crate::task::TaskStatus;

/// A row of a line list, written under its header.
pub trait Line {
    /// The CSV header: one name per column.
    const HEADER: &'static [&'static str];

    /// Appends the row's fields, one per column of [`Line::HEADER`].
    fn record(&self, out: &mut Vec<String>);
}

/// A node of the tree as a row names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its path from the root.
    pub path: String,
}

impl Place {
    fn push(&self, out: &mut Vec<String>) {
        out.extend([self.code.clone(), self.name.clone(), self.path.clone()]);
    }
}

/// What a follow-up team needs of a person: who they are and how to reach
/// them. The identity document number is left out of exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    /// The person's id.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i32,
    /// Phone number.
    pub phone: Option<String>,
    /// Address within the unit.
    pub address: Option<String>,
}

impl PersonFields {
    fn push(&self, out: &mut Vec<String>) {
        out.extend([
            self.id.to_string(),
            self.full_name.clone(),
            self.sex.as_str().to_owned(),
            self.birth_year.to_string(),
            opt(self.phone.as_ref()),
            opt(self.address.as_ref()),
        ]);
    }
}

/// The first investigation task of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvestigationTask {
    /// The task.
    pub id: Uuid,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A case with its person, unit, investigation and contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    /// The case.
    pub case: Case,
    /// The name of the case definition that opened it, when it still exists.
    pub definition_name: Option<String>,
    /// The unit where it was reported.
    pub unit: Place,
    /// The person.
    pub person: PersonFields,
    /// Its first investigation task.
    pub investigation: Option<InvestigationTask>,
    /// The sample taken, with its result once known.
    pub sample: Option<Sample>,
    /// The isolation decision.
    pub isolation: Option<IsolationDecision>,
    /// How many contacts were listed.
    pub contacts: i64,
}

impl Line for CaseLine {
    const HEADER: &'static [&'static str] = &[
        "case_id",
        "opened_at",
        "onset_date",
        "classification",
        "outcome",
        "definition_code",
        "definition_name",
        "unit_code",
        "unit_name",
        "unit_path",
        "person_id",
        "full_name",
        "sex",
        "birth_year",
        "phone",
        "address",
        "source_case_id",
        "investigation_status",
        "sample_kind",
        "sample_taken_on",
        "lab_result",
        "isolation_place",
        "contacts_listed",
        "updated_at",
    ];

    fn record(&self, out: &mut Vec<String>) {
        let c = &self.case;
        out.extend([
            c.id.to_string(),
            instant(c.opened_at),
            opt(c.onset_date),
            c.status.as_str().to_owned(),
            opt(c.outcome.map(crate::case::Outcome::as_str)),
            c.definition_code.clone(),
            opt(self.definition_name.as_ref()),
        ]);
        self.unit.push(out);
        self.person.push(out);
        out.extend([
            opt(c.source_case_id),
            opt(self.investigation.map(|t| t.status.as_str())),
            opt(self.sample.as_ref().map(|s| name(&s.kind))),
            opt(self.sample.as_ref().map(|s| s.taken_on)),
            opt(self.sample.as_ref().and_then(|s| s.result).map(|r| name(&r))),
            opt(self.isolation.as_ref().map(|i| name(&i.place))),
            self.contacts.to_string(),
            instant(c.updated_at),
        ]);
    }
}

/// A symptom report with its person, unit and case.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    /// The report.
    pub report: Report,
    /// The local day it was received on.
    pub report_date: Date,
    /// The unit it was filed for.
    pub unit: Place,
    /// The person.
    pub person: PersonFields,
    /// The classification of the case it opened or joined.
    pub case_status: Option<CaseStatus>,
}

impl Line for ReportLine {
    const HEADER: &'static [&'static str] = &[
        "report_id",
        "received_at",
        "report_date",
        "onset_date",
        "symptoms",
        "temperature_c",
        "note",
        "unit_code",
        "unit_name",
        "unit_path",
        "person_id",
        "full_name",
        "sex",
        "birth_year",
        "phone",
        "address",
        "reporter_id",
        "case_id",
        "case_classification",
    ];

    fn record(&self, out: &mut Vec<String>) {
        let r = &self.report;
        let symptoms: Vec<&str> = r.symptoms.iter().map(|s| s.as_str()).collect();
        out.extend([
            r.id.to_string(),
            instant(r.received_at),
            self.report_date.to_string(),
            opt(r.onset_date),
            symptoms.join(";"),
            opt(r.temperature_c),
            opt(r.note.as_ref()),
        ]);
        self.unit.push(out);
        self.person.push(out);
        out.extend([r.reporter_id.to_string(), opt(r.case_id), opt(self.case_status.map(CaseStatus::as_str))]);
    }
}

/// A contact of a case with the person, where they live and their order.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactLine {
    /// The contact.
    pub contact: Contact,
    /// The classification of the case they were exposed to.
    pub case_status: CaseStatus,
    /// The code of that case's unit.
    pub case_unit_code: String,
    /// The unit they live in.
    pub unit: Place,
    /// The person.
    pub person: PersonFields,
    /// Where their quarantine order stands.
    pub order_status: Option<OrderStatus>,
    /// Its last day.
    pub order_ends_on: Option<Date>,
}

impl Line for ContactLine {
    const HEADER: &'static [&'static str] = &[
        "contact_id",
        "listed_at",
        "case_id",
        "case_classification",
        "case_unit_code",
        "relation",
        "setting",
        "exposure_date",
        "person_id",
        "full_name",
        "sex",
        "birth_year",
        "phone",
        "address",
        "unit_code",
        "unit_name",
        "unit_path",
        "handed_over",
        "order_id",
        "order_status",
        "order_ends_on",
        "became_case_id",
    ];

    fn record(&self, out: &mut Vec<String>) {
        let k = &self.contact;
        out.extend([
            k.id.to_string(),
            instant(k.listed_at),
            k.case_id.to_string(),
            self.case_status.as_str().to_owned(),
            self.case_unit_code.clone(),
            k.relation.clone(),
            k.setting.as_str().to_owned(),
            k.exposure_date.to_string(),
        ]);
        self.person.push(out);
        self.unit.push(out);
        out.extend([
            k.handed_over.to_string(),
            opt(k.order_id),
            opt(self.order_status.map(|s| name(&s))),
            opt(self.order_ends_on),
            opt(k.became_case_id),
        ]);
    }
}

/// An isolation or quarantine order with the person bound by it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    /// The order.
    pub order: Order,
    /// The code of the facility it is served in.
    pub facility_code: Option<String>,
    /// The unit the person lives in.
    pub unit: Place,
    /// The person.
    pub person: PersonFields,
}

impl Line for OrderLine {
    const HEADER: &'static [&'static str] = &[
        "order_id",
        "kind",
        "reason",
        "status",
        "place",
        "facility_code",
        "starts_on",
        "ends_on",
        "minimum_ends_on",
        "issued_at",
        "case_id",
        "person_id",
        "full_name",
        "sex",
        "birth_year",
        "phone",
        "address",
        "unit_code",
        "unit_name",
        "unit_path",
        "area_path",
        "note",
    ];

    fn record(&self, out: &mut Vec<String>) {
        let o = &self.order;
        out.extend([
            o.id.to_string(),
            o.kind.as_str().to_owned(),
            name(&o.reason),
            name(&o.status),
            name(&o.place),
            opt(self.facility_code.as_ref()),
            o.starts_on.to_string(),
            o.ends_on.to_string(),
            o.minimum_ends_on.to_string(),
            instant(o.issued_at),
            opt(o.case_id),
        ]);
        self.person.push(out);
        self.unit.push(out);
        out.extend([path(&o.area_path), opt(o.note.as_ref())]);
    }
}

/// An instant in UTC to the second.
fn instant(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A value, or an empty field.
fn opt(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn path(p: &NodePath) -> String {
    p.as_str().to_owned()
}

/// The API name of an enumeration value (`nasal_swab`).
fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ExposureSetting;
    use crate::investigation::{IsolationPlace, LabResult, SampleKind};
    use crate::order::{OrderKind, OrderPlace, OrderReason};
    use crate::report::Symptom;
    use jiff::civil::date;

    fn at() -> Timestamp {
        "2026-11-23T09:00:00.123Z".parse().unwrap()
    }

    fn person() -> PersonFields {
        PersonFields {
            id: Uuid::from_u128(7),
            full_name: "Kim Mi-ok".into(),
            sex: Sex::Female,
            birth_year: 1984,
            phone: Some("010-1234".into()),
            address: None,
        }
    }

    fn place() -> Place {
        Place { code: "U1".into(), name: "Unit 1".into(), path: "/KR/P1/U1/".into() }
    }

    fn fields<L: Line>(line: &L) -> Vec<String> {
        let mut out = Vec::new();
        line.record(&mut out);
        assert_eq!(out.len(), L::HEADER.len(), "one field per column");
        out
    }

    #[test]
    fn a_case_row_has_one_field_per_column() {
        let case = Case {
            id: Uuid::from_u128(1),
            person_id: Uuid::from_u128(7),
            unit_id: Uuid::from_u128(2),
            unit_path: NodePath::root("KR"),
            status: CaseStatus::Probable,
            outcome: None,
            onset_date: Some(date(2026, 11, 20)),
            definition_code: "ili".into(),
            source_case_id: None,
            opened_at: at(),
            updated_at: at(),
        };
        let line = CaseLine {
            case,
            definition_name: Some("Influenza-like illness".into()),
            unit: place(),
            person: person(),
            investigation: None,
            sample: Some(Sample { kind: SampleKind::NasalSwab, taken_on: date(2026, 11, 22), result: Some(LabResult::Positive) }),
            isolation: Some(IsolationDecision { place: IsolationPlace::Home, facility_code: None }),
            contacts: 3,
        };
        let f = fields(&line);
        let col = |name: &str| f[CaseLine::HEADER.iter().position(|h| *h == name).unwrap()].as_str();
        assert_eq!(col("opened_at"), "2026-11-23T09:00:00Z");
        assert_eq!(col("classification"), "probable");
        assert_eq!(col("outcome"), "");
        assert_eq!(col("sample_kind"), "nasal_swab");
        assert_eq!(col("lab_result"), "positive");
        assert_eq!(col("isolation_place"), "home");
        assert_eq!(col("phone"), "010-1234");
        assert_eq!(col("contacts_listed"), "3");
    }

    #[test]
    fn the_other_rows_have_one_field_per_column() {
        let report = Report {
            id: Uuid::from_u128(3),
            person_id: Uuid::from_u128(7),
            unit_id: Uuid::from_u128(2),
            unit_path: NodePath::root("KR"),
            reporter_id: Uuid::from_u128(9),
            symptoms: vec![Symptom::Fever, Symptom::SoreThroat],
            temperature_c: Some(38.5),
            onset_date: None,
            note: None,
            received_at: at(),
            case_id: None,
        };
        let f = fields(&ReportLine { report, report_date: date(2026, 11, 23), unit: place(), person: person(), case_status: None });
        assert_eq!(f[4], "fever;sore_throat");
        assert_eq!(f[5], "38.5");
        let contact = Contact {
            id: Uuid::from_u128(4),
            case_id: Uuid::from_u128(1),
            person_id: Uuid::from_u128(7),
            person_path: NodePath::root("KR"),
            relation: "spouse".into(),
            exposure_date: date(2026, 11, 21),
            setting: ExposureSetting::HealthCare,
            order_id: None,
            became_case_id: None,
            handed_over: false,
            listed_by: Uuid::from_u128(9),
            listed_at: at(),
        };
        let line = ContactLine {
            contact,
            case_status: CaseStatus::Confirmed,
            case_unit_code: "U2".into(),
            unit: place(),
            person: person(),
            order_status: Some(OrderStatus::ConvertedToCase),
            order_ends_on: Some(date(2026, 12, 5)),
        };
        let f = fields(&line);
        assert_eq!((f[6].as_str(), f[17].as_str(), f[19].as_str()), ("health_care", "false", "converted_to_case"));
        let order = Order {
            id: Uuid::from_u128(5),
            person_id: Uuid::from_u128(7),
            kind: OrderKind::Quarantine,
            place: OrderPlace::Facility,
            facility_id: Some(Uuid::from_u128(6)),
            area_path: NodePath::root("KR"),
            reason: OrderReason::Arrival,
            case_id: None,
            starts_on: date(2026, 11, 23),
            ends_on: date(2026, 12, 6),
            minimum_ends_on: date(2026, 12, 6),
            status: OrderStatus::Active,
            note: Some("=1+1".into()),
            issued_at: at(),
            updated_at: at(),
        };
        let f = fields(&OrderLine { order, facility_code: Some("QC-1".into()), unit: place(), person: person() });
        assert_eq!(&f[..5], ["00000000-0000-0000-0000-000000000005", "quarantine", "arrival", "active", "facility"]);
        assert_eq!(f[20], "/KR/");
    }
}
