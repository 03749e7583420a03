//! SARIF 2.1.0, for code scanning: one result per drift finding, its rule
//! the check id, located on the document's line where the document has a
//! place for it (the schema, the operation).

use serde_json::{json, Value};
use specgate_spec::Document;

use crate::findings::{findings, CHECKS};
use crate::report::DriftReport;

pub fn sarif(report: &DriftReport, document: &Document) -> String {
    let rules: Vec<Value> = CHECKS
        .iter()
        .map(|(id, text)| {
            json!({
                "id": id,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": if *id == "unseen-member" { "note" } else { "error" }},
            })
        })
        .collect();
    let results: Vec<Value> = findings(report, document)
        .into_iter()
        .map(|finding| {
            let mut result = json!({
                "ruleId": finding.check,
                "ruleIndex": CHECKS.iter().position(|(id, _)| *id == finding.check).unwrap_or(0),
                "level": if finding.error { "error" } else { "note" },
                "message": {"text": finding.message},
            });
            let Some(object) = result.as_object_mut() else {
                return result;
            };
            if let Some(location) = &finding.location {
                let mut physical =
                    json!({"artifactLocation": {"uri": uri_reference(&location.file)}});
                if let (Some(line), Some(physical)) = (location.line, physical.as_object_mut()) {
                    let mut region = json!({"startLine": line.max(1)});
                    if let (Some(column), Some(region)) = (location.column, region.as_object_mut())
                    {
                        region.insert("startColumn".into(), json!(column.max(1)));
                    }
                    physical.insert("region".into(), region);
                }
                object.insert(
                    "locations".into(),
                    json!([{
                        "physicalLocation": physical,
                        "logicalLocations": [{"fullyQualifiedName": location.pointer}],
                    }]),
                );
            }
            if let Some(first) = &finding.first {
                object.insert("properties".into(), json!({"firstSeen": first}));
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specgate drift",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/specgate/specgate",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// A file name as a URI reference: every byte but unreserved ones and `/`
/// percent-encoded (`<embedded chatwoot.json>`).
fn uri_reference(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"/.-_~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
