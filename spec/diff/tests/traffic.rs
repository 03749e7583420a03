//! `--traffic`: recorded Chatwoot exchanges replayed against the embedded
//! document and a version of it that breaks them.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use specgate_diff::{diff, traffic, Change};
use specgate_validator::input::JsonLines;

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
/// changed by `edit`.
fn changed_document(
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> specgate_spec::Document {
    let mut value: serde_json::Value = serde_json::from_str(specgate_spec::CHATWOOT_DOCUMENT)
        .expect("the embedded document is JSON");
    let meta = value
        .pointer_mut(
            "/components/schemas/conversation_list/properties/data/properties/meta/properties",
        )
        .and_then(serde_json::Value::as_object_mut)
        .expect("the conversation list has data.meta");
    edit(meta);
    specgate_spec::load_str("new.json", &value.to_string()).expect("the edited document loads")
}

fn replay(new: &specgate_spec::Document, lines: &[String]) -> (Vec<Change>, traffic::Replay) {
    let old = specgate_spec::chatwoot().expect("the embedded document loads");
    let changes = diff(&old, new);
    let text = lines.join("\n");
    let records = JsonLines::new("traffic.jsonl", text.as_bytes());
    let replay = traffic::replay(&old, new, &changes, records).expect("both documents compile");
    (changes, replay)
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
    let (changes, replay) = replay(&new, &lines);
    let index = changes
        .iter()
        .position(|c| {
            c.check.id == "response-property-type-changed"
                && c.old_operation_id.as_deref() == Some("conversationList")
        })
        .expect("the type change is reported on the headline endpoint");
    let traffic = &replay.changes[index];
    assert_eq!(traffic.routed, 3, "three exchanges list conversations");
    assert_eq!(traffic.touched, 2, "two carry mine_count");
    assert_eq!(traffic.broken, ["traffic.jsonl#0", "traffic.jsonl#3"]);
    assert_eq!(replay.exchanges, 4);
    assert_eq!(replay.broken_total, 2);
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
    let (changes, replay) = replay(&new, &lines);
    let index = changes
        .iter()
        .position(|c| c.check.id == "response-optional-property-removed")
        .expect("the removal is reported");
    assert!(
        changes[index].message.contains("data.meta.all_count"),
        "{}",
        changes[index].message
    );
    let traffic = &replay.changes[index];
    assert_eq!((traffic.touched, traffic.routed), (2, 3));
    // A member the document no longer names is drift, not a failure.
    assert!(traffic.broken.is_empty());
}

#[test]
fn a_change_no_exchange_reaches_is_never_seen() {
    let new = changed_document(|meta| {
        meta.shift_remove("assigned_count");
    });
    let (changes, replay) = replay(&new, &[profile()]);
    let index = changes
        .iter()
        .position(|c| c.check.id == "response-optional-property-removed")
        .expect("the removal is reported");
    assert_eq!(replay.changes[index].routed, 0);
}
