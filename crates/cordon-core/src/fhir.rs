//! Cases as a FHIR R4 (4.0.1) `Bundle` of type `collection`, for health
//! systems that exchange FHIR: per case a `Patient` (the person), a
//! `Condition` (the case), `Observation`s (the symptoms and the temperature
//! of each report, the laboratory result), a `Task` (the investigation) and a
//! `RelatedPerson` per contact listed.
//!
//! Every resource has a stable `fullUrl`, `urn:uuid:<id>`: the cordon id of
//! the person, case, report, task or contact; an observation that has no id
//! of its own (a report's temperature, a case's laboratory result) gets one
//! derived from its record's id ([`derived_id`]), the same at every export.
//! Resources refer to each other by those URLs. docs/EXPORTS.md gives the
//! mapping field by field.
//!
//! The bundle is written in pieces so that the server can stream it:
//! [`BundleWriter::open`], then [`BundleWriter::entries`] per batch of
//! cases, then [`BundleWriter::close`]. A person with several cases is one
//! `Patient`, written with the first of them: the cases must come ordered by
//! person (the store reads them so).

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::case::{CaseStatus, Outcome};
use crate::export::{CaseLine, ContactLine, Place};
use crate::investigation::LabResult;
use crate::person::Sex;
use crate::report::Report;
use crate::task::TaskStatus;

/// A case with what its bundle entries are made of.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    /// The case with its person, unit, investigation task and sample.
    pub line: CaseLine,
    /// The reports that opened or joined it, oldest first.
    pub reports: Vec<Report>,
    /// The contacts listed for it.
    pub contacts: Vec<ContactLine>,
}

const CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";
const UCUM: &str = "http://unitsofmeasure.org";

/// What a derived id is derived for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// The temperature observation of a report.
    Temperature = 1,
    /// The laboratory observation of a case.
    LabResult = 2,
}

/// The id of a resource that has none of its own in cordon, derived from
/// its record's id: the same at every export, distinct per kind, marked as
/// a custom (version 8) UUID.
#[must_use]
pub fn derived_id(id: Uuid, kind: Derived) -> Uuid {
    let mut bytes = *id.as_bytes();
    bytes[0] ^= 0xc0;
    bytes[15] ^= kind as u8;
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The `fullUrl` of the resource with this id.
#[must_use]
pub fn full_url(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

/// The FHIR verification status of a classification.
///
/// A suspected case is `provisional` (a tentative diagnosis still under
/// consideration). A probable case is `provisional` too, not `differential`:
/// FHIR's `differential` is one of several candidate diagnoses weighed
/// against each other for the same presentation, whereas a probable case is
/// one diagnosis believed likelier, waiting for the laboratory; the
/// classification itself is kept in the status's `text`. Confirmed is
/// `confirmed` and discarded is `refuted`.
#[must_use]
pub fn verification_status(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Suspected | CaseStatus::Probable => "provisional",
        CaseStatus::Confirmed => "confirmed",
        CaseStatus::Discarded => "refuted",
    }
}

/// The FHIR clinical status of a case: `active` while open, `resolved` once
/// recovered, `inactive` after a death; none for a discarded case (there is
/// no condition to have a status).
#[must_use]
pub fn clinical_status(status: CaseStatus, outcome: Option<Outcome>) -> Option<&'static str> {
    match (status, outcome) {
        (CaseStatus::Discarded, _) => None,
        (_, None) => Some("active"),
        (_, Some(Outcome::Recovered)) => Some("resolved"),
        (_, Some(Outcome::Died)) => Some("inactive"),
    }
}

/// The FHIR status of the investigation task, and a business status saying
/// more where FHIR has no code for it (`overdue`, `escalated`).
#[must_use]
pub fn task_status(status: TaskStatus) -> (&'static str, Option<&'static str>) {
    match status {
        TaskStatus::Assigned => ("requested", None),
        TaskStatus::Acknowledged => ("accepted", None),
        TaskStatus::Done => ("completed", None),
        TaskStatus::Overdue => ("requested", Some("overdue")),
        TaskStatus::Escalated => ("requested", Some("escalated")),
    }
}

/// Writes a bundle in pieces (see the module's documentation).
#[derive(Debug, Clone, Default)]
pub struct BundleWriter {
    wrote_entry: bool,
    last_person: Option<Uuid>,
}

impl BundleWriter {
    /// The bundle's opening, up to the start of its `entry` array.
    #[must_use]
    pub fn open(id: Uuid, at: Timestamp) -> Vec<u8> {
        let head = json!({"resourceType": "Bundle", "id": id.to_string(), "type": "collection", "timestamp": instant(at)});
        let mut text = head.to_string();
        text.pop(); // the closing brace: the entries follow
        text.push_str(",\"entry\":[");
        text.into_bytes()
    }

