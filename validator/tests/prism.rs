//! The validator against a server nobody here wrote: Stoplight Prism
//! mocking the Chatwoot document. Every GET operation of the document is
//! requested over loopback; what Prism serves is generated from the
//! document's own schemas (`--dynamic`) or taken from its examples, so every
//! exchange must route back to the operation it was sent for, and nothing
//! may be a violation but what the document itself makes one (3.0-style
//! `nullable`, which a 3.1 document does not have: Prism honours it, JSON
//! Schema does not, and the loader warns about each). `.ci/run` installs
//! Prism, starts it twice and runs this with `PRISM_URL` set to both.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use specgate_spec::{Method, Operation, ParameterLocation, WarningKind};
use specgate_validator::input::JsonLines;
use specgate_validator::{Kind, Matched, Validator};

/// The API key sent with every request; it must never be reported.
const TOKEN: &str = "prism-key-5c1e9a";

/// How many times each operation is requested: `--dynamic` data differs
/// every time.
const ROUNDS: usize = 5;

#[tokio::test]
#[ignore = "needs Prism: run by .ci/run with PRISM_URL"]
async fn what_prism_serves_for_every_get_operation_routes_back_and_conforms() {
    let Ok(urls) = std::env::var("PRISM_URL") else {
        panic!("PRISM_URL is not set: start `prism mock` and point it there");
    };
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    // Where the document writes `nullable` without defining it.
    let obsolete: Vec<&str> = document
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ObsoleteKeyword)
        .filter_map(|w| w.origin.as_ref().map(|o| o.pointer.as_str()))
        .collect();
    assert!(!obsolete.is_empty());
    let http = reqwest::Client::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for base in urls.split(',') {
        for _ in 0..ROUNDS {
            for operation in document
                .operations
                .iter()
                .filter(|o| o.method == Method::Get)
            {
                let record = exchange(&http, base, operation).await;
                let checked_record = JsonLines::new("prism.jsonl", record.to_string().as_bytes())
                    .map(|r| validator.check_record(r))
                    .next()
                    .unwrap();
                checked += 1;
                let sent_for = Matched::Operation(operation.operation_id.clone());
                if checked_record.operation != sent_for {
                    problems.push(format!(
                        "{base} {}: matched {:?}",
                        operation.operation_id, checked_record.operation
                    ));
                }
                for finding in checked_record.findings {
                    let shown = serde_json::to_string(&finding).unwrap();
                    assert!(!shown.contains(TOKEN), "{shown}");
                    if finding.kind == Kind::Drift {
                        continue;
                    }
                    let nullable = finding.kind == Kind::Violation
                        && finding.found == Some(Value::Null)
                        && finding.schema.as_ref().is_some_and(|s| {
                            s.pointer
                                .strip_suffix("/type")
                                .is_some_and(|node| obsolete.contains(&node))
                        });
                    if !nullable {
                        problems.push(format!("{base} {}: {shown}", operation.operation_id));
                    }
                }
            }
        }
    }
    println!("{checked} exchanges with Prism checked");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// One GET request for an operation, as a JSON Lines record: path
/// parameters and required query parameters filled from their schemas.
async fn exchange(http: &reqwest::Client, base: &str, operation: &Operation) -> Value {
    let mut path = operation.path.clone();
    let mut query = Vec::new();
    for parameter in &operation.parameters {
        let schema = parameter.schema.as_ref().map(|s| &s.value);
        let value = sample(schema);
        match parameter.location {
            ParameterLocation::Path => {
                path = path.replace(&format!("{{{}}}", parameter.name), &value);
            }
            ParameterLocation::Query if parameter.required => {
                query.push((parameter.name.clone(), value));
            }
            _ => {}
        }
    }
    let mut url = reqwest::Url::parse(base).unwrap().join(&path).unwrap();
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(&query);
    }
    let response = http
        .get(url.clone())
        .header("api_access_token", TOKEN)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers: Vec<Value> = response
        .headers()
        .iter()
        .map(|(name, value)| json!({"name": name.as_str(), "value": value.to_str().unwrap_or_default()}))
        .collect();
    let body = response.text().await.unwrap();
    json!({
        "request": {"method": "GET", "url": url.as_str(),
                    "headers": {"api_access_token": TOKEN}},
        "response": {"status": status, "headers": headers, "body": body}
    })
}

/// A value a parameter's schema admits: its first enum value, else one of
/// its type.
fn sample(schema: Option<&Value>) -> String {
    let Some(schema) = schema else {
        return "1".into();
    };
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return match first {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
    }
    match schema["type"].as_str() {
        Some("string") => "abc".into(),
        Some("boolean") => "true".into(),
        _ => "1".into(),
    }
}
