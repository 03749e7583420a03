//! The drift report for CI, on the embedded Chatwoot recordings: SARIF
//! valid against the OASIS schema, every result's rule a check id and on
//! the document's line where it has one; JUnit a test case per check;
//! GitHub one annotation per finding.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use specgate_drift::{DriftReport, Options, Tally, CHECKS};
use specgate_validator::{check_item, input::Lines, Validator};

fn chatwoot() -> (specgate_spec::Document, DriftReport) {
    let document = specgate_spec::chatwoot().unwrap();
    let report = {
        let validator = Validator::new(&document)
            .unwrap()
            .strict(true)
            .observing(true);
        let mut tally = Tally::default();
        let text = format!("{}not json\n", specgate_validator::CHATWOOT_RECORDINGS);
        for item in Lines::new("chatwoot.jsonl", text.as_bytes()) {
            tally.add(check_item(&validator, item));
        }
        tally.finish(&document, &validator, &Options::default())
    };
    (document, report)
}

#[test]
fn sarif_is_valid_and_every_result_is_a_check_on_the_documents_line() {
    let mut schema = String::new();
    flate2::read::GzDecoder::new(&include_bytes!("../../tests/schemas/sarif-2.1.0.json.gz")[..])
        .read_to_string(&mut schema)
        .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (document, report) = chatwoot();
    let sarif: serde_json::Value =
        serde_json::from_str(&specgate_drift::sarif(&report, &document)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        specgate_drift::findings(&report, &document).len()
    );
    let ids: Vec<&str> = CHECKS.iter().map(|(id, _)| *id).collect();
    assert!(results
        .iter()
        .all(|r| ids.contains(&r["ruleId"].as_str().unwrap())));
    // The undocumented 401 is on the line of its operation; `snoozed` on
    // the enum's.
    for rule in ["undocumented-status", "enum-mismatch", "malformed"] {
        assert!(
            results.iter().any(|r| r["ruleId"] == rule),
            "no {rule}: {results:#?}"
        );
    }
    let status = results
        .iter()
        .find(|r| r["ruleId"] == "undocumented-status")
        .unwrap();
    let place = &status["locations"][0]["physicalLocation"];
    assert_eq!(
        place["artifactLocation"]["uri"],
        "%3Cembedded%20chatwoot.json%3E"
    );
    assert!(place["region"]["startLine"].as_u64().unwrap() > 1);
}

#[test]
fn junit_has_a_case_per_check_and_github_an_annotation_per_finding() {
    let (document, report) = chatwoot();
    let xml = specgate_drift::junit(&report, &document);
    assert_eq!(xml.matches("<testcase ").count(), CHECKS.len(), "{xml}");
    assert!(
        xml.contains("<error type=\"malformed\" message=\"1 record could not be read\">"),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"enum-mismatch\">\n      <failure"),
        "{xml}"
    );
    let github = specgate_drift::github(&report, &document);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(
        lines.len(),
        specgate_drift::findings(&report, &document).len() + 1
    );
    assert!(lines.iter().any(
        |l| l.starts_with("::error file=<embedded chatwoot.json>,line=")
            && l.contains("title=enum-mismatch::`snoozed`")
    ));
    assert!(lines
        .last()
        .unwrap()
        .starts_with("::notice title=specgate drift::"));
}
