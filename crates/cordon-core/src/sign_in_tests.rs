use super::*;
use crate::jurisdiction::NodePath;
use crate::user::Role;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn failures(count: u32, last: &str) -> Failures {
    Failures { count, last: Some(at(last)) }
}

#[test]
fn an_account_waits_longer_after_each_failure_then_is_locked_out() {
    let waits: Vec<i64> = (0..12).map(|n| ACCOUNT.wait_after(n).as_secs()).collect();
    assert_eq!(waits, [0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 900, 900]);
    assert_eq!(ADDRESS.wait_after(19), SignedDuration::ZERO);
    assert_eq!(ADDRESS.wait_after(21).as_secs(), 4);
    assert_eq!(ADDRESS.wait_after(40), SignedDuration::from_mins(15), "the wait never passes the lockout");
}

#[test]
fn the_longer_wait_of_account_and_address_applies_rounded_up() {
    let now = at("2026-11-23T09:00:00.5Z");
    assert_eq!(throttle(Failures::default(), Failures::default(), now), Throttle::Go);
    assert_eq!(throttle(failures(4, "2026-11-23T09:00:00Z"), Failures::default(), now), Throttle::Go);
    assert_eq!(
        throttle(failures(6, "2026-11-23T09:00:00Z"), failures(6, "2026-11-23T09:00:00Z"), now),
        Throttle::Wait { retry_after: 4, locked: false },
        "3.5 s left is asked as 4"
    );
    let locked = throttle(failures(10, "2026-11-23T09:00:00Z"), Failures::default(), now);
    assert_eq!(locked, Throttle::Wait { retry_after: 900, locked: true });
    let later = at("2026-11-23T09:15:00Z");
    assert_eq!(throttle(failures(10, "2026-11-23T09:00:00Z"), Failures::default(), later), Throttle::Go, "the lockout ends");
    let busy_office = throttle(Failures::default(), failures(50, "2026-11-23T09:00:00Z"), now);
    assert!(matches!(busy_office, Throttle::Wait { locked: true, .. }), "the address limit holds every account back");
}

#[test]
fn addresses_are_counted_per_ipv4_host_and_per_ipv6_network() {
    assert_eq!(address_key("10.1.2.3".parse().unwrap()), "10.1.2.3");
    assert_eq!(address_key("2001:db8:1:2:3:4:5:6".parse().unwrap()), "2001:db8:1:2::/64");
    assert_eq!(address_key("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.3");
}

#[test]
fn a_name_tried_is_recorded_safely() {
    assert_eq!(name_tried("  kim\u{0}x "), "kim\u{FFFD}x");
    assert_eq!(name_tried(&"a".repeat(500)).len(), 64);
}

#[test]
fn passwords_are_between_8_and_1024_characters() {
    let check = |pw: &str| {
        let mut p = Problems::default();
        check_password(&mut p, "password", pw);
        p.finish(())
    };
    assert!(check("cordon-demo").is_ok());
    assert!(check(&"é".repeat(1024)).is_ok(), "characters, not bytes");
    let too_long = check(&"a".repeat(1025)).unwrap_err();
    assert_eq!(too_long.errors[0].reason, Reason::TooLong { max: 1024 });
    assert_eq!(check("short").unwrap_err().errors[0].reason, Reason::TooShort { min: 8 });
    assert!(too_long_to_check(&"a".repeat(1025)) && !too_long_to_check(&"a".repeat(1024)));
    let same = check_new_password("cordon-demo", "cordon-demo").unwrap_err();
    assert_eq!((same.errors[0].field.as_str(), &same.errors[0].reason), ("new_password", &Reason::SamePassword));
}

#[test]
fn a_browser_session_ends_when_idle_and_a_token_only_when_expired() {
    let start = at("2026-11-23T09:00:00Z");
    let cookie = SessionInfo {
        id: Uuid::nil(),
        kind: SessionKind::Cookie,
        device: None,
        created_at: start,
        last_seen_at: start,
        expires_at: start.checked_add(SESSION_LIFETIME).unwrap(),
        current: false,
    };
    assert_eq!(cookie.standing(at("2026-11-23T09:00:30Z")), Standing::Alive { touch: false });
    assert_eq!(cookie.standing(at("2026-11-23T09:01:00Z")), Standing::Alive { touch: true });
    assert_eq!(cookie.standing(at("2026-11-23T09:30:00Z")), Standing::Idle);
    let token = SessionInfo { kind: SessionKind::Bearer, expires_at: start.checked_add(TOKEN_LIFETIME).unwrap(), ..cookie };
    assert_eq!(token.standing(at("2026-11-25T09:00:00Z")), Standing::Alive { touch: true });
    assert_eq!(token.standing(at("2027-03-01T09:00:00Z")), Standing::Expired);
}

#[test]
fn sessions_are_managed_by_their_owner_and_administrators_in_reach() {
    let p1 = NodePath::root("KR").child("P1");
    let worker = User {
        id: Uuid::from_u128(1),
        username: "w".into(),
        display_name: "W".into(),
        role: Role::HealthWorker,
        node_id: Uuid::nil(),
        node_path: p1.child("C1"),
        phone: None,
        active: true,
    };
    let admin = User { id: Uuid::from_u128(2), role: Role::Administrator, node_path: p1.clone(), ..worker.clone() };
    let officer = User { id: Uuid::from_u128(3), role: Role::CommandOfficer, node_path: p1, ..worker.clone() };
    let other_admin = User { node_path: NodePath::root("KR").child("P2"), ..admin.clone() };
    assert!(may_manage_sessions(&worker, &worker).is_ok());
    assert!(may_manage_sessions(&admin, &worker).is_ok());
    assert!(may_manage_sessions(&officer, &worker).is_err());
    assert!(may_manage_sessions(&other_admin, &worker).is_err());
}
