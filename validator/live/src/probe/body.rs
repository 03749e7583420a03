//! A probe's request body: the user's (`--body OPERATION=FILE`), else the
//! document's example of the whole body, else one built from the examples
//! of its members. Nothing is invented: a required member with no example,
//! default, enum value or constant leaves the operation not callable, and
//! the reason names that member.

use serde_json::{Map, Value};
use specgate_spec::{Document, Operation, Schema};

/// Schemas nest at most this deep in a built body (recursive schemas end).
const MAX_DEPTH: usize = 16;

/// The body to send and its media type, `None` when the operation takes
/// no body or an optional one the document gives no example of.
pub(crate) fn request_body(
    document: &Document,
    operation: &Operation,
    given: Option<&[u8]>,
) -> Result<Option<(String, Vec<u8>)>, String> {
    let Some(body) = &operation.request_body else {
        return match given {
            Some(bytes) => Ok(Some(("application/json".into(), bytes.to_vec()))),
            None => Ok(None),
        };
    };
    if let Some(bytes) = given {
        let media = body
            .content
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "application/json".into());
        return Ok(Some((media, bytes.to_vec())));
    }
    let mut missing = None;
    for (media, content) in &body.content {
        let whole = content
            .example
            .clone()
            .or_else(|| content.examples.values().find_map(|e| e.value.clone()));
        let json = is_json(media);
        let value = match whole {
            Some(value) => value,
            None if json => match content
                .schema
                .as_ref()
                .map(|s| build(document, &s.value, 0))
            {
                Some(Ok(value)) => value,
                Some(Err(member)) => {
                    missing.get_or_insert(member);
                    continue;
                }
                None => continue,
            },
            None => continue,
        };
        let bytes = match (&value, json) {
            (_, true) => value.to_string().into_bytes(),
            (Value::String(text), false) => text.clone().into_bytes(),
            _ => continue,
        };
        return Ok(Some((media.clone(), bytes)));
    }
    if !body.required {
        return Ok(None);
    }
    let what = match missing {
        Some(member) if !member.is_empty() => {
            format!("no example of the request body, nor of its required member {member}")
        }
        _ => "no example of the request body".to_owned(),
    };
    Err(format!(
        "{what}; pass --body {}=FILE",
        operation.operation_id
    ))
}

/// `application/json`, `application/problem+json`, `text/json`.
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.ends_with("/json") || essence.ends_with("+json")
}

/// A value for `schema` from the document's own words: its example,
/// default, constant or first enum value; an object from its members'
/// (the required ones, and the optional ones that have such a value); an
/// array of one item when it must have items. The error is the pointer of
/// the required member nothing was found for (empty: the value itself).
fn build(document: &Document, schema: &Value, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(String::new());
    }
    if let Some(value) = stated(schema) {
        return Ok(value);
    }
    if let Some(name) = Schema::reference_name_of(schema) {
        if let Some(named) = document.schema(&name) {
            return build(document, &named.schema.value, depth + 1);
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            match build(document, part, depth + 1)? {
                Value::Object(members) => merged.extend(members),
                other if parts.len() == 1 => return Ok(other),
                _ => return Err(String::new()),
            }
        }
        if let Ok(Value::Object(own)) = object(document, schema, depth) {
            merged.extend(own);
        }
        return Ok(Value::Object(merged));
    }
    for alternatives in ["oneOf", "anyOf"] {
        if let Some(list) = schema.get(alternatives).and_then(Value::as_array) {
            // The first alternative the document gives values for.
            let mut first_error = None;
            for alternative in list {
                match build(document, alternative, depth + 1) {
                    Ok(value) => return Ok(value),
                    Err(member) => {
                        first_error.get_or_insert(member);
                    }
                }
            }
            return Err(first_error.unwrap_or_default());
        }
    }
    if schema.get("properties").is_some() || has_type(schema, "object") {
        return object(document, schema, depth);
    }
    if has_type(schema, "array") {
        let min_items = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        if min_items == 0 {
            return Ok(Value::Array(Vec::new()));
        }
        let item = schema.get("items").ok_or_else(String::new)?;
        let item = build(document, item, depth + 1).map_err(|at| format!("/0{at}"))?;
        let count = usize::try_from(min_items).unwrap_or(1).min(16);
        return Ok(Value::Array(vec![item; count]));
    }
    if has_type(schema, "null") {
        return Ok(Value::Null);
    }
    Err(String::new())
}

