//! Which specification a document follows, from its `openapi` or `swagger`
//! field.

use serde_json::Value;

use crate::error::ErrorKind;
use crate::model::SpecVersion;

/// The version a document declares, as written and as understood.
pub(crate) fn detect(document: &Value) -> Result<(String, SpecVersion), ErrorKind> {
    let Some(object) = document.as_object() else {
        return Err(ErrorKind::NotOpenApi(format!(
            "the document is {}, not an object with an `openapi` field",
            crate::error::describe(document)
        )));
    };
    let declared = |key: &str| match object.get(key) {
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        // `openapi: 3.0` in YAML is a number; accept what it plainly means.
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if let Some(version) = declared("openapi") {
        let understood = match version.split('.').collect::<Vec<_>>().as_slice() {
            ["3", "0", ..] => SpecVersion::OpenApi30,
            ["3", "1", ..] => SpecVersion::OpenApi31,
            ["3", "2", ..] => SpecVersion::OpenApi32,
            _ => return Err(ErrorKind::UnsupportedVersion { found: version }),
        };
        return Ok((version, understood));
    }
    if let Some(version) = declared("swagger") {
        return match version.as_str() {
            "2.0" | "2" => Ok((version, SpecVersion::Swagger2)),
            _ => Err(ErrorKind::UnsupportedVersion { found: version }),
        };
    }
    if let Some(version) = declared("swaggerVersion") {
        return Err(ErrorKind::UnsupportedVersion { found: version });
    }
    let keys: Vec<_> = object.keys().take(5).map(|k| format!("`{k}`")).collect();
    Err(ErrorKind::NotOpenApi(if keys.is_empty() {
        "the document is an empty object; expected an `openapi` field".into()
    } else {
        format!(
            "no `openapi` or `swagger` field; the top-level keys are {}",
            keys.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_versions() {
        let cases = [
            (json!({"openapi": "3.0.4"}), Some(SpecVersion::OpenApi30)),
            (json!({"openapi": "3.1.0"}), Some(SpecVersion::OpenApi31)),
            (json!({"openapi": "3.2.0"}), Some(SpecVersion::OpenApi32)),
            (json!({"openapi": 3.0}), Some(SpecVersion::OpenApi30)),
            (json!({"swagger": "2.0"}), Some(SpecVersion::Swagger2)),
            (json!({"swagger": "1.2"}), None),
            (json!({"swaggerVersion": "1.2"}), None),
            (json!({"openapi": "4.0.0"}), None),
            (json!({"openapi": "2.0"}), None),
            (json!({"info": {}}), None),
            (json!([1]), None),
        ];
        for (doc, expected) in cases {
            assert_eq!(detect(&doc).ok().map(|(_, v)| v), expected, "{doc}");
        }
    }

    #[test]
    fn explains_unsupported_versions() {
        let err = detect(&json!({"openapi": "4.0.0"}))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unsupported version 4.0.0: specgate reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2")
        );
    }
}
