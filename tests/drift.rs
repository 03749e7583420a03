//! `specgate drift` end to end: the embedded Chatwoot default, exit codes,
//! formats, and the loop a user runs: drift → --suggest/--apply → the
//! patched document passes `validate --strict` on the same traffic, in
//! each dialect (3.1, 3.0's `nullable`, 2.0's `x-nullable`), YAML kept
//! YAML.

// Helpers outside `#[test]` functions may unwrap too: a failure there is a
// failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use predicates::prelude::*;
use serde_json::{json, Value};
use support::specgate;

/// A 3.0 pet store in YAML: `owner` refers to `User`, `born` is a
/// date-time, `weight` an integer, `tag` required.
const PETS_30: &str = r##"openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com/v1"}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name, tag]
      properties:
        name: {type: string}
        tag: {type: string}
        weight: {type: integer}
        born: {type: string, format: date-time}
        owner: {$ref: "#/components/schemas/User"}
    User:
      type: object
      properties:
        login: {type: string}
"##;

fn exchange(method: &str, url: &str, status: u16, body: Value) -> String {
    json!({
        "request": {"method": method, "url": url,
                    "headers": {"authorization": "Bearer s3cr3t-token"}},
        "response": {"status": status, "headers": {"content-type": "application/json"},
                     "body": body.to_string()}
    })
    .to_string()
}

/// Traffic that drifts from PETS_30 in every way `drift` reports.
fn pets_traffic() -> String {
    let base = "https://pets.example.com/v1";
    let mut lines = Vec::new();
    for i in 0..6 {
        let pet = json!({
            "name": format!("pet{i}"),
            "tag": "t",
            "weight": if i == 2 { json!(4.5) } else { json!(4) },
            "born": if i == 3 { json!("last spring") } else { json!("2020-01-01T00:00:00Z") },
            "owner": if i % 2 == 0 { Value::Null } else { json!({"login": "ann", "karma": 3}) },
            "chip": format!("{i:08x}-0000-4000-8000-000000000000"),
        });
        lines.push(exchange("GET", &format!("{base}/pets/{i}"), 200, pet));
    }
    // `tag` left out once; a new kind; a new query parameter.
    lines.push(exchange(
        "GET",
        &format!("{base}/pets?kind=hamster&sort=name"),
        200,
        json!([{"name": "x", "chip": "00000000-0000-4000-8000-000000000000"}]),
    ));
    // A status and an operation the document does not have.
    lines.push(exchange(
        "GET",
        &format!("{base}/pets/99"),
        404,
        json!({"message": "no such pet"}),
    ));
    lines.push(exchange(
        "GET",
        &format!("{base}/pets/3/photos"),
        200,
        json!([{"url": "https://img.example.com/3.png"}]),
    ));
    lines.join("\n") + "\n"
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn the_embedded_default_shows_chatwoots_real_gaps() {
    let output = specgate().arg("drift").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("`snoozed` ×1"), "{text}");
    assert!(
        text.contains("/properties/assignee: documented object, observed null"),
        "{text}"
    );
    assert!(text.contains("`availability_status` (string)"), "{text}");
    assert!(text.contains("conversationList answered 401"), "{text}");
    // The recordings' API key is never shown.
    assert!(!text.contains("Xk3pQ9vR2mT7wY1z"), "{text}");
}

