//! The generated code for small documents that exercise each mapping rule:
//! a snapshot of the code (review changes with `INSTA_UPDATE=always cargo
//! test -p specgate-codegen` and `git diff`), and a workspace of the
//! generated crates that must compile with warnings denied and pass the
//! behaviour checks in `tests/fixtures/checks.rs`.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: [&str; 7] = [
    "objects",
    "enums",
    "composition",
    "formats",
    "operations",
    "client",
    "identifiers",
];

fn fixture(name: &str) -> specgate_spec::Document {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = match name {
        // Schemas named by `$id`, `$anchor` and `$dynamicRef` across two
        // files: the workspace's end-to-end fixture.
        "identifiers" => manifest.join("../tests/fixtures/ids/api.yaml"),
        _ => manifest.join(format!("tests/fixtures/{name}.yaml")),
    };
    specgate_spec::load(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn snapshots() {
    for name in FIXTURES {
        let code =
            specgate_codegen::generate_types(&fixture(name), &specgate_codegen::Options::default());
        insta::assert_snapshot!(name, code);
    }
    // The client, with its types in `types`, as a build script writes it.
    let client = specgate_codegen::generate_client(
        &fixture("client"),
        &specgate_codegen::Options::default(),
    );
    insta::assert_snapshot!("client_with_types", client);
}

#[test]
fn strict_enums_refuse_unknown_values() {
    let options = specgate_codegen::Options { strict_enums: true };
    let code = specgate_codegen::generate_types(&fixture("enums"), &options);
    assert!(!code.contains("Other("), "{code}");
    assert!(
        code.contains("#[serde(rename = \"in-progress\")]"),
        "{code}"
    );
}

#[test]
fn generation_is_deterministic() {
    let options = specgate_codegen::Options::default();
    let first = specgate_codegen::generate_types(&fixture("composition"), &options);
    let second = specgate_codegen::generate_types(&fixture("composition"), &options);
    assert_eq!(first, second);
    let chatwoot = specgate_spec::chatwoot().unwrap();
    assert_eq!(
        specgate_codegen::generate_types(&chatwoot, &options),
        specgate_codegen::generate_types(&specgate_spec::chatwoot().unwrap(), &options)
    );
}

/// Writes every fixture crate and a crate of checks into one workspace,
/// then builds with warnings denied and runs the checks.
#[test]
fn generated_code_compiles_without_warnings_and_behaves() {
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-fixtures");
    std::fs::create_dir_all(&work).unwrap();
    let mut members = Vec::new();
    let mut dependencies = String::new();
    for name in FIXTURES {
        let crate_name = format!("fixture-{name}");
        let generated =
            specgate_codegen::generate_crate(&fixture(name), &crate_name, &Default::default());
        generated.write(&work.join(&crate_name)).unwrap();
        members.push(format!("\"{crate_name}\""));
        dependencies.push_str(&format!(
            "{crate_name} = {{ path = \"../{crate_name}\" }}\n"
        ));
    }
    let checks = work.join("checks");
    std::fs::create_dir_all(checks.join("src")).unwrap();
    std::fs::write(
        checks.join("Cargo.toml"),
        format!(
            "[package]\nname = \"checks\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n{dependencies}"
        ),
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks.rs"),
        checks.join("src/main.rs"),
    )
    .unwrap();
    members.push("\"checks\"".into());
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            // No debug info and no incremental state: built once, to be run.
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\nincremental = false\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "checks"])
        .current_dir(&work)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "all checks passed\n"
    );
}
