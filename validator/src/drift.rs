//! One walk over a body beside its schema for what JSON Schema alone does
//! not say: drift, members the schema never mentions where it does not
//! forbid them (no `additionalProperties: false`) nor describe them as a
//! map (the API sends more than the document says: a warning, or a
//! violation with `--strict`); and members marked `writeOnly` in a response
//! or `readOnly` in a request, which OpenAPI says are not sent there.
//!
//! Each schema node is summarized once (its parts through `$ref`, `allOf`,
//! `anyOf`, `oneOf`), shared by every value it describes.

use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap as HashMap;

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

/// A declared member: the schemas that describe it, and whether any of
/// them marks it `readOnly` or `writeOnly`.
#[derive(Default)]
struct Member<'d> {
    schemas: Vec<&'d Value>,
    read_only: bool,
    write_only: bool,
}

/// What a schema node says about the values it describes.
#[derive(Default)]
struct Summary<'d> {
    /// Member name → what describes it.
    properties: HashMap<&'d str, Member<'d>>,
    /// Whether any part declares properties (else any member is fine).
    described: bool,
    /// Whether extra members are described as map entries.
    open_map: bool,
    /// Whether the schema forbids extra members (`additionalProperties` or
    /// `unevaluatedProperties` false): the schema check reports them as
    /// violations, so they are not drift too.
    closed: bool,
    /// The schema of items, and of the first items (`prefixItems`).
    items: Option<&'d Value>,
    prefix_items: Vec<&'d Value>,
}

/// Summaries of the schema nodes of one document, by node address; built
/// as bodies need them, shared by every thread.
#[derive(Default)]
pub struct Summaries<'d> {
    cache: RwLock<HashMap<usize, Arc<Summary<'d>>>>,
}

impl<'d> Summaries<'d> {
    fn get(&self, document: &'d Document, schema: &'d Value) -> Arc<Summary<'d>> {
        let key = schema as *const Value as usize;
        if let Some(summary) = self.cache.read().ok().and_then(|c| c.get(&key).cloned()) {
            return summary;
        }
        let summary = Arc::new(summarize(document, schema));
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(key, Arc::clone(&summary));
        }
        summary
    }
}

/// The JSON pointers of undocumented members of `value`, and of members
/// carrying `excluded` (`writeOnly` for responses, `readOnly` for
/// requests).
pub fn walk_body<'d>(
    document: &'d Document,
    summaries: &Summaries<'d>,
    schema: &'d Value,
    value: &Value,
    excluded: &'static str,
) -> Vec<(String, Found)> {
    let mut found = Vec::new();
    let mut walk = Walk {
        document,
        summaries,
        excluded,
        found: &mut found,
    };
    walk.walk(schema, value, &mut String::new(), 0);
    found
}

struct Walk<'d, 's, 'f> {
    document: &'d Document,
    summaries: &'s Summaries<'d>,
    excluded: &'static str,
    found: &'f mut Vec<(String, Found)>,
}

impl<'d> Walk<'d, '_, '_> {
    fn walk(&mut self, schema: &'d Value, value: &Value, pointer: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(members) => {
                let summary = self.summaries.get(self.document, schema);
                for (name, member) in members {
                    let declared = summary.properties.get(name.as_str());
                    let marked = declared.is_some_and(|d| match self.excluded {
                        "writeOnly" => d.write_only,
                        _ => d.read_only,
                    });
                    let undocumented = declared.is_none()
                        && summary.described
                        && !summary.open_map
                        && !summary.closed;
                    let nested = member.is_object() || member.is_array();
                    if !(marked || undocumented || nested) {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&specgate_spec::pointer::escape(name));
                    if undocumented {
                        self.found.push((pointer.clone(), Found::Undocumented));
                    }
                    if marked {
                        self.found
                            .push((pointer.clone(), Found::Excluded(self.excluded)));
                    }
                    if nested {
                        for child in declared.map(|d| d.schemas.as_slice()).unwrap_or_default() {
                            self.walk(child, member, pointer, depth + 1);
                        }
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                let summary = self.summaries.get(self.document, schema);
                for (index, item) in items.iter().enumerate() {
                    if !(item.is_object() || item.is_array()) {
                        continue;
                    }
                    let child = summary.prefix_items.get(index).copied().or(summary.items);
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
}

fn summarize<'d>(document: &'d Document, schema: &'d Value) -> Summary<'d> {
    let mut parts = Vec::new();
    gather(document, schema, &mut parts, 0);
    // The node itself, or what it refers to: a branch of `anyOf` that is
    // closed does not close the others.
    let closed = document
        .resolve_schema(schema)
        .as_object()
        .into_iter()
        .chain(resolved_target(document, schema))
        .any(|object| {
            ["additionalProperties", "unevaluatedProperties"]
                .iter()
                .any(|keyword| object.get(*keyword) == Some(&Value::Bool(false)))
        });
    let mut summary = Summary {
        closed,
        ..Summary::default()
    };
    for part in parts {
        if let Some(properties) = part.get("properties").and_then(Value::as_object) {
            summary.described = true;
            for (name, child) in properties {
                let member = summary.properties.entry(name.as_str()).or_default();
                member.schemas.push(child);
                let mut child_parts = Vec::new();
                gather(document, child, &mut child_parts, 0);
                let flag = |keyword| {
                    child_parts
                        .iter()
                        .any(|p| p.get(keyword).and_then(Value::as_bool) == Some(true))
                };
                member.read_only |= flag("readOnly");
                member.write_only |= flag("writeOnly");
            }
        }
        summary.open_map |= part
            .get("additionalProperties")
            .is_some_and(Value::is_object)
            || part.contains_key("patternProperties");
        if summary.items.is_none() {
            summary.items = part.get("items");
        }
        if summary.prefix_items.is_empty() {
            if let Some(prefix) = part.get("prefixItems").and_then(Value::as_array) {
                summary.prefix_items = prefix.iter().collect();
            }
        }
    }
    summary
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
    if let Some(target) = named_target(document, schema) {
        gather(document, target, parts, depth + 1);
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

/// The named schema a `$ref` with siblings points to (a bare `$ref` is
/// already followed by `resolve_schema`).
fn named_target<'a>(document: &'a Document, schema: &'a Value) -> Option<&'a Value> {
    Schema::reference_name_of(schema)?;
    let object = document.resolve_schema(schema).as_object()?;
    let name = object
        .get("$ref")
        .and_then(Value::as_str)?
        .strip_prefix(specgate_spec::SCHEMA_REF_PREFIX)?;
    let named = document.schema(&specgate_spec::pointer::unescape(name))?;
    Some(&named.schema.value)
}

fn resolved_target<'a>(
    document: &'a Document,
    schema: &'a Value,
) -> Option<&'a Map<String, Value>> {
    named_target(document, schema).and_then(|target| document.resolve_schema(target).as_object())
}