#[test]
fn suggest_and_apply_close_the_loop_on_a_30_yaml_document() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "pets.yaml", PETS_30);
    let traffic = write(dir.path(), "traffic.jsonl", &pets_traffic());
    let patch = dir.path().join("fix.json");
    let fixed = dir.path().join("pets.fixed.yaml");
    specgate()
        .args(["validate", "--strict", "--spec", &spec, &traffic])
        .assert()
        .code(1);
    let output = specgate()
        .args([
            "drift",
            "--format",
            "json",
            "--spec",
            &spec,
            &traffic,
            "--suggest",
        ])
        .arg(&patch)
        .arg("--apply")
        .arg(&fixed)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("s3cr3t-token"), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["summary"]["records"], 9);
    assert_eq!(report["operations"][0]["path"], "/pets/{pet_id}/photos");
    assert_eq!(report["statuses"][0]["status"], 404);
    assert_eq!(report["parameters"][0]["name"], "sort");
    assert_eq!(report["required"][0]["name"], "tag");
    assert_eq!(report["required"][0]["absent"], 1);
    assert_eq!(report["required"][0]["of"], 7);
    assert_eq!(report["formats"][0]["format"], "date-time");

    let patch: Value = serde_json::from_str(&std::fs::read_to_string(&patch).unwrap()).unwrap();
    let op = |path: &str| {
        patch
            .as_array()
            .unwrap()
            .iter()
            .find(|op| op["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {patch:#}"))
            .clone()
    };
    // 3.0: a null `owner` makes the property nullable, in 3.0's words and
    // without touching `User`; siblings of `$ref` would be ignored.
    assert_eq!(
        op("/components/schemas/Pet/properties/owner")["value"],
        json!({"allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true})
    );
    assert_eq!(
        op("/components/schemas/Pet/properties/weight/type")["value"],
        json!("number")
    );
    assert_eq!(
        op("/components/schemas/Pet/properties/chip")["value"],
        json!({"type": "string", "format": "uuid"})
    );
    assert_eq!(
        op("/components/schemas/User/properties/karma")["value"],
        json!({"type": "integer"})
    );
    assert_eq!(
        op("/paths/~1pets/get/parameters/0/schema/enum/-")["value"],
        json!("hamster")
    );
    assert_eq!(op("/components/schemas/Pet/required/1")["op"], "remove");
    assert_eq!(
        op("/components/schemas/Pet/properties/born/format")["op"],
        "remove"
    );

    // The patched document stays YAML, and the traffic now conforms.
    let written = std::fs::read_to_string(&fixed).unwrap();
    assert!(written.starts_with("openapi: 3.0.3"), "{written}");
    let fixed = fixed.display().to_string();
    specgate()
        .args(["validate", "--strict", "--spec", &fixed, &traffic])
        .assert()
        .success();
    specgate()
        .args(["drift", "--spec", &fixed, &traffic])
        .assert()
        .success()
        .stdout(predicate::str::contains("no drift"));
}

#[test]
fn swagger_2_documents_are_patched_in_their_own_words() {
    let spec = r##"{"swagger": "2.0", "info": {"title": "Pets", "version": "1"},
      "paths": {"/pets/{id}": {"get": {"operationId": "getPet",
        "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
        "produces": ["application/json"],
        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}}}},
      "definitions": {"Pet": {"type": "object", "properties": {
        "name": {"type": "string"}, "owner": {"type": "string"}}}}}"##;
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "pets.json", spec);
    let traffic = write(
        dir.path(),
        "t.jsonl",
        &[
            exchange(
                "GET",
                "/pets/1",
                200,
                json!({"name": "a", "owner": null, "age": 3}),
            ),
            exchange(
                "GET",
                "/pets/2",
                200,
                json!({"name": "b", "owner": "ann", "age": 4}),
            ),
        ]
        .join("\n"),
    );
    let patch = dir.path().join("fix.json");
    let fixed = dir.path().join("fixed.json");
    specgate()
        .args(["drift", "--spec", &spec, &traffic, "--suggest"])
        .arg(&patch)
        .arg("--apply")
        .arg(&fixed)
        .assert()
        .code(1);
    let patch = std::fs::read_to_string(&patch).unwrap();
    assert!(
        patch.contains("\"/definitions/Pet/properties/owner/x-nullable\""),
        "{patch}"
    );
    assert!(
        patch.contains("\"/definitions/Pet/properties/age\""),
        "{patch}"
    );
    let fixed = fixed.display().to_string();
    specgate()
        .args(["validate", "--strict", "--spec", &fixed, &traffic])
        .assert()
        .success();
}

