//! A pool of validators on NATS JetStream, end to end through the binary:
//! `publish --to`, workers (`validate --from`), `report --from`, against a
//! real `nats-server` each test starts on a loopback port in a temporary
//! folder. The tests that need the server are ignored unless `.ci/run`
//! (which installs it) runs them.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::nats::{json, run, server_binary, specgate, text};

/// A `nats-server -js` on a free loopback port, stopped on drop.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        Server::with_args(&[])
    }

    fn with_args(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        // Free now; taken by the server a moment later.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(server_binary())
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.path())
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server on the PATH (apt-get install nats-server)");
        let server = Server {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Stops the server (as a crash would) and starts it again on the same
    /// port and storage.
    fn restart_after(&mut self, outage: impl FnOnce()) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        outage();
        let dir = self._dir.path().to_path_buf();
        self.child = Command::new(server_binary())
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not restart");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self, name: &str) -> String {
        format!("nats://127.0.0.1:{}/{name}", self.port)
    }

    /// Publishes raw bytes with the core protocol, no headers: what a
    /// stranger to specgate might put on the stream's subject.
    fn publish_raw(&self, subject: &str, payload: &[u8]) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut message = format!(
            "CONNECT {{\"verbose\":false}}\r\nPUB {subject} {}\r\n",
            payload.len()
        )
        .into_bytes();
        message.extend_from_slice(payload);
        message.extend_from_slice(b"\r\nPING\r\n");
        stream.write_all(&message).unwrap();
        let mut seen = Vec::new();
        let mut buffer = [0u8; 1024];
        while !String::from_utf8_lossy(&seen).contains("PONG") {
            let read = stream.read(&mut buffer).unwrap();
            assert!(
                read > 0,
                "the server closed: {}",
                String::from_utf8_lossy(&seen)
            );
            seen.extend_from_slice(&buffer[..read]);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn publish(url: &str, inputs: &[&Path]) -> Output {
    let output = run(specgate().args(["publish", "--to", url]).args(inputs));
    assert!(output.status.success(), "{}", text(&output.stderr));
    output
}

/// Starts a worker that stops when the stream is empty.
fn worker(url: &str) -> Child {
    specgate()
        .args(["validate", "--from", url, "--until-empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> Output {
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    output
}

/// How many exchanges a worker said it checked ("checked N exchanges
/// from ...").
fn checked_by(worker: &Output) -> usize {
    let said = text(&worker.stderr);
    said.split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"))
}

/// The embedded Chatwoot recordings, as a file.
fn recordings(dir: &Path, copies: usize) -> std::path::PathBuf {
    let path = dir.join("traffic.jsonl");
    let text = specgate_validator::CHATWOOT_RECORDINGS.repeat(copies);
    std::fs::write(&path, text).unwrap();
    path
}

/// What `validate FILE` reports, in `format`.
fn validate(file: &Path, format: &str) -> Output {
    run(specgate().args(["validate", "--format", format]).arg(file))
}

fn report(url: &str, format: &str) -> Output {
    run(specgate().args(["report", "--from", url, "--format", format]))
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn two_workers_report_what_validate_reports_in_every_format() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    let url = server.url("shop");
    publish(&url, &[&file]);
    let (a, b) = (worker(&url), worker(&url));
    let (a, b) = (finish(a), finish(b));
    let checked = checked_by(&a) + checked_by(&b);
    assert_eq!(checked, 12, "each exchange checked by one worker");
    for format in ["json", "human", "sarif", "junit", "github"] {
        let pooled = report(&url, format);
        let direct = validate(&file, format);
        assert_eq!(pooled.status.code(), direct.status.code(), "{format}");
        assert_eq!(text(&pooled.stdout), text(&direct.stdout), "{format}");
        assert!(text(&pooled.stderr).is_empty(), "{}", text(&pooled.stderr));
    }
    // A finding still names the file and entry it came from.
    let findings = json(&report(&url, "json"))["findings"].clone();
    assert!(findings
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["source"] == file.display().to_string()));
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn drift_workers_beside_validate_workers_report_what_drift_reports() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 3);
    let url = server.url("shop");
    publish(&url, &[&file]);
    let drift_worker = || {
        specgate()
            .args(["drift", "--from", &url, "--until-empty"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Two drift workers share the drift job; one validate worker has
    // the validate job to itself: each job sees every exchange once.
    let (a, b, c) = (drift_worker(), drift_worker(), worker(&url));
    let (a, b) = (finish(a), finish(b));
    assert!(text(&finish(c).stderr).starts_with("checked 36 "));
    let checked = checked_by(&a) + checked_by(&b);
    let said = [text(&a.stderr), text(&b.stderr)];
    assert_eq!(checked, 36, "{said:?}");
    for format in ["json", "markdown", "sarif"] {
        let direct_patch = dir.path().join(format!("direct-{format}.json"));
        let pooled_patch = dir.path().join(format!("pooled-{format}.json"));
        let direct = run(specgate()
            .args(["drift", "--format", format, "--suggest"])
            .arg(&direct_patch)
            .arg(&file));
        let pooled = run(specgate()
            .args(["report", "--drift", "--from", &url, "--format", format])
            .arg("--suggest")
            .arg(&pooled_patch));
        assert_eq!(pooled.status.code(), direct.status.code(), "{format}");
        assert_eq!(text(&pooled.stdout), text(&direct.stdout), "{format}");
        assert_eq!(
            std::fs::read_to_string(&pooled_patch).unwrap(),
            std::fs::read_to_string(&direct_patch).unwrap()
        );
    }
    let pooled = report(&url, "json");
    assert_eq!(text(&pooled.stdout), text(&validate(&file, "json").stdout));
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn an_exchange_published_twice_is_counted_once() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    let url = server.url("twice");
    publish(&url, &[&file]);
    let again = publish(&url, &[&file]);
    assert!(
        text(&again.stderr).contains("published 0 records")
            && text(&again.stderr).contains("12 the stream already had were dropped"),
        "{}",
        text(&again.stderr)
    );
    finish(worker(&url));
    let pooled = json(&report(&url, "json"));
    let direct = json(&validate(&file, "json"));
    assert_eq!(pooled["summary"]["records"], 12);
    assert_eq!(pooled, direct);
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_message_that_is_no_record_is_named_by_its_sequence_and_blocks_nothing() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    let url = server.url("mixed");
    publish(&url, &[&file]);
    server.publish_raw("specgate.mixed.exchanges", b"not a record");
    let (a, b) = (worker(&url), worker(&url));
    let said = text(&finish(a).stderr) + &text(&finish(b).stderr);
    assert!(said.contains("(1 messages were not records)"), "{said}");
    let pooled = report(&url, "json");
    assert_eq!(pooled.status.code(), Some(2), "a malformed record: exit 2");
    let pooled = json(&pooled);
    assert_eq!(pooled["summary"]["records"], 13);
    let malformed: Vec<&Value> = pooled["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "malformed")
        .collect();
    assert_eq!(malformed.len(), 1, "{malformed:?}");
    assert_eq!(malformed[0]["source"], "nats stream mixed");
    assert_eq!(malformed[0]["entry"], 13, "the stream's 13th message");
    assert!(malformed[0]["message"]
        .as_str()
        .unwrap()
        .contains("message 13 of stream mixed is not a specgate record"));
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_worker_killed_mid_run_loses_nothing() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    // 20,004 exchanges (the 20,000, in whole copies of the
    // recordings), each its own entry of the file.
    let file = recordings(dir.path(), 1667);
    let url = server.url("crash");
    publish(&url, &[&file]);
    let mut doomed = worker(&url);
    // Killed once it has stored some results, long before it is done.
    let deadline = Instant::now() + Duration::from_secs(20);
    let stored_before_kill = loop {
        let records = json(&report(&url, "json"))["summary"]["records"]
            .as_u64()
            .unwrap();
        if records > 0 {
            break records;
        }
        assert!(Instant::now() < deadline, "the worker stored nothing");
        std::thread::sleep(Duration::from_millis(20));
    };
    doomed.kill().unwrap(); // SIGKILL
    let _ = doomed.wait();
    assert!(
        stored_before_kill < 20_004,
        "the worker finished before it was killed"
    );
    // Another worker takes what the dead one held, once its ack wait ends.
    finish(worker(&url));
    let pooled = report(&url, "json");
    assert!(text(&pooled.stderr).is_empty(), "{}", text(&pooled.stderr));
    let direct = json(&validate(&file, "json"));
    let pooled = json(&pooled);
    assert_eq!(pooled["summary"]["records"], 20_004);
    assert_eq!(pooled, direct);
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_worker_shows_its_progress_on_metrics_and_stops_cleanly_on_sigterm() {
    use std::io::BufRead;
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("watched");
    publish(&url, &[&recordings(dir.path(), 1)]);
    let mut child = specgate()
        .args(["validate", "--from", &url, "--metrics", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    said.read_line(&mut first).unwrap();
    let port: u16 = first
        .trim()
        .strip_prefix("specgate validate: metrics at http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/metrics"))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("{first}"));
    // Every exchange checked, and none left for any worker.
    let deadline = Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let metrics = scrape(port);
        if metrics.contains("specgate_worker_checked_total{job=\"validate\"} 12")
            && metrics.contains("specgate_worker_backlog{job=\"validate\"} 0")
        {
            break metrics;
        }
        assert!(Instant::now() < deadline, "{metrics}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(metrics.contains("specgate_worker_malformed_total{job=\"validate\"} 0"));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    said.read_to_string(&mut rest).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(status.success(), "{rest}");
    assert!(rest.contains("checked 12 exchanges"), "{rest}");
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_worker_stopped_mid_run_gives_back_what_it_fetched_ahead() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 500);
    let url = server.url("handover");
    publish(&url, &[&file]);
    // An ack wait far longer than the test: what the stopped worker held
    // must come back because it gave it back, not because it timed out.
    let first = specgate()
        .env("SPECGATE_NATS_ACK_WAIT", "300")
        .args(["validate", "--from", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    let first = finish(first);
    let started = Instant::now();
    let second = finish(worker(&url));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        checked_by(&first) < 6_000,
        "stopped mid-run: {}",
        checked_by(&first)
    );
    assert_eq!(checked_by(&first) + checked_by(&second), 6_000);
    let pooled = json(&report(&url, "json"));
    assert_eq!(pooled["summary"]["records"], 6_000);
}

/// The body of `GET /metrics`.
fn scrape(port: u16) -> String {
    http_get(port, "/metrics", "")
}

/// A whole answer to one GET over loopback, `headers` (each ending in
/// CRLF) sent with it.
fn http_get(port: u16, path: &str, headers: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn credentials_are_used_and_never_shown() {
    let server = Server::with_args(&["--user", "specgate", "--pass", "s3cret-pass"]);
    let port = server.port;
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    // Right, in the URL.
    publish(
        &format!("nats://specgate:s3cret-pass@127.0.0.1:{port}/auth"),
        &[&file],
    );
    // Right, from the environment.
    let from_env = run(specgate()
        .args(["report", "--from", &server.url("auth")])
        .env("NATS_USER", "specgate")
        .env("NATS_PASSWORD", "s3cret-pass"));
    assert_eq!(
        from_env.status.code(),
        Some(0),
        "{}",
        text(&from_env.stderr)
    );
    // Wrong, in the URL and in the environment.
    let wrong_url = run(specgate().args([
        "report",
        "--from",
        &format!("nats://specgate:wrong-pass@127.0.0.1:{port}/auth"),
    ]));
    let wrong_env = run(specgate()
        .args(["validate", "--from", &server.url("auth"), "--until-empty"])
        .env("NATS_TOKEN", "wrong-token"));
    for (output, secret) in [(wrong_url, "wrong-pass"), (wrong_env, "wrong-token")] {
        let said = text(&output.stdout) + &text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{said}");
        assert!(
            said.contains("cannot connect to nats://127.0.0.1:"),
            "{said}"
        );
        assert!(said.to_lowercase().contains("authoriz"), "{said}");
        assert!(!said.contains(secret), "{said}");
    }
}

#[test]
fn an_unreachable_server_or_a_bad_address_is_an_input_error_at_once() {
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cases = [
        (
            format!("nats://user:hunter2@127.0.0.1:{port}/shop"),
            "cannot connect to nats://127.0.0.1:",
        ),
        (
            "nats://user:hunter2@127.0.0.1:1/a.b".to_owned(),
            "use letters, digits, - and _",
        ),
        (
            "http://user:hunter2@127.0.0.1:1/shop".to_owned(),
            "must start with nats://",
        ),
    ];
    for (url, expected) in cases {
        for args in [
            vec!["report", "--from", &url],
            vec!["validate", "--from", &url],
            vec!["publish", "--to", &url],
        ] {
            let started = Instant::now();
            let output = run(specgate().args(&args));
            let said = text(&output.stdout) + &text(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {said}");
            assert!(said.contains(expected), "{args:?}: {said}");
            assert!(!said.contains("hunter2"), "{args:?}: {said}");
            assert!(started.elapsed() < Duration::from_secs(10));
        }
    }
}

/// An upstream that answers every request `200 {}` and closes.
fn upstream() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut seen = Vec::new();
            let mut buffer = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => seen.extend_from_slice(&buffer[..read]),
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
            );
        }
    });
    port
}

/// A proxy in front of a fresh upstream, publishing to `pool`; returns
/// it and the port clients use.
fn proxy(pool: &str) -> (Child, u16) {
    proxy_with(pool, &[])
}

fn proxy_with(pool: &str, extra: &[&str]) -> (Child, u16) {
    let upstream = upstream();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = specgate()
        .args(["proxy", "--quiet", "--format", "json", "--publish", pool])
        .args(extra)
        .arg("--upstream")
        .arg(format!("http://127.0.0.1:{upstream}"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the proxy did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

/// One GET through the proxy: the status line.
fn get(port: u16, path: &str) -> String {
    let answer = http_get(port, path, "api_access_token: s3cret-token\r\n");
    answer.lines().next().unwrap_or_default().to_owned()
}

/// Stops a proxy with SIGTERM; what it said.
fn stop(child: Child) -> Output {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_ne!(output.status.code(), Some(2), "{}", text(&output.stderr));
    output
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn the_proxy_publishes_each_exchange_redacted_for_the_pool() {
    // Proxy → stream → two workers → the merged report is `validate`'s of
    // the proxy's own recording.
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("live.jsonl");
    let url = server.url("live");
    let (child, port) = proxy_with(&url, &["--record", recording.to_str().unwrap()]);
    for page in 1..=30 {
        let path = match page % 3 {
            0 => format!("/api/v1/accounts/1/conversations?page={page}"),
            1 => format!("/api/v1/accounts/1/conversations?status=open&page={page}"),
            _ => format!("/api/v1/accounts/1/undocumented/{page}"),
        };
        let status = get(port, &path);
        assert!(status.starts_with("HTTP/1.1"), "{status}");
    }
    let said = text(&stop(child).stderr);
    assert!(said.contains("30 published to nats://127.0.0.1:"), "{said}");
    assert!(said.contains("0 publish-dropped"), "{said}");
    let (a, b) = (worker(&url), worker(&url));
    let (a, b) = (finish(a), finish(b));
    assert!(text(&a.stderr).starts_with("checked ") && text(&b.stderr).starts_with("checked "));
    let pooled = report(&url, "json");
    let shown = text(&pooled.stdout);
    assert!(!shown.contains("s3cret-token"), "{shown}");
    assert_eq!(json(&pooled)["summary"]["records"], 30);
    let direct = validate(&recording, "json");
    assert_eq!(pooled.status.code(), direct.status.code());
    assert_eq!(shown, text(&direct.stdout));
}

#[test]
fn the_proxy_serves_with_the_pool_unreachable_and_counts_what_it_drops() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (child, port) = proxy(&format!("nats://user:hunter2@127.0.0.1:{closed}/away"));
    for page in 1..=3 {
        let status = get(
            port,
            &format!("/api/v1/accounts/1/conversations?page={page}"),
        );
        assert!(status.contains("200"), "{status}");
    }
    let stopped = stop(child);
    let said = text(&stopped.stderr);
    assert!(said.contains("0 published to"), "{said}");
    assert!(said.contains("3 publish-dropped"), "{said}");
    assert!(!said.contains("hunter2"), "{said}");
    assert_eq!(json(&stopped)["publish-dropped"], 3, "the JSON outcome too");
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_record_too_large_for_the_server_is_named_not_lost() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    // A 2 MB body: the server takes 1 MB in one message.
    let large = serde_json::json!({
        "request": {"method": "GET", "url": "/api/v1/accounts/1/conversations"},
        "response": {"status": 200, "headers": {"Content-Type": "text/plain"},
                     "body": "x".repeat(2 << 20)},
    });
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&format!("{large}\n"));
    std::fs::write(&file, text).unwrap();
    let url = server.url("large");
    publish(&url, &[&file]);
    finish(worker(&url));
    let pooled = report(&url, "json");
    assert_eq!(pooled.status.code(), Some(2));
    let pooled = json(&pooled);
    assert_eq!(pooled["summary"]["records"], 13);
    let malformed: Vec<&Value> = pooled["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "malformed")
        .collect();
    assert_eq!(malformed.len(), 1);
    assert_eq!(malformed[0]["entry"], 12);
    assert!(malformed[0]["message"]
        .as_str()
        .unwrap()
        .contains("more than the NATS server takes in one message"));
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn the_proxy_serves_through_a_server_outage_and_accounts_for_every_exchange() {
    let mut server = Server::start();
    let url = server.url("outage");
    let (child, port) = proxy(&url);
    let mut sent = 0;
    let mut send = |count: usize| {
        for _ in 0..count {
            let status = get(
                port,
                &format!("/api/v1/accounts/1/conversations?page={sent}"),
            );
            assert!(status.contains("200"), "{status}");
            sent += 1;
        }
    };
    send(5);
    std::thread::sleep(Duration::from_millis(500));
    // Served on while the server is away.
    server.restart_after(|| send(5));
    // The client reconnects by itself; give it a moment.
    std::thread::sleep(Duration::from_secs(3));
    send(5);
    let stopped = stop(child);
    let said = text(&stopped.stderr);
    let outcome = json(&stopped);
    let dropped = outcome["publish-dropped"].as_u64().unwrap();
    let published: u64 = said
        .split("specgate proxy: ")
        .find_map(|line| line.split(" published to ").next()?.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(
        published + dropped,
        15,
        "every exchange accounted for: {said}"
    );
    assert!(published >= 10, "before and after the outage: {said}");
    finish(worker(&url));
    assert_eq!(
        json(&report(&url, "json"))["summary"]["records"].as_u64(),
        Some(published)
    );
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn workers_ride_out_a_server_restart_mid_run() {
    let mut server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 500);
    let url = server.url("restart");
    publish(&url, &[&file]);
    let (mut a, mut b) = (worker(&url), worker(&url));
    std::thread::sleep(Duration::from_millis(300));
    assert!(a.try_wait().unwrap().is_none() && b.try_wait().unwrap().is_none());
    // Killed (as a crash would) with exchanges held and results in
    // flight; back on the same storage a second later.
    server.restart_after(|| std::thread::sleep(Duration::from_secs(1)));
    let (a, b) = (finish(a), finish(b));
    let direct = validate(&file, "json");
    let pooled = report(&url, "json");
    assert_eq!(
        text(&pooled.stdout),
        text(&direct.stdout),
        "{}{}",
        text(&a.stderr),
        text(&b.stderr)
    );
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_pool_asked_never_to_create_streams_refuses_a_missing_one() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = recordings(dir.path(), 1);
    let strict = format!("{}?create=false", server.url("made"));
    let refused = run(specgate().args(["publish", "--to", &strict]).arg(&file));
    assert_eq!(refused.status.code(), Some(2));
    let said = text(&refused.stderr);
    assert!(
        said.contains("the stream made does not exist, and the address says ?create=false"),
        "{said}"
    );
    // Made once (here by specgate; by an operator in production), the
    // streams are used as they are.
    publish(&server.url("made"), &[&file]);
    finish(worker(&server.url("made")));
    publish(&strict, &[&file]);
    finish(worker(&strict));
    let pooled = run(specgate().args(["report", "--from", &strict, "--format", "json"]));
    assert_eq!(json(&pooled)["summary"]["records"], 12);
}

#[test]
fn a_worker_takes_no_input_and_writes_no_report() {
    for extra in [["recordings.jsonl", ""], ["--output", "report.json"]] {
        let output = run(specgate()
            .args(["validate", "--from", "nats://127.0.0.1:1/shop"])
            .args(extra.iter().filter(|a| !a.is_empty())));
        let said = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{said}");
        assert!(said.contains("cannot be used with"), "{said}");
    }
}
