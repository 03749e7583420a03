//! SARIF 2.1.0, for code scanning: each finding is a result located at the
//! schema keyword in the document when known (the document is what to fix
//! or the API), else at the record in its input file.

use serde_json::{json, Value};

use super::Report;
use crate::finding::{Finding, Kind};

const KINDS: [(Kind, &str); 7] = [
    (Kind::Violation, "A body breaks its schema."),
    (
        Kind::UndocumentedOperation,
        "No operation of the document has this method and path.",
    ),
    (
        Kind::UndocumentedStatus,
        "The operation documents no response for this status.",
    ),
    (
        Kind::UndocumentedMediaType,
        "The body's media type is not documented.",
    ),
    (
        Kind::Malformed,
        "The record, or a body that claims JSON, cannot be read.",
    ),
    (Kind::Drift, "A member the document does not mention."),
    (
        Kind::NotChecked,
        "A value whose schema, or a keyword it reaches, cannot be compiled: not checked whole.",
    ),
];

pub fn sarif(report: &Report) -> String {
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|(kind, text)| json!({"id": kind.id(), "shortDescription": {"text": text}}))
        .collect();
    let results: Vec<Value> = report.findings.iter().map(result).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specgate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/specgate/specgate",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

fn result(finding: &Finding) -> Value {
    let (uri, region) = match &finding.schema {
        Some(schema) => {
            let mut region = json!({"startLine": schema.line.unwrap_or(1).max(1)});
            if let (Some(column), Some(region)) = (schema.column, region.as_object_mut()) {
                region.insert("startColumn".into(), json!(column.max(1)));
            }
            (schema.file.clone(), region)
        }
        // A JSON Lines record is on line `entry + 1`.
        None => (
            finding.source.clone(),
            json!({"startLine": finding.entry + 1}),
        ),
    };
    let mut result = json!({
        "ruleId": finding.kind.id(),
        "level": if finding.error { "error" } else { "warning" },
        "message": {"text": super::describe(finding)},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri_reference(&uri)},
            "region": region,
        }}],
        "properties": {
            "source": finding.source,
            "entry": finding.entry,
        },
    });
    if let (Some(operation), Some(props)) =
        (&finding.operation, result["properties"].as_object_mut())
    {
        props.insert("operation".into(), json!(operation));
        if let Some(pointer) = &finding.pointer {
            props.insert("pointer".into(), json!(pointer));
        }
    }
    result
}

/// A file name as a URI reference: characters a URI may not hold
/// (`<embedded chatwoot.json>`) percent-encoded.
fn uri_reference(name: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'.')
        .remove(b'-')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(name, KEEP).to_string()
}
