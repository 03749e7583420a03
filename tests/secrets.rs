//! Secrets never leave specgate: an exchange that carries them in every
//! place a client puts one (an `Authorization` header, a token header the
//! document does not name, the document's own API key in the query, a
//! password in the query, a session cookie, a password in a form body, a
//! header the user names with `--redact`) goes through every command that
//! reads traffic, in every output format, and none of the secrets is in
//! anything they write. (The proxy's recording, report and output are
//! checked by `tests/proxy.rs`.)
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const SECRETS: [&str; 7] = [
    "bearer-S1x",
    "tok-S2x",
    "key-S3x",
    "pw-S4x",
    "sess-S5x",
    "form-S6x",
    "tenant-S7x",
];

/// Two exchanges of the headline endpoint, with every secret, one of them
/// breaking the document so that reports have findings to show.
fn traffic() -> String {
    let [bearer, token, key, password, session, form, tenant] = SECRETS;
    let url = format!(
        "/api/v1/accounts/1/conversations?api_access_token={key}&password={password}&status=bogus"
    );
    let headers = serde_json::json!([
        {"name": "Authorization", "value": format!("Bearer {bearer}")},
        {"name": "X-Auth-Token", "value": token},
        {"name": "Cookie", "value": format!("session={session}")},
        {"name": "X-Tenant", "value": tenant},
        {"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
    ]);
    let exchange = |status: u16, body: &str| {
        serde_json::json!({
            "request": {"method": "GET", "url": url, "headers": headers,
                        "body": format!("user=ann&password={form}")},
            "response": {"status": status,
                         "headers": [{"name": "Content-Type", "value": "application/json"},
                                     {"name": "Set-Cookie", "value": format!("session={session}")}],
                         "body": body}
        })
        .to_string()
    };
    [
        exchange(
            200,
            r#"{"data": {"meta": {}, "payload": [{"id": "not a number"}]}}"#,
        ),
        exchange(418, "{}"),
    ]
    .join("\n")
}

fn specgate(args: &[&str]) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .output()
        .unwrap();
    assert_ne!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_clean(surface: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{surface} holds {secret}:\n{text}");
    }
}

#[test]
fn no_command_writes_a_secret_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("traffic.jsonl");
    std::fs::write(&input, traffic()).unwrap();
    let input = input.to_str().unwrap();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let (stdout, stderr) = specgate(&[
            "validate", input, "--format", format, "--strict", "--redact", "X-Tenant",
        ]);
        assert!(
            !stdout.is_empty(),
            "validate --format {format} wrote nothing"
        );
        if format == "human" {
            // The request is shown, its secrets replaced.
            assert!(stdout.contains("password=REDACTED"), "{stdout}");
        }
        assert_clean(&format!("validate --format {format}"), &stdout);
        assert_clean(&format!("validate --format {format} (stderr)"), &stderr);
    }
    let patch = dir.path().join("patch.json");
    for format in ["human", "json"] {
        let (stdout, stderr) = specgate(&[
            "drift",
            input,
            "--format",
            format,
            "--suggest",
            patch.to_str().unwrap(),
            "--redact",
            "X-Tenant",
        ]);
        assert_clean(&format!("drift --format {format}"), &stdout);
        assert_clean(&format!("drift --format {format} (stderr)"), &stderr);
        assert_clean("drift --suggest", &std::fs::read_to_string(&patch).unwrap());
    }
}
