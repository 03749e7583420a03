//! The command line: the README's main command, JSON output, standard
//! input, help texts and exit codes.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use predicates::prelude::*;
use support::specgate;

#[test]
fn inspect_without_arguments_summarizes_chatwoot() {
    specgate()
        .arg("inspect")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Chatwoot 1.1.0\n"))
        .stdout(predicate::str::contains("  openapi:    3.1.0\n"))
        .stdout(predicate::str::contains(
            "  operations: 144 (DELETE 18, GET 62, PATCH 21, POST 41, PUT 2)\n",
        ))
        .stdout(predicate::str::contains(
            "  server:     https://app.chatwoot.com/ (base path /)\n",
        ))
        .stdout(predicate::str::contains(
            "  security:   userApiKey: API key in header `api_access_token`\n",
        ))
        .stdout(predicate::str::contains("contradictory-schema (1)"));
}

#[test]
fn inspect_json_is_one_stable_object() {
    let output = specgate()
        .args(["inspect", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["openapi"], "3.1.0");
    assert_eq!(report["title"], "Chatwoot");
    assert_eq!(report["version"], "1.1.0");
    assert_eq!(report["operations"].as_array().unwrap().len(), 144);
    let list = report["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["operation_id"] == "conversationList")
        .unwrap();
    assert_eq!(list["method"], "GET");
    assert_eq!(list["path"], "/api/v1/accounts/{account_id}/conversations");
    assert_eq!(list["tags"], serde_json::json!(["Conversations"]));
    assert!(report["schemas"]
        .as_array()
        .unwrap()
        .contains(&"conversation_list".into()));
    assert_eq!(report["servers"][0]["base_path"], "");
    assert_eq!(report["webhooks"], serde_json::json!([]));
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "contradictory-schema")
        .unwrap();
    assert_eq!(warning["file"], "<embedded chatwoot.json>");
    assert_eq!(
        warning["pointer"],
        "/components/schemas/article/properties/status/enum"
    );
    assert!(warning["line"].as_u64().unwrap() > 1);
}

#[test]
fn inspect_reads_yaml_from_standard_input() {
    let yaml = "openapi: 3.1.0\ninfo: {title: Hooks, version: '2'}\nwebhooks:\n  newPet:\n    post:\n      responses: {'200': {description: ok}}\n";
    specgate()
        .args(["inspect", "--spec", "-", "--format", "json"])
        .write_stdin(yaml)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"source\": \"<stdin>\""))
        .stdout(predicate::str::contains(
            "\"operation_id\": \"post_newpet\"",
        ));
}

