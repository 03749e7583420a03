//! `specgate probe` end to end: against the Chatwoot-like upstream on
//! loopback (validator/live/examples/upstream.rs), as a dry run, against a
//! server that is not there, and (ignored unless `.ci/run` starts it)
//! against Stoplight Prism mocking the whole Chatwoot document.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../validator/live/examples/upstream.rs"]
mod upstream;

use std::net::SocketAddr;
use std::process::{Command, Output};

use specgate_spec::{Method, ParameterLocation};

const TOKEN: &str = "probe-secret-91c2";

fn probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .arg("probe")
        .args(args)
        .env("CHATWOOT_TOKEN", TOKEN)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_probe_checks_what_the_api_answers_and_names_the_documents_gap() {
    let upstream = upstream::spawn(SocketAddr::from(([127, 0, 0, 1], 0)));
    let base = format!("http://{upstream}");
    let output = probe(&[
        "--server",
        &base,
        "--operation",
        "conversationList",
        "--param",
        "account_id=3",
        "--param",
        "status=open",
        "-H",
        "api_access_token: ${CHATWOOT_TOKEN}",
        "--format",
        "json",
    ]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    assert!(!all.contains(TOKEN), "the token leaked: {all}");
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(outcome["called"][0]["status"], 200, "{outcome:#}");
    assert_eq!(
        outcome["called"][0]["url"],
        format!("{base}/api/v1/accounts/3/conversations?status=open")
    );
    let findings = outcome["report"]["findings"].as_array().unwrap();
    // The recorded page's `applied_sla: null`, which the document does not allow.
    assert!(
        findings.iter().any(|f| f["operation"] == "conversationList"
            && f["pointer"]
                .as_str()
                .unwrap_or("")
                .ends_with("/applied_sla")),
        "{outcome:#}"
    );
}

#[test]
fn a_dry_run_prints_the_requests_and_what_cannot_be_called() {
    let output = probe(&[
        "--server",
        "http://127.0.0.1:9",
        "--dry-run",
        "--param",
        "account_id=3",
        "-H",
        "api_access_token: ${CHATWOOT_TOKEN}",
        "-H",
        "X-Gateway-Key: key-${CHATWOOT_TOKEN}",
    ]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    // A header filled from the environment is a credential, whatever its name.
    assert!(all.contains("  X-Gateway-Key: REDACTED"), "{all}");
    assert!(
        all.contains("GET http://127.0.0.1:9/api/v1/accounts/3/conversations"),
        "{all}"
    );
    assert!(all.contains("  api_access_token: REDACTED"), "{all}");
    assert!(!all.contains(TOKEN));
    // A conversation's id has no example in the document.
    assert!(
        all.contains(
            "not callable: GET /api/v1/accounts/{account_id}/conversations/{conversation_id} "
        ) && all.contains("pass --param conversation_id=VALUE"),
        "{all}"
    );
    // Nothing but GET and HEAD unless named.
    assert!(!all.contains("\nPOST "), "{all}");
}

#[test]
fn a_server_that_is_not_there_is_exit_2_and_unknown_operations_are_named() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = closed.local_addr().unwrap();
    drop(closed);
    let output = probe(&[
        "--server",
        &format!("http://{nowhere}"),
        "--operation",
        "conversationList",
        "--param",
        "account_id=3",
    ]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains("no response: GET"), "{all}");
    let output = probe(&["--server", "http://127.0.0.1:9", "--operation", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("the document has no operation `nope`"));
    let output = probe(&["--server", "http://127.0.0.1:9", "-H", "x: ${UNSET_VAR_1}"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("UNSET_VAR_1"));
}

#[test]
#[ignore = "needs Prism: run by .ci/run with PRISM_URL"]
fn every_get_operation_of_chatwoot_is_probed_against_prism() {
    let Ok(urls) = std::env::var("PRISM_URL") else {
        panic!("PRISM_URL is not set: start `prism mock` and point it there");
    };
    let base = urls.split(',').next().unwrap().to_owned();
    let document = specgate_spec::chatwoot().unwrap();
    let gets: Vec<_> = document
        .operations
        .iter()
        .filter(|o| matches!(o.method, Method::Get | Method::Head))
        .collect();
    // First with no values: every GET is called or named as not callable.
    let output = probe(&["--server", &base, "--format", "json", "--rate", "100"]);
    let bare: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)));
    let called = bare["called"].as_array().unwrap();
    let not_callable = bare["not_callable"].as_array().unwrap();
    assert_eq!(called.len() + not_callable.len(), gets.len(), "{bare:#}");
    assert!(!not_callable.is_empty(), "account_id has no example");
    // Then with a value for every path parameter: every GET is called and
    // answered.
    let mut args: Vec<String> = vec![
        "--server".into(),
        base.clone(),
        "--format".into(),
        "json".into(),
        "--rate".into(),
        "100".into(),
        "-H".into(),
        "api_access_token: ${CHATWOOT_TOKEN}".into(),
    ];
    let mut named: Vec<&str> = Vec::new();
    for operation in &gets {
        for parameter in &operation.parameters {
            if parameter.location == ParameterLocation::Path
                && !named.contains(&parameter.name.as_str())
            {
                named.push(&parameter.name);
                args.push("--param".into());
                args.push(format!("{}=1", parameter.name));
            }
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = probe(&args);
    let all = text(&output);
    assert!(!all.contains(TOKEN), "the token leaked");
    assert_ne!(output.status.code(), Some(2), "{all}");
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let called = outcome["called"].as_array().unwrap();
    assert_eq!(called.len(), gets.len(), "{outcome:#}");
    assert!(called.iter().all(|c| c["status"].is_u64()), "{outcome:#}");
    assert_eq!(outcome["report"]["summary"]["records"], gets.len());
    eprintln!(
        "probe against Prism: {} GET operations called; summary {}",
        called.len(),
        outcome["report"]["summary"]
    );
}
