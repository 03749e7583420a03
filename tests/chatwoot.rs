//! The headline endpoint of the embedded Chatwoot document, as the model
//! holds it: everything code generation and validation will rely on.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use specgate_spec::{
    Method, ParameterLocation, ParameterStyle, ResponseKey, SecuritySchemeKind, SpecVersion,
    WarningKind,
};

fn chatwoot() -> specgate_spec::Document {
    specgate_spec::chatwoot().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn list_conversations_operation() {
    let doc = chatwoot();
    assert_eq!(doc.spec_version, SpecVersion::OpenApi31);
    assert_eq!(doc.openapi, "3.1.0");
    assert_eq!(doc.servers[0].url, "https://app.chatwoot.com/");
    assert_eq!(doc.base_path(), "");

    let op = doc.operation("conversationList").unwrap();
    assert_eq!(op.method, Method::Get);
    assert_eq!(op.path, "/api/v1/accounts/{account_id}/conversations");
    assert_eq!(op.tags, ["Conversations"]);
    assert_eq!(op.summary.as_deref(), Some("Conversations List"));

    // Path item parameters first, then the operation's, in document order.
    let params: Vec<_> = op
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    use ParameterLocation::{Path, Query};
    assert_eq!(
        params,
        [
            ("account_id", Path),
            ("assignee_type", Query),
            ("status", Query),
            ("q", Query),
            ("inbox_id", Query),
            ("team_id", Query),
            ("labels", Query),
            ("page", Query),
        ]
    );
    let account = &op.parameters[0];
    assert!(account.required);
    assert_eq!(account.style, ParameterStyle::Simple);
    let labels = op.parameter("labels", Query).unwrap();
    assert!(!labels.required);
    assert_eq!((labels.style, labels.explode), (ParameterStyle::Form, true));
    assert_eq!(
        labels.schema.as_ref().unwrap().value,
        json!({"type": "array", "items": {"type": "string"}})
    );
    let status = op.parameter("status", Query).unwrap();
    assert_eq!(
        status.schema.as_ref().unwrap().value["enum"],
        json!(["all", "open", "resolved", "pending", "snoozed"])
    );

    // Security: the operation's own requirement, an API key header.
    assert_eq!(op.security.len(), 1);
    let scheme_name = op.security[0].schemes.keys().next().unwrap();
    assert_eq!(scheme_name, "userApiKey");
    assert_eq!(
        doc.security_schemes[scheme_name.as_str()].kind,
        SecuritySchemeKind::ApiKey {
            name: "api_access_token".into(),
            location: ParameterLocation::Header
        }
    );

    // Responses by status, schemas by reference.
    let keys: Vec<_> = op.responses.keys().copied().collect();
    assert_eq!(keys, [ResponseKey::Status(200), ResponseKey::Status(400)]);
    let ok = op.response_for(200).unwrap().1;
    assert_eq!(
        ok.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .reference_name()
            .as_deref(),
        Some("conversation_list")
    );
    let error = op.response_for(400).unwrap().1;
    assert_eq!(
        error.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .reference_name()
            .as_deref(),
        Some("bad_request_error")
    );
    // An undocumented status has no response (no `default` here).
    assert!(op.response_for(503).is_none());
}

#[test]
fn list_conversations_body_schemas() {
    let doc = chatwoot();
    let list = &doc.schema("conversation_list").unwrap().schema.value;
    let meta = &list["properties"]["data"]["properties"]["meta"]["properties"];
    let counts: Vec<_> = meta.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        counts,
        [
            "mine_count",
            "unassigned_count",
            "assigned_count",
            "all_count"
        ]
    );
    let item = &list["properties"]["data"]["properties"]["payload"]["items"];
    assert_eq!(
        item["allOf"][0],
        json!({"$ref": "#/components/schemas/generic_id"})
    );
    assert_eq!(
        item["allOf"][1],
        json!({"$ref": "#/components/schemas/conversation"})
    );
    let sender = &item["allOf"][2]["properties"]["meta"]["properties"]["sender"];
    assert_eq!(
        sender["properties"]["email"]["type"],
        json!(["string", "null"])
    );

    let conversation = &doc.schema("conversation").unwrap().schema.value;
    assert_eq!(
        conversation["properties"]["messages"]["items"],
        json!({"$ref": "#/components/schemas/message"})
    );
    // The document's real gap, kept as written: no `snoozed` status.
    assert_eq!(
        conversation["properties"]["status"]["enum"],
        json!(["open", "resolved", "pending"])
    );

    let error = &doc.schema("bad_request_error").unwrap().schema.value;
    assert_eq!(
        error["properties"]["errors"]["items"],
        json!({"$ref": "#/components/schemas/request_error"})
    );
    let request_error = &doc.schema("request_error").unwrap().schema.value;
    let fields: Vec<_> = request_error["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(fields, ["field", "message", "code"]);
}

#[test]
fn chatwoot_warnings_point_at_the_document() {
    let doc = chatwoot();
    let contradiction = doc
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::ContradictorySchema)
        .unwrap();
    let location = doc.location(contradiction.origin.as_ref().unwrap());
    assert_eq!(
        location.pointer.as_deref(),
        Some("/components/schemas/article/properties/status/enum")
    );
    let line = location.line.unwrap();
    let text = specgate_spec::CHATWOOT_DOCUMENT
        .lines()
        .nth(line - 1)
        .unwrap();
    assert!(
        text.trim_start().starts_with("\"enum\""),
        "line {line}: {text}"
    );

    // 3.0's `nullable` in this 3.1 document: warned about, left as written.
    let obsolete: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ObsoleteKeyword)
        .map(|w| w.origin.as_ref().unwrap().pointer.as_str())
        .collect();
    assert!(
        obsolete.contains(&"/components/schemas/label/properties/description"),
        "{obsolete:?}"
    );
    let label = &doc.schema("label").unwrap().schema.value;
    assert_eq!(label["properties"]["description"]["nullable"], json!(true));
}
