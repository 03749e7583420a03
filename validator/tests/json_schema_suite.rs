//! The official JSON Schema Test Suite, draft 2020-12 (the required tests
//! and `optional/format`; `fixtures/json-schema-suite.json.gz`, written by
//! `scripts/json-schema-suite.py`): each group's schema is a file the
//! request body schema of an OpenAPI 3.1 document refers to, each test one
//! recorded exchange,
//! checked as `specgate validate` checks it (`--formats annotate` for the
//! required tests, as 2020-12 reads `format` by default; asserted for
//! `optional/format`). A test is right when a valid instance conforms and
//! an invalid one does not.
//!
//! The tests still wrong are listed in `fixtures/json-schema-suite-failures.txt`
//! (mostly 2020-12's own references: `$id`, `$anchor`, `$dynamicRef`):
//! the test fails on a wrong test not listed there, and on a listed one
//! that is right now (remove it: the list only shrinks). Groups that need
//! a remote server (`http://localhost:1234`) are skipped and counted.
//! `cargo test -p specgate-validator --test json_schema_suite -- --nocapture`
//! prints the score.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::io::Read;

use serde_json::{json, Value};
use specgate_validator::input::Lines;
use specgate_validator::{check_all, Formats, Validator};

fn suite() -> Value {
    let bytes = include_bytes!("fixtures/json-schema-suite.json.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Whether a group's schema refers to the suite's remote server.
fn remote(schema: &Value) -> bool {
    schema.to_string().contains("localhost:1234")
}

/// Whether each test of a group was judged right, or why none could be.
/// `formats`: the required tests read `format` as an annotation, as 2020-12
/// does by default; `optional/format` asserts it.
fn judge(schema: &Value, tests: &[Value], formats: Formats) -> Result<Vec<bool>, String> {
    // The schema is a file of its own, as the suite means it: `#` in it is
    // the schema, not the OpenAPI document (a schema embedded in one
    // without an `$id` resolves `#/...` against the document).
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let text = json!({
        "openapi": "3.1.0",
        "info": {"title": "suite", "version": "1"},
        "paths": {"/t": {"post": {
            "operationId": "t",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "schema.json"}}}},
            "responses": {"200": {"description": "ok"}}
        }}}
    })
    .to_string();
    let root = folder.path().join("openapi.json");
    std::fs::write(&root, text).map_err(|e| e.to_string())?;
    std::fs::write(folder.path().join("schema.json"), schema.to_string())
        .map_err(|e| e.to_string())?;
    let document = specgate_spec::load(&root).map_err(|e| format!("load: {e}"))?;
    let validator =
        Validator::with_formats(&document, formats).map_err(|e| format!("validator: {e}"))?;
    let lines: String = tests
        .iter()
        .map(|test| {
            json!({"request": {"method": "POST", "url": "/t",
                               "headers": {"content-type": "application/json"},
                               "body": test["data"].to_string()},
                   "response": {"status": 200}})
            .to_string()
                + "\n"
        })
        .collect();
    let report = check_all(
        &validator,
        Lines::new("suite.jsonl", lines.as_bytes()),
        1,
        |_| {},
    );
    Ok(tests
        .iter()
        .enumerate()
        .map(|(entry, test)| {
            let failed = report.findings.iter().any(|f| f.entry == entry && f.error);
            if std::env::var_os("SUITE_DEBUG").is_some() && failed && test["valid"] == true {
                for f in report.findings.iter().filter(|f| f.entry == entry) {
                    println!("DEBUG {}: {}", test["description"], f.message);
                }
            }
            test["valid"].as_bool() == Some(!failed)
        })
        .collect())
}

#[test]
fn the_json_schema_test_suite_is_judged_as_its_known_failures_say() {
    let suite = suite();
    let known: BTreeSet<String> = include_str!("fixtures/json-schema-suite-failures.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let (mut right, mut total, mut skipped, mut refused) = (0, 0, 0, 0);
    let (mut format_right, mut format_total) = (0, 0);
    let mut wrong = BTreeSet::new();
    for file in suite["files"].as_array().unwrap() {
        let name = file["file"].as_str().unwrap();
        let optional = name.starts_with("optional/");
        for group in file["groups"].as_array().unwrap() {
            let tests = group["tests"].as_array().unwrap();
            let formats = if optional {
                Formats::Assert
            } else {
                Formats::Annotate
            };
            // A group that needs the suite's remote server is refused, as
            // specgate never fetches: skipped, and never judged in silence.
            // (One whose `localhost:1234` URIs its own `$id`s define is
            // judged as any other.)
            if remote(&group["schema"]) {
                if let Err(why) = judge(&group["schema"], tests, formats) {
                    assert!(
                        why.contains("never fetches"),
                        "{name} | {}: refused for another reason: {why}",
                        group["description"]
                    );
                    skipped += tests.len();
                    continue;
                }
            }
            // A group whose document the loader refuses is wrong whole:
            // `specgate validate` would exit 2 and judge nothing.
            let verdicts = judge(&group["schema"], tests, formats).unwrap_or_else(|why| {
                println!("refused: {name} | {}: {why}", group["description"]);
                refused += tests.len();
                vec![false; tests.len()]
            });
            for (test, ok) in tests.iter().zip(verdicts) {
                if optional {
                    format_total += 1;
                } else {
                    total += 1;
                }
                if ok {
                    if optional {
                        format_right += 1;
                    } else {
                        right += 1;
                    }
                } else {
                    wrong.insert(format!(
                        "{name} | {} | {}",
                        group["description"].as_str().unwrap_or_default(),
                        test["description"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    println!(
        "JSON Schema Test Suite {} draft 2020-12: required {right} of {total} right ({:.1}%), \
         optional/format {format_right} of {format_total}, {skipped} skipped (remote references); \
         of the wrong, {refused} in groups whose document the loader refuses",
        &suite["commit"].as_str().unwrap_or_default()[..12],
        100.0 * right as f64 / total.max(1) as f64
    );
    let new: Vec<&String> = wrong.difference(&known).collect();
    let fixed: Vec<&String> = known.difference(&wrong).collect();
    assert!(
        new.is_empty(),
        "wrong, and not a known failure:\n{}",
        join(&new)
    );
    assert!(
        fixed.is_empty(),
        "right now: remove from json-schema-suite-failures.txt:\n{}",
        join(&fixed)
    );
}

fn join(lines: &[&String]) -> String {
    lines
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

// Found by the `references` fuzz target: a schema file without an `$id`
// is a resource by its own URI, and its `$dynamicAnchor` is in the dynamic
// scope of what it refers to.
#[test]
fn a_schema_file_without_an_id_is_in_the_dynamic_scope() {
    let schema = json!({
        "$ref": "intermediate-scope",
        "$defs": {
            "foo": {"$dynamicAnchor": "items", "type": "string"},
            "intermediate-scope": {"$id": "intermediate-scope", "$ref": "list"},
            "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"},
                     "$defs": {"items": {"$dynamicAnchor": "items"}}}
        }
    });
    let tests = [
        json!({"data": ["foo", "bar"], "valid": true}),
        json!({"data": ["foo", 42], "valid": false}),
    ];
    let verdicts = judge(&schema, &tests, Formats::Annotate).unwrap();
    assert_eq!(verdicts, [true, true]);
}
