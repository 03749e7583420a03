//! The report formats on the embedded Chatwoot recordings: SARIF valid
//! against the OASIS schema, JUnit well-formed with its counts, GitHub
//! annotations one per finding, JSON with its summary.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use quick_xml::events::Event;
use specgate_validator::report::{self, Report};
use specgate_validator::Validator;

fn chatwoot_report() -> Report {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let lines = specgate_validator::input::Lines::new(
        "recordings.jsonl",
        specgate_validator::CHATWOOT_RECORDINGS.as_bytes(),
    );
    specgate_validator::check_all(&validator, lines, 1, |_| {})
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let mut schema = String::new();
    flate2::read::GzDecoder::new(&include_bytes!("schemas/sarif-2.1.0.json.gz")[..])
        .read_to_string(&mut schema)
        .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let report = chatwoot_report();
    let sarif: serde_json::Value = serde_json::from_str(&report::sarif(&report)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    let snoozed = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("\"snoozed\"")
        })
        .unwrap();
    assert_eq!(snoozed["level"], "error");
    assert_eq!(
        snoozed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cembedded%20chatwoot.json%3E"
    );
    // And a schema that would refuse a broken log does refuse one.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

/// The `<testcase>`s of a JUnit report: (name, failure message, error
/// message), read with an XML parser.
fn junit_cases(xml: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = Vec::new();
    let attribute = |tag: &quick_xml::events::BytesStart, name: &str| {
        tag.try_get_attribute(name).unwrap().map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .unwrap()
                .into_owned()
        })
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(tag) if tag.name().as_ref() == "testcase" => {
                cases.push((attribute(&tag, "name").unwrap(), None, None));
            }
            Event::Start(tag) if tag.name().as_ref() == "failure" => {
                cases.last_mut().unwrap().1 = attribute(&tag, "message");
            }
            Event::Start(tag) if tag.name().as_ref() == "error" => {
                cases.last_mut().unwrap().2 = attribute(&tag, "message");
            }
            _ => {}
        }
    }
    cases
}

#[test]
fn junit_has_a_test_case_per_operation_and_a_failure_listing_each_failing_exchange() {
    let report = chatwoot_report();
    let xml = report::junit(&report);
    let cases = junit_cases(&xml);
    let list = cases
        .iter()
        .find(|(name, _, _)| name == "conversationList")
        .unwrap();
    let listed = report
        .findings
        .iter()
        .filter(|f| f.operation.as_deref() == Some("conversationList") && f.error)
        .count();
    assert!(listed > 0);
    assert!(list
        .1
        .as_deref()
        .unwrap()
        .ends_with("records do not conform"));
    // Every failing exchange of the operation is in the failure's text.
    let text = xml
        .split("name=\"conversationList\">")
        .nth(1)
        .unwrap()
        .split("</testcase>")
        .next()
        .unwrap();
    let failure = text.split("</failure>").next().unwrap();
    assert_eq!(failure.matches(" GET /api/").count(), listed, "{text}");
    // The undocumented path is its own case, and fails.
    assert!(cases
        .iter()
        .any(|(name, failure, _)| name == "(undocumented operations)" && failure.is_some()));
    let failing = cases.iter().filter(|(_, f, _)| f.is_some()).count();
    assert!(xml.starts_with(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"specgate validate\" tests=\"{}\" failures=\"{failing}\" errors=\"0\">",
        cases.len()
    )));
}

#[test]
fn junit_shows_the_tests_of_a_clean_run_and_an_error_for_a_malformed_record() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    // A recording that conforms, twice; then with a truncated line.
    let first = specgate_validator::CHATWOOT_RECORDINGS
        .lines()
        .find(|line| report_of(&validator, line).summary.conforming == 1)
        .unwrap();
    let clean = report_of(&validator, &format!("{first}\n{first}\n"));
    assert_eq!(clean.summary.conforming, 2);
    let xml = report::junit(&clean);
    assert_eq!(junit_cases(&xml).len(), 1, "{xml}");
    assert!(
        xml.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{xml}"
    );
    assert!(!xml.contains("<failure"));

    let broken = report_of(&validator, &format!("{first}\n{{\"request\": \n"));
    let xml = report::junit(&broken);
    let cases = junit_cases(&xml);
    assert_eq!(cases.len(), 2, "{xml}");
    assert_eq!(
        cases[1],
        (
            "(malformed records)".to_owned(),
            None,
            Some("1 record could not be read".to_owned())
        )
    );
    assert!(xml.contains("#1: malformed: "), "{xml}");
}

fn report_of(validator: &Validator<'_>, text: &str) -> Report {
    let lines = specgate_validator::input::Lines::new("r.jsonl", text.as_bytes());
    specgate_validator::check_all(validator, lines, 1, |_| {})
}

