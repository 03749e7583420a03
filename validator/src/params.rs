//! A parameter's raw text as the JSON value its schema describes, so the
//! same engine checks it: `page=2` is the integer 2, `labels=a&labels=b`
//! (or `labels=a,b` unexploded) is `["a", "b"]`, `filter[color]=red` is
//! `{"color": "red"}`. Text that does not parse as the type stays a string,
//! so the check says what was expected.

use serde_json::{Map, Value};
use specgate_spec::{Document, Parameter, ParameterStyle};

pub(crate) fn typed(
    document: &Document,
    schema: &Value,
    parameter: &Parameter,
    values: &[(String, String)],
) -> Value {
    let schema = document.resolve_schema(schema);
    match document.primary_type(schema) {
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            let texts: Vec<&str> = if values.len() > 1 {
                values.iter().map(|(_, v)| v.as_str()).collect()
            } else {
                let text = values.first().map_or("", |(_, v)| v.as_str());
                let separator = match parameter.style {
                    ParameterStyle::SpaceDelimited => ' ',
                    ParameterStyle::PipeDelimited => '|',
                    _ => ',',
                };
                text.split(separator).collect()
            };
            Value::Array(
                texts
                    .into_iter()
                    .map(|t| scalar(document, items, t))
                    .collect(),
            )
        }
        Some("object") if parameter.style == ParameterStyle::DeepObject => {
            let mut object = Map::new();
            for (name, text) in values {
                let key = name
                    .strip_prefix(parameter.name.as_str())
                    .and_then(|rest| rest.strip_prefix('['))
                    .and_then(|rest| rest.strip_suffix(']'))
                    .unwrap_or_default();
                let member = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .unwrap_or(&Value::Null);
                object.insert(key.to_owned(), scalar(document, member, text));
            }
            Value::Object(object)
        }
        _ => scalar(
            document,
            schema,
            values.first().map_or("", |(_, v)| v.as_str()),
        ),
    }
}

pub(crate) fn scalar(document: &Document, schema: &Value, text: &str) -> Value {
    let parsed = match document.primary_type(schema) {
        Some("integer") => text.parse::<i64>().ok().map(Value::from),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Some("boolean") => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// A response header's text as its schema types it (`simple` style:
/// arrays are comma-separated).
pub(crate) fn header(document: &Document, schema: &Value, text: &str) -> Value {
    let schema = document.resolve_schema(schema);
    match document.primary_type(schema) {
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(
                text.split(',')
                    .map(|t| scalar(document, items, t.trim()))
                    .collect(),
            )
        }
        _ => scalar(document, schema, text),
    }
}

/// The members an object schema names, for exploded `form` parameters.
pub(crate) enum Members<'v> {
    /// Not an object schema.
    None,
    /// Its `properties`.
    Named(Vec<&'v str>),
    /// Any name may be a member (a map, or an object that names none).
    Any,
}

/// Like a body's members: the named `properties`, unless the object is a
/// map (`additionalProperties` a schema) or names none at all.
pub(crate) fn object_members<'v>(document: &'v Document, schema: &'v Value) -> Members<'v> {
    if document.primary_type(schema) != Some("object") {
        return Members::None;
    }
    let schema = document.resolve_schema(schema);
    let names: Vec<&str> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if names.is_empty()
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    {
        return Members::Any;
    }
    Members::Named(names)
}
