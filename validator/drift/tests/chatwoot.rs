//! The drift report on Chatwoot traffic with known drift: exact counts,
//! and the suggested patch closes the loop (the patched document passes
//! `validate --strict` on the same traffic) without opening it (bodies
//! that break what was always observed still fail).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use specgate_drift::{DriftReport, Options, Tally};
use specgate_spec::{Document, JsonTypes};
use specgate_validator::{check_item, input::Lines, Validator};

/// Exchanges made from the first embedded recording (a list of two
/// conversations): 40 of them, with drift put in at known places.
const EXCHANGES: usize = 40;

fn template() -> Value {
    let first = specgate_validator::CHATWOOT_RECORDINGS
        .lines()
        .next()
        .unwrap();
    serde_json::from_str(first).unwrap()
}

fn with_body(record: &Value, body: &Value) -> String {
    let mut record = record.clone();
    record["response"]["body"] = Value::String(body.to_string());
    record.to_string()
}

/// The recording: every conversation gains `csat_score` (always integral)
/// and `priority_score` (once a fraction); the first conversation of every
/// fourth exchange has `sla_deadline` (a date-time); two conversations say
/// `muted: "yes"`, three say `status: "snoozed"`.
fn traffic() -> String {
    let record = template();
    let body: Value = serde_json::from_str(record["response"]["body"].as_str().unwrap()).unwrap();
    let mut lines = Vec::new();
    for i in 0..EXCHANGES {
        let mut body = body.clone();
        let payload = body["data"]["payload"].as_array_mut().unwrap();
        for (j, conversation) in payload.iter_mut().enumerate() {
            conversation["csat_score"] = json!(i % 5);
            conversation["priority_score"] = if i == 7 && j == 1 {
                json!(2.5)
            } else {
                json!(i)
            };
            conversation["status"] = json!(if i < 3 && j == 0 { "snoozed" } else { "open" });
            conversation["muted"] = if i >= 38 && j == 0 {
                json!("yes")
            } else {
                json!(false)
            };
        }
        if i % 4 == 0 {
            payload[0]["sla_deadline"] = json!(format!("2024-11-{:02}T10:00:00Z", i % 28 + 1));
        }
        lines.push(with_body(&record, &body));
    }
    lines.join("\n") + "\n"
}

fn drift(document: &Document, traffic: &str) -> DriftReport {
    let validator = Validator::new(document).unwrap().observing(true);
    let mut tally = Tally::default();
    for item in Lines::new("traffic.jsonl", traffic.as_bytes()) {
        tally.add(check_item(&validator, item));
    }
    tally.finish(document, &validator, &Options::default())
}

fn errors(document: &Document, traffic: &str) -> Vec<String> {
    let validator = Validator::new(document).unwrap().strict(true);
    Lines::new("traffic.jsonl", traffic.as_bytes())
        .flat_map(|item| check_item(&validator, item).findings)
        .filter(|f| f.error)
        .map(|f| format!("{:?} {:?}: {}", f.place, f.pointer, f.message))
        .collect()
}

fn member<'r>(report: &'r DriftReport, name: &str) -> &'r specgate_drift::MemberGap {
    report
        .members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} reported: {:#?}", report.members))
}

#[test]
fn counts_are_exact() {
    let document = specgate_spec::chatwoot().unwrap();
    let report = drift(&document, &traffic());
    assert_eq!(report.summary.records, EXCHANGES as u64);
    assert_eq!(report.summary.matched, EXCHANGES as u64);
    let objects = 2 * EXCHANGES as u64;

    let csat = member(&report, "csat_score");
    assert_eq!((csat.count, csat.of), (objects, objects));
    assert_eq!(csat.types, JsonTypes::INTEGER);
    // Where conversations are declared, not the `generic_id` mixin.
    assert_eq!(csat.schema.pointer, "/components/schemas/conversation");
    assert_eq!(
        csat.example.at.as_deref(),
        Some("response body /data/payload/0/csat_score")
    );
    let priority = member(&report, "priority_score");
    assert_eq!(priority.types, JsonTypes::NUMBER);
    let deadline = member(&report, "sla_deadline");
    assert_eq!((deadline.count, deadline.of), (10, objects));

    let snoozed = report
        .enums
        .iter()
        .find(|e| e.value == "snoozed")
        .expect("snoozed");
    assert_eq!((snoozed.count, snoozed.of), (3, objects));
    assert_eq!(
        snoozed.schema.pointer,
        "/components/schemas/conversation/properties/status/enum"
    );

    let muted = report
        .types
        .iter()
        .find(|t| t.schema.pointer.ends_with("/conversation/properties/muted"))
        .expect("muted");
    assert_eq!(
        muted.observed,
        vec![(JsonTypes::BOOLEAN, objects - 2), (JsonTypes::STRING, 2)]
    );
    assert_eq!(muted.of, objects);
    assert_eq!(
        muted.examples[0].1.at.as_deref(),
        Some("response body /data/payload/0/muted")
    );
    assert_eq!(muted.examples[0].1.entry, 38);

    // Documented, never sent: `conversation` declares no `required`, so
    // only what no object had is named.
    assert!(report.required.is_empty(), "{:#?}", report.required);
    assert!(!report.unseen.iter().any(|u| u.name == "status"));
}

