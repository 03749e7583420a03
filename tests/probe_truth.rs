//! `specgate probe` tells the truth: a run that checked nothing says so and
//! is no success; a body is built from its members' examples (or read from
//! --body) and shown by --dry-run with its secrets redacted; a loopback
//! server receives exactly that body.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

const DOCUMENT: &str = "openapi: 3.1.0
info: {title: Sessions, version: '1'}
paths:
  /sessions:
    post:
      operationId: createSession
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [ttl]
              properties:
                ttl: {type: integer, example: 1800}
                password: {type: string, example: hunter2-secret}
      responses:
        '201': {description: made}
  /sessions/{id}:
    get:
      operationId: getSession
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the session}
";

fn probe(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    let spec = dir.path().join("sessions.yaml");
    std::fs::write(&spec, DOCUMENT).unwrap();
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .arg("probe")
        .arg("--spec")
        .arg(&spec)
        .args(args)
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

/// A server on loopback that answers `201` with no body to each of at
/// most `requests` requests and hands over each request's body.
fn server(requests: usize) -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (sent, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { return };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = sent.send((head, body));
            let _ = stream.write_all(
                b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (format!("http://{address}"), received)
}

#[test]
fn a_body_is_built_from_member_examples_and_the_server_receives_it() {
    let dir = tempfile::tempdir().unwrap();
    let (url, received) = server(1);
    let output = probe(&dir, &["--server", &url, "--operation", "createSession"]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    let (head, body) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(head.starts_with("POST /sessions "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"ttl": 1800, "password": "hunter2-secret"})
    );
    // One of each, said so.
    assert!(
        all.contains("probe: 1 request sent, 1 answered, 0 operations not callable"),
        "{all}"
    );
    assert!(all.contains("1 record, 1 conform: conforms"), "{all}");
}

#[test]
fn a_dry_run_shows_the_body_it_would_send_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let output = probe(
        &dir,
        &[
            "--server",
            "http://127.0.0.1:9",
            "--operation",
            "createSession",
            "--dry-run",
        ],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    assert!(
        all.contains("POST http://127.0.0.1:9/sessions  (createSession)"),
        "{all}"
    );
    assert!(all.contains("\"ttl\": 1800"), "{all}");
    assert!(all.contains("\"password\": \"REDACTED\""), "{all}");
    assert!(!all.contains("hunter2"), "{all}");
}

#[test]
fn body_supplies_a_body_from_a_file_and_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    std::fs::write(&file, r#"{"ttl": 60}"#).unwrap();
    let (url, received) = server(1);
    let given = format!("createSession={}", file.display());
    let output = probe(
        &dir,
        &[
            "--server",
            &url,
            "--operation",
            "createSession",
            "--body",
            &given,
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let (_, body) = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(body, br#"{"ttl": 60}"#);

    let missing = dir.path().join("nowhere.json");
    let given = format!("createSession={}", missing.display());
    let output = probe(
        &dir,
        &[
            "--server",
            "http://127.0.0.1:9",
            "--operation",
            "createSession",
            "--body",
            &given,
        ],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains(&missing.display().to_string()), "{all}");
    // A body for an operation that is not called is a mistake to name.
    let output = probe(
        &dir,
        &[
            "--server",
            "http://127.0.0.1:9",
            "--body",
            &given.replace("nowhere", "session"),
        ],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(
        all.contains("name it with --operation createSession"),
        "{all}"
    );
}

#[test]
fn no_response_at_all_is_nothing_checked_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = closed.local_addr().unwrap();
    drop(closed);
    let output = probe(
        &dir,
        &[
            "--server",
            &format!("http://{nowhere}"),
            "--operation",
            "createSession",
        ],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(!all.contains("conforms"), "{all}");
    assert!(
        all.contains("nothing was checked: 1 request sent and none answered"),
        "{all}"
    );
    assert!(all.contains("no response: POST"), "{all}");
}

#[test]
fn every_operation_not_callable_is_no_success() {
    let dir = tempfile::tempdir().unwrap();
    // The one GET needs an `id` the document gives no example of.
    for args in [&[][..], &["--dry-run"][..], &["--format", "json"][..]] {
        let mut all_args = vec!["--server", "http://127.0.0.1:9"];
        all_args.extend_from_slice(args);
        let output = probe(&dir, &all_args);
        let all = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {all}");
        assert!(
            all.contains("not callable: GET /sessions/{id} (getSession)")
                && all.contains("pass --param id=VALUE"),
            "{all}"
        );
        assert!(
            all.contains("nothing was checked: the one operation selected is not callable"),
            "{args:?}: {all}"
        );
        assert!(!all.contains("conforms"), "{all}");
    }
}

#[test]
fn base_url_no_longer_names_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let output = probe(&dir, &["--base-url", "http://127.0.0.1:9"]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains("--server <URL>"), "{all}");
}
