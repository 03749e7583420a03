//! Chatwoot's 3.0.4 document (upstream commit bdcb1934, OpenAPI 3.0.4)
//! against the current one (3.1.0, embedded in specgate): a real pair
//! with a renamed path parameter, two trailing-slash moves, a fixed
//! operationId typo and 3.0's `nullable` rewritten as type arrays.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use specgate_diff::{diff, Change, Level};

fn changes() -> Vec<Change> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(&include_bytes!("fixtures/chatwoot-3.0.4.json.gz")[..])
        .read_to_string(&mut text)
        .expect("the fixture is gzipped UTF-8");
    let old = specgate_spec::load_str("chatwoot-3.0.4.json", &text).expect("3.0.4 loads");
    let new = specgate_spec::chatwoot().expect("the embedded document loads");
    diff(&old, &new)
}

fn with_id<'c>(changes: &'c [Change], id: &str) -> Vec<&'c Change> {
    changes.iter().filter(|c| c.check.id == id).collect()
}

#[test]
fn each_path_moved_by_a_trailing_slash_is_one_change() {
    let changes = changes();
    let moved = with_id(&changes, "path-trailing-slash-changed");
    let mut paths: Vec<(&str, Option<specgate_spec::Method>)> =
        moved.iter().map(|c| (c.path.as_str(), c.method)).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            ("/api/v1/accounts/{account_id}/inboxes", None),
            ("/api/v1/accounts/{account_id}/inboxes/{id}", None)
        ]
    );
    // Each names both spellings.
    for change in &moved {
        assert!(change.message.contains("/` is now `"), "{}", change.message);
    }
    // Nothing of the moved operations is reported as removed or added.
    for id in [
        "path-removed",
        "operation-removed",
        "operation-path-changed",
    ] {
        assert_eq!(with_id(&changes, id).len(), 0, "{id}");
    }
    let added = with_id(&changes, "operation-added");
    assert!(
        added.iter().all(|c| !c.path.contains("inboxes")),
        "{added:?}"
    );
}

#[test]
fn the_renamed_account_path_is_one_info_change() {
    let changes = changes();
    let renamed = with_id(&changes, "path-parameter-renamed");
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert_eq!(renamed[0].path, "/api/v1/accounts/{account_id}");
    assert_eq!(renamed[0].level, Level::Info);
    assert!(renamed[0].message.contains("`{id}` is `{account_id}`"));
    // Its operations are compared, not removed and added.
    let moved: Vec<&Change> = changes
        .iter()
        .filter(|c| c.path == "/api/v1/accounts/{account_id}" || c.path == "/api/v1/accounts/{id}")
        .filter(|c| c.check.id.ends_with("-added") || c.check.id.ends_with("-removed"))
        .collect();
    assert!(moved.is_empty(), "{moved:?}");
    assert!(changes.iter().any(
        |c| c.old_operation_id.as_deref() == Some("get-account-details")
            && c.message
                .contains("`features` type changed from array to object")
    ));
}

#[test]
fn nullable_rewritten_as_a_type_array_is_no_change() {
    let changes = changes();
    // 3.0.4: `display_name: {type: string, nullable: true}`; 3.1.0:
    // `{type: [string, null]}`.
    let display_name: Vec<&Change> = changes
        .iter()
        .filter(|c| c.message.contains("display_name"))
        .collect();
    assert!(display_name.is_empty(), "{display_name:?}");
    // Nullability is said once, not again as an enum value `null`.
    assert!(changes
        .iter()
        .all(|c| !(c.check.id.contains("enum") && c.message.contains("`null`"))));
}

#[test]
fn the_headline_endpoint_reports_what_its_messages_gained() {
    let changes = changes();
    let list: Vec<&Change> = changes
        .iter()
        .filter(|c| c.old_operation_id.as_deref() == Some("conversationList"))
        .collect();
    assert!(list
        .iter()
        .any(|c| c.check.id == "response-property-made-nullable"
            && c.message.contains("data.payload[].messages[].source_id")));
    assert!(list.iter().any(|c| c.check.id == "response-type-widened"
        && c.message.contains(
            "`data.payload[].messages[].updated_at` type widened from integer to integer or string"
        )));
    // The new label paths are new, not the inbox paths renamed.
    let labels = with_id(&changes, "path-added");
    assert!(labels
        .iter()
        .any(|c| c.path == "/api/v1/accounts/{account_id}/labels"));
    // The typo fix in an operationId is a warning, not a removal.
    let renamed = with_id(&changes, "operation-id-changed");
    assert_eq!(renamed.len(), 1);
    assert!(renamed[0]
        .message
        .contains("`list-all-converation-messages` is now `list-all-conversation-messages`"));
}

#[test]
fn a_document_against_itself_and_as_yaml_reports_nothing() {
    let json = specgate_spec::chatwoot().expect("the embedded document loads");
    assert!(diff(&json, &json).is_empty());
    let value: serde_json::Value =
        serde_json::from_str(specgate_spec::CHATWOOT_DOCUMENT).expect("JSON");
    let yaml = serde_yaml::to_string(&value).expect("YAML");
    let from_yaml = specgate_spec::load_str("chatwoot.yaml", &yaml).expect("the YAML loads");
    let changes = diff(&json, &from_yaml);
    assert!(
        changes.is_empty(),
        "{:?}",
        changes.iter().map(|c| &c.message).collect::<Vec<_>>()
    );
}