#[test]
fn the_suggested_patch_makes_the_traffic_conform_and_keeps_what_was_always_seen() {
    let document = specgate_spec::chatwoot().unwrap();
    let traffic = traffic();
    assert!(!errors(&document, &traffic).is_empty());
    let report = drift(&document, &traffic);

    // Structure kept: the member goes to the component, once.
    let added: Vec<&str> = report.suggestions.iter().map(|s| s.path.as_str()).collect();
    assert!(added.contains(&"/components/schemas/conversation/properties/csat_score"));
    assert!(added.contains(&"/components/schemas/conversation/required"));
    let patch = report.patch();
    let csat = patch
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["path"] == "/components/schemas/conversation/properties/csat_score")
        .unwrap();
    assert_eq!(csat["value"], json!({"type": "integer"}));
    assert_eq!(csat["observations"], json!(80));
    let deadline = patch
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["path"] == "/components/schemas/conversation/properties/sla_deadline")
        .unwrap();
    assert_eq!(
        deadline["value"],
        json!({"type": "string", "format": "date-time"})
    );
    let required = patch
        .as_array()
        .unwrap()
        .iter()
        .filter(|op| {
            op["path"]
                .as_str()
                .unwrap()
                .contains("/conversation/required")
        })
        .map(|op| op["value"].clone())
        .collect::<Vec<_>>();
    // Present in every object: required; present in some: not.
    assert_eq!(
        required,
        vec![json!(["csat_score"]), json!("priority_score")]
    );

    let mut patched = document.files()[0].value().unwrap();
    specgate_drift::apply(&mut patched, &patch).unwrap();
    let patched = specgate_spec::load_str("patched.json", &patched.to_string()).unwrap();
    assert_eq!(errors(&patched, &traffic), Vec::<String>::new());

    // Still a contract: a wrong type, and a member always seen left out.
    let record = template();
    let mut body: Value =
        serde_json::from_str(record["response"]["body"].as_str().unwrap()).unwrap();
    let conversation = &mut body["data"]["payload"][0];
    conversation["csat_score"] = json!("five");
    conversation["muted"] = json!(false);
    conversation["status"] = json!("open");
    conversation["priority_score"] = json!(1);
    body["data"]["payload"][1]["csat_score"] = json!(1);
    body["data"]["payload"][1]["muted"] = json!(false);
    body["data"]["payload"][1]["status"] = json!("open");
    let wrong = with_body(&record, &body) + "\n";
    let found = errors(&patched, &wrong);
    assert!(
        found
            .iter()
            .any(|e| e.contains("/data/payload/0/csat_score")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|e| e.contains("/data/payload/1") && e.contains("priority_score")),
        "{found:#?}"
    );
}

#[test]
fn outliers_are_kept_out_by_min_share() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap().observing(true);
    let mut tally = Tally::default();
    let traffic = traffic();
    for item in Lines::new("traffic.jsonl", traffic.as_bytes()) {
        tally.add(check_item(&validator, item));
    }
    let options = Options { min_share: 0.05 };
    let report = tally.finish(&document, &validator, &options);
    // `muted: "yes"` twice in 80, `snoozed` three times: under 5%.
    let outliers: Vec<&str> = report.outliers.iter().map(|s| s.path.as_str()).collect();
    assert!(
        outliers.contains(&"/components/schemas/conversation/properties/muted/type"),
        "{outliers:?}"
    );
    assert!(outliers.contains(&"/components/schemas/conversation/properties/status/enum/-"));
    assert!(!report
        .suggestions
        .iter()
        .any(|s| s.path.contains("/muted") || s.path.contains("/status/enum")));
    // `sla_deadline`, in 10 of 80, is suggested.
    assert!(report
        .suggestions
        .iter()
        .any(|s| s.path.ends_with("/properties/sla_deadline")));
}
