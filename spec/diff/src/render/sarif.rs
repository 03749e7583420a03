//! SARIF 2.1.0, for code scanning: one result per change, its rule the
//! check's id, located on the new document's line (the old one's for a
//! removal). Every check of the registry is a rule, so a rule's id means
//! the same in every log.

use serde_json::{json, Value};

use super::{operation, traffic_sentence, witness, Report};
use crate::checks::{self, Level};
use crate::Site;

pub fn sarif(report: &Report) -> String {
    let rules: Vec<Value> = checks::ALL
        .iter()
        .map(|check| {
            json!({
                "id": check.id,
                "shortDescription": {"text": check.description},
                "fullDescription": {"text": format!("{} Example: {}", check.description, check.example)},
                "defaultConfiguration": {"level": level(check.level, report)},
                "properties": {"direction": check.direction.as_str(), "level": check.level.as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .by_level()
        .into_iter()
        .map(|(index, located)| {
            let change = located.change;
            let mut text = format!("{}: {}", operation(located), change.message);
            if let Some(witness) = witness(change) {
                text.push_str(&format!(" (witness: {witness})"));
            }
            if let Some(traffic) = report.traffic_of(index) {
                text.push_str(&format!(" (traffic: {})", traffic_sentence(traffic)));
            }
            let mut result = json!({
                "ruleId": change.check.id,
                "ruleIndex": rule_index(change.check.id),
                "level": level(change.level, report),
                "message": {"text": text},
                "properties": {
                    "level": change.level.as_str(),
                    "method": change.method.map(|m| m.key()),
                    "path": change.path,
                },
            });
            let site = located.new.as_ref().or(located.old.as_ref());
            if let (Some(site), Some(object)) = (site, result.as_object_mut()) {
                object.insert("locations".into(), json!([location(site)]));
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specgate diff",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/specgate/specgate",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// The check's place among the rules (-1, SARIF's "none", cannot happen:
/// every change comes from the registry).
fn rule_index(id: &str) -> i64 {
    checks::ALL
        .iter()
        .position(|c| c.id == id)
        .and_then(|i| i64::try_from(i).ok())
        .unwrap_or(-1)
}

/// A change that fails the run (`--fail-on`) is an error; below that, a
/// warning stays a warning and the rest are notes.
fn level(level: Level, report: &Report) -> &'static str {
    if report.fails(level) {
        "error"
    } else if level == Level::Info {
        "note"
    } else {
        "warning"
    }
}

fn location(site: &Site) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri_reference(&site.file)}});
    if let (Some(line), Some(object)) = (site.line, physical.as_object_mut()) {
        object.insert("region".into(), json!({"startLine": line.max(1)}));
    }
    json!({
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": site.pointer}],
    })
}

/// A file name as a URI reference: every byte but unreserved ones and `/`
/// percent-encoded (`<embedded chatwoot.json>`, `v1:api.yaml`).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_uri_references() {
        assert_eq!(
            uri_reference("<embedded chatwoot.json>"),
            "%3Cembedded%20chatwoot.json%3E"
        );
        assert_eq!(uri_reference("api/v1.yaml"), "api/v1.yaml");
        assert_eq!(uri_reference("é"), "%C3%A9");
    }
}