/// The JUnit 10 XSD (Jenkins xunit, as pytest ships it), checked with the
/// Python `xmlschema` package: `.ci/run` installs it and names its Python.
#[test]
#[ignore = "needs Python xmlschema: run by .ci/run with XMLSCHEMA_PYTHON"]
fn junit_is_valid_against_the_junit_10_xsd() {
    let Ok(python) = std::env::var("XMLSCHEMA_PYTHON") else {
        panic!("XMLSCHEMA_PYTHON names a Python with the xmlschema package");
    };
    let dir = tempfile::tempdir().unwrap();
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/junit-10.xsd");
    let validate = |xml: &str| {
        let path = dir.path().join("junit.xml");
        std::fs::write(&path, xml).unwrap();
        let output = std::process::Command::new(&python)
            .args([
                "-c",
                "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])",
                xsd,
            ])
            .arg(&path)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let with_malformed = format!("{}\nnot json\n", specgate_validator::CHATWOOT_RECORDINGS);
    for report in [
        chatwoot_report(),
        report_of(&validator, &with_malformed),
        Report::default(),
    ] {
        let xml = report::junit(&report);
        let (valid, errors) = validate(&xml);
        assert!(valid, "{errors}\n{xml}");
    }
    // And the schema does refuse a report without its counts.
    let broken = report::junit(&chatwoot_report()).replacen(" errors=\"0\" skipped=\"0\"", "", 1);
    assert!(!validate(&broken).0);
}

#[test]
fn github_annotations_are_one_command_per_finding() {
    let report = chatwoot_report();
    let text = report::github(&report);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), report.findings.len() + 1);
    assert!(lines.iter().any(
        |l| l.starts_with("::error file=<embedded chatwoot.json>,line=") && l.contains("snoozed")
    ));
    assert!(lines.iter().all(|l| l.starts_with("::")));
}

#[test]
fn workers_report_what_one_thread_reports_in_input_order() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let lines = || {
        // The recordings three times over: enough to keep four workers busy.
        let text = specgate_validator::CHATWOOT_RECORDINGS.repeat(3);
        let items: Vec<_> =
            specgate_validator::input::Lines::new("r.jsonl", text.as_bytes()).collect();
        items
    };
    let one = specgate_validator::check_all(&validator, lines().into_iter(), 1, |_| {});
    let four = specgate_validator::check_all(&validator, lines().into_iter(), 4, |_| {});
    assert_eq!(one.findings, four.findings);
    assert_eq!(one.summary.records, 36);
    assert_eq!(report::human(&one, false), report::human(&four, false));
}

#[test]
fn the_human_report_shows_a_repeated_problem_a_few_times_then_counts_it() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    // The `snoozed` page, 40 times: one problem in 40 exchanges.
    let snoozed = specgate_validator::CHATWOOT_RECORDINGS
        .lines()
        .nth(2)
        .unwrap();
    let report = report_of(&validator, &format!("{snoozed}\n").repeat(40));
    let status =
        |f: &&specgate_validator::Finding| f.pointer.as_deref() == Some("/data/payload/0/status");
    assert_eq!(report.findings.iter().filter(status).count(), 40);
    let text = report::human(&report, false);
    assert_eq!(
        text.matches("at /data/payload/0/status: \"snoozed\"")
            .count(),
        5,
        "{text}"
    );
    assert!(
        text.contains(
            "… and 35 more like it: violation, response body at /data/payload/*/status \
             (schema /components/schemas/conversation/properties/status/enum)"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("40 records, 0 conform: does not conform (120 drift, 80 violation)\n"),
        "{text}"
    );
}

#[test]
fn the_human_report_folds_undocumented_members_of_one_object_and_names_them() {
    let document = specgate_spec::load_str(
        "items.yaml",
        "openapi: 3.1.0
info: {title: Items, version: '1'}
paths:
  /items:
    get:
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        id: {type: integer}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    // A server that adds a dozen members the document never mentions.
    let item: serde_json::Map<String, serde_json::Value> = (0..12)
        .map(|n| (format!("extra_{n:02}"), serde_json::json!(n)))
        .chain([("id".to_owned(), serde_json::json!(1))])
        .collect();
    let record = serde_json::json!({
        "request": {"method": "GET", "url": "/items"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": serde_json::json!([item, item]).to_string()}
    });
    let report = report_of(&validator, &format!("{record}\n"));
    assert_eq!(report.findings.len(), 24);
    let text = report::human(&report, false);
    assert_eq!(
        text.matches("allowed, yet undocumented").count(),
        5,
        "{text}"
    );
    assert!(
        text.contains(
            "… and 19 more like it: drift, response body at /* (schema /components/schemas/Item); \
             members extra_05, extra_06, extra_07, extra_08, extra_09, extra_10, extra_11, extra_00 \
             and 4 others (--format json lists every one)"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("1 record, 1 conform: conforms (24 drift)\n"),
        "{text}"
    );
}
