//! One walk over a body beside its schema for what JSON Schema alone does
//! not say: drift, members the schema never mentions where it does not
//! forbid them (no `additionalProperties: false`) nor describe them as a
//! map (the API sends more than the document says: a warning, or a
//! violation with `--strict`); and members marked `writeOnly` in a response
//! or `readOnly` in a request, which OpenAPI says are not sent there.

use serde_json::{Map, Value};
use specgate_spec::{Document, Schema};

/// How deep schemas are followed; deeper bodies are not searched.
const MAX_DEPTH: usize = 64;

/// What the walk found at a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Not in the document.
    Undocumented,
    /// Marked with this keyword (`writeOnly`, `readOnly`), which the body's
    /// direction excludes.
    Excluded(&'static str),
}

/// The JSON pointers of undocumented members of `value`, and of members
/// carrying `excluded` (`writeOnly` for responses, `readOnly` for
/// requests).
pub fn walk_body(
    document: &Document,
    schema: &Value,
    value: &Value,
    excluded: &'static str,
) -> Vec<(String, Found)> {
    let mut found = Vec::new();
    let mut walk = Walk {
        document,
        excluded,
        found: &mut found,
    };
    walk.walk(schema, value, &mut String::new(), 0);
    found
}

struct Walk<'a, 'f> {
    document: &'a Document,
    excluded: &'static str,
    found: &'f mut Vec<(String, Found)>,
}

impl Walk<'_, '_> {
    fn walk(&mut self, schema: &Value, value: &Value, pointer: &mut String, depth: usize) {
        let document = self.document;
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
                            self.found.push((pointer.clone(), Found::Undocumented));
                        }
                    } else {
                        if children.iter().any(|c| self.marked(c)) {
                            self.found
                                .push((pointer.clone(), Found::Excluded(self.excluded)));
                        }
                        for child in children {
                            self.walk(child, member, pointer, depth + 1);
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
                        self.walk(child, item, pointer, depth + 1);
                        pointer.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a member's schema (or a part of it) carries the excluded flag.
    fn marked(&self, schema: &Value) -> bool {
        let mut parts = Vec::new();
        gather(self.document, schema, &mut parts, 0);
        parts
            .iter()
            .any(|p| p.get(self.excluded).and_then(Value::as_bool) == Some(true))
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
