//! `specgate diff --traffic`: recorded Chatwoot exchanges replayed against
//! the embedded document and a version of it that breaks them.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::specgate;

/// The path of the headline endpoint.
const CONVERSATIONS: &str = "/api/v1/accounts/{account_id}/conversations";

/// A list-conversations exchange answered with these `meta` members.
fn list_conversations(meta: &str) -> String {
    let body = format!(r#"{{"data": {{"meta": {{{meta}}}, "payload": []}}}}"#);
    serde_json::json!({
        "request": {
            "method": "GET",
            "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations?status=open",
            "headers": {"api_access_token": "secret-token"},
        },
        "response": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "body": body,
        },
    })
    .to_string()
}

fn profile() -> String {
    serde_json::json!({
        "request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/profile",
                    "headers": {"api_access_token": "secret-token"}},
        "response": {"status": 401, "headers": {"content-type": "application/json"},
                     "body": "{\"error\": \"Invalid token\"}"},
    })
    .to_string()
}

/// The embedded document with `data.meta` of the conversation list
/// changed by `edit`, as JSON text.
fn changed_document(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut value: Value = serde_json::from_str(specgate_spec::CHATWOOT_DOCUMENT)
        .expect("the embedded document is JSON");
    let meta = value
        .pointer_mut(
            "/components/schemas/conversation_list/properties/data/properties/meta/properties",
        )
        .and_then(Value::as_object_mut)
        .expect("the conversation list has data.meta");
    edit(meta);
    value.to_string()
}

/// `specgate diff old.json new.json --traffic traffic.jsonl --format json`
/// with the embedded document as the old one: the report.
fn replay(new: &str, lines: &[String]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let old = write("old.json", specgate_spec::CHATWOOT_DOCUMENT);
    let new = write("new.json", new);
    let traffic = write("traffic.jsonl", &lines.join("\n"));
    let output = specgate()
        .args(["diff", &old, &new, "--traffic", &traffic])
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The one change with this check id on the headline endpoint, the list
/// of conversations (`conversationList`; the conversation filter shares
/// its response schema, and so its changes).
fn change<'r>(report: &'r Value, id: &str) -> &'r Value {
    let found: Vec<&Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id && c["method"] == "get" && c["path"] == CONVERSATIONS)
        .collect();
    assert_eq!(found.len(), 1, "{id}: {found:?}");
    found[0]
}

/// The names of the exchanges a change breaks, without their folder.
fn broken(change: &Value) -> Vec<String> {
    change["traffic"]["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| {
            let name = name.as_str().unwrap();
            name.rsplit(['/', '\\']).next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn names_the_exchanges_a_changed_type_breaks() {
    let new = changed_document(|meta| {
        meta.insert("mine_count".into(), serde_json::json!({"type": "string"}));
    });
    let lines = vec![
        list_conversations(r#""mine_count": 4, "all_count": 9"#),
        list_conversations(r#""all_count": 9"#),
        profile(),
        list_conversations(r#""mine_count": 0"#),
    ];
    let report = replay(&new, &lines);
    let changed = change(&report, "response-property-type-changed");
    assert_eq!(
        changed["traffic"]["of"], 3,
        "three exchanges list conversations"
    );
    assert_eq!(changed["traffic"]["touched"], 2, "two carry mine_count");
    assert_eq!(broken(changed), ["traffic.jsonl#0", "traffic.jsonl#3"]);
    let summary = &report["summary"]["traffic"];
    assert_eq!(summary["records"], 4);
    assert_eq!(summary["exchanges"], 4);
    assert_eq!(summary["conform_old_fail_new"], 2);
}

#[test]
fn counts_the_responses_that_carry_a_removed_property() {
    let new = changed_document(|meta| {
        meta.shift_remove("all_count");
    });
    let lines = vec![
        list_conversations(r#""mine_count": 4, "all_count": 9"#),
        list_conversations(r#""mine_count": 1"#),
        list_conversations(r#""all_count": 2"#),
    ];
    let report = replay(&new, &lines);
    let removed = change(&report, "response-optional-property-removed");
    let message = removed["message"].as_str().unwrap();
    assert!(message.contains("data.meta.all_count"), "{message}");
    assert_eq!(removed["traffic"]["touched"], 2);
    assert_eq!(removed["traffic"]["of"], 3);
    // A member the document no longer names is drift, not a failure.
    assert!(broken(removed).is_empty());
}

#[test]
fn a_change_no_exchange_reaches_is_never_seen() {
    let new = changed_document(|meta| {
        meta.shift_remove("assigned_count");
    });
    let report = replay(&new, &[profile()]);
    let removed = change(&report, "response-optional-property-removed");
    assert_eq!(removed["traffic"]["of"], 0);
    assert_eq!(removed["traffic"]["touched"], 0);
}
