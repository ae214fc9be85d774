//! Tests of the FHIR mapping (the bundle's validity against the R4 schema is
//! checked by the server's integration tests, with `fhir.resources`).

use std::collections::HashSet;

use jiff::civil::date;

use super::*;
use crate::case::Case;
use crate::contact::{Contact, ExposureSetting};
use crate::export::PersonFields;
use crate::export::lines::InvestigationTask;
use crate::investigation::{Sample, SampleKind};
use crate::jurisdiction::NodePath;
use crate::report::Symptom;

fn at() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn place() -> Place {
    Place { code: "U1".into(), name: "Unit 1".into(), path: "/KR/U1/".into() }
}

fn person(n: u128) -> PersonFields {
    PersonFields {
        id: Uuid::from_u128(n),
        full_name: format!("Person {n}"),
        sex: Sex::Male,
        birth_year: 1970,
        phone: Some("010".into()),
        address: Some("3-2".into()),
    }
}

fn record(case: u128, person_n: u128, status: CaseStatus, outcome: Option<Outcome>) -> CaseRecord {
    let case_id = Uuid::from_u128(case);
    let line = CaseLine {
        case: Case {
            id: case_id,
            person_id: Uuid::from_u128(person_n),
            unit_id: Uuid::from_u128(99),
            unit_path: NodePath::root("KR").child("U1"),
            status,
            outcome,
            onset_date: Some(date(2026, 11, 21)),
            definition_code: "ili".into(),
            source_case_id: None,
            opened_at: at(),
            updated_at: at(),
        },
        definition_name: Some("Influenza-like illness".into()),
        unit: place(),
        person: person(person_n),
        investigation: Some(InvestigationTask {
            id: Uuid::from_u128(case + 1000),
            status: TaskStatus::Overdue,
            created_at: at(),
            updated_at: at(),
        }),
        sample: Some(Sample { kind: SampleKind::ThroatSwab, taken_on: date(2026, 11, 22), result: Some(LabResult::Positive) }),
        isolation: None,
        contacts: 1,
    };
    let report = Report {
        id: Uuid::from_u128(case + 2000),
        person_id: line.person.id,
        unit_id: Uuid::from_u128(99),
        unit_path: NodePath::root("KR").child("U1"),
        reporter_id: Uuid::from_u128(98),
        symptoms: vec![Symptom::Fever, Symptom::Cough],
        temperature_c: Some(38.6),
        onset_date: None,
        note: Some("since Friday".into()),
        received_at: at(),
        case_id: Some(case_id),
    };
    let contact = ContactLine {
        contact: Contact {
            id: Uuid::from_u128(case + 3000),
            case_id,
            person_id: Uuid::from_u128(case + 4000),
            person_path: NodePath::root("KR").child("U1"),
            relation: "spouse".into(),
            exposure_date: date(2026, 11, 21),
            setting: ExposureSetting::Household,
            order_id: None,
            became_case_id: None,
            handed_over: false,
            listed_by: Uuid::from_u128(98),
            listed_at: at(),
        },
        case_status: status,
        case_unit_code: "U1".into(),
        unit: place(),
        person: person(case + 4000),
        order_status: None,
        order_ends_on: None,
    };
    CaseRecord { line, reports: vec![report], contacts: vec![contact] }
}

#[test]
fn classifications_map_to_verification_and_clinical_statuses() {
    assert_eq!(verification_status(CaseStatus::Suspected), "provisional");
    assert_eq!(verification_status(CaseStatus::Probable), "provisional");
    assert_eq!(verification_status(CaseStatus::Confirmed), "confirmed");
    assert_eq!(verification_status(CaseStatus::Discarded), "refuted");
    assert_eq!(clinical_status(CaseStatus::Confirmed, None), Some("active"));
    assert_eq!(clinical_status(CaseStatus::Confirmed, Some(Outcome::Recovered)), Some("resolved"));
    assert_eq!(clinical_status(CaseStatus::Probable, Some(Outcome::Died)), Some("inactive"));
    assert_eq!(clinical_status(CaseStatus::Discarded, None), None);
    assert_eq!(task_status(TaskStatus::Escalated), ("requested", Some("escalated")));
    assert_eq!(task_status(TaskStatus::Done), ("completed", None));
}

