//! Drift: members a body carries that its schema never mentions, where the
//! schema does not forbid them (no `additionalProperties: false`) and does
//! not describe them as a map either. The API sends more than the document
//! says: a warning, or a violation with `--strict`.

use serde_json::{Map, Value};
use specgate_spec::{Document, Schema};

/// How deep schemas are followed; deeper bodies are not searched.
const MAX_DEPTH: usize = 64;

/// The JSON pointers of undocumented members of `value`, with their names.
pub fn undocumented(document: &Document, schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(document, schema, value, &mut String::new(), &mut found, 0);
    found
}

fn walk(
    document: &Document,
    schema: &Value,
    value: &Value,
    pointer: &mut String,
    found: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut parts = Vec::new();
    gather(document, schema, &mut parts, 0);
    match value {
        Value::Object(members) => {
            let open_map = parts.iter().any(|p| {
                p.get("additionalProperties").is_some_and(|a| a.is_object())
                    || p.contains_key("patternProperties")
            });
            let described = parts.iter().any(|p| p.contains_key("properties"));
            for (name, member) in members {
                let children: Vec<&Value> = parts
                    .iter()
                    .filter_map(|p| p.get("properties").and_then(|ps| ps.get(name)))
                    .collect();
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&specgate_spec::pointer::escape(name));
                if children.is_empty() {
                    if described && !open_map {
                        found.push(pointer.clone());
                    }
                } else {
                    for child in children {
                        walk(document, child, member, pointer, found, depth + 1);
                    }
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let child = parts.iter().find_map(|p| {
                    p.get("prefixItems")
                        .and_then(|prefix| prefix.get(index))
                        .or_else(|| p.get("items"))
                });
                if let Some(child) = child {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    walk(document, child, item, pointer, found, depth + 1);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// The schema and every part it is made of (`$ref` targets, `allOf`,
/// `anyOf`, `oneOf` branches): a member declared by any of them is
/// documented.
fn gather<'a>(
    document: &'a Document,
    schema: &'a Value,
    parts: &mut Vec<&'a Map<String, Value>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(object) = document.resolve_schema(schema).as_object() else {
        return;
    };
    if parts.iter().any(|p| std::ptr::eq(*p, object)) {
        return;
    }
    parts.push(object);
    if Schema::reference_name_of(schema).is_some() {
        if let Some(target) = object
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(specgate_spec::SCHEMA_REF_PREFIX))
            .and_then(|name| document.schema(&specgate_spec::pointer::unescape(name)))
        {
            gather(document, &target.schema.value, parts, depth + 1);
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        for branch in object
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            gather(document, branch, parts, depth + 1);
        }
    }
}
