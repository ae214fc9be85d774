//! Tests of directives: the checks, the policy, versions and `in_force`.

use super::*;
use crate::gathering::{self, Verdict};
use crate::user::Role;
use jiff::civil::date;
use proptest::prelude::*;

fn officer(path: &NodePath) -> User {
    crate::fixtures::user(Role::CommandOfficer, path)
}

fn province() -> Node {
    crate::fixtures::node(2, &NodePath::root("KR").child("P1"))
}

fn terms(max_people: u32, starts_on: Date) -> Terms {
    Terms {
        measure: Measure::GatheringLimit { max_people, setting: Setting::Any },
        starts_on,
        ends_on: None,
        review_on: starts_on.checked_add(jiff::Span::new().days(14)).unwrap(),
        text: Texts { en: format!("No gatherings of more than {max_people}"), ko: format!("{max_people}명 넘는 집회 금지") },
        evidence: Evidence::default(),
    }
}

fn input(terms: Terms) -> DirectiveInput {
    DirectiveInput::new(Uuid::from_u128(1), "P1", terms)
}

fn fields(refused: Refused) -> Vec<String> {
    match refused {
        Refused::Invalid(i) => i.errors.into_iter().map(|e| e.field).collect(),
        Refused::Denied(d) => vec![format!("denied: {d}")],
    }
}

const NOW: Timestamp = Timestamp::UNIX_EPOCH;

#[test]
fn bad_terms_are_refused_naming_each_field() {
    let today = date(2026, 12, 1);
    let nation = officer(&NodePath::root("KR"));
    let mut bad = terms(0, today);
    bad.ends_on = Some(date(2026, 11, 30));
    bad.review_on = date(2026, 11, 30);
    bad.text.ko = " ".into();
    let refused = issue(&nation, &province(), &input(bad), today, NOW).unwrap_err();
    assert_eq!(fields(refused), ["terms.measure.max_people", "terms.ends_on", "terms.review_on", "terms.text.ko"]);
}

#[test]
fn only_a_command_officer_at_or_above_the_scope_issues() {
    let today = date(2026, 12, 1);
    let elsewhere = officer(&NodePath::root("KR").child("P2"));
    assert!(matches!(
        issue(&elsewhere, &province(), &input(terms(10, today)), today, NOW),
        Err(Refused::Denied(Denied::OutsideJurisdiction { .. }))
    ));
    let mut worker = officer(&NodePath::root("KR"));
    worker.role = Role::HealthWorker;
    assert!(matches!(issue(&worker, &province(), &input(terms(10, today)), today, NOW), Err(Refused::Denied(Denied::RoleForbids { .. }))));
    let issued = issue(&officer(&NodePath::root("KR")), &province(), &input(terms(10, today)), today, NOW).unwrap();
    assert_eq!((issued.versions.len(), issued.versions[0].number, issued.scope_path.as_str()), (1, 1, province().path.as_str()));
}

#[test]
fn an_amended_limit_applies_from_its_effective_day_only() {
    let (day1, day5) = (date(2026, 12, 1), date(2026, 12, 5));
    let nation = officer(&NodePath::root("KR"));
    let mut directive = issue(&nation, &province(), &input(terms(10, day1)), day1, NOW).unwrap();
    let amendment = Amendment::new(terms(20, day5), "cases falling");
    let v2 = amend(&nation, &directive, &amendment, date(2026, 12, 3), NOW).unwrap();
    assert_eq!((v2.number, v2.change_reason.as_deref()), (2, Some("cases falling")));
    directive.versions.push(v2);
    let unit = province().path.child("U1");
    let directives = [directive];
    for (day, expected) in
        [(date(2026, 12, 4), Verdict::Refused { limit: cite(1, 10) }), (day5, Verdict::Allowed { limit: Some(cite(2, 20)) })]
    {
        assert_eq!(gathering::check(&in_force(&directives, &unit, day), 12, Setting::Indoor), expected, "{day}");
    }
    assert_eq!(directives[0].version_on(date(2026, 12, 2)).map(|v| v.number), Some(1), "the first version stays readable");
}

fn cite(version: u32, max_people: u32) -> gathering::Cited {
    gathering::Cited { directive_id: Uuid::from_u128(1), version, max_people }
}

#[test]
fn an_amendment_takes_effect_ahead_keeps_its_kind_and_says_why() {
    let day1 = date(2026, 12, 1);
    let nation = officer(&NodePath::root("KR"));
    let directive = issue(&nation, &province(), &input(terms(10, day1)), day1, NOW).unwrap();
    let mut other = terms(20, day1);
    other.measure = Measure::FreeText;
    let refused = amend(&nation, &directive, &Amendment::new(other, " "), date(2026, 12, 3), NOW).unwrap_err();
    assert_eq!(fields(refused), ["reason", "terms.starts_on", "terms.measure.kind"]);
}

#[test]
fn a_revoked_directive_is_not_in_force_from_the_day_given() {
    let day1 = date(2026, 12, 1);
    let nation = officer(&NodePath::root("KR"));
    let mut directive = issue(&nation, &province(), &input(terms(10, day1)), day1, NOW).unwrap();
    assert_eq!(fields(revoke(&nation, &directive, day1, "over", date(2026, 12, 3), NOW).unwrap_err()), ["from"]);
    directive.revoked = Some(revoke(&nation, &directive, date(2026, 12, 5), "over", date(2026, 12, 3), NOW).unwrap());
    assert!(directive.version_on(date(2026, 12, 4)).is_some() && directive.version_on(date(2026, 12, 5)).is_none());
    assert_eq!(fields(revoke(&nation, &directive, date(2026, 12, 6), "again", date(2026, 12, 3), NOW).unwrap_err()), ["id"]);
    assert!(!directive.past_review(date(2027, 1, 1)), "a revoked directive needs no review");
}

#[test]
fn a_directive_in_force_past_its_review_day_is_due_for_review() {
    let day1 = date(2026, 12, 1);
    let directive = issue(&officer(&NodePath::root("KR")), &province(), &input(terms(10, day1)), day1, NOW).unwrap();
    assert!(!directive.past_review(date(2026, 12, 15)) && directive.past_review(date(2026, 12, 16)));
}

proptest! {
    /// Over any run of amendments, the version governing a day is the last
    /// one that took effect on or before it, and none governs before the first.
    #[test]
    fn the_governing_version_is_the_last_effective_one(gaps in prop::collection::vec(1i32..10, 0..6), probe in 0i32..60) {
        let first = date(2026, 12, 1);
        let nation = officer(&NodePath::root("KR"));
        let mut directive = issue(&nation, &province(), &input(terms(10, first)), first, NOW).unwrap();
        let mut starts = vec![first];
        for (i, gap) in gaps.iter().enumerate() {
            let from = starts[i].checked_add(jiff::Span::new().days(*gap)).unwrap();
            let v = amend(&nation, &directive, &Amendment::new(terms(10 + u32::try_from(i).unwrap(), from), "r"), first, NOW).unwrap();
            directive.versions.push(v);
            starts.push(from);
        }
        let day = first.checked_add(jiff::Span::new().days(probe - 5)).unwrap();
        let expected = starts.iter().rposition(|s| *s <= day).map(|i| u32::try_from(i).unwrap() + 1);
        prop_assert_eq!(directive.version_on(day).map(|v| v.number), expected);
    }
}
