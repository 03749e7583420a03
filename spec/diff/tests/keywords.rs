//! Every keyword of the table, in requests, responses and parameters, in
//! both directions (`fixtures/keywords.json`: keyword, place, old schema,
//! new schema, the check expected or `null` for no change), and the
//! oracle: instances generated from both schemas are run through the
//! validator, and a change rated breaking must have a witness (the old
//! accepts and the new refuses what a client sends, or the new admits
//! what the old refused in what it receives), one rated info none.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use specgate_diff::{checks::Level, diff};
use specgate_spec::Document;
use specgate_validator::witness::Verdict;

mod support;
use support::{explained, verdict};

const CASES: &str = include_str!("fixtures/keywords.json");

/// A document with `schema` at one place: a query parameter, the member
/// `v` of the request body, or the member `v` of the 200 response.
fn document(place: &str, schema: &Value, name: &str) -> Document {
    let at = |wanted: &str| {
        if place == wanted {
            schema.clone()
        } else {
            json!({})
        }
    };
    let value = json!({
        "openapi": "3.1.0",
        "info": {"title": "k", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "op",
            "parameters": [{"name": "p", "in": "query", "schema": at("parameter")}],
            "requestBody": {"content": {"application/json": {"schema":
                {"type": "object", "properties": {"v": at("request")}}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                {"type": "object", "properties": {"v": at("response")}}}}}}
        }}},
        "components": {"schemas": {"Text": {"type": "string"}}}
    });
    specgate_spec::load_str(name, &value.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

struct Case {
    keyword: String,
    place: String,
    old: Value,
    new: Value,
    expected: Option<String>,
}

fn cases() -> Vec<Case> {
    let rows: Vec<Value> = serde_json::from_str(CASES).expect("the cases are JSON");
    rows.into_iter()
        .map(|row| Case {
            keyword: row[0].as_str().expect("keyword").to_owned(),
            place: row[1].as_str().expect("place").to_owned(),
            old: row[2].clone(),
            new: row[3].clone(),
            expected: row[4].as_str().map(str::to_owned),
        })
        .collect()
}

fn name(case: &Case) -> String {
    format!(
        "{} in a {}: {} -> {}",
        case.keyword, case.place, case.old, case.new
    )
}

#[test]
fn every_keyword_is_rated_as_its_table_says() {
    let mut failures = Vec::new();
    for case in cases() {
        let old = document(&case.place, &case.old, "old.json");
        let new = document(&case.place, &case.new, "new.json");
        let changes = diff(&old, &new);
        let ids: Vec<&str> = changes.iter().map(|c| c.check.id).collect();
        match &case.expected {
            None if !changes.is_empty() => failures.push(format!(
                "{}: expected no change, got {:?}",
                name(&case),
                changes.iter().map(|c| &c.message).collect::<Vec<_>>()
            )),
            Some(id) if !ids.contains(&id.as_str()) => failures.push(format!(
                "{}: expected {id}, got {:?}",
                name(&case),
                changes
                    .iter()
                    .map(|c| format!("{} {}", c.check.id, c.message))
                    .collect::<Vec<_>>()
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_keyword_that_constrains_has_a_case() {
    let cases = cases();
    let table = specgate_diff::keyword_table();
    let mut missing = Vec::new();
    for line in table.lines().skip(2) {
        let keyword = line.split('`').nth(1).expect("a keyword cell");
        if line.contains("| annotation |") {
            continue;
        }
        if !cases.iter().any(|c| c.keyword == keyword) {
            missing.push(keyword.to_owned());
        }
    }
    assert!(missing.is_empty(), "keywords without a case: {missing:?}");
}

#[test]
fn every_rating_is_proved_by_an_instance_or_its_absence() {
    let mut failures = Vec::new();
    let mut proved = 0;
    for case in cases() {
        let old = document(&case.place, &case.old, "old.json");
        let new = document(&case.place, &case.new, "new.json");
        let changes = diff(&old, &new);
        for change in &changes {
            if change.probe.is_none() {
                continue;
            }
            let found = match verdict(&old, &new, change) {
                Verdict::Witness(value) => Some(value),
                Verdict::NoneBreaks => None,
                Verdict::Shared(_) if explained(&changes, change) => continue,
                Verdict::Shared(value) => {
                    failures.push(format!(
                        "{}: {}: only a shared witness {value}",
                        name(&case),
                        change.message
                    ));
                    continue;
                }
                Verdict::Inconclusive if change.level == Level::Warning => continue,
                Verdict::Inconclusive => {
                    failures.push(format!(
                        "{}: {}: no control fits both documents",
                        name(&case),
                        change.message
                    ));
                    continue;
                }
            };
            match (change.level, &found) {
                (Level::Breaking, None) => failures.push(format!(
                    "{}: {} rated breaking, but no instance tells the two apart",
                    name(&case),
                    change.message
                )),
                (Level::Info, Some(_)) if explained(&changes, change) => proved += 1,
                (Level::Info, Some(value)) => failures.push(format!(
                    "{}: {} rated info, but {value} breaks",
                    name(&case),
                    change.message
                )),
                _ => proved += 1,
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(proved >= 40, "only {proved} changes were judged");
}

// Regression: a media type that gained a schema (`{}` to `type: object`)
// was compared with nothing and reported as no change.
#[test]
fn a_media_type_that_gains_a_schema_narrows_what_it_takes() {
    let with = |schema: Option<Value>| {
        let mut media = json!({});
        if let Some(schema) = schema {
            media["schema"] = schema;
        }
        let value = json!({
            "openapi": "3.1.0",
            "info": {"title": "m", "version": "1"},
            "paths": {"/x": {"post": {
                "operationId": "op",
                "requestBody": {"content": {"application/json": media.clone()}},
                "responses": {"200": {"description": "ok", "content": {"application/json": media}}}
            }}}
        });
        specgate_spec::load_str("m.json", &value.to_string()).expect("loads")
    };
    let (old, new) = (with(None), with(Some(json!({"type": "object"}))));
    let changes = diff(&old, &new);
    let request = changes
        .iter()
        .find(|c| c.check.id == "request-property-type-changed")
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                changes.iter().map(|c| &c.message).collect::<Vec<_>>()
            )
        });
    assert_eq!(request.level, Level::Breaking);
    assert!(matches!(
        verdict(&old, &new, request),
        Verdict::Witness(_) | Verdict::Shared(_)
    ));
    // The response only narrows: harmless. The other way round, it widens.
    assert!(changes
        .iter()
        .any(|c| c.check.id == "response-type-narrowed"));
    let back = diff(&new, &old);
    assert!(
        back.iter().any(|c| c.check.id == "response-type-widened"),
        "{back:?}"
    );
}