    /// The entries of a batch of cases, each after a comma but the bundle's first.
    #[must_use]
    pub fn entries(&mut self, records: &[CaseRecord]) -> Vec<u8> {
        let mut out = Vec::with_capacity(records.len() * 4096);
        for record in records {
            let with_patient = self.last_person != Some(record.line.person.id);
            self.last_person = Some(record.line.person.id);
            for entry in case_entries(record, with_patient) {
                if self.wrote_entry {
                    out.push(b',');
                }
                self.wrote_entry = true;
                out.extend_from_slice(entry.to_string().as_bytes());
            }
        }
        out
    }

    /// The bundle's end.
    #[must_use]
    pub fn close() -> &'static [u8] {
        b"]}"
    }
}

/// A whole bundle of `records` (ordered by person), as one JSON value.
#[must_use]
pub fn bundle(records: &[CaseRecord], id: Uuid, at: Timestamp) -> Value {
    let mut text = BundleWriter::open(id, at);
    text.extend(BundleWriter::default().entries(records));
    text.extend_from_slice(BundleWriter::close());
    serde_json::from_slice(&text).unwrap_or(Value::Null)
}

/// The entries of one case: its patient (when `with_patient`), the
/// condition, the observations, the investigation task and the contacts.
#[must_use]
pub fn case_entries(record: &CaseRecord, with_patient: bool) -> Vec<Value> {
    let line = &record.line;
    let patient = full_url(line.person.id);
    let condition = full_url(line.case.id);
    let mut entries = Vec::new();
    if with_patient {
        entries.push(entry(line.person.id, patient_resource(line)));
    }
    let mut evidence = Vec::new();
    let mut observations = Vec::new();
    for report in &record.reports {
        if !report.symptoms.is_empty() {
            evidence.push(json!({"reference": full_url(report.id)}));
            observations.push(entry(report.id, symptoms(report, &patient, &condition)));
        }
        if let Some(celsius) = report.temperature_c {
            let id = derived_id(report.id, Derived::Temperature);
            evidence.push(json!({"reference": full_url(id)}));
            observations.push(entry(id, temperature(id, report, celsius, &patient, &condition)));
        }
    }
    if let Some(lab) = lab_result(line, &patient, &condition) {
        let id = derived_id(line.case.id, Derived::LabResult);
        evidence.push(json!({"reference": full_url(id)}));
        observations.push(entry(id, lab));
    }
    entries.push(entry(line.case.id, condition_resource(line, &patient, evidence)));
    entries.extend(observations);
    if let Some(task) = &line.investigation {
        let (status, business) = task_status(task.status);
        let mut resource = json!({
            "resourceType": "Task", "id": task.id.to_string(), "status": status, "intent": "order",
            "code": {"text": "Case investigation"},
            "focus": {"reference": condition}, "for": {"reference": patient},
            "authoredOn": instant(task.created_at), "lastModified": instant(task.updated_at),
        });
        if let Some(business) = business {
            resource["businessStatus"] = json!({"text": business});
        }
        entries.push(entry(task.id, resource));
    }
    for contact in &record.contacts {
        entries.push(entry(contact.contact.id, related_person(contact, &patient)));
    }
    entries
}

fn entry(id: Uuid, resource: Value) -> Value {
    let mut entry = serde_json::Map::new();
    entry.insert("fullUrl".into(), Value::String(full_url(id)));
    entry.insert("resource".into(), resource);
    Value::Object(entry)
}

/// The FHIR administrative gender of a sex.
fn gender(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Other => "other",
    }
}

/// A person's home address: the address within the unit, and the unit.
fn address(address: Option<&String>, unit: &Place) -> Value {
    let unit_text = format!("{} ({})", unit.name, unit.code);
    let mut value = json!({"use": "home", "district": unit.name});
    match address.map(|a| a.trim()).filter(|a| !a.is_empty()) {
        Some(line) => {
            value["line"] = json!([line]);
            value["text"] = json!(format!("{line}, {unit_text}"));
        }
        None => value["text"] = json!(unit_text),
    }
    value
}

fn person_fields(resource: &mut Value, person: &crate::export::PersonFields, unit: &Place) {
    resource["name"] = json!([{"text": person.full_name}]);
    resource["gender"] = json!(gender(person.sex));
    resource["birthDate"] = json!(format!("{:04}", person.birth_year));
    resource["address"] = json!([address(person.address.as_ref(), unit)]);
    if let Some(phone) = person.phone.as_ref().filter(|p| !p.trim().is_empty()) {
        resource["telecom"] = json!([{"system": "phone", "value": phone.trim()}]);
    }
}

