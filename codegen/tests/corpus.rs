//! Every corpus document generates a crate that compiles with warnings
//! denied, and every example the documents give reads into its generated
//! type and writes back valid against its schema.
//!
//! It builds 78 crates and a checker linking them all (about 4 minutes on
//! two cores), so it is ignored by `cargo test` and run by `.ci/run`. Run it
//! with `cargo test -p specgate-codegen --test corpus -- --ignored
//! --nocapture`; the checker can be rerun alone with
//! `target/tmp/corpus-crates/target/debug/checker target/tmp/corpus-crates/checker/data`.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

#[path = "../../tests/support/corpus_documents.rs"]
mod corpus_documents;

use corpus_documents::corpus_documents;

#[test]
#[ignore = "generates and builds 78 crates: about 4 minutes, run by .ci/run"]
fn corpus_crates_compile_and_read_their_examples() {
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-crates");
    let data = work.join("checker/data");
    std::fs::create_dir_all(&data).unwrap();
    let options = specgate_codegen::Options::default();
    let mut members = Vec::new();
    let mut checker_deps = String::new();
    let mut dispatch = String::new();
    let mut sources = BTreeMap::new();
    for (index, (name, bytes)) in corpus_documents().into_iter().enumerate() {
        let crate_name = format!("corpus-{}", index + 1);
        let document = specgate_spec::Loader::new()
            .load_bytes(&name, bytes, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let generated = specgate_codegen::generate_crate(&document, &crate_name, &options);
        generated
            .write(&work.join("crates").join(&crate_name))
            .unwrap();
        members.push(format!("\"crates/{crate_name}\""));
        sources.insert(crate_name.clone(), name.clone());

        let cases = specgate_codegen::example_cases(&document, &options);
        if cases.is_empty() {
            continue;
        }
        let ident = crate_name.replace('-', "_");
        let cases_json: Vec<Value> = cases
            .iter()
            .map(|c| json!({"type": c.rust_type, "value": c.value, "schema": c.schema, "place": c.place, "loose": c.loose}))
            .collect();
        let file = json!({
            "document": name,
            "crate": ident,
            "root": specgate_codegen::schema_components(&document),
            "cases": cases_json,
        });
        std::fs::write(
            data.join(format!("{ident}.json")),
            serde_json::to_vec(&file).unwrap(),
        )
        .unwrap();
        writeln!(
            checker_deps,
            "{crate_name} = {{ path = \"../crates/{crate_name}\" }}"
        )
        .unwrap();
        let mut types: Vec<&str> = cases.iter().map(|c| c.rust_type.as_str()).collect();
        types.sort();
        types.dedup();
        writeln!(dispatch, "        \"{ident}\" => match ty {{").unwrap();
        for ty in types {
            writeln!(
                dispatch,
                "            \"{ty}\" => round_trip::<{ident}::types::{ty}>(value),"
            )
            .unwrap();
        }
        writeln!(
            dispatch,
            "            _ => Err(format!(\"no type {{ty}}\")),\n        }},"
        )
        .unwrap();
    }
    write_checker(&work, &checker_deps, &dispatch);
    members.push("\"checker\"".into());
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            // No debug info and no incremental state: the crates are built
            // once, to be checked and run, never debugged.
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\nincremental = false\n",
            members.join(", ")
        ),
    )
    .unwrap();

    // One build of everything, warnings denied; failures are per crate.
    let build = Command::new(env!("CARGO"))
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--message-format",
            "short",
        ])
        .current_dir(&work)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&build.stderr);
    let failed: Vec<String> = sources
        .iter()
        .filter(|(krate, _)| log.contains(&format!("could not compile `{krate}`")))
        .map(|(krate, document)| format!("{document} ({krate})"))
        .collect();
    println!(
        "{} of {} documents generate a crate that compiles without warnings",
        sources.len() - failed.len(),
        sources.len()
    );
    assert!(failed.is_empty(), "do not compile: {failed:?}\n{log}");
    assert!(build.status.success(), "{log}");

    let run = Command::new(work.join("target/debug/checker"))
        .arg(&data)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}");
    assert!(
        run.status.success(),
        "the checker ended with {}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}

fn write_checker(work: &Path, deps: &str, dispatch: &str) {
    let checker = work.join("checker");
    std::fs::create_dir_all(checker.join("src")).unwrap();
    std::fs::write(
        checker.join("Cargo.toml"),
        format!(
            "[package]\nname = \"checker\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\njsonschema = {{ version = \"0.61\", default-features = false }}\n{deps}"
        ),
    )
    .unwrap();
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example_checker.rs"),
    )
    .unwrap();
    std::fs::write(
        checker.join("src/main.rs"),
        template.replace("        // DISPATCH\n", dispatch),
    )
    .unwrap();
}