#[test]
fn inspect_reports_path_template_mistakes_of_chatwoot_3_0_4() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chatwoot-3.0.4.json");
    std::fs::write(
        &path,
        support::corpus_bytes("chatwoot/swagger-3xF-Tech-3.0.4.json"),
    )
    .unwrap();
    let output = specgate()
        .args(["inspect", "--format", "json", "--spec"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let undeclared: Vec<_> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "undeclared-path-parameter")
        .map(|w| w["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        undeclared
            .iter()
            .any(|m| m.starts_with("`{id}` in `/api/v1/accounts/{id}`")),
        "{undeclared:?}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    specgate()
        .args(["inspect", "--format", "xml"])
        .assert()
        .code(2);
    specgate().arg("frobnicate").assert().code(2);
    specgate().assert().code(2);
}

#[test]
fn generate_writes_a_crate_for_chatwoot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chatwoot-types");
    specgate()
        .args(["generate", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote crate `chatwoot`"))
        // The document's own mistake is named where it is written.
        .stderr(predicate::str::is_match(
            r"warning\[contradictory-schema\] <embedded chatwoot\.json>:\d+:\d+ \(at /components/schemas/article/properties/status/enum\): `type: integer` does not admit",
        ).unwrap());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"chatwoot\""), "{manifest}");
    assert!(manifest.contains("version = \"1.1.0\""), "{manifest}");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod types;"), "{lib}");
    // The types in a module per tag, a file each.
    let conversations = std::fs::read_to_string(out.join("src/types/conversations.rs")).unwrap();
    assert!(conversations.starts_with(specgate_codegen::GENERATED_MARK));
    assert!(conversations.contains("pub struct ConversationList {"));
    assert!(conversations.contains("pub struct ConversationListDataMeta {"));
    let types = std::fs::read_to_string(out.join("src/types/mod.rs")).unwrap();
    assert!(types.contains("pub use conversations::*;"), "{types}");
}

#[test]
fn generate_refuses_a_bad_crate_name() {
    let dir = tempfile::tempdir().unwrap();
    specgate()
        .args(["generate", "--name", "9 lives", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a crate name"));
}

#[test]
fn generate_check_says_whether_the_crate_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    specgate()
        .args(["generate", "--out"])
        .arg(&out)
        .assert()
        .success();
    specgate()
        .args(["generate", "--check", "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("current"));

    // A hand edit, or a document that changed, makes it stale.
    let lib = out.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replacen("pub struct Client", "pub struct Klient", 1),
    )
    .unwrap();
    specgate()
        .args(["generate", "--check", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("src/lib.rs: differs from line"))
        .stdout(predicate::str::contains("Cargo.toml").not())
        .stderr(predicate::str::contains("stale"));
    // --check writes nothing.
    assert!(std::fs::read_to_string(&lib).unwrap().contains("Klient"));

    let petstore = dir.path().join("petstore.yaml");
    std::fs::write(
        &petstore,
        "openapi: 3.0.3\ninfo: {title: Chatwoot, version: 1.1.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n",
    )
    .unwrap();
    specgate()
        .args(["generate", "--check", "--spec"])
        .arg(&petstore)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "src/types/conversations.rs: no longer generated",
        ));
    // Writing it removes the files it no longer has, and only those.
    let own = out.join("src/mine.rs");
    std::fs::write(&own, "// a file of my own\n").unwrap();
    specgate()
        .args(["generate", "--spec"])
        .arg(&petstore)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("src/types/conversations.rs").exists());
    assert!(own.exists());
    specgate()
        .args(["generate", "--check", "--out"])
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Cargo.toml: missing"));
}

#[test]
fn validate_checks_the_embedded_chatwoot_recordings() {
    let output = specgate().arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The document's own gap: `snoozed` is a filter value, not a status.
    assert!(
        stdout.contains("response body at /data/payload/0/status: \"snoozed\" is not one of"),
        "{stdout}"
    );
    assert!(stdout.contains("the operation documents no response for status 401"));
    // The client sent a status filter the document does not list, and the
    // server refused it with a 400: shown, as a warning, since the server
    // did what the document says.
    assert!(stdout.contains("query parameter status at /: \"archived\" is not one of"));
    assert!(stdout.contains("(the server rejected the request with 400)"));
    assert!(stdout.contains("12 records, 5 conform"), "{stdout}");
    assert!(
        !stdout.contains("Xk3pQ9vR2mT7wY1z"),
        "the recorded token leaked"
    );
    // Standard error is not a terminal here: no progress bar in logs.
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn validate_draws_a_progress_bar_on_a_terminal_and_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let recordings = dir.path().join("many.jsonl");
    let text = specgate_validator::CHATWOOT_RECORDINGS.repeat(100);
    std::fs::write(&recordings, &text).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("specgate");
    // `script` (util-linux) runs the command on a pseudo-terminal and
    // copies what it draws to our standard output.
    let command = format!(
        "{} validate --spec {} {} > {}",
        binary.display(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/spec/openapi/chatwoot.json"),
        recordings.display(),
        dir.path().join("report.txt").display()
    );
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let drawn = String::from_utf8_lossy(&output.stdout);
    // The bar is over the input's bytes, which indicatif shows in MiB.
    let total = format!("/{:.2} MiB", text.len() as f64 / 1_048_576.0);
    assert!(drawn.contains(&total), "{total} in {drawn}");
    assert!(drawn.contains(" records ("), "{drawn}");
    // Cleared before the report: the last thing drawn erases the line.
    assert!(drawn.trim_end().ends_with("\u{1b}[2K"), "{drawn:?}");
    let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(report.contains("1200 records, 500 conform"), "{report}");
}

#[test]
fn validate_json_is_one_object_with_a_summary_and_findings() {
    let output = specgate()
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 12);
    assert_eq!(report["summary"]["findings"]["undocumented-status"], 1);
    let snoozed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["found"] == "snoozed")
        .unwrap();
    assert_eq!(snoozed["kind"], "violation");
    assert_eq!(snoozed["entry"], 2);
    assert_eq!(snoozed["operation"], "conversationList");
    assert_eq!(snoozed["pointer"], "/data/payload/0/status");
    assert_eq!(
        snoozed["schema"]["pointer"],
        "/components/schemas/conversation/properties/status/enum"
    );
    assert!(snoozed["schema"]["line"].as_u64().is_some());
}

