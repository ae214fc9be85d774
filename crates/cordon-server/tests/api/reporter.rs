//! The reporter files a report about a new resident: the person and the
//! report are written in one transaction, so a refused report leaves no
//! person behind.

use cordon_core::person::{PersonDraft, Sex};
use cordon_core::report::{ReportDraft, Symptom};
use cordon_store::audit::Table;
use cordon_store::reports::NewResidentReport;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(a_refused_report_leaves_no_new_resident_behind, a_report_about_a_new_resident_files_both_or_offers_the_namesake);

fn newcomer(name: &str) -> PersonDraft {
    PersonDraft { full_name: name.into(), sex: Sex::Female, birth_year: 1991, phone: None, address: None, document_number: None }
}

fn rash(id: Uuid) -> ReportDraft {
    ReportDraft { id, person_id: Uuid::nil(), symptoms: vec![Symptom::Rash], temperature_c: None, onset_date: None, note: None }
}

async fn a_refused_report_leaves_no_new_resident_behind(app: &TestApp) {
    // Arrange: a report filed about a known resident under an id.
    let known = app.resident("reporter_u1", "U1", "Kim Ji-won").await;
    let (status, intake) = app.report("reporter_u1", "U1", known, &["fever"], Some(39.0)).await;
    assert_eq!(status, StatusCode::CREATED, "{intake}");
    let id: Uuid = intake["report"]["id"].as_str().unwrap().parse().unwrap();
    let persons = app.count(Table::Persons).await;
    let audit = app.count(Table::Audit).await;

    // Act: the same id sent again about a new resident is refused.
    let store = &app.state.store;
    let reporter = app.seed.user("reporter_u1");
    let refused = store.submit_report_for_new_resident(reporter, (&newcomer("Seo Da-eun"), false), &rash(id), "U1", app.state.now()).await;

    // Assert: refused, and nothing of the new resident was kept.
    assert!(
        matches!(
            refused,
            Err(cordon_store::StoreError::IdReused(cordon_core::resend::IdReused { record: cordon_core::refusal::Record::Report, .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(app.count(Table::Persons).await, persons, "the new resident was rolled back with the report");
    assert_eq!(app.count(Table::Audit).await, audit, "and so was their audit record");
}

async fn a_report_about_a_new_resident_files_both_or_offers_the_namesake(app: &TestApp) {
    let store = &app.state.store;
    let unit = app.node("U1").await;
    let reporter = app.seed.user("reporter_u1");
    let (newcomer, report) = (newcomer("Seo Da-eun"), rash(Uuid::new_v4()));
    let first = store.submit_report_for_new_resident(reporter, (&newcomer, false), &report, "U1", app.state.now()).await;
    let NewResidentReport::Filed(intake) = first.unwrap() else { panic!("expected the report filed") };
    let person = store.person(intake.report.person_id).await.unwrap().unwrap();
    assert_eq!((person.full_name.as_str(), person.unit_id), ("Seo Da-eun", unit.id));

    let (namesake, report) = (PersonDraft { full_name: "seo  da-eun".into(), ..newcomer }, rash(Uuid::new_v4()));
    let again = store.submit_report_for_new_resident(reporter, (&namesake, false), &report, "U1", app.state.now()).await;
    assert_eq!(again.unwrap(), NewResidentReport::ProbableDuplicates(vec![person]));
    assert_eq!(app.count(Table::Reports).await, 1, "nothing filed for the probable duplicate");
}
