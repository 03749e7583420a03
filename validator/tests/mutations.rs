//! Many valid list-conversations responses, and one-violation mutations of
//! each: every mutation is found at its JSON pointer, and no valid body is
//! flagged.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use specgate_validator::input::{JsonLines, Record};
use specgate_validator::{Finding, Kind, Validator};

/// A recorded page of conversations (the example client's fixture).
const RECORDED: &str = include_str!("../../examples/chatwoot/tests/fixtures/conversations.json");

/// What the document allows where the recording holds what Chatwoot
/// really sends (`null` assignee and SLA, `snoozed`): the valid bodies are
/// valid for the document.
fn conforming(mut item: Value, index: usize) -> Value {
    let statuses = ["open", "resolved", "pending"];
    item["status"] = json!(statuses[index % 3]);
    item["id"] = json!(index + 1);
    item["applied_sla"] = json!({});
    let assignee =
        json!({"id": 7, "name": "Sam Carter", "email": "sam@example.com", "role": "agent"});
    item["meta"]["assignee"] = assignee;
    item
}

fn bodies() -> Vec<Value> {
    let recorded: Value = serde_json::from_str(RECORDED).unwrap();
    let items = recorded["data"]["payload"].as_array().unwrap().clone();
    (0..24)
        .map(|n| {
            let count = n % 6;
            let payload: Vec<Value> = (0..count)
                .map(|i| {
                    let mut item = conforming(items[i % items.len()].clone(), n + i);
                    let message = item["messages"][0].clone();
                    item["messages"] = json!(vec![message; 1 + (n + i) % 3]);
                    item
                })
                .collect();
            json!({"data": {"meta": {"mine_count": n, "unassigned_count": 1, "assigned_count": count,
                                     "all_count": count + 1}, "payload": payload}})
        })
        .collect()
}

fn findings(validator: &Validator<'_>, body: &Value) -> Vec<Finding> {
    let line = json!({
        "request": {"method": "GET", "url": "/api/v1/accounts/3/conversations?status=open"},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": body.to_string()}
    });
    JsonLines::new("mutations", line.to_string().as_bytes())
        .flat_map(|record| match record {
            Record::Exchange(exchange) => validator.check(&exchange),
            Record::Malformed { reason, .. } => panic!("{reason}"),
            Record::Unanswered { url, .. } => panic!("{url} unanswered"),
        })
        .collect()
}

/// One-violation mutations of a body: (pointer, new value).
fn mutations(body: &Value) -> Vec<(String, Value)> {
    let mut out = vec![("/data/meta/all_count".to_owned(), json!("many"))];
    let count = body["data"]["payload"].as_array().map_or(0, Vec::len);
    for i in 0..count {
        out.push((format!("/data/payload/{i}/status"), json!("archived")));
        out.push((format!("/data/payload/{i}/id"), Value::Null));
        out.push((format!("/data/payload/{i}/can_reply"), json!("yes")));
        out.push((format!("/data/payload/{i}/labels/0"), json!(42)));
        let messages = body["data"]["payload"][i]["messages"]
            .as_array()
            .map_or(0, Vec::len);
        let j = messages - 1;
        out.push((format!("/data/payload/{i}/messages/{j}/id"), json!("x")));
        out.push((format!("/data/payload/{i}/messages/{j}/private"), json!(1)));
    }
    out
}

#[test]
fn every_mutation_is_found_at_its_pointer_and_no_valid_body_is_flagged() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let mut checked = 0;
    for body in bodies() {
        let violations: Vec<Finding> = findings(&validator, &body)
            .into_iter()
            .filter(|f| f.error)
            .collect();
        assert_eq!(violations, vec![], "a valid body is flagged: {body}");
        for (pointer, value) in mutations(&body) {
            let mut mutated = body.clone();
            *mutated.pointer_mut(&pointer).unwrap() = value.clone();
            let found: Vec<Finding> = findings(&validator, &mutated)
                .into_iter()
                .filter(|f| f.error)
                .collect();
            assert!(!found.is_empty(), "{pointer} = {value} was not found");
            for finding in &found {
                assert_eq!(finding.kind, Kind::Violation);
                assert_eq!(
                    finding.pointer.as_deref(),
                    Some(pointer.as_str()),
                    "{finding:#?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn an_extra_member_is_drift_and_a_violation_only_when_strict() {
    let document = specgate_spec::chatwoot().unwrap();
    let mut body = bodies().remove(3);
    body["data"]["payload"][1]["brand_new"] = json!(true);
    let lenient = Validator::new(&document).unwrap();
    let strict = Validator::new(&document).unwrap().strict(true);
    let pointer = Some("/data/payload/1/brand_new".to_owned());
    let drift: Vec<Finding> = findings(&lenient, &body)
        .into_iter()
        .filter(|f| f.pointer == pointer)
        .collect();
    assert_eq!(drift.len(), 1);
    assert_eq!((drift[0].kind, drift[0].error), (Kind::Drift, false));
    let drift: Vec<Finding> = findings(&strict, &body)
        .into_iter()
        .filter(|f| f.pointer == pointer)
        .collect();
    assert_eq!((drift[0].kind, drift[0].error), (Kind::Drift, true));
}
