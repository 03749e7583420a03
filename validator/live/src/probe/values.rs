//! A parameter's value for a probe: the user's, else the document's
//! example, else its schema's example, default, first enum value or
//! constant; written out as the parameter's style says.

use serde_json::Value;
use specgate_spec::{Document, Parameter, ParameterStyle};

/// The value the document suggests for a parameter, when it has one.
pub(crate) fn documented(document: &Document, parameter: &Parameter) -> Option<Value> {
    if let Some(example) = &parameter.example {
        return Some(example.clone());
    }
    if let Some(value) = parameter.examples.values().find_map(|e| e.value.clone()) {
        return Some(value);
    }
    for media in parameter.content.values() {
        if let Some(example) = &media.example {
            return Some(example.clone());
        }
        if let Some(value) = media.examples.values().find_map(|e| e.value.clone()) {
            return Some(value);
        }
    }
    let schema = document.resolve_schema(&parameter.schema.as_ref()?.value);
    schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
        .or_else(|| schema.get("const"))
        .cloned()
}

/// One value as text: strings as they are, other scalars as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The `name=value` pairs of a query parameter (not yet encoded), as its
/// style and `explode` say; user values (several for an array) are taken
/// as written.
pub(crate) fn query_pairs(parameter: &Parameter, value: &Value) -> Vec<(String, String)> {
    let name = parameter.name.clone();
    let separator = match parameter.style {
        ParameterStyle::SpaceDelimited => " ",
        ParameterStyle::PipeDelimited => "|",
        _ => ",",
    };
    match value {
        Value::Array(items) if parameter.explode => items
            .iter()
            .map(|item| (name.clone(), scalar(item)))
            .collect(),
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(scalar).collect();
            vec![(name, joined.join(separator))]
        }
        Value::Object(members) if parameter.style == ParameterStyle::DeepObject => members
            .iter()
            .map(|(key, item)| (format!("{name}[{key}]"), scalar(item)))
            .collect(),
        Value::Object(members) if parameter.explode => members
            .iter()
            .map(|(key, item)| (key.clone(), scalar(item)))
            .collect(),
        Value::Object(members) => {
            let joined: Vec<String> = members
                .iter()
                .flat_map(|(key, item)| [key.clone(), scalar(item)])
                .collect();
            vec![(name, joined.join(","))]
        }
        other => vec![(name, scalar(other))],
    }
}

/// A path, header or cookie value (`simple` style: arrays and objects
/// comma-separated).
pub(crate) fn simple(value: &Value) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        Value::Object(members) => members
            .iter()
            .flat_map(|(key, item)| [key.clone(), scalar(item)])
            .collect::<Vec<_>>()
            .join(","),
        other => scalar(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Document {
        specgate_spec::chatwoot().expect("embedded")
    }

    fn parameter<'d>(document: &'d Document, operation: &str, name: &str) -> &'d Parameter {
        document
            .operation(operation)
            .and_then(|o| o.parameters.iter().find(|p| p.name == name))
            .expect("the parameter")
    }

    #[test]
    fn arrays_follow_the_parameter_style() {
        let document = document();
        let labels = parameter(&document, "conversationList", "labels");
        let pairs = query_pairs(labels, &json!(["billing", "vip"]));
        assert_eq!(
            pairs,
            [
                ("labels".into(), "billing".into()),
                ("labels".into(), "vip".into())
            ]
        );
        assert_eq!(simple(&json!(["a", 1, true])), "a,1,true");
    }

    #[test]
    fn the_document_suggests_enum_values_and_defaults() {
        let document = document();
        let status = parameter(&document, "conversationList", "status");
        let value = documented(&document, status).expect("an enum value or default");
        assert!(value.is_string(), "{value}");
    }
}
