//! Tests of the audit chain: the canonical encoding (pinned against a hash
//! computed outside Rust), and a walk that names each kind of tampering at
//! the right record.

use std::fmt::Write as _;

use super::*;
use proptest::prelude::*;
use serde_json::json;

const ACTOR: &str = "0190f0a4-7c1e-7d2a-9b3c-4d5e6f708192";

/// A sealed log of `n` records, seq 1..=n, each linked to the one before.
fn chain(n: i64) -> Vec<StoredRecord> {
    chain_with_seqs(&(1..=n).collect::<Vec<_>>())
}

fn chain_with_seqs(seqs: &[i64]) -> Vec<StoredRecord> {
    let mut prev = GENESIS.to_owned();
    seqs.iter()
        .map(|&seq| {
            let mut r = StoredRecord {
                seq,
                at: 1_795_000_000_000_000 + seq * 1_000_000,
                actor_id: (seq % 3 != 0).then(|| ACTOR.parse().unwrap()),
                action: format!("case.update{}", seq % 4),
                entity: "case".into(),
                entity_id: format!("case-{seq}"),
                before: (seq % 2 == 0).then(|| json!({"status": "suspected", "n": seq, "t": 38.2}).to_string()),
                after: Some(json!({"status": "confirmed", "tags": ["a", "b"], "nested": {"z": 1, "a": null}}).to_string()),
                prev_hash: Some(prev.clone()),
                hash: None,
            };
            r.hash = r.computed_hash();
            prev = r.hash.clone().unwrap();
            r
        })
        .collect()
}

fn head_of(records: &[StoredRecord]) -> Head {
    records.last().map_or_else(Head::empty, |r| Head { last_seq: r.seq, last_hash: r.hash.clone().unwrap() })
}

fn walk(head: Head, records: &[StoredRecord]) -> ChainReport {
    let mut w = ChainWalk::new(head);
    for r in records {
        if !w.check(r) {
            break;
        }
    }
    w.finish()
}

fn reseal(r: &mut StoredRecord) {
    r.hash = r.computed_hash();
}

fn broken_at(report: &ChainReport) -> (i64, Breach) {
    let fault = report.fault.clone().expect("the chain should be broken");
    assert!(!report.intact);
    (fault.seq, fault.breach)
}

