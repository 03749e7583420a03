//! Every report format of every command that reports findings, through
//! the binary: `validate` and `drift` on the embedded Chatwoot recordings,
//! `diff` on two versions of a small document, `probe` and `proxy` against
//! the Chatwoot-like upstream on loopback. Each output is read as what it
//! claims to be (JSON, SARIF 2.1.0 with its rules, JUnit XML, workflow
//! commands, Markdown); `.ci/run` also checks every JUnit report against
//! the JUnit 10 XSD (the ignored test at the end).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

#[path = "../validator/live/examples/upstream.rs"]
mod upstream;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

const OLD: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: the pets}
  /owners:
    get:
      operationId: listOwners
      responses:
        '200': {description: the owners}
";

const NEW: &str = "openapi: 3.1.0
info: {title: Pets, version: '2'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer}}
      responses:
        '200': {description: the pets}
";

/// A command's report in `format`, written with --output, and its exit
/// code.
fn report(dir: &std::path::Path, args: &[&str], format: &str) -> (String, Option<i32>) {
    let file = dir.join(format!("{}.{format}", args[0]));
    let output = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .args(["--format", format, "--output"])
        .arg(&file)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!(
            "{args:?} --format {format} wrote no report: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (text, output.status.code())
}

/// Whether `text` is what `format` says, with at least one finding.
fn assert_reads_as(command: &str, format: &str, text: &str) {
    let at = format!("{command} --format {format}");
    match format {
        "human" => {
            assert!(!text.trim().is_empty(), "{at}");
            assert!(!text.starts_with(['{', '<', ':']), "{at}: {text}");
        }
        "json" => {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(value.is_object(), "{at}");
        }
        "sarif" => {
            let log: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(log["version"], "2.1.0", "{at}");
            let run = &log["runs"][0];
            let rules: Vec<&str> = run["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|rule| rule["id"].as_str().unwrap())
                .collect();
            let results = run["results"].as_array().unwrap();
            assert!(!results.is_empty(), "{at}: {text}");
            for result in results {
                let rule = result["ruleId"].as_str().unwrap();
                assert!(rules.contains(&rule), "{at}: rule {rule} is not declared");
                assert!(
                    ["error", "warning", "note"].contains(&result["level"].as_str().unwrap()),
                    "{at}"
                );
            }
            // Where the document has a place for a finding, it is there.
            assert!(
                results
                    .iter()
                    .any(
                        |r| r["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .is_some_and(|line| line > 1)
                    ),
                "{at}: no result on a document line"
            );
        }
        "junit" => {
            assert!(
                text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
                "{at}: {text}"
            );
            assert!(text.trim_end().ends_with("</testsuites>"), "{at}");
            let opened = text.matches("<testcase ").count();
            let closed = text.matches("</testcase>").count() + text.matches("/>\n").count();
            assert!(opened > 0 && opened == closed, "{at}: {text}");
            assert!(text.contains("<failure"), "{at}: {text}");
        }
        "github" => {
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.len() > 1, "{at}");
            for line in &lines {
                assert!(
                    ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|start| line.starts_with(start)),
                    "{at}: {line}"
                );
            }
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("::error file=") && l.contains(",line=")),
                "{at}: no annotation on a document line"
            );
        }
        "markdown" => assert!(text.starts_with('#'), "{at}: {text}"),
        other => panic!("no check for {other}"),
    }
}

fn diff_documents(dir: &std::path::Path) -> (String, String) {
    let old = dir.join("old.yaml");
    let new = dir.join("new.yaml");
    std::fs::write(&old, OLD).unwrap();
    std::fs::write(&new, NEW).unwrap();
    (
        old.to_str().unwrap().to_owned(),
        new.to_str().unwrap().to_owned(),
    )
}

