//! The report formats on the embedded Chatwoot recordings: SARIF valid
//! against the OASIS schema, JUnit well-formed with its counts, GitHub
//! annotations one per finding, JSON with its summary.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use quick_xml::events::Event;
use specgate_validator::input::{JsonLines, Record};
use specgate_validator::report::{self, Report};
use specgate_validator::Validator;

fn chatwoot_report() -> Report {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let mut report = Report::default();
    let records = JsonLines::new(
        "recordings.jsonl",
        specgate_validator::CHATWOOT_RECORDINGS.as_bytes(),
    );
    for record in records {
        let Record::Exchange(exchange) = record else {
            panic!("the recordings are well-formed");
        };
        report.add(validator.check(&exchange));
    }
    report
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

#[test]
fn junit_is_well_formed_xml_with_one_failure_per_failing_exchange() {
    let report = chatwoot_report();
    let xml = report::junit(&report);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(tag) if tag.name().as_ref() == "testcase" => cases += 1,
            Event::Start(tag) if tag.name().as_ref() == "failure" => failures += 1,
            _ => {}
        }
    }
    let failing = report.findings.iter().filter(|f| f.error).count();
    assert_eq!(failures, failing);
    // The eight exchanges with findings; the four that conform are counted in `tests`.
    assert_eq!(cases, 8, "{xml}");
    assert!(xml.contains("<testsuites name=\"specgate validate\" tests=\"12\" failures=\"8\">"));
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
