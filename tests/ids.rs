//! A 3.1 document whose schemas name each other as JSON Schema 2020-12
//! does (`$id`, relative and nested, an `$anchor`, a `$dynamicRef` generic
//! page) across two files (`fixtures/ids/api.yaml` and `schemas.json`),
//! against the same API written with `components` pointers
//! (`components.yaml`): both load, check the same traffic the same way,
//! generate the same types, and diff as no change. (That the generated
//! crate compiles is checked with the other fixtures by
//! `codegen/tests/generated.rs`.)
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use specgate_validator::input::Lines;
use specgate_validator::{check_all, Kind, Validator};

fn fixture(name: &str) -> PathBuf {
    support::data_dir().join("fixtures/ids").join(name)
}

fn load(name: &str) -> specgate_spec::Document {
    specgate_spec::load(fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// Each finding of the fixture traffic: record, kind, where in the value,
/// and what was wrong.
fn findings(document: &specgate_spec::Document) -> BTreeSet<(usize, String, String, String)> {
    let validator = Validator::new(document).unwrap();
    let traffic = std::fs::read(fixture("traffic.jsonl")).unwrap();
    let report = check_all(
        &validator,
        Lines::new("traffic.jsonl", &traffic[..]),
        1,
        |_| {},
    );
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.entry,
                f.kind.id().to_owned(),
                f.pointer.clone().unwrap_or_default(),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn both_load_and_only_the_generic_page_is_warned_about() {
    let by_id = load("api.yaml");
    assert_eq!(by_id.files().len(), 2);
    let kinds: Vec<String> = by_id.warnings.iter().map(|w| w.kind.to_string()).collect();
    assert_eq!(kinds, ["dynamic-reference"], "{:?}", by_id.warnings);
    let named: BTreeSet<&str> = by_id.schemas.keys().map(String::as_str).collect();
    let components = load("components.yaml");
    let named_too: BTreeSet<&str> = components.schemas.keys().map(String::as_str).collect();
    assert_eq!(named, named_too);
}

#[test]
fn both_check_the_same_traffic_alike_and_follow_the_dynamic_scope() {
    let by_id = findings(&load("api.yaml"));
    let components = findings(&load("components.yaml"));
    assert_eq!(by_id, components);
    let violations: Vec<_> = by_id
        .iter()
        .filter(|(_, kind, _, _)| kind == "violation")
        .map(|(entry, _, pointer, _)| (*entry, pointer.as_str()))
        .collect();
    // The page's items are pets (the `$dynamicAnchor` of `pet-page`, not
    // the page's own, which allows anything); the request's `$anchor`
    // schema limits the tag; the person, named by `$id`, wants a string.
    assert_eq!(
        violations,
        [
            (1, "/items/0/id"),
            (1, "/items/0/name"),
            (1, "/items/1"),
            (2, "/owner/email"),
            (2, "/tag")
        ]
    );
    assert!(!by_id
        .iter()
        .any(|(_, kind, _, _)| kind == Kind::NotChecked.id()));
}

#[test]
fn violations_point_into_the_file_that_wrote_the_schema() {
    let document = load("api.yaml");
    let validator = Validator::new(&document).unwrap();
    let traffic = std::fs::read(fixture("traffic.jsonl")).unwrap();
    let report = check_all(
        &validator,
        Lines::new("traffic.jsonl", &traffic[..]),
        1,
        |_| {},
    );
    let tag = report
        .findings
        .iter()
        .find(|f| f.pointer.as_deref() == Some("/tag"))
        .unwrap();
    let schema = tag.schema.as_ref().unwrap();
    assert!(schema.file.ends_with("schemas.json"), "{schema:?}");
    assert_eq!(schema.pointer, "/$defs/tag/maxLength");
}

#[test]
fn both_generate_the_same_types() {
    let options = specgate_codegen::Options::default();
    // The items of the module, in any order (named schemas are found in
    // another order), less its header.
    let items = |code: String| -> BTreeSet<String> {
        let body = code
            .split_once("\n)]\n")
            .map_or(code.as_str(), |(_, body)| body);
        let body: String = body
            .lines()
            .filter(|line| !line.starts_with("#!["))
            .map(|line| format!("{line}\n"))
            .collect();
        body.split("\n\n")
            .map(|item| item.trim().to_owned())
            .collect()
    };
    let by_id = items(specgate_codegen::generate_types(
        &load("api.yaml"),
        &options,
    ));
    let components = items(specgate_codegen::generate_types(
        &load("components.yaml"),
        &options,
    ));
    assert_eq!(by_id, components);
    assert!(by_id.iter().any(|item| item.contains("pub struct Pet {")));
}

#[test]
fn they_diff_as_no_change_and_a_change_behind_an_id_is_found() {
    let by_id = load("api.yaml");
    let components = load("components.yaml");
    let there = specgate_diff::diff(&by_id, &components);
    let back = specgate_diff::diff(&components, &by_id);
    assert!(there.is_empty(), "{there:?}");
    assert!(back.is_empty(), "{back:?}");

    // The same files with the tag, named by `$id`, cut to 10 characters.
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("api.yaml"), folder.path().join("api.yaml")).unwrap();
    let schemas = std::fs::read_to_string(fixture("schemas.json")).unwrap();
    let cut = schemas.replace(r#""maxLength": 20"#, r#""maxLength": 10"#);
    assert_ne!(cut, schemas);
    std::fs::write(folder.path().join("schemas.json"), cut).unwrap();
    let shorter = specgate_spec::load(folder.path().join("api.yaml")).unwrap();
    let changes = specgate_diff::diff(&by_id, &shorter);
    assert!(
        changes
            .iter()
            .any(|c| c.check.id == "request-constraint-changed"
                || c.check.id.starts_with("request-")),
        "{:?}",
        changes.iter().map(|c| c.check.id).collect::<Vec<_>>()
    );
}

// The OpenAPI document is the resource of its schemas outside any `$id`:
// a `$dynamicAnchor` there is in the dynamic scope of a schema file it
// refers to, and overrides that file's own (apidom's
// `$dynamicRef-external-scope-override` case).
#[test]
fn the_documents_dynamic_anchor_overrides_a_schema_files_own() {
    let folder = tempfile::tempdir().unwrap();
    let api = serde_json::json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/base": {"get": {"operationId": "getBase", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Base"}}}}}}}},
        "components": {"schemas": {"Base": {
            "$dynamicAnchor": "node", "type": "object",
            "properties": {"source": {"const": "base"}, "child": {"$dynamicRef": "./ex.json#node"}}}}}
    });
    let ex = serde_json::json!({
        "$dynamicAnchor": "node", "type": "object",
        "properties": {"source": {"const": "external"}, "child": {"$dynamicRef": "#node"}}
    });
    std::fs::write(folder.path().join("api.json"), api.to_string()).unwrap();
    std::fs::write(folder.path().join("ex.json"), ex.to_string()).unwrap();
    let document = specgate_spec::load(folder.path().join("api.json")).unwrap();
    let validator = Validator::new(&document).unwrap();
    let record = |body: serde_json::Value| {
        serde_json::json!({"request": {"method": "GET", "url": "/base"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": body.to_string()}})
        .to_string()
    };
    let traffic = [
        record(serde_json::json!({"source": "base", "child": {"source": "base"}})),
        record(serde_json::json!({"source": "base", "child": {"source": "external"}})),
    ]
    .join("\n");
    let report = check_all(
        &validator,
        Lines::new("t.jsonl", traffic.as_bytes()),
        1,
        |_| {},
    );
    let failing: Vec<usize> = report
        .findings
        .iter()
        .filter(|f| f.error)
        .map(|f| f.entry)
        .collect();
    assert_eq!(failing, [1], "{:?}", report.findings);
}
