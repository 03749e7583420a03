//! `specgate diff` end to end: exit codes, formats, ignore files, git
//! revisions of multi-file documents, recorded traffic.

// Helpers outside `#[test]` functions may unwrap too: a failure there is a
// failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::specgate;

const OLD: &str = r##"openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pets"}
  /pets/{id}:
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "204": {description: gone}
components:
  schemas:
    Pets:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {type: string}}
        total: {type: integer, nullable: true}
"##;

/// OLD with `DELETE /pets/{id}` removed, `total` written the 3.1 way
/// (no change) and `limit` widened.
const NEW: &str = r#"{"openapi": "3.1.0", "info": {"title": "Pets", "version": "2"},
  "paths": {"/pets": {"get": {"operationId": "listPets",
    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
      "type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"type": "string"}},
        "total": {"type": ["integer", "null"]}}}}}}}}}}}"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn breaking_changes_exit_1_and_the_level_decides() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.yaml", OLD),
        write(dir.path(), "new.json", NEW),
    );
    let output = specgate().args(["diff", &old, &new]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("breaking  /pets/{id}  [path-removed]"),
        "{text}"
    );
    assert!(text.contains("1 breaking, 0 warnings, 1 info"), "{text}");
    assert!(
        !text.contains("total"),
        "the 3.0 to 3.1 rewrite is no change: {text}"
    );
    specgate()
        .args(["diff", &old, &new, "--fail-on", "never"])
        .assert()
        .code(0);
    specgate().args(["diff", &old, &old]).assert().code(0);
    specgate()
        .args(["diff", &new, &old, "--fail-on", "info"])
        .assert()
        .code(1);
}

#[test]
fn json_is_one_object_with_counts_and_located_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.yaml", OLD),
        write(dir.path(), "new.json", NEW),
    );
    let report = json_report(&[&old, &new]);
    assert_eq!(report["summary"]["breaking"], 1);
    assert_eq!(report["summary"]["info"], 1);
    let removed = &report["changes"][0];
    assert_eq!(removed["id"], "path-removed");
    assert_eq!(removed["level"], "breaking");
    assert_eq!(removed["direction"], "both");
    assert_eq!(removed["method"], serde_json::Value::Null);
    assert_eq!(removed["path"], "/pets/{id}");
    assert_eq!(removed["old"]["pointer"], "/paths/~1pets~1{id}");
    assert_eq!(removed["old"]["line"], 15);
    assert_eq!(removed["new"], serde_json::Value::Null);
    let widened = &report["changes"][1];
    assert_eq!(widened["id"], "parameter-constraint-loosened");
    assert_eq!(widened["method"], "get");
    assert_eq!(widened["direction"], "request");
}

#[test]
fn an_ignore_file_accepts_changes_by_wildcard_and_rates_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.yaml", OLD),
        write(dir.path(), "new.json", NEW),
    );
    let ignore = write(
        dir.path(),
        "ignore",
        "# accepted in PR 12\npath-removed * /pets/*  # gone for good\n",
    );
    let output = specgate()
        .args(["diff", &old, &new, "--ignore", &ignore])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout)
        .contains("0 breaking, 0 warnings, 1 info (1 ignored)"));
    let rated = write(
        dir.path(),
        "rated",
        "level parameter-constraint-* breaking\n",
    );
    let report = json_report(&[&old, &new, "--ignore", &rated]);
    assert_eq!(report["summary"]["breaking"], 2);
    let typo = write(dir.path(), "typo", "path-remove * /pets\n");
    let output = specgate()
        .args(["diff", &old, &new, "--ignore", &typo])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("typo:1: `path-remove` is not a check id"),
        "{stderr}"
    );
}

#[test]
fn markdown_junit_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.yaml", OLD),
        write(dir.path(), "new.json", NEW),
    );
    let run = |format: &str| {
        let output = specgate()
            .args(["diff", &old, &new, "--format", format])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let markdown = run("markdown");
    assert!(markdown.starts_with("## API changes: 1 breaking, 0 warnings, 1 info\n"));
    assert!(markdown.contains("### Breaking changes\n\n| Operation | Change | Check |"));
    let junit = run("junit");
    assert!(junit.contains("tests=\"2\" failures=\"1\""), "{junit}");
    let github = run("github");
    assert!(github.contains("::error file="), "{github}");
    assert!(
        github
            .contains("line=15,title=path-removed::/pets/{id}: `/pets/{id}` was removed (DELETE)"),
        "{github}"
    );
}

#[test]
fn bad_input_exits_2_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.yaml", OLD);
    let broken = write(dir.path(), "broken.yaml", "openapi: 3.1.0\npaths: [\n");
    let output = specgate().args(["diff", &old, &broken]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.yaml"));
    specgate().args(["diff", &old]).assert().code(2);
    specgate()
        .args(["diff", &old, "missing.yaml"])
        .assert()
        .code(2);
}