fn patient_resource(line: &CaseLine) -> Value {
    let mut resource = json!({"resourceType": "Patient", "id": line.person.id.to_string()});
    person_fields(&mut resource, &line.person, &line.unit);
    if line.case.outcome == Some(Outcome::Died) {
        resource["deceasedBoolean"] = json!(true);
    }
    resource
}

fn condition_resource(line: &CaseLine, patient: &str, evidence: Vec<Value>) -> Value {
    let case = &line.case;
    let what = line.definition_name.clone().unwrap_or_else(|| case.definition_code.clone());
    let mut resource = json!({
        "resourceType": "Condition", "id": case.id.to_string(),
        "verificationStatus": {
            "coding": [{"system": VERIFICATION, "code": verification_status(case.status)}],
            "text": case.status.as_str(),
        },
        "code": {"text": what},
        "subject": {"reference": patient},
        "recordedDate": instant(case.opened_at),
    });
    if let Some(clinical) = clinical_status(case.status, case.outcome) {
        resource["clinicalStatus"] = json!({"coding": [{"system": CLINICAL, "code": clinical}]});
    }
    if let Some(onset) = case.onset_date {
        resource["onsetDateTime"] = json!(onset.to_string());
    }
    if let Some(outcome) = case.outcome {
        resource["abatementString"] = json!(outcome.as_str());
    }
    if !evidence.is_empty() {
        let mut detail = serde_json::Map::new();
        detail.insert("detail".into(), Value::Array(evidence));
        resource["evidence"] = Value::Array(vec![Value::Object(detail)]);
    }
    resource
}

fn category(code: &str) -> Value {
    json!([{"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}])
}

fn symptoms(report: &Report, patient: &str, condition: &str) -> Value {
    let components: Vec<Value> = report.symptoms.iter().map(|s| json!({"code": {"text": s.as_str()}, "valueBoolean": true})).collect();
    let mut resource = json!({
        "resourceType": "Observation", "id": report.id.to_string(), "status": "final",
        "category": category("survey"),
        "code": {"text": "Symptoms reported"},
        "subject": {"reference": patient}, "focus": [{"reference": condition}],
        "effectiveDateTime": instant(report.received_at),
        "component": components,
    });
    if let Some(note) = report.note.as_ref().filter(|n| !n.trim().is_empty()) {
        resource["note"] = json!([{"text": note}]);
    }
    resource
}

fn temperature(id: Uuid, report: &Report, celsius: f64, patient: &str, condition: &str) -> Value {
    json!({
        "resourceType": "Observation", "id": id.to_string(), "status": "final",
        "category": category("vital-signs"),
        "code": {"coding": [{"system": LOINC, "code": "8310-5", "display": "Body temperature"}], "text": "Body temperature"},
        "subject": {"reference": patient}, "focus": [{"reference": condition}],
        "effectiveDateTime": instant(report.received_at),
        "valueQuantity": {"value": celsius, "unit": "Cel", "system": UCUM, "code": "Cel"},
    })
}

fn lab_result(line: &CaseLine, patient: &str, condition: &str) -> Option<Value> {
    let sample = line.sample.as_ref()?;
    let what = line.definition_name.clone().unwrap_or_else(|| line.case.definition_code.clone());
    let mut resource = json!({
        "resourceType": "Observation", "id": derived_id(line.case.id, Derived::LabResult).to_string(),
        "status": if sample.result.is_some() { "final" } else { "registered" },
        "category": category("laboratory"),
        "code": {"text": format!("Laboratory test: {what}")},
        "subject": {"reference": patient}, "focus": [{"reference": condition}],
        "effectiveDateTime": sample.taken_on.to_string(),
        "method": {"text": serde_json::to_value(sample.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()},
    });
    if let Some(result) = sample.result {
        let (code, display) = match result {
            LabResult::Positive => ("10828004", "Positive"),
            LabResult::Negative => ("260385009", "Negative"),
            LabResult::Inconclusive => ("419984006", "Inconclusive"),
        };
        resource["valueCodeableConcept"] = json!({"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display});
    }
    Some(resource)
}

fn related_person(contact: &ContactLine, patient: &str) -> Value {
    let k = &contact.contact;
    let relation = format!("{} ({}, last exposed {})", k.relation, k.setting.as_str(), k.exposure_date);
    let mut resource = json!({
        "resourceType": "RelatedPerson", "id": k.id.to_string(),
        "patient": {"reference": patient},
        "relationship": [{"text": relation}],
    });
    person_fields(&mut resource, &contact.person, &contact.unit);
    resource
}

/// An instant in UTC to the second (a FHIR `instant` and `dateTime`).
fn instant(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
#[path = "fhir_tests.rs"]
mod tests;