#[test]
fn validate_reads_standard_input_and_reports_malformed_lines_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("pets.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\nservers: [{url: 'https://pets.example/v1'}]\npaths:\n  /pets/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [name], properties: {name: {type: string}}}\n",
    )
    .unwrap();
    let good = r#"{"request": {"method": "GET", "url": "https://pets.example/v1/pets/1"}, "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{\"name\": \"Rex\"}"}}"#;
    let bad = r#"{"request": {"method": "GET", "url": "/v1/pets/2"}, "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{}"}}"#;
    specgate()
        .arg("validate")
        .arg("--spec")
        .arg(&spec)
        .arg("-")
        .write_stdin(format!("{good}\nnot json\n{bad}\n"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("<stdin>#1"))
        .stdout(predicate::str::contains("<stdin>#2"))
        .stdout(predicate::str::contains("\"name\" is a required property"))
        .stdout(predicate::str::contains("3 records, 1 conform"));
    specgate()
        .arg("validate")
        .arg("--spec")
        .arg(&spec)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no recordings given"));
    specgate()
        .arg("validate")
        .arg("--spec")
        .arg(&spec)
        .arg("-")
        .write_stdin(format!("{good}\n"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 record, 1 conform: conforms"));
}

#[test]
fn a_schema_that_is_only_a_cycle_is_a_warning_not_a_crash() {
    // Regression: `specgate validate` aborted with a stack overflow.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("self.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
         parameters:\n        - {name: q, in: query, schema: {$ref: '#/components/schemas/A'}}\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema: {$ref: '#/components/schemas/A'}\n\
         components:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
    )
    .unwrap();
    specgate()
        .args(["inspect", "--spec"])
        .arg(&spec)
        .assert()
        .success()
        .stdout(predicate::str::contains("cyclic-schema (1)"))
        .stdout(predicate::str::contains("(A → A)"));
    let record = r#"{"request": {"method": "GET", "url": "/a?q=1"}, "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{\"x\": 1}"}}"#;
    specgate()
        .args(["validate", "--spec"])
        .arg(&spec)
        .arg("-")
        .write_stdin(format!("{record}\n"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 record, 1 conform"));
}

#[test]
fn formats_are_asserted_unless_annotate_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("when.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: when, version: '1'}\npaths:\n  /when:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {at: {type: string, format: date-time}}}\n",
    )
    .unwrap();
    let recording = dir.path().join("when.jsonl");
    std::fs::write(
        &recording,
        r#"{"request": {"method": "GET", "url": "/when"}, "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{\"at\": \"yesterday\"}"}}"#.to_owned() + "\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        specgate()
            .args(["validate", "--spec"])
            .arg(&spec)
            .arg(&recording)
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(1));
    assert_eq!(run(&["--formats", "assert"]), Some(1));
    assert_eq!(run(&["--formats", "annotate"]), Some(0));
}
