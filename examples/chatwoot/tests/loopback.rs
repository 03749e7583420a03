//! The generated client against a real HTTP server on 127.0.0.1 that
//! serves recorded Chatwoot responses: what the server received (method,
//! path, query, headers, body) and what the client returned, for success,
//! each documented error, and responses the document does not describe.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::sync::mpsc;
use std::thread;

use chatwoot_example::types::{
    ConversationListAssigneeType, ConversationListStatus, ConversationStatus,
    PublicConversationStatus, ToggleStatusOfAConversationRequest,
};
use chatwoot_example::{Client, Error};

const CONVERSATIONS: &str = include_str!("fixtures/conversations.json");
const BAD_REQUEST: &str = include_str!("fixtures/bad_request.json");
const TOKEN: &str = "s3cr3t-token-value";

/// A request as the server received it.
#[derive(Debug)]
struct Received {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves `responses` (status, body) in order, one per request, then stops;
/// the received requests come out of the channel.
fn serve(responses: Vec<(u16, String)>) -> (String, mpsc::Receiver<Received>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for (status, body) in responses {
            let mut request = server.recv().unwrap();
            let mut text = String::new();
            request.as_reader().read_to_string(&mut text).unwrap();
            let received = Received {
                method: request.method().as_str().to_owned(),
                url: request.url().to_owned(),
                headers: request
                    .headers()
                    .iter()
                    .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_owned()))
                    .collect(),
                body: text,
            };
            sender.send(received).unwrap();
            let content_type =
                tiny_http::Header::from_bytes("Content-Type", "application/json; charset=utf-8")
                    .unwrap();
            let response = tiny_http::Response::from_string(body)
                .with_status_code(status)
                .with_header(content_type);
            request.respond(response).unwrap();
        }
    });
    (format!("http://127.0.0.1:{port}"), receiver)
}

fn client(base: &str) -> Client {
    Client::new(base).with_user_api_key(TOKEN)
}

#[tokio::test]
async fn list_conversations_sends_every_filter_and_reads_the_page() {
    let (base, received) = serve(vec![(200, CONVERSATIONS.to_owned())]);
    let page = client(&base)
        .conversation_list(3)
        .assignee_type(ConversationListAssigneeType::Me)
        .status(ConversationListStatus::Snoozed)
        .q("refund please & thanks")
        .inbox_id(5)
        .team_id(2)
        .labels(["vip", "billing"])
        .page(2)
        .send()
        .await
        .unwrap();

    let request = received.recv().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.url,
        "/api/v1/accounts/3/conversations?assignee_type=me&status=snoozed&q=refund+please+%26+thanks&inbox_id=5&team_id=2&labels=vip&labels=billing&page=2"
    );
    assert_eq!(request.header("api_access_token"), Some(TOKEN));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.body, "");

    assert_eq!(page.status().as_u16(), 200);
    let data = page.data.as_ref().unwrap();
    let meta = data.meta.as_ref().unwrap();
    assert_eq!(
        (
            meta.mine_count,
            meta.unassigned_count,
            meta.assigned_count,
            meta.all_count
        ),
        (Some(1.0), Some(1.0), Some(1.0), Some(2.0))
    );
    let payload = data.payload.as_ref().unwrap();
    assert_eq!(payload.len(), 2);
    let first = &payload[0];
    assert_eq!(first.conversation.id, Some(101.0));
    // The document's `conversation.status` does not list `snoozed`, which
    // Chatwoot sends: the value is kept, not a failed response.
    assert_eq!(
        first.conversation.status,
        Some(ConversationStatus::Other("snoozed".into()))
    );
    assert_eq!(
        payload[1].conversation.status,
        Some(ConversationStatus::Open)
    );
    assert_eq!(
        first.conversation.labels.as_deref(),
        Some(&["vip".to_owned(), "billing".to_owned()][..])
    );
    let meta = first.meta.as_ref().unwrap();
    assert_eq!(
        meta.sender.as_ref().and_then(|s| s.name.as_deref()),
        Some("Maria Lopez")
    );
    assert_eq!(
        meta.assignee.as_ref().and_then(|a| a.name.as_deref()),
        Some("Sam Carter")
    );
    let messages = first.conversation.messages.as_ref().unwrap();
    assert_eq!(
        messages[0].content.as_deref(),
        Some("Can I get a refund please?")
    );
    // The second conversation has no assignee: `null` in the recording.
    assert!(payload[1].meta.as_ref().unwrap().assignee.is_none());
}

