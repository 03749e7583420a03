//! The generated client talking to a Chatwoot-like server through
//! `specgate proxy` (the library the command runs): the client reads the
//! page it would read directly, and the proxy checks the exchange it
//! passed on, naming the document's own gap (`snoozed`) and never the
//! token.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;

use chatwoot_example::types::{ConversationListStatus, ConversationStatus};
use chatwoot_example::Client;
use specgate_live::proxy::{self, Options};
use specgate_validator::Validator;

const CONVERSATIONS: &str = include_str!("fixtures/conversations.json");
const TOKEN: &str = "s3cr3t-token-value";

/// Serves the recorded page to every request.
fn upstream() -> SocketAddr {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = server.server_addr().to_ip().unwrap();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let content_type =
                tiny_http::Header::from_bytes("Content-Type", "application/json; charset=utf-8")
                    .unwrap();
            let response =
                tiny_http::Response::from_string(CONVERSATIONS).with_header(content_type);
            let _ = request.respond(response);
        }
    });
    address
}

#[tokio::test]
async fn the_generated_client_reads_through_the_proxy_which_checks_each_exchange() {
    let upstream = upstream();
    let (listening, address) = mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = thread::spawn(move || {
        let document = specgate_spec::chatwoot().unwrap();
        let validator = Validator::new(&document).unwrap();
        let mut options = Options::new(format!("http://{upstream}").parse().unwrap());
        options.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        options.print_findings = false;
        proxy::run(
            &validator,
            &options,
            |at| listening.send(at.proxy).unwrap(),
            async {
                let _ = stopped.await;
            },
        )
    });
    let proxy = address.recv().unwrap();
    let client = Client::new(format!("http://{proxy}")).with_user_api_key(TOKEN);
    let page = client
        .conversation_list(3)
        .status(ConversationListStatus::Open)
        .labels(["vip", "billing"])
        .send()
        .await
        .unwrap();
    let payload = page.data.as_ref().unwrap().payload.as_ref().unwrap();
    assert_eq!(payload.len(), 2);
    assert_eq!(
        payload[0].conversation.status,
        Some(ConversationStatus::Other("snoozed".into()))
    );
    // Twice more, on the client's kept-alive connection.
    for _ in 0..2 {
        client.conversation_list(3).send().await.unwrap();
    }
    stop.send(()).unwrap();
    let outcome = running.join().unwrap().unwrap();
    assert_eq!(outcome.exchanges, 3);
    assert_eq!(outcome.checked, 3);
    let report = &outcome.report;
    assert_eq!(report.summary.records, 3);
    let snoozed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.pointer.as_deref() == Some("/data/payload/0/status"))
        .collect();
    assert_eq!(snoozed.len(), 3, "{:#?}", report.findings);
    assert_eq!(snoozed[0].operation.as_deref(), Some("conversationList"));
    assert_eq!(
        snoozed[0].request.as_deref(),
        Some("GET /api/v1/accounts/3/conversations?status=open&labels=vip&labels=billing")
    );
    let json = report.json();
    assert!(!json.contains(TOKEN), "the token leaked");
}