#[test]
fn formats_and_bad_input() {
    let markdown = specgate()
        .args(["drift", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(markdown.stdout).unwrap();
    assert!(text.starts_with("# API drift"), "{text}");
    assert!(text.contains("## Undocumented members"), "{text}");

    specgate()
        .args(["drift", "--min-share", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a share between 0 and 1"));
    specgate()
        .args(["drift", "--spec", "no-such-file.yaml", "t.jsonl"])
        .assert()
        .code(2);

    // A bad line is named and counted; the others are still summed.
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "pets.yaml", PETS_30);
    let mut traffic = pets_traffic();
    traffic.insert_str(0, "{not json\n");
    let traffic = write(dir.path(), "t.jsonl", &traffic);
    let output = specgate()
        .args(["drift", "--format", "json", "--spec", &spec, &traffic])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["malformed"], 1);
    assert_eq!(report["summary"]["records"], 10);
    assert_eq!(report["malformed"][0]["entry"], 0);
    assert_eq!(report["statuses"][0]["status"], 404);
}

#[test]
fn the_report_and_the_patch_are_the_same_every_run() {
    // `Pet` is reached through two places (a list's items, a body), so its
    // counts are merged from two summaries, on two threads.
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "pets.yaml", PETS_30);
    let traffic = write(dir.path(), "t.jsonl", &pets_traffic().repeat(20));
    let run = |n: usize| {
        let patch = dir.path().join(format!("fix{n}.json"));
        let output = specgate()
            .args([
                "drift",
                "--format",
                "json",
                "--spec",
                &spec,
                &traffic,
                "--suggest",
            ])
            .arg(&patch)
            .output()
            .unwrap();
        (output.stdout, std::fs::read(&patch).unwrap())
    };
    let first = run(0);
    for n in 1..5 {
        assert!(run(n) == first, "run {n} differs");
    }
}

/// `drift --partial` on shards of the traffic, then `report`: the merged
/// report and patch are the ones `drift` gives over the whole, whatever
/// order the shards are named in, in every format.
#[test]
fn drift_over_shards_merges_into_drift_over_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "pets.yaml", PETS_30);
    // Each shard sees some of every kind of drift, and one sees a
    // record that cannot be read.
    let lines: Vec<String> = pets_traffic().repeat(3).lines().map(String::from).collect();
    let mut shards: Vec<String> = Vec::new();
    for (n, part) in lines.chunks(10).enumerate() {
        let mut text = part.join("\n") + "\n";
        if n == 1 {
            text.push_str("{not json\n");
        }
        shards.push(write(dir.path(), &format!("t{n}.jsonl"), &text));
    }
    for format in ["json", "human", "markdown", "sarif", "junit", "github"] {
        let whole_patch = dir.path().join(format!("whole-{format}.json"));
        let whole = specgate()
            .args(["drift", "--format", format, "--spec", &spec])
            .args(&shards)
            .arg("--suggest")
            .arg(&whole_patch)
            .output()
            .unwrap();
        let mut results = Vec::new();
        for (n, shard) in shards.iter().enumerate().rev() {
            let partial = dir.path().join(format!("t{n}.results"));
            specgate()
                .args(["drift", "--spec", &spec, shard, "--partial"])
                .arg(&partial)
                .output()
                .unwrap();
            results.push(partial);
        }
        let merged_patch = dir.path().join(format!("merged-{format}.json"));
        let merged = specgate()
            .args(["report", "--format", format, "--spec", &spec])
            .args(&results)
            .arg("--suggest")
            .arg(&merged_patch)
            .output()
            .unwrap();
        assert_eq!(whole.status.code(), Some(2), "a malformed record: exit 2");
        assert_eq!(merged.status.code(), whole.status.code(), "{format}");
        assert_eq!(
            String::from_utf8_lossy(&merged.stdout),
            String::from_utf8_lossy(&whole.stdout),
            "{format}"
        );
        let patch = std::fs::read_to_string(&whole_patch).unwrap();
        assert_eq!(std::fs::read_to_string(&merged_patch).unwrap(), patch);
        assert!(patch.contains("chip"), "the patch adds what traffic showed");
    }
    // The merge needs the document the shards were checked against.
    let other = write(dir.path(), "other.yaml", &PETS_30.replace("Pets", "Other"));
    specgate()
        .args(["report", "--spec", &other])
        .arg(dir.path().join("t0.results"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("another document"));
}
