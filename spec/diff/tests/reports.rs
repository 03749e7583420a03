//! The diff's reports for CI: SARIF valid against the OASIS schema (the
//! copy the validator's tests keep), each change a result whose rule is
//! its check id, on the document's line.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use specgate_diff::render::{self, Report};
use specgate_diff::Level;

const OLD: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /owners:
    get:
      operationId: listOwners
      responses:
        '200': {description: the owners}
";

const NEW: &str = "openapi: 3.1.0
info: {title: Pets, version: '2'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer}}
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {type: string}}
";

fn sarif_schema() -> jsonschema::Validator {
    let mut schema = String::new();
    flate2::read::GzDecoder::new(
        &include_bytes!("../../../validator/tests/schemas/sarif-2.1.0.json.gz")[..],
    )
    .read_to_string(&mut schema)
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn sarif_is_valid_and_names_each_change_by_its_check() {
    let old = specgate_spec::load_str("old.yaml", OLD).unwrap();
    let new = specgate_spec::load_str("new.yaml", NEW).unwrap();
    let changes = specgate_diff::diff(&old, &new);
    assert!(changes.len() >= 2, "{changes:#?}");
    let report = Report {
        changes: specgate_diff::locate(&old, &new, &changes),
        ignored: 0,
        traffic: None,
        fail_on: Some(Level::Breaking),
    };
    let sarif: serde_json::Value = serde_json::from_str(&render::sarif(&report)).unwrap();
    let errors: Vec<String> = sarif_schema()
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), changes.len());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result:#}");
    }
    // The removed path is on the old document's line, the new requirement
    // on the new one's; both fail the run.
    let removed = results
        .iter()
        .find(|r| r["ruleId"] == "path-removed")
        .unwrap_or_else(|| panic!("{results:#?}"));
    assert_eq!(removed["level"], "error");
    let place = &removed["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "old.yaml");
    assert_eq!(place["region"]["startLine"], 15, "the line of `/owners:`");
    let required = results
        .iter()
        .find(|r| r["ruleId"] != "path-removed")
        .unwrap();
    let place = &required["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "new.yaml");
}