#[test]
fn list_checks_prints_the_documented_registry() {
    let output = specgate().args(["diff", "--list-checks"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    let documented =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/diff/CHECKS.md"))
            .unwrap();
    assert!(documented.contains(&table));
    assert!(table.contains("| `operation-removed` | breaking | both |"));
}

/// The JSON report of `specgate diff ARGS --format json`.
fn json_report(args: &[&str]) -> serde_json::Value {
    let output = specgate()
        .arg("diff")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn old_may_be_a_git_revision_of_a_multi_file_document() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    // api/openapi.yaml refers to ../common/schemas.yaml, as repositories lay
    // their documents out.
    let api = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '../common/schemas.yaml#/Pet'}\n";
    write(repo, "api/openapi.yaml", api);
    write(
        repo,
        "common/schemas.yaml",
        "Pet:\n  type: object\n  required: [id]\n  properties:\n    id: {type: integer}\n",
    );
    write(repo, "docs/slides.pptx", "binary slides");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    // A partial clone lacks some blobs (here the slides): only the JSON
    // and YAML files are read, so it does not matter.
    let slides = Command::new("git")
        .args(["rev-parse", "HEAD:docs/slides.pptx"])
        .current_dir(repo)
        .output()
        .unwrap();
    let slides = String::from_utf8(slides.stdout).unwrap();
    let (folder, file) = slides.trim().split_at(2);
    std::fs::remove_file(repo.join(".git/objects").join(folder).join(file)).unwrap();
    write(
        repo,
        "common/schemas.yaml",
        "Pet:\n  type: object\n  properties:\n    id: {type: string}\n",
    );
    let output = specgate()
        .args([
            "diff",
            "HEAD:api/openapi.yaml",
            "api/openapi.yaml",
            "--format",
            "json",
        ])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "response-property-made-optional",
            "response-property-type-changed"
        ]
    );
    assert_eq!(
        report["changes"][0]["old"]["file"],
        "HEAD:common/schemas.yaml"
    );
    // Regression: GitHub annotations from a subfolder named files by
    // absolute or folder-relative paths, which GitHub cannot attach to the
    // pull request's diff; they are paths from the repository's top, a
    // revision's file the same path.
    let output = specgate()
        .args([
            "diff",
            "HEAD:./openapi.yaml",
            "openapi.yaml",
            "--format",
            "github",
        ])
        .current_dir(repo.join("api"))
        .output()
        .unwrap();
    let github = String::from_utf8_lossy(&output.stdout);
    let files: Vec<&str> = github
        .lines()
        .filter_map(|line| line.split("file=").nth(1)?.split(',').next())
        .collect();
    assert!(!files.is_empty(), "{github}");
    assert!(
        files.iter().all(|f| *f == "common/schemas.yaml"),
        "{github}"
    );
    let output = specgate()
        .args(["diff", "HEAD:api/nothing.yaml", "api/openapi.yaml"])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("git has no file api/nothing.yaml at revision HEAD"));
    // A revision that starts with `-` is no option to git, and a revision
    // git does not know is named as such, not as a missing file.
    for (rev, said) in [
        ("--output=x", "`--output=x` is no git revision"),
        ("-x", "`-x` is no git revision"),
        ("nosuchbranch", "git knows no revision `nosuchbranch`"),
    ] {
        let output = specgate()
            .args([
                "diff",
                "--",
                &format!("{rev}:api/openapi.yaml"),
                "api/openapi.yaml",
            ])
            .current_dir(repo)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{rev}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{rev}: {stderr}");
    }
    assert!(!repo.join("x").exists());
}

#[test]
fn traffic_names_the_exchanges_a_change_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.yaml", OLD),
        write(dir.path(), "new.json", NEW),
    );
    let exchange = |entry: &str| {
        format!(
            r#"{{"request": {{"method": "{entry}", "url": "https://api.example.com/pets/7"}}, "response": {{"status": 204}}}}"#
        )
    };
    let lines = [exchange("DELETE"), exchange("DELETE"), r#"{"request": {"method": "GET", "url": "/pets?limit=3"}, "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{\"items\": []}"}}"#.to_owned()];
    let traffic = write(dir.path(), "traffic.jsonl", &lines.join("\n"));
    let report = json_report(&[&old, &new, "--traffic", &traffic]);
    let removed = &report["changes"][0];
    assert_eq!(removed["id"], "path-removed");
    assert_eq!(removed["traffic"]["touched"], 2);
    assert_eq!(removed["traffic"]["broken"].as_array().unwrap().len(), 2);
    assert!(removed["traffic"]["broken"][0]
        .as_str()
        .unwrap()
        .ends_with("traffic.jsonl#0"));
    assert_eq!(report["summary"]["traffic"]["exchanges"], 3);
    let loosened = &report["changes"][1];
    assert_eq!(loosened["traffic"]["touched"], 1);
    assert_eq!(loosened["traffic"]["broken"].as_array().unwrap().len(), 0);
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `specgate diff ... | head`: standard output closes before the report
    // is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["diff", "--list-checks"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn traffic_to_the_old_spelling_of_a_path_reaches_its_trailing_slash_change() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |path: &str| {
        format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
              "paths": {{"{path}": {{"get": {{"responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        )
    };
    let old = write(dir.path(), "old.json", &doc("/pets/"));
    let new = write(dir.path(), "new.json", &doc("/pets"));
    let traffic = write(
        dir.path(),
        "t.jsonl",
        r#"{"request": {"method": "GET", "url": "/pets/"}, "response": {"status": 204}}"#,
    );
    let report = json_report(&[&old, &new, "--traffic", &traffic]);
    let change = &report["changes"][0];
    assert_eq!(change["id"], "path-trailing-slash-changed");
    assert_eq!(change["path"], "/pets");
    assert_eq!(change["traffic"]["of"], 1);
    assert_eq!(change["traffic"]["touched"], 1);
}
