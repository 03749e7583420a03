//! Every corpus document (78 real APIs) compiles into a validator, and
//! every JSON response example the documents give, replayed as a recorded
//! exchange (a request to its operation's path with sample parameter
//! values, the example as the response), routes to its own operation and
//! is read and checked without an unexpected finding. Examples that break
//! their own schema are counted, not failed: that is the documents' doing.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;
use specgate_spec::{Document, Operation, ParameterLocation, ResponseKey, WarningKind};
use specgate_validator::input::Record;
use specgate_validator::{Exchange, Request, Response};
use specgate_validator::{Kind, Matched, Validator};

#[path = "../../tests/support/corpus_documents.rs"]
mod corpus_documents;

use corpus_documents::corpus_documents;

/// A value for a path parameter: its example, or one its schema admits.
fn sample(document: &Document, operation: &Operation, name: &str) -> String {
    let parameter = operation
        .parameters
        .iter()
        .find(|p| p.location == ParameterLocation::Path && p.name == name);
    let schema = parameter
        .and_then(|p| p.schema.as_ref())
        .map(|s| document.resolve_schema(&s.value));
    let example = parameter
        .and_then(|p| {
            p.example
                .clone()
                .or_else(|| p.examples.values().find_map(|e| e.value.clone()))
        })
        .or_else(|| {
            let schema = schema?;
            schema
                .get("examples")
                .and_then(|e| e.get(0))
                .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
                .or_else(|| schema.get("default"))
                .cloned()
        });
    match example {
        Some(Value::String(text)) if !text.is_empty() => return text,
        Some(Value::Number(number)) => return number.to_string(),
        Some(Value::Bool(flag)) => return flag.to_string(),
        _ => {}
    }
    let field = |key: &str| schema.and_then(|s| s.get(key)).and_then(Value::as_str);
    let types = schema.and_then(|s| s.get("type"));
    let is = |wanted: &str| match types {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == wanted),
        _ => false,
    };
    match field("format") {
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".into(),
        Some("date") => "2024-01-02".into(),
        Some("date-time") => "2024-01-02T03:04:05Z".into(),
        _ if is("integer") || is("number") => "1".into(),
        _ if is("boolean") => "true".into(),
        _ => "sample".into(),
    }
}

/// The path of a request to `operation`, its templates filled.
fn request_path(document: &Document, operation: &Operation) -> String {
    let servers = if operation.servers.is_empty() {
        &document.servers
    } else {
        &operation.servers
    };
    let mut path = servers
        .first()
        .map(|s| s.base_path.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let mut rest = operation.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        path.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let value = sample(document, operation, name);
        path.extend(utf8_percent_encode(&value, NON_ALPHANUMERIC));
        rest = &rest[open + close + 1..];
    }
    path.push_str(rest);
    path
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

#[test]
fn every_document_routes_and_reads_its_response_examples() {
    let (mut documents, mut replayed, mut conforming, mut breaking) = (0, 0, 0, 0);
    let mut ambiguous = 0;
    let mut failures = Vec::new();
    for (name, bytes) in corpus_documents() {
        let text = String::from_utf8(bytes).unwrap();
        let document = specgate_spec::load_str(&name, &text).unwrap();
        let validator = Validator::new(&document).unwrap_or_else(|e| panic!("{name}: {e}"));
        documents += 1;
        let equivalent: Vec<String> = document
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::EquivalentPaths)
            .flat_map(|w| w.message.split('`').skip(1).step_by(2).map(str::to_owned))
            .collect();
        for operation in &document.operations {
            let path = request_path(&document, operation);
            for (key, response) in &operation.responses {
                let ResponseKey::Status(status) = key else {
                    continue;
                };
                for (media_type, media) in &response.content {
                    if !is_json(media_type) || media.schema.is_none() {
                        continue;
                    }
                    let examples = media
                        .example
                        .iter()
                        .chain(media.examples.values().filter_map(|e| e.value.as_ref()));
                    for example in examples {
                        let exchange = Exchange {
                            source: name.clone(),
                            entry: replayed,
                            request: Request {
                                method: operation.method.as_str().to_ascii_uppercase(),
                                url: path.clone(),
                                headers: Vec::new(),
                                body: None,
                            },
                            response: Response {
                                status: *status,
                                headers: vec![("Content-Type".into(), media_type.clone())],
                                body: Some(serde_json::to_vec(example).unwrap()),
                            },
                        };
                        replayed += 1;
                        let checked = validator.check_record(Record::Exchange(Box::new(exchange)));
                        let wanted = Matched::Operation(operation.operation_id.clone());
                        if checked.operation != wanted {
                            // Two templates that differ only in their names
                            // are one path: the document says so itself.
                            if equivalent.contains(&operation.path) {
                                ambiguous += 1;
                                continue;
                            }
                            failures.push(format!(
                                "{name}: {} {path} matched {:?}, not {}",
                                operation.method, checked.operation, operation.operation_id
                            ));
                            continue;
                        }
                        // Our sample parameters may miss a pattern; only
                        // the response is under test.
                        let response_findings: Vec<_> = checked
                            .findings
                            .iter()
                            .filter(|f| {
                                !f.place
                                    .as_ref()
                                    .map(ToString::to_string)
                                    .as_deref()
                                    .is_some_and(|p| p.contains("parameter"))
                            })
                            .collect();
                        let unexpected: Vec<_> = response_findings
                            .iter()
                            .filter(|f| {
                                !(f.place.as_ref().map(ToString::to_string).as_deref()
                                    == Some("response body")
                                    && matches!(f.kind, Kind::Violation | Kind::Drift))
                            })
                            .collect();
                        if let Some(finding) = unexpected.first() {
                            failures.push(format!(
                                "{name}: {} {path} {status}: {:?} {}",
                                operation.method, finding.kind, finding.message
                            ));
                        } else if response_findings.iter().any(|f| f.error) {
                            breaking += 1;
                        } else {
                            conforming += 1;
                        }
                    }
                }
            }
        }
    }
    println!(
        "{documents} documents, {replayed} response examples replayed: {conforming} conform, \
         {breaking} break their own schema, {ambiguous} on paths the document makes ambiguous, \
         {} unexpected",
        failures.len()
    );
    assert_eq!(documents, 78);
    assert!(replayed > 1000, "{replayed}");
    assert_eq!(failures, Vec::<String>::new());
}
