//! Hostile documents crossed with hostile records: every pair is checked
//! to the end, never a panic, a stack overflow or a hang; a record that
//! cannot be read is a `malformed` finding and the records after it are
//! still checked. (The loader's own hostile-input suite is
//! `tests/hostile.rs` at the root.)
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use serde_json::{json, Map, Value};
use specgate_validator::input::Lines;
use specgate_validator::{check_all, Kind, Matched, Validator};

/// A document whose one operation, `POST /x/{id}`, uses `schema` for its
/// path and query parameters, a header, its request body and its `200`
/// response body, with `components` beside it.
fn document(schema: Value, components: Value) -> String {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": "1"},
        "paths": {"/x/{id}": {"post": {
            "operationId": "hostile",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": schema},
                {"name": "q", "in": "query", "schema": schema},
                {"name": "X-H", "in": "header", "schema": schema}
            ],
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema}}}}
        }}},
        "components": {"schemas": components}
    })
    .to_string()
}

fn refer(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The hostile documents, by name.
fn documents() -> Vec<(&'static str, String)> {
    let mut chain = Map::new();
    for i in 0..3000 {
        chain.insert(format!("C{i}"), refer(&format!("C{}", i + 1)));
    }
    chain.insert("C3000".into(), json!({"type": "integer"}));
    let mut all_of_chain = Map::new();
    for i in 0..1000 {
        all_of_chain.insert(
            format!("D{i}"),
            json!({"allOf": [refer(&format!("D{}", i + 1))], "minimum": 0}),
        );
    }
    all_of_chain.insert("D1000".into(), json!({"type": "integer"}));
    let branches: Vec<Value> = (0..10_000).map(|i| json!({"const": i})).collect();
    let values: Vec<Value> = (0..100_000).map(|i| json!(format!("v{i}"))).collect();
    let mut deep = json!({"type": "integer"});
    for _ in 0..55 {
        deep = json!({"type": "object", "properties": {"a": deep}});
    }
    vec![
        (
            "self allOf",
            document(refer("A"), json!({"A": {"allOf": [refer("A")]}})),
        ),
        (
            "self anyOf",
            document(
                refer("A"),
                json!({"A": {"anyOf": [refer("A"), {"type": "string"}]}}),
            ),
        ),
        (
            "self not",
            document(refer("A"), json!({"A": {"not": refer("A")}})),
        ),
        (
            "mutual oneOf",
            document(
                refer("A"),
                json!({"A": {"allOf": [refer("B")]}, "B": {"oneOf": [refer("A"), {"type": "null"}]}}),
            ),
        ),
        (
            "self items and properties",
            document(
                refer("T"),
                json!({"T": {"type": ["object", "array", "integer"], "items": refer("T"),
                             "properties": {"t": refer("T")}, "additionalProperties": refer("T")}}),
            ),
        ),
        (
            "invalid and catastrophic patterns",
            document(
                json!({"type": ["string", "object", "integer"],
                       "pattern": "^(a+)+$",
                       "properties": {"p": {"pattern": "(["}, "q": {"pattern": "a{1000}{1000}"},
                                      "r": {"pattern": "^(?<x>a)\\k<x>$"}},
                       "patternProperties": {"((": {"type": "integer"}}}),
                json!({}),
            ),
        ),
        (
            "10,000 oneOf branches",
            document(json!({"oneOf": branches}), json!({})),
        ),
        (
            "a 100,000-value enum",
            document(json!({"enum": values}), json!({})),
        ),
        (
            "a $ref chain 3,000 long",
            document(refer("C0"), Value::Object(chain)),
        ),
        (
            "an allOf chain 1,000 long",
            document(refer("D0"), Value::Object(all_of_chain)),
        ),
        (
            "schemas 55 deep (the nesting the loader allows)",
            document(deep, json!({})),
        ),
        (
            "a discriminator over itself",
            document(
                refer("P"),
                json!({"P": {"type": "object", "discriminator": {"propertyName": "k"},
                             "oneOf": [refer("P")]}}),
            ),
        ),
    ]
}

fn line(url: &str, headers: Value, request_body: Option<&str>, response_body: &str) -> String {
    json!({
        "request": {"method": "POST", "url": url, "headers": headers, "body": request_body},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": response_body}
    })
    .to_string()
}

/// The hostile records, as JSON Lines, each named; the last is an
/// ordinary exchange, which must still be checked after all the others.
fn records() -> Vec<(&'static str, String)> {
    let json = json!({"content-type": "application/json"});
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let long_string = Value::String("a".repeat(10 * 1024 * 1024)).to_string();
    let many: Map<String, Value> = (0..1_000_000)
        .map(|i| (format!("m{i}"), json!(i)))
        .collect();
    let many = Value::Object(many).to_string();
    let invalid_utf8 = base64::engine::general_purpose::STANDARD.encode(b"{\"a\": \"\xff\xfe\"}");
    let big_header = "h".repeat(1024 * 1024);
    let long_query = format!("/x/1?q={}", "%41".repeat(64 * 1024 / 3));
    vec![
        (
            "nested 100,000 deep",
            line("/x/1", json.clone(), Some(&deep), &deep),
        ),
        (
            "a 10 MB string",
            line("/x/1", json.clone(), Some(&long_string), &long_string),
        ),
        ("a million members", line("/x/1", json.clone(), None, &many)),
        (
            "invalid UTF-8",
            json!({
                "request": {"method": "POST", "url": "/x/1", "headers": json,
                            "body": invalid_utf8, "body_encoding": "base64"},
                "response": {"status": 200, "headers": {"content-type": "application/json"},
                             "body": invalid_utf8, "body_encoding": "base64"}
            })
            .to_string(),
        ),
        (
            "numbers outside every range",
            line(
                "/x/1e400?q=-1e400",
                json.clone(),
                Some("1e400"),
                "[18446744073709551616, -1e400]",
            ),
        ),
        (
            "duplicate keys",
            line(
                "/x/1",
                json.clone(),
                Some(r#"{"a": 1, "a": "two"}"#),
                r#"{"t": 1, "t": [1]}"#,
            ),
        ),
        (
            "a header of a megabyte",
            line(
                "/x/1",
                json!({"X-H": big_header, "content-type": "application/json"}),
                None,
                "1",
            ),
        ),
        (
            "dot segments and NUL",
            line(
                "/x/%2e%2e/../x/%00?q=%00&q=..%2f",
                json.clone(),
                None,
                "\"\\u0000\"",
            ),
        ),
        ("64 KB of query", line(&long_query, json.clone(), None, "1")),
        (
            "a line cut short",
            "{\"request\": {\"method\": \"POST\", \"url\": \"/x".to_owned(),
        ),
        ("not an object", "[1, 2, 3]".to_owned()),
        ("ordinary", line("/x/1?q=2", json, Some("1"), "1")),
    ]
}

#[test]
fn hostile_documents_and_records_are_checked_to_the_end() {
    let records = records();
    let text: String = records
        .iter()
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    for (name, text_of_document) in documents() {
        let document = specgate_spec::load_str(name, &text_of_document)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let validator = Validator::new(&document).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Two workers: the threads `specgate validate` checks on.
        let lines = Lines::new("hostile.jsonl", text.as_bytes());
        let report = check_all(&validator, lines, 2, |_| {});
        assert_eq!(report.summary.records, records.len(), "{name}");
        // Every record is accounted for, in order, and the ordinary one
        // after all the hostile ones was checked against the operation.
        let entries: Vec<usize> = report
            .tally
            .values()
            .flat_map(|t| t.values())
            .map(|t| t.records)
            .collect();
        assert_eq!(entries.iter().sum::<usize>(), records.len(), "{name}");
        let ordinary = records.len() - 1;
        assert!(
            report
                .tally
                .values()
                .any(|t| t.contains_key(&Matched::Operation("hostile".into()))),
            "{name}"
        );
        let malformed: Vec<usize> = report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Malformed)
            .map(|f| f.entry)
            .collect();
        for (entry, (record, _)) in records.iter().enumerate() {
            let expect_malformed = matches!(
                *record,
                "nested 100,000 deep"
                    | "invalid UTF-8"
                    | "numbers outside every range"
                    | "a line cut short"
                    | "not an object"
            );
            assert_eq!(
                malformed.contains(&entry),
                expect_malformed,
                "{name}: {record}: {:?}",
                report
                    .findings
                    .iter()
                    .filter(|f| f.entry == entry)
                    .collect::<Vec<_>>()
            );
        }
        assert!(!malformed.contains(&ordinary), "{name}");
        // No finding copies a hostile value whole.
        for finding in &report.findings {
            let size = serde_json::to_string(finding).unwrap().len();
            assert!(
                size < 20_000,
                "{name}: a finding of {size} bytes: {}",
                finding.message
            );
        }
    }
}

#[test]
fn an_overlong_line_is_malformed_and_skipped_not_held() {
    let text = format!(
        "{}\n{}\n",
        "x".repeat(10_000),
        line("/x/1", json!({}), None, "1")
    );
    let items: Vec<_> = Lines::new("long.jsonl", text.as_bytes())
        .max_line(1000)
        .collect();
    assert_eq!(items.len(), 2);
    match &items[0] {
        Err(specgate_validator::input::Record::Malformed { entry, reason, .. }) => {
            assert_eq!(*entry, 0);
            assert!(reason.contains("longer than 1000 bytes"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&items[1], Ok(line) if line.entry == 1));
}

#[test]
fn hostile_documents_and_records_are_observed_to_the_end() {
    // The drift report's walk visits every value: the same pairs, with
    // observations summed as `specgate drift` sums them.
    let records = records();
    let text: String = records
        .iter()
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    for (name, text_of_document) in documents() {
        let document = specgate_spec::load_str(name, &text_of_document)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let validator = Validator::new(&document)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .observing(true);
        let lines = Lines::new("hostile.jsonl", text.as_bytes());
        let mut observed = specgate_validator::observe::Observed::default();
        let mut count = 0;
        specgate_validator::check_each(
            &validator,
            lines,
            2,
            |_| {},
            |checked| {
                count += 1;
                observed.merge(checked.observed);
            },
        );
        assert_eq!(count, records.len(), "{name}");
        let observations = validator.observations(&observed);
        for object in &observations.objects {
            assert!(
                object.undocumented.len() <= 200,
                "{name}: {}",
                object.undocumented.len()
            );
            for member in &object.undocumented {
                assert!(member.shape.members.len() <= 200, "{name}");
            }
        }
        for value in &observations.values {
            assert!(value.enum_misses.len() <= 100, "{name}");
        }
    }
}