#[test]
fn canonical_json_sorts_keys_by_bytes_and_drops_spaces() {
    let v: Value = serde_json::from_str(r#"{ "b": [1, 2, {"y": true, "x": null}], "a": "é\n\"", "B": 1.5 }"#).unwrap();
    assert_eq!(canonical_json(&v), r#"{"B":1.5,"a":"é\n\"","b":[1,2,{"x":null,"y":true}]}"#);
}

#[test]
fn canonical_json_is_the_same_for_the_text_postgresql_gives_back() {
    // jsonb reorders keys, adds spaces and writes exponents out in full.
    let written: Value = serde_json::from_str(r#"{"rate":1e-7,"big":1.5e300,"z":-0.0,"t":38.2,"n":18446744073709551615}"#).unwrap();
    let big = format!("15{}", "0".repeat(299));
    let jsonb_text = format!(r#"{{"n": 18446744073709551615, "t": 38.2, "z": 0.0, "big": {big}, "rate": 0.0000001}}"#);
    let read_back: Value = serde_json::from_str(&jsonb_text).unwrap();
    assert_eq!(canonical_json(&written), canonical_json(&read_back));
    assert_eq!(canonical_json(&written), r#"{"big":1.5e+300,"n":18446744073709551615,"rate":1e-7,"t":38.2,"z":0.0}"#);
}

#[test]
fn floats_that_need_seventeen_digits_read_back_as_written() {
    for f in [0.1 + 0.2, 1.0 / 3.0, 2.0_f64.sqrt(), 123_456.789_012_345_67, 5e-324, f64::MAX] {
        let v = json!({ "x": f });
        let again: Value = serde_json::from_str(&v.to_string()).unwrap();
        assert_eq!(canonical_json(&v), canonical_json(&again), "{f}");
    }
}

#[test]
fn the_encoding_is_pinned() {
    // Computed independently: Python's hashlib.sha256 over the same text.
    let before = json!({"b": 2, "a": [1, "x"]});
    let content = Content {
        seq: 7,
        at: 1_795_000_000_123_456,
        actor_id: Some(ACTOR.parse().unwrap()),
        action: "case.update",
        entity: "case",
        entity_id: "abc",
        before: Some(&before),
        after: None,
    };
    let text = encode(&content, GENESIS);
    assert_eq!(
        text,
        format!(r#"["cordon-audit-v1",7,1795000000123456,"{ACTOR}","case.update","case","abc",{{"a":[1,"x"],"b":2}},null,"{GENESIS}"]"#)
    );
    assert_eq!(record_hash(&content, GENESIS), "553045fd92e2f324ab5421e20be6f7fd66542e65f7af0a12c71d881bcc34a68c");
}

#[test]
fn a_json_null_document_hashes_as_no_document() {
    let content = Content { seq: 1, at: 0, actor_id: None, action: "a", entity: "a", entity_id: "1", before: None, after: None };
    let null = Value::Null;
    assert_eq!(record_hash(&content, GENESIS), record_hash(&Content { before: Some(&null), ..content }, GENESIS));
}

#[test]
fn every_field_and_the_link_change_the_hash() {
    let after = json!({"a": 1});
    let other = json!({"a": 2});
    let base = Content { seq: 1, at: 10, actor_id: None, action: "x.y", entity: "x", entity_id: "1", before: None, after: Some(&after) };
    let actor = Some(Uuid::nil());
    let variants = [
        Content { seq: 2, ..base },
        Content { at: 11, ..base },
        Content { actor_id: actor, ..base },
        Content { action: "x.z", ..base },
        Content { entity: "y", ..base },
        Content { entity_id: "2", ..base },
        Content { before: Some(&after), ..base },
        Content { after: Some(&other), ..base },
        Content { after: None, ..base },
    ];
    let h = record_hash(&base, GENESIS);
    for v in &variants {
        assert_ne!(record_hash(v, GENESIS), h, "{v:?}");
    }
    assert_ne!(record_hash(&base, &"1".repeat(64)), h);
    // Fields cannot run into each other: the encoding is JSON, not a concatenation.
    let glued = Content { action: "x.yx", entity: "", ..base };
    assert_ne!(record_hash(&glued, GENESIS), h);
}

#[test]
fn an_intact_chain_is_reported_intact_with_its_head() {
    let records = chain(20);
    let report = walk(head_of(&records), &records);
    assert!(report.intact, "{report}");
    assert_eq!((report.records, report.intact_up_to, report.head_seq), (20, Some(20), 20));
    assert_eq!(report.fault, None);
    assert!(report.to_string().starts_with("audit chain intact up to seq 20 (20 records); head hash "));
}

#[test]
fn an_empty_log_is_intact_only_with_an_empty_head() {
    let report = walk(Head::empty(), &[]);
    assert!(report.intact);
    assert_eq!((report.records, report.intact_up_to), (0, None));
    let report = walk(Head { last_seq: 5, last_hash: "ab".repeat(32) }, &[]);
    assert_eq!(broken_at(&report), (5, Breach::TailTruncated { last_seq: None, head_seq: 5 }));
}

#[test]
fn gaps_in_seq_with_unbroken_links_are_intact() {
    // Sequence numbers an old PostgreSQL identity skipped on rollbacks.
    let records = chain_with_seqs(&[1, 2, 5, 6, 9]);
    assert!(walk(head_of(&records), &records).intact);
}

#[test]
fn a_changed_actor_or_date_is_content_changed_at_that_record() {
    let head = head_of(&chain(10));
    let mut records = chain(10);
    records[3].actor_id = Some(Uuid::nil());
    let report = walk(head.clone(), &records);
    assert_eq!(broken_at(&report), (4, Breach::ContentChanged));
    assert_eq!(report.intact_up_to, Some(3));
    assert_eq!(report.records, 4, "the walk stops at the first broken record");

    let mut records = chain(10);
    records[6].at -= 86_400_000_000;
    assert_eq!(broken_at(&walk(head.clone(), &records)), (7, Breach::ContentChanged));

    let mut records = chain(10);
    records[0].after = Some(r#"{"status":"discarded"}"#.into());
    assert_eq!(broken_at(&walk(head, &records)), (1, Breach::ContentChanged));
}

#[test]
fn reformatted_json_text_is_not_a_change() {
    let mut records = chain(4);
    let head = head_of(&records);
    let v: Value = serde_json::from_str(records[1].after.as_deref().unwrap()).unwrap();
    records[1].after = Some(serde_json::to_string_pretty(&v).unwrap());
    assert!(walk(head, &records).intact);
}

#[test]
fn text_that_is_not_json_is_content_changed() {
    let mut records = chain(3);
    let head = head_of(&records);
    records[1].before = Some("{not json".into());
    assert_eq!(broken_at(&walk(head, &records)), (2, Breach::ContentChanged));
}

#[test]
fn a_changed_and_rehashed_record_breaks_the_next_link() {
    let mut records = chain(10);
    let head = head_of(&records);
    records[4].entity_id = "someone-else".into();
    reseal(&mut records[4]);
    let report = walk(head, &records);
    assert_eq!(broken_at(&report), (6, Breach::LinkBroken { previous_seq: 5 }));
    assert_eq!(report.intact_up_to, Some(5));
}

#[test]
fn a_deleted_record_is_missing_before_the_next() {
    let mut records = chain(10);
    let head = head_of(&records);
    records.remove(4);
    let report = walk(head.clone(), &records);
    assert_eq!(broken_at(&report), (6, Breach::RecordMissing { previous_seq: Some(4) }));
    assert!(report.to_string().contains("broken at seq 6: record missing: records after 4"), "{report}");

    let mut records = chain(10);
    records.drain(0..2);
    let report = walk(head, &records);
    assert_eq!(broken_at(&report), (3, Breach::RecordMissing { previous_seq: None }));
    assert_eq!(report.intact_up_to, None);
}

#[test]
fn a_record_without_a_hash_is_unsealed() {
    let mut records = chain_with_seqs(&[1, 2, 4, 5]);
    let head = head_of(&records);
    let mut slipped = records[1].clone();
    slipped.seq = 3;
    slipped.hash = None;
    slipped.prev_hash = None;
    records.insert(2, slipped);
    assert_eq!(broken_at(&walk(head, &records)), (3, Breach::Unsealed));
}

#[test]
fn a_record_slipped_into_a_gap_with_a_forged_hash_is_named_inserted() {
    let mut records = chain_with_seqs(&[1, 2, 4, 5]);
    let head = head_of(&records);
    let mut forged = records[1].clone();
    forged.seq = 3;
    forged.action = "user.create".into();
    forged.prev_hash = records[1].hash.clone();
    reseal(&mut forged);
    records.insert(2, forged);
    let report = walk(head, &records);
    assert_eq!(broken_at(&report), (3, Breach::Inserted { next_seq: 4 }));
    assert_eq!(report.intact_up_to, Some(2));
}

#[test]
fn a_record_slipped_in_with_a_made_up_hash_is_content_changed() {
    let mut records = chain_with_seqs(&[1, 2, 4, 5]);
    let head = head_of(&records);
    let mut forged = records[1].clone();
    forged.seq = 3;
    forged.hash = Some("f".repeat(64));
    records.insert(2, forged);
    assert_eq!(broken_at(&walk(head, &records)), (3, Breach::ContentChanged));
}

#[test]
fn deleted_last_records_are_a_truncated_tail() {
    let mut records = chain(10);
    let head = head_of(&records);
    records.truncate(7);
    let report = walk(head, &records);
    assert_eq!(broken_at(&report), (8, Breach::TailTruncated { last_seq: Some(7), head_seq: 10 }));
    assert_eq!(report.intact_up_to, Some(7));
    assert!(report.to_string().contains("tail truncated: the log ends at 7 but the chain's head says 10"), "{report}");
}

#[test]
fn a_record_appended_after_the_head_is_beyond_the_head() {
    let records = chain(6);
    let head = head_of(&records[..5]);
    assert_eq!(broken_at(&walk(head, &records)), (6, Breach::BeyondHead { head_seq: 5 }));
}

#[test]
fn a_replaced_last_record_disagrees_with_the_head() {
    let mut records = chain(6);
    let head = head_of(&records);
    records[5].actor_id = Some(Uuid::nil());
    reseal(&mut records[5]);
    let report = walk(head, &records);
    assert_eq!(broken_at(&report), (6, Breach::HeadMismatch));
    assert_eq!(report.intact_up_to, Some(5));
}

#[test]
fn the_report_serialises_with_a_kind_and_words() {
    let mut records = chain(3);
    let head = head_of(&records);
    records.remove(1);
    let json = serde_json::to_value(walk(head, &records)).unwrap();
    assert_eq!(json["intact"], false);
    assert_eq!(json["fault"]["seq"], 3);
    assert_eq!(json["fault"]["breach"], json!({"kind": "record_missing", "previous_seq": 1}));
    assert!(json["fault"]["reason"].as_str().unwrap().starts_with("record missing"));
}

/// Which single change a property test makes to a sealed chain.
#[derive(Debug, Clone)]
enum Tamper {
    Actor,
    At(i64),
    Action,
    EntityId,
    After,
    PrevHash,
    Hash,
    Delete,
    Seq,
}

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        Just(Tamper::Actor),
        (1_i64..1_000_000_000).prop_map(Tamper::At),
        Just(Tamper::Action),
        Just(Tamper::EntityId),
        Just(Tamper::After),
        Just(Tamper::PrevHash),
        Just(Tamper::Hash),
        Just(Tamper::Delete),
        Just(Tamper::Seq),
    ]
}

proptest! {
    #[test]
    fn any_single_change_is_caught_at_or_right_after_the_record(n in 1_i64..40, pick in any::<prop::sample::Index>(), t in tamper(), rehash in any::<bool>()) {
        let mut records = chain(n);
        let head = head_of(&records);
        let i = pick.index(records.len());
        let seq = records[i].seq;
        let r = &mut records[i];
        let moved = seq + 1000;
        match t {
            Tamper::Actor => r.actor_id = if r.actor_id.is_some() { None } else { Some(Uuid::nil()) },
            Tamper::At(d) => r.at += d,
            Tamper::Action => r.action.push('!'),
            Tamper::EntityId => r.entity_id = format!("{}0", r.entity_id),
            Tamper::After => r.after = Some("{}".into()),
            Tamper::PrevHash => r.prev_hash = Some("0".repeat(63) + "1"),
            Tamper::Hash => r.hash = Some("e".repeat(64)),
            Tamper::Seq => r.seq = moved,
            Tamper::Delete => {}
        }
        if matches!(t, Tamper::Delete) {
            records.remove(i);
        } else if rehash && !matches!(t, Tamper::Hash) {
            reseal(&mut records[i]);
        }
        let report = walk(head, &records);
        prop_assert!(!report.intact, "{t:?} at {seq} went unnoticed");
        let at = report.fault.unwrap().seq;
        prop_assert!(at == seq || at == seq + 1 || at == moved, "{t:?} at {seq} reported at {at}");
    }

    #[test]
    fn canonical_json_ignores_key_order_and_formatting(keys in prop::collection::btree_map("[a-zA-Z0-9_é]{0,6}", any::<i32>(), 0..12), f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
        let forward: serde_json::Map<String, Value> = keys.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let mut reversed_text = String::from("{ ");
        for (i, (k, v)) in keys.iter().rev().enumerate() {
            if i > 0 { reversed_text.push_str(" ,\n "); }
            let _ = write!(reversed_text, "{} : {v}", serde_json::to_string(k).unwrap());
        }
        reversed_text.push_str(" }");
        let reversed: Value = serde_json::from_str(&reversed_text).unwrap();
        prop_assert_eq!(canonical_json(&Value::Object(forward)), canonical_json(&reversed));
        let float = json!([f]);
        let again: Value = serde_json::from_str(&serde_json::to_string_pretty(&float).unwrap()).unwrap();
        prop_assert_eq!(canonical_json(&float), canonical_json(&again));
    }
}
