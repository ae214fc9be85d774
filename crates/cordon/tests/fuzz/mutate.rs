//! Inputs for the importers: arbitrary bytes, text from the characters that
//! matter to CSV and JSON, and structure-aware mutations of the committed
//! seed files (fields replaced by troublesome values, lines duplicated,
//! swapped and cut, line ends changed; JSON values replaced inside the tree).

use proptest::prelude::*;
use serde_json::Value;

/// Values that have broken parsers before: limits of the integer types,
/// numbers that overflow to infinity, impossible dates, quotes, line ends,
/// control characters and text in other scripts.
const TOKENS: &[&str] = &[
    "",
    "\"",
    "\"\"",
    ",",
    "\n",
    "\r",
    "\r\n",
    "NA",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "-0",
    "-1",
    "0.5",
    "1e-400",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "4294967295",
    "4294967296",
    "2147483647",
    "-2147483648",
    "2020-02-30",
    "2021-02-29",
    "0000-01-01",
    "9999-12-31",
    "-001-01-01",
    "2020-1-1",
    "2020-01-01T00:00",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "é",
    "서울",
    "𝔘",
    "{",
    "}",
    "[",
    "]",
    "null",
    " ",
    "\t",
    "code",
    "name",
    "parent_code",
    "population",
    "iso_code",
    "location",
    "date",
    "unit",
    "period_index",
    "count",
    "t",
    "I",
    "k",
    "w",
];

/// Values put in place of a JSON value.
fn json_values() -> Vec<Value> {
    let deep = (0..200).fold(Value::Null, |inner, _| Value::Array(vec![inner]));
    [
        "null",
        "true",
        "0",
        "-1",
        "1e308",
        "-1e308",
        "18446744073709551615",
        "-9223372036854775808",
        "1.5",
        "\"\"",
        "\" \"",
        "\"x\"",
        "\"Polygon\"",
        "\"MultiPolygon\"",
        "\"Feature\"",
        "\"FeatureCollection\"",
        "[]",
        "[[]]",
        "[[[]]]",
        "[0]",
        "[181,91]",
        "[0,0,0,0]",
        "[[0,0],[1,0],[1,1],[0,0]]",
        "{}",
        "{\"type\":\"Point\",\"coordinates\":[0,0]}",
    ]
    .iter()
    .map(|text| serde_json::from_str(text).unwrap())
    .chain([deep])
    .collect()
}

/// One change to a text.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// The `field`-th comma-separated piece of the `line`-th line becomes a token.
    ReplaceField { line: usize, field: usize, token: usize },
    /// A token inserted at a byte position.
    Insert { at: usize, token: usize },
    /// Arbitrary text inserted at a byte position.
    InsertText { at: usize, text: String },
    /// A range of bytes removed.
    Delete { at: usize, len: usize },
    /// A line repeated after itself.
    DuplicateLine { line: usize },
    /// Two lines exchanged.
    SwapLines { a: usize, b: usize },
    /// The text cut at a byte position.
    Truncate { at: usize },
    /// Every `\n` written `\r\n`.
    Crlf,
    /// A value somewhere in the JSON tree replaced (texts that are JSON only).
    JsonValue { node: usize, value: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let t = TOKENS.len();
    prop_oneof![
        4 => (any::<usize>(), any::<usize>(), 0..t).prop_map(|(line, field, token)| Mutation::ReplaceField { line, field, token }),
        2 => (any::<usize>(), 0..t).prop_map(|(at, token)| Mutation::Insert { at, token }),
        1 => (any::<usize>(), ".{0,8}").prop_map(|(at, text)| Mutation::InsertText { at, text }),
        1 => (any::<usize>(), 0..16usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        1 => Just(Mutation::Crlf),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(node, value)| Mutation::JsonValue { node, value }),
    ]
}

/// A seed from `seeds` changed by one to five mutations.
pub fn mutated(seeds: Vec<String>) -> impl Strategy<Value = String> {
    assert!(!seeds.is_empty(), "the corpus has seeds");
    (0..seeds.len(), proptest::collection::vec(mutation(), 1..6)).prop_map(move |(seed, changes)| {
        let mut text = seeds[seed].clone();
        for change in &changes {
            text = apply(&text, change);
        }
        text
    })
}

/// Arbitrary bytes, read as the importers read a file (invalid UTF-8 replaced).
pub fn bytes() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..1024).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Text made of the characters that matter to CSV and JSON.
pub fn structured() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9,\"\r\n .:_{}\\[\\]-]{0,300}"
}

/// The largest char boundary of `text` at or before `at` (taken modulo the length).
fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, change: &Mutation) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let pick = |i: usize, n: usize| i % n.max(1);
    match change {
        Mutation::ReplaceField { line, field, token } if !lines.is_empty() => {
            let l = pick(*line, lines.len());
            let (body, end) = split_end(&lines[l]);
            let mut fields: Vec<&str> = body.split(',').collect();
            let f = pick(*field, fields.len());
            fields[f] = TOKENS[*token];
            lines[l] = format!("{}{end}", fields.join(","));
            lines.concat()
        }
        Mutation::Insert { at, token } => insert(text, *at, TOKENS[*token]),
        Mutation::InsertText { at, text: inserted } => insert(text, *at, inserted),
        Mutation::Delete { at, len } => {
            let start = boundary(text, *at);
            let end = boundary(text, (start + len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Mutation::DuplicateLine { line } if !lines.is_empty() => {
            let l = pick(*line, lines.len());
            let copy = lines[l].clone();
            lines.insert(l, copy);
            lines.concat()
        }
        Mutation::SwapLines { a, b } if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(pick(*a, n), pick(*b, n));
            lines.concat()
        }
        Mutation::Truncate { at } => text[..boundary(text, *at)].to_owned(),
        Mutation::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
        Mutation::JsonValue { node, value } => json_replace(text, *node, *value),
        _ => text.to_owned(),
    }
}

/// A line's text and its line end.
fn split_end(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\r', '\n']);
    (body, &line[body.len()..])
}

fn insert(text: &str, at: usize, inserted: &str) -> String {
    let at = boundary(text, at);
    format!("{}{inserted}{}", &text[..at], &text[at..])
}

/// Replaces the `node`-th value of the JSON tree (in a walk from the root)
/// with one of [`json_values`]; text that is not JSON is left as it is.
fn json_replace(text: &str, node: usize, value: usize) -> String {
    let Ok(mut doc) = serde_json::from_str::<Value>(text) else { return text.to_owned() };
    let mut pointers = Vec::new();
    walk(&doc, String::new(), &mut pointers);
    let values = json_values();
    let pointer = &pointers[node % pointers.len()];
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = values[value % values.len()].clone();
    }
    doc.to_string()
}

/// Collects the JSON pointer of every value under `value`.
fn walk(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                walk(item, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
    out.push(at);
}