#[tokio::test]
async fn documented_error_is_typed_by_status() {
    let (base, received) = serve(vec![(400, BAD_REQUEST.to_owned())]);
    let result = client(&base)
        .conversation_list(3)
        .status(ConversationListStatus::from("archived"))
        .send()
        .await;
    let request = received.recv().unwrap();
    // A value the document does not list is still sent as written.
    assert_eq!(
        request.url,
        "/api/v1/accounts/3/conversations?status=archived"
    );
    match result {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body.description.as_deref(), Some("Invalid filter"));
            let first = &body.errors.as_ref().unwrap()[0];
            assert_eq!(first.field.as_deref(), Some("status"));
            assert_eq!(
                first.message.as_deref(),
                Some("is not included in the list")
            );
        }
        other => panic!("expected the documented 400, got {other:?}"),
    }
}

#[tokio::test]
async fn undocumented_status_and_unreadable_body_keep_what_was_received() {
    let (base, _received) = serve(vec![
        (503, "upstream timeout".to_owned()),
        (
            200,
            "{\"data\": {\"meta\": {\"all_count\": \"many\"}}}".to_owned(),
        ),
    ]);
    let client = client(&base);
    match client.conversation_list(3).send().await {
        Err(Error::UnexpectedResponse {
            status,
            headers,
            body,
            reason,
        }) => {
            assert_eq!(status.as_u16(), 503);
            assert!(headers.contains_key("content-type"));
            assert_eq!(body, b"upstream timeout");
            assert!(reason.contains("503"), "{reason}");
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    match client.conversation_list(3).send().await {
        Err(Error::UnexpectedResponse {
            status,
            reason,
            body,
            ..
        }) => {
            assert_eq!(status.as_u16(), 200);
            assert!(reason.contains("does not read as documented"), "{reason}");
            assert!(String::from_utf8_lossy(&body).contains("many"));
        }
        other => panic!("expected an unreadable body, got {other:?}"),
    }
}

#[tokio::test]
async fn json_bodies_and_path_parameters_are_sent_as_documented() {
    let (base, received) = serve(vec![
        (
            200,
            r#"{"meta": {}, "payload": {"success": true, "current_status": "snoozed", "conversation_id": 101}}"#.to_owned(),
        ),
        (404, r#"{"description": "Conversation not found", "errors": []}"#.to_owned()),
    ]);
    let client = client(&base);
    let body = ToggleStatusOfAConversationRequest {
        status: PublicConversationStatus::Snoozed,
        snoozed_until: Some(1_732_600_000.0),
    };
    let response = client
        .toggle_status_of_a_conversation(3, 101, body.clone())
        .send()
        .await
        .unwrap();
    let request = received.recv().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        "/api/v1/accounts/3/conversations/101/toggle_status"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&request.body).unwrap(),
        serde_json::json!({"status": "snoozed", "snoozed_until": 1_732_600_000.0})
    );
    let payload = response.payload.as_ref().unwrap();
    assert_eq!(payload.success, Some(true));
    assert_eq!(payload.conversation_id, Some(101.0));

    match client
        .toggle_status_of_a_conversation(3, 999, body)
        .send()
        .await
    {
        Err(Error::Api { body, .. }) => {
            assert_eq!(body.description.as_deref(), Some("Conversation not found"))
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let client = client("http://127.0.0.1:9");
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn the_command_lists_conversations_and_reports_documented_errors() {
    let (base, received) = serve(vec![
        (200, CONVERSATIONS.to_owned()),
        (400, BAD_REQUEST.to_owned()),
    ]);
    let command = env!("CARGO_BIN_EXE_chatwoot-conversations");
    let listed = Command::new(command)
        .args(["--base-url", &base, "--token", TOKEN, "--account-id", "3"])
        .args([
            "--status", "snoozed", "--labels", "vip", "--labels", "billing", "--page", "1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(listed.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout,
        "mine: 1  unassigned: 1  assigned: 1  all: 2\n\
         #101\tsnoozed\tMaria Lopez\tCan I get a refund please?\n\
         #102\topen\tKen Watanabe\tRefund received, thanks!\n"
    );
    let request = received.recv().unwrap();
    assert_eq!(
        request.url,
        "/api/v1/accounts/3/conversations?status=snoozed&labels=vip&labels=billing&page=1"
    );

    let failed = Command::new(command)
        .args(["--base-url", &base, "--token", TOKEN, "--account-id", "3"])
        .args(["--status", "archived"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Invalid filter"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
}
