//! Every real document of the corpus loads, with the operation count its
//! manifest gives. The corpus (tests/corpus, gzipped) is a copy of the
//! documents in shared/specs; MANIFEST.md says where each came from.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

/// One row of the manifest: a document and its counts.
struct Entry {
    path: String,
    operations: usize,
    webhooks: usize,
    openapi: String,
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(support::data_dir().join("corpus/MANIFEST.md"))
        .unwrap_or_else(|e| panic!("MANIFEST.md: {e}"));
    text.lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let path = cells[0].trim_matches('`').to_owned();
            let openapi = cells[cells.len() - 3].to_owned();
            let ops = cells[cells.len() - 1];
            // "144", or "0 (+1 webhooks)".
            let mut words = ops.split_whitespace();
            let operations = words
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{ops}"));
            let webhooks = words
                .next()
                .map(|w| {
                    w.trim_start_matches("(+")
                        .parse()
                        .unwrap_or_else(|_| panic!("{ops}"))
                })
                .unwrap_or(0);
            Entry {
                path,
                operations,
                webhooks,
                openapi,
            }
        })
        .collect()
}

#[test]
fn manifest_lists_every_stored_document() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|e| e.path).collect();
    let mut stored = BTreeSet::new();
    let root = support::data_dir().join("corpus");
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Some(relative) = path.strip_prefix(&root).ok().and_then(|p| p.to_str()) {
                if let Some(document) = relative.strip_suffix(".gz") {
                    stored.insert(document.to_owned());
                }
            }
        }
    }
    assert_eq!(listed.len(), 78, "the manifest lists 78 documents");
    assert_eq!(listed, stored);
}

#[test]
fn every_document_loads_with_its_operation_count() {
    let mut failures = Vec::new();
    for entry in manifest() {
        let result = specgate_spec::Loader::new().load_bytes(
            &entry.path,
            support::corpus_bytes(&entry.path),
            None,
        );
        match result {
            Err(err) => failures.push(format!("{}: {err}", entry.path)),
            Ok(doc) => {
                if doc.operations.len() != entry.operations || doc.webhooks.len() != entry.webhooks
                {
                    failures.push(format!(
                        "{}: {} operations and {} webhooks, the manifest says {} and {}",
                        entry.path,
                        doc.operations.len(),
                        doc.webhooks.len(),
                        entry.operations,
                        entry.webhooks
                    ));
                }
                if doc.openapi != entry.openapi {
                    failures.push(format!(
                        "{}: openapi {} ≠ {}",
                        entry.path, doc.openapi, entry.openapi
                    ));
                }
                // Every schema reference in the model names a schema of the model.
                for op in &doc.operations {
                    for (_, response) in &op.responses {
                        for media in response.content.values() {
                            if let Some(schema) = &media.schema {
                                check_refs(&doc, &schema.value, &entry.path, &mut failures);
                            }
                        }
                    }
                }
                for named in doc.schemas.values() {
                    check_refs(&doc, &named.schema.value, &entry.path, &mut failures);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_refs(
    doc: &specgate_spec::Document,
    value: &serde_json::Value,
    path: &str,
    failures: &mut Vec<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                // A property may be named `$ref` (Kubernetes' JSONSchemaProps).
                if key == "$ref" && child.is_string() {
                    let name = child.as_str().and_then(specgate_spec::schema_ref_name);
                    if name.as_deref().and_then(|n| doc.schema(n)).is_none() {
                        failures.push(format!(
                            "{path}: `$ref` {child} names no schema of the model"
                        ));
                    }
                } else if !matches!(key.as_str(), "examples" | "default" | "enum" | "const") {
                    check_refs(doc, child, path, failures);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                check_refs(doc, item, path, failures);
            }
        }
        _ => {}
    }
}
