//! Bad and hostile input: every case ends with a clear message naming the
//! file (and line, column, pointer where they exist) and exit code 2, never
//! a panic (exit code 101) or a hang.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use predicates::prelude::*;

/// Runs `specgate inspect` on a file holding `bytes`; returns stderr after
/// checking the exit code is 2.
fn inspect_bytes(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    inspect_path(&path)
}

fn inspect_path(path: &Path) -> String {
    let output = support::specgate()
        .args(["inspect", "--spec"])
        .arg(path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&*path.file_name().unwrap().to_string_lossy()),
        "names the file: {stderr}"
    );
    stderr
}

#[test]
fn truncated_json() {
    let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "#;
    let err = inspect_bytes("cut.json", text.as_bytes());
    assert!(
        err.contains("cut.json:1:44: malformed JSON: EOF while parsing"),
        "{err}"
    );
}

#[test]
fn malformed_yaml() {
    let err = inspect_bytes(
        "bad.yaml",
        b"openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n",
    );
    assert!(err.contains("bad.yaml:4:"), "{err}");
    assert!(err.contains("malformed YAML"), "{err}");
}

#[test]
fn invalid_utf8() {
    let err = inspect_bytes("latin1.yaml", b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n");
    assert!(
        err.contains("latin1.yaml:3:13: the file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn empty_files() {
    for (name, bytes) in [("empty.json", &b""[..]), ("blank.yaml", b"  \n\n\t\n")] {
        let err = inspect_bytes(name, bytes);
        assert!(err.contains("the file is empty"), "{err}");
    }
}

#[test]
fn documents_that_are_not_openapi() {
    let err = inspect_bytes(
        "package.json",
        br#"{"name": "left-pad", "version": "1.3.0"}"#,
    );
    assert!(
        err.contains("not an OpenAPI document: no `openapi` or `swagger` field; the top-level keys are `name`, `version`"),
        "{err}"
    );
    let err = inspect_bytes("list.yaml", b"- openapi: 3.1.0\n");
    assert!(err.contains("the document is an array"), "{err}");
    let err = inspect_bytes("scalar.yaml", b"hello\n");
    assert!(err.contains("not an OpenAPI document"), "{err}");
}

#[test]
fn unsupported_versions() {
    for (text, version) in [
        (r#"{"swaggerVersion": "1.2", "apis": []}"#, "1.2"),
        (r#"{"swagger": "1.0"}"#, "1.0"),
        (r#"{"openapi": "4.0.0", "info": {}}"#, "4.0.0"),
    ] {
        let err = inspect_bytes("old.json", text.as_bytes());
        assert!(
            err.contains(&format!("unsupported version {version}")),
            "{err}"
        );
    }
}

#[test]
fn yaml_alias_bomb() {
    // "Billion laughs": nine levels of ten aliases each.
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in b'b'..=b'i' {
        let previous = (level - 1) as char;
        let level = level as char;
        let refs = vec![format!("*{previous}"); 10].join(",");
        text.push_str(&format!("{level}: &{level} [{refs}]\n"));
    }
    let err = inspect_bytes("bomb.yaml", text.as_bytes());
    assert!(err.contains("repetition limit exceeded"), "{err}");
}

#[test]
fn custom_yaml_tags() {
    let err = inspect_bytes(
        "tagged.yaml",
        b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets: !include pets.yaml\n",
    );
    assert!(err.contains("unsupported YAML tag `!include`"), "{err}");
    assert!(err.contains("/paths/~1pets"), "{err}");
}

#[test]
fn nesting_a_hundred_thousand_deep() {
    let depth = 100_000;
    let json = format!(
        "{{\"openapi\": \"3.1.0\", \"x\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = inspect_bytes("deep.json", json.as_bytes());
    assert!(err.contains("recursion limit exceeded"), "{err}");

    let yaml = format!(
        "openapi: 3.1.0\nx: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = inspect_bytes("deep-flow.yaml", yaml.as_bytes());
    assert!(err.contains("malformed YAML"), "{err}");

    let mut block = String::from("openapi: 3.1.0\nx:\n");
    for level in 0..2_000 {
        block.push_str(&" ".repeat(level + 1));
        block.push_str("a:\n");
    }
    let err = inspect_bytes("deep-block.yaml", block.as_bytes());
    assert!(err.contains("malformed YAML"), "{err}");
}

#[test]
fn files_over_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    // A sparse file: the size is checked before anything is read.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let err = inspect_path(&path);
    assert!(
        err.contains("the largest document accepted is 268435456 bytes"),
        "{err}"
    );
}

#[test]
fn missing_files() {
    let err = inspect_path(Path::new("/nonexistent/specgate/api.yaml"));
    assert!(err.contains("cannot read the file"), "{err}");
}

#[test]
fn nodes_of_the_wrong_shape() {
    let cases: [(&str, &str); 5] = [
        ("openapi: 3.1.0\npaths: [1, 2]\n", "pointer /paths: expected an object, found an array"),
        (
            "openapi: 3.1.0\npaths:\n  /a:\n    get: nope\n",
            "shape.yaml:4:5 (at /paths/~1a/get): expected an operation object, found the string \"nope\"",
        ),
        (
            "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - in: query\n",
            "expected a parameter with a `name`",
        ),
        (
            "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: body}\n",
            "(at /paths/~1a/get/parameters/0/in): expected `in` of path, query, header or cookie, found the string \"body\"",
        ),
        ("openapi: 3.0.0\ninfo: 7\n", "(at /info): expected an info object, found the number 7"),
    ];
    for (text, expected) in cases {
        let err = inspect_bytes("shape.yaml", text.as_bytes());
        let expected = expected.replace("pointer /paths", "(at /paths)");
        assert!(err.contains(&expected), "expected {expected:?} in {err}");
    }
}

#[test]
fn standard_input_that_is_not_a_document() {
    support::specgate()
        .args(["inspect", "--spec", "-"])
        .write_stdin("not: [an openapi document\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: <stdin>:"));
}