/// Every format of every command but the proxy, with the exit code each
/// gives (the same whatever the format).
fn reports(dir: &std::path::Path) -> Vec<(String, &'static str, String)> {
    let (old, new) = diff_documents(dir);
    let upstream = upstream::spawn(SocketAddr::from(([127, 0, 0, 1], 0)));
    let server = format!("http://{upstream}");
    let commands: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["validate"], vec![]),
        (vec!["drift"], vec!["markdown"]),
        (vec!["diff", &old, &new], vec!["markdown"]),
        (
            vec![
                "probe",
                "--server",
                &server,
                "--operation",
                "conversationList",
                "--param",
                "account_id=3",
                "-H",
                "x-fixture: drift",
            ],
            vec![],
        ),
    ];
    let mut out = Vec::new();
    for (args, extra) in &commands {
        for format in FORMATS.iter().chain(extra) {
            let (text, code) = report(dir, args, format);
            assert_eq!(code, Some(1), "{args:?} --format {format}: {text}");
            out.push((args[0].to_owned(), *format, text));
        }
    }
    out
}

#[test]
fn every_finding_command_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (command, format, text) in reports(dir.path()) {
        assert_reads_as(&command, format, &text);
    }
}

/// A running proxy: started on a free port, its address read from what it
/// prints.
struct Proxy {
    child: std::process::Child,
    address: String,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn proxy(upstream: SocketAddr, format: &str, output: &std::path::Path) -> Proxy {
    let mut child = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["proxy", "--quiet", "--listen", "127.0.0.1:0", "--upstream"])
        .arg(format!("http://{upstream}"))
        .args(["--format", format, "--output"])
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.strip_prefix("specgate proxy: listening on http://") {
            break rest.split(',').next().unwrap().to_owned();
        }
    };
    // Keep draining standard error so the proxy never blocks on it.
    std::thread::spawn(move || lines.for_each(drop));
    Proxy { child, address }
}

/// One request through the proxy, answered with the `drift` page.
fn send(address: &str) {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/v1/accounts/3/conversations HTTP/1.1\r\nHost: {address}\r\nx-fixture: drift\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
}

fn stop(mut proxy: Proxy) -> Option<i32> {
    let status = Command::new("kill")
        .args(["-TERM", &proxy.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = proxy.child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the proxy did not stop");
}

fn proxy_reports(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let upstream = upstream::spawn(SocketAddr::from(([127, 0, 0, 1], 0)));
    let mut out = Vec::new();
    for format in FORMATS {
        let file = dir.join(format!("proxy.{format}"));
        let running = proxy(upstream, format, &file);
        send(&running.address);
        // The exchange is checked beside the traffic: give it a moment.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(stop(running), Some(1), "proxy --format {format}");
        out.push((format, std::fs::read_to_string(&file).unwrap()));
    }
    out
}

#[test]
fn the_proxy_writes_every_format_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    for (format, text) in proxy_reports(dir.path()) {
        assert_reads_as("proxy", format, &text);
    }
}

/// The JUnit 10 XSD, as the validator's own test applies it (Python's
/// `xmlschema`, which `.ci/run` installs and names in `XMLSCHEMA_PYTHON`),
/// on every command's JUnit report.
#[test]
#[ignore = "needs Python xmlschema: run by .ci/run with XMLSCHEMA_PYTHON"]
fn every_junit_report_is_valid_against_the_junit_10_xsd() {
    let Ok(python) = std::env::var("XMLSCHEMA_PYTHON") else {
        panic!("XMLSCHEMA_PYTHON names a Python with the xmlschema package");
    };
    let xsd = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/validator/tests/schemas/junit-10.xsd"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut junit: Vec<(String, String)> = reports(dir.path())
        .into_iter()
        .filter(|(_, format, _)| *format == "junit")
        .map(|(command, _, text)| (command, text))
        .collect();
    junit.extend(
        proxy_reports(dir.path())
            .into_iter()
            .filter(|(format, _)| *format == "junit")
            .map(|(_, text)| ("proxy".to_owned(), text)),
    );
    assert_eq!(junit.len(), 5);
    for (command, xml) in junit {
        let path = dir.path().join(format!("{command}.xml"));
        std::fs::write(&path, &xml).unwrap();
        let output = Command::new(&python)
            .args([
                "-c",
                "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])",
                xsd,
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}: {}\n{xml}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
