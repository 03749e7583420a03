//! Findings carry typed data (issue 24): the keyword that failed and the
//! member a finding is about, so that readers (the drift tally, the human
//! report, the tower layer's problem bodies) never parse them back out of
//! pointers and messages.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use specgate_validator::{Exchange, Kind, Request, Response, Validator};

fn findings(body: &str) -> Vec<specgate_validator::Finding> {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    validator.check(&Exchange {
        source: "t".into(),
        entry: 0,
        request: Request {
            method: "POST".into(),
            url: "/api/v1/accounts/1/conversations/2/toggle_status".into(),
            headers: vec![
                ("api_access_token".into(), "x".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(body.as_bytes().to_vec()),
        },
        response: Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(
                br#"{"meta": {}, "payload": {"success": "yes", "surplus~member/x": 1}}"#.to_vec(),
            ),
        },
    })
}

#[test]
fn a_finding_names_its_keyword_and_its_member() {
    let found = findings(r#"{"priority": "urgent"}"#);
    let missing = found
        .iter()
        .find(|f| f.keyword.as_deref() == Some("required"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(missing.member.as_deref(), Some("status"));
    let wrong_type = found
        .iter()
        .find(|f| f.pointer.as_deref() == Some("/payload/success"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(wrong_type.keyword.as_deref(), Some("type"));
    // An undocumented member is named as sent, not as a pointer token.
    let drift = found
        .iter()
        .find(|f| {
            f.kind == Kind::Drift && f.pointer.as_deref() == Some("/payload/surplus~0member~1x")
        })
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(drift.member.as_deref(), Some("surplus~member/x"));
    let json = serde_json::to_value(missing).unwrap();
    assert_eq!(json["keyword"], "required");
    assert_eq!(json["member"], "status");
}