#[test]
fn a_case_becomes_patient_condition_observations_task_and_related_person() {
    let bundle = bundle(&[record(1, 7, CaseStatus::Probable, None)], Uuid::from_u128(5), at());
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let entries = bundle["entry"].as_array().unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e["resource"]["resourceType"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Patient", "Condition", "Observation", "Observation", "Observation", "Task", "RelatedPerson"]);
    let condition = &entries[1]["resource"];
    assert_eq!(condition["verificationStatus"]["coding"][0]["code"], "provisional");
    assert_eq!(condition["verificationStatus"]["text"], "probable");
    assert_eq!(condition["subject"]["reference"], full_url(Uuid::from_u128(7)));
    assert_eq!(condition["evidence"][0]["detail"].as_array().unwrap().len(), 3);
    assert_eq!(entries[3]["resource"]["valueQuantity"]["value"], 38.6);
    assert_eq!(entries[4]["resource"]["valueCodeableConcept"]["coding"][0]["code"], "10828004");
    assert_eq!(entries[5]["resource"]["businessStatus"]["text"], "overdue");
    assert_eq!(entries[6]["resource"]["patient"]["reference"], full_url(Uuid::from_u128(7)));
    assert_eq!(entries[0]["resource"]["birthDate"], "1970");
    assert_eq!(entries[0]["resource"]["address"][0]["text"], "3-2, Unit 1 (U1)");
}

#[test]
fn full_urls_are_unique_and_every_reference_resolves() {
    let records = [
        record(1, 7, CaseStatus::Confirmed, Some(Outcome::Died)),
        record(2, 7, CaseStatus::Discarded, None),
        record(3, 8, CaseStatus::Suspected, None),
    ];
    let bundle = bundle(&records, Uuid::from_u128(5), at());
    let entries = bundle["entry"].as_array().unwrap();
    let urls: Vec<&str> = entries.iter().map(|e| e["fullUrl"].as_str().unwrap()).collect();
    let unique: HashSet<&str> = urls.iter().copied().collect();
    assert_eq!(unique.len(), urls.len(), "one entry per fullUrl: a person with two cases is one Patient");
    for e in entries {
        assert_eq!(e["fullUrl"], format!("urn:uuid:{}", e["resource"]["id"].as_str().unwrap()));
    }
    let mut references = Vec::new();
    collect_references(&bundle, &mut references);
    assert!(!references.is_empty());
    for r in references {
        assert!(unique.contains(r.as_str()), "{r} names no entry");
    }
    let discarded = &entries.iter().find(|e| e["resource"]["id"] == Uuid::from_u128(2).to_string()).unwrap()["resource"];
    assert_eq!(discarded["verificationStatus"]["coding"][0]["code"], "refuted");
    assert!(discarded.get("clinicalStatus").is_none());
    assert_eq!(entries[0]["resource"]["deceasedBoolean"], true);
}

#[test]
fn derived_ids_are_stable_and_distinct() {
    let id = Uuid::from_u128(42);
    assert_eq!(derived_id(id, Derived::Temperature), derived_id(id, Derived::Temperature));
    assert_ne!(derived_id(id, Derived::Temperature), derived_id(id, Derived::LabResult));
    assert_ne!(derived_id(id, Derived::Temperature), id);
}

#[test]
fn a_bundle_written_in_pieces_is_one_json_document() {
    let mut writer = BundleWriter::default();
    let mut text = BundleWriter::open(Uuid::from_u128(5), at());
    text.extend(writer.entries(&[]));
    text.extend(writer.entries(&[record(1, 7, CaseStatus::Suspected, None)]));
    text.extend(writer.entries(&[record(2, 8, CaseStatus::Suspected, None)]));
    text.extend_from_slice(BundleWriter::close());
    let value: Value = serde_json::from_slice(&text).unwrap();
    assert_eq!(value["entry"].as_array().unwrap().len(), 14);
    let empty: Value = serde_json::from_slice(&[BundleWriter::open(Uuid::nil(), at()), BundleWriter::close().to_vec()].concat()).unwrap();
    assert_eq!(empty["entry"], json!([]));
}

fn collect_references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "reference" {
                    out.push(inner.as_str().unwrap().to_owned());
                } else {
                    collect_references(inner, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, out)),
        _ => {}
    }
}