/// An object of the required members and the optional ones the document
/// gives a value for.
fn object(document: &Document, schema: &Value, depth: usize) -> Result<Value, String> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut members = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let read_only = property.get("readOnly").and_then(Value::as_bool) == Some(true);
            if read_only {
                continue;
            }
            match build(document, property, depth + 1) {
                Ok(value) => {
                    let optional_without_words =
                        !required.contains(&name.as_str()) && stated(property).is_none();
                    if !optional_without_words {
                        members.insert(name.clone(), value);
                    }
                }
                Err(at) if required.contains(&name.as_str()) => {
                    return Err(format!("/{}{at}", escape(name)));
                }
                Err(_) => {}
            }
        }
    }
    // A required member no property describes has nothing to go on.
    if let Some(name) = required.iter().find(|name| !members.contains_key(**name)) {
        return Err(format!("/{}", escape(name)));
    }
    Ok(Value::Object(members))
}

/// The value a schema states for itself.
fn stated(schema: &Value) -> Option<Value> {
    schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("const"))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
        .cloned()
}

fn has_type(schema: &Value, wanted: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(name)) => name == wanted,
        Some(Value::Array(names)) => names.iter().any(|n| n.as_str() == Some(wanted)),
        _ => false,
    }
}

/// A member name in a JSON pointer.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(schemas: &str) -> Document {
        let text = format!(
            "openapi: 3.1.0
info: {{title: t, version: '1'}}
paths:
  /sessions:
    post:
      operationId: createSession
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Session'}}
      responses:
        '201': {{description: made}}
components:
  schemas:
{schemas}"
        );
        specgate_spec::load_str("t.yaml", &text).expect("a document")
    }

    fn body(document: &Document) -> Result<Option<Value>, String> {
        let operation = document.operation("createSession").expect("the operation");
        request_body(document, operation, None)
            .map(|found| found.map(|(_, bytes)| serde_json::from_slice(&bytes).expect("JSON")))
    }

    #[test]
    fn members_examples_make_a_body() {
        let document = document(
            "    Session:
      type: object
      required: [ttl, owner]
      properties:
        ttl: {type: integer, example: 1800}
        owner: {$ref: '#/components/schemas/Owner'}
        note: {type: string}
        label: {type: string, default: probe}
        id: {type: string, readOnly: true, example: x}
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string, enum: [ada, bob]}
",
        );
        assert_eq!(
            body(&document),
            Ok(Some(
                json!({"ttl": 1800, "owner": {"name": "ada"}, "label": "probe"})
            ))
        );
    }

    #[test]
    fn a_required_member_without_an_example_is_named() {
        let document = document(
            "    Session:
      type: object
      required: [ttl, owner]
      properties:
        ttl: {type: integer, example: 1800}
        owner:
          type: object
          required: [name]
          properties:
            name: {type: string}
",
        );
        let err = body(&document).expect_err("owner's name has no example");
        assert!(err.contains("member /owner/name"), "{err}");
        assert!(err.contains("--body createSession=FILE"), "{err}");
    }

    #[test]
    fn a_given_body_goes_first_and_takes_the_documented_media_type() {
        let document = document("    Session: {type: object}\n");
        let operation = document.operation("createSession").expect("the operation");
        let sent = request_body(&document, operation, Some(b"{\"a\":1}")).expect("a body");
        assert_eq!(
            sent,
            Some(("application/json".to_owned(), b"{\"a\":1}".to_vec()))
        );
    }
}
