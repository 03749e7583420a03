//! Nothing is reported as conforming that was not checked whole: each
//! known way to a schema the engine cannot compile is planted in a
//! document, and every exchange that needed it is reported `not-checked`,
//! an error, never counted as conforming.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use specgate_validator::input::Lines;
use specgate_validator::{check_all, Kind, Validator};

/// A document whose `POST /x` takes `schema` as its request body, with
/// `components` beside it.
fn document(schema: Value, components: Value) -> specgate_spec::Document {
    let text = json!({
        "openapi": "3.1.0",
        "info": {"title": "unchecked", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "x",
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": components}
    })
    .to_string();
    specgate_spec::load_str("unchecked.json", &text).unwrap()
}

fn exchange(body: &Value) -> String {
    json!({"request": {"method": "POST", "url": "/x",
                       "headers": {"content-type": "application/json"},
                       "body": body.to_string()},
           "response": {"status": 200}})
    .to_string()
        + "\n"
}

/// The ways to a schema that cannot be checked whole, each with a body
/// that breaks it: were the schema skipped in silence, that body would be
/// reported as conforming.
fn planted() -> Vec<(&'static str, specgate_spec::Document, Value)> {
    vec![
        (
            // The loader accepts it (ECMA-262 has named back-references);
            // the engine's regular expressions do not.
            "a pattern the engine cannot compile",
            document(
                json!({"type": "object", "properties": {"code": {"type": "string", "pattern": "^(?<a>x)\\k<a>$"}}}),
                json!({}),
            ),
            json!({"code": "xy"}),
        ),
        (
            // Found by the `references` fuzz target: the loader takes a
            // pattern that is not ECMA-262 out, which the engine would
            // have compiled and applied.
            "a pattern that is not ECMA-262, taken out on load",
            document(
                json!({"type": "object", "properties": {"code": {"type": "string", "pattern": "$*a^"}}}),
                json!({}),
            ),
            json!({"code": "abc"}),
        ),
        (
            "a pattern the engine cannot compile, behind a reference",
            document(
                json!({"$ref": "#/components/schemas/Code"}),
                json!({"Code": {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(?<a>x)\\k<a>$"}}}}),
            ),
            json!({"code": "xy"}),
        ),
        (
            // A schema resource of its own: `#` is itself, not the
            // OpenAPI document.
            "a member that refers to its own `$id` resource by `#`",
            document(
                json!({"$id": "https://example.com/tree", "type": "object",
                       "properties": {"child": {"$ref": "#"}, "name": {"type": "string"}}}),
                json!({}),
            ),
            json!({"name": "a", "child": {"name": 2}}),
        ),
        (
            "a `$defs` name with `%` and `\"`",
            document(
                json!({"$ref": "#/components/schemas/S"}),
                json!({"S": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/S/$defs/a%25b%22"}},
                             "$defs": {"a%b\"": {"type": "string"}}}}),
            ),
            json!({"a": 7}),
        ),
        (
            // Where a `$dynamicRef` lands depends on the path to it: with a
            // keyword taken out, it may be the one.
            "a `$dynamicRef` in a document with a pattern the engine cannot compile",
            document(
                json!({"$ref": "#/components/schemas/Strings"}),
                json!({
                    "List": {"$id": "https://example.com/list", "type": "array",
                             "items": {"$dynamicRef": "#item"}, "$defs": {"item": {"$dynamicAnchor": "item"}}},
                    "Strings": {"$id": "https://example.com/strings", "$ref": "list",
                                "$defs": {"item": {"$dynamicAnchor": "item", "type": "string", "pattern": "^(?<a>x)\\k<a>$"}}}
                }),
            ),
            json!(["xy"]),
        ),
    ]
}

/// The two blind spots 2020-12 references left (a member referring to its
/// own `$id` resource by `#`; a `$defs` name with `%` or `"`) are checked
/// now: a body that breaks them is a violation, one that keeps them
/// conforms.
#[test]
fn schemas_that_were_unchecked_for_their_references_are_checked() {
    let cases = planted();
    for (name, document, broken, kept) in [
        (
            cases[3].0,
            &cases[3].1,
            &cases[3].2,
            json!({"name": "a", "child": {"name": "b"}}),
        ),
        (cases[4].0, &cases[4].1, &cases[4].2, json!({"a": "seven"})),
    ] {
        let validator = Validator::new(document).unwrap();
        for (body, conforms) in [(broken, false), (&kept, true)] {
            let input = exchange(body);
            let report = check_all(
                &validator,
                Lines::new("checked.jsonl", input.as_bytes()),
                1,
                |_| {},
            );
            let kinds: Vec<Kind> = report.findings.iter().map(|f| f.kind).collect();
            if conforms {
                assert_eq!(report.summary.conforming, 1, "{name}: {kinds:?}");
            } else {
                assert_eq!(kinds, [Kind::Violation], "{name}: {:?}", report.findings);
            }
        }
    }
}

#[test]
fn no_exchange_that_needed_an_uncompilable_schema_conforms() {
    for (name, document, body) in planted() {
        let validator = Validator::new(&document).unwrap();
        let input = exchange(&body);
        let report = check_all(
            &validator,
            Lines::new("planted.jsonl", input.as_bytes()),
            1,
            |_| {},
        );
        assert_eq!(report.summary.records, 1, "{name}");
        // The body breaks its schema: it is caught, or the report says it
        // could not be checked; never "conforms".
        assert_eq!(
            report.summary.conforming, 0,
            "{name}: {:?}",
            report.findings
        );
        let caught = report
            .findings
            .iter()
            .any(|f| f.error && matches!(f.kind, Kind::Violation | Kind::NotChecked));
        assert!(caught, "{name}: {:?}", report.findings);
        for finding in report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::NotChecked)
        {
            assert!(finding.error, "{name}");
            assert!(
                finding
                    .message
                    .contains("request body was not fully checked"),
                "{name}: {}",
                finding.message
            );
        }
    }
}

#[test]
fn an_uncompilable_pattern_makes_its_exchanges_not_checked() {
    let (name, document, _) = planted().remove(0);
    let validator = Validator::new(&document).unwrap();
    // A body the rest of the schema accepts: only the pattern is unknown.
    let input = exchange(&json!({"code": "xx"}));
    let report = check_all(
        &validator,
        Lines::new("p.jsonl", input.as_bytes()),
        1,
        |_| {},
    );
    assert_eq!(report.summary.conforming, 0, "{name}");
    assert_eq!(
        report.summary.findings.get("not-checked"),
        Some(&1),
        "{name}"
    );
}

#[test]
fn a_schema_every_keyword_of_which_compiles_is_checked_and_conforms() {
    let document = document(
        json!({"type": "object", "properties": {"code": {"type": "string", "pattern": "^x+$"}}}),
        json!({}),
    );
    let validator = Validator::new(&document).unwrap();
    let input = exchange(&json!({"code": "xx"}));
    let report = check_all(
        &validator,
        Lines::new("ok.jsonl", input.as_bytes()),
        1,
        |_| {},
    );
    assert_eq!(report.summary.conforming, 1, "{:?}", report.findings);
}
