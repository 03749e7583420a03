//! Schemas that name each other as JSON Schema 2020-12 does (`$id`,
//! `$anchor`, `$dynamicRef`, pointers with `~` and `%` escapes), checked
//! by specgate and by the JSON Schema engine alone, side by side. The
//! input is split at `\0`: `schema.json` (the request body schema, which
//! `openapi.json` refers to), `other.json` (a second file it may refer
//! to), then one request body per line. specgate may find more wrong than
//! the engine (it checks discriminators), never less: a body it calls
//! conforming that the engine, given the same files, rejects was not
//! fully checked, which it must never say.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use specgate_validator::input::Lines;
use specgate_validator::{check_all, Formats, Validator};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (Some(schema), other, bodies) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Ok(schema) = serde_json::from_slice::<Value>(schema) else {
        return;
    };
    let other: Value = other
        .and_then(|o| serde_json::from_slice(o).ok())
        .unwrap_or(json!({}));
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "fuzz", "version": "1"},
        "paths": {"/t": {"post": {
            "operationId": "t",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "schema.json"}}}},
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let files = [
        ("openapi.json", &document),
        ("schema.json", &schema),
        ("other.json", &other),
    ];
    for (name, value) in files {
        if std::fs::write(dir.path().join(name), value.to_string()).is_err() {
            return;
        }
    }
    let Ok(document) = specgate_spec::load(dir.path().join("openapi.json")) else {
        return;
    };
    let Ok(validator) = Validator::with_formats(&document, Formats::Annotate) else {
        return;
    };
    let oracle = oracle(dir.path(), &schema, &other);
    let bodies: Vec<Value> = bodies
        .unwrap_or_default()
        .split(|&b| b == b'\n')
        .filter_map(|line| serde_json::from_slice(line).ok())
        .take(8)
        .collect();
    for body in bodies {
        let record = json!({"request": {"method": "POST", "url": "/t",
                                        "headers": {"content-type": "application/json"},
                                        "body": body.to_string()},
                            "response": {"status": 200}})
        .to_string();
        let report = check_all(
            &validator,
            Lines::new("fuzz.jsonl", record.as_bytes()),
            1,
            |_| {},
        );
        let conforms = report.summary.conforming == 1;
        if let Some(engine) = &oracle {
            assert!(
                !conforms || engine.is_valid(&body),
                "specgate calls {body} conforming; the engine rejects it: {:?}",
                engine
                    .iter_errors(&body)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            );
        }
    }
});

/// The schema as the engine reads it alone: `schema.json` at its file
/// URI, `other.json` beside it. `None` when the engine cannot compile it.
fn oracle(dir: &std::path::Path, schema: &Value, other: &Value) -> Option<jsonschema::Validator> {
    let uri = |name: &str| format!("file://{}/{name}", dir.display());
    let registry = jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft202012)
        .add(uri("other.json"), other.clone())
        .ok()?
        .prepare()
        .ok()?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_base_uri(uri("schema.json"))
            .with_registry(&registry)
            .build(schema)
            .ok()
    }))
    .ok()
    .flatten()
}
