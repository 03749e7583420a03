//! OpenAPI's `discriminator`: the value of one property names the schema
//! that describes the object. JSON Schema does not know it; the schema
//! checks (`schemas.rs`) and the drift walk (`drift.rs`) both ask here
//! which schema a value selects.
//!
//! Two shapes: over `oneOf` (or `anyOf`), the value picks a branch; on a
//! schema that others extend through `allOf` (Swagger 2.0's only kind, and
//! Azure's and many Java documents'), it picks the schema, or one of those
//! extending it. A value names a schema by the `mapping`, by the schema's
//! name, by the value the schema itself gives the property (`kind: {enum:
//! [dog]}`, which many documents mean and do not map), or by Azure's
//! `x-ms-discriminator-value`.

use indexmap::IndexMap;
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value};
use specgate_spec::{Document, Schema, SCHEMA_REF_PREFIX};

/// What a discriminator ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// The branches of this keyword (`oneOf` or `anyOf`).
    Branches(&'static str),
    /// The schema itself and the component schemas that extend it.
    Extensions,
}

/// A discriminator, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property: String,
    pub over: Over,
    /// Value → the component schema it selects, in the order found.
    pub mapping: IndexMap<String, String>,
}

/// Which component schemas extend which (`allOf` with a `$ref` to it).
pub struct Extensions {
    children: HashMap<String, Vec<String>>,
}

impl Extensions {
    pub fn of(document: &Document) -> Self {
        let mut children: HashMap<String, Vec<String>> = HashMap::default();
        for (name, named) in &document.schemas {
            let parts = named.schema.value.get("allOf").and_then(Value::as_array);
            for part in parts.into_iter().flatten() {
                if let Some(parent) = Schema::reference_name_of(part) {
                    children
                        .entry(parent.into_owned())
                        .or_default()
                        .push(name.clone());
                }
            }
        }
        Extensions { children }
    }

    /// The schemas that extend `name`, directly or through others.
    fn descendants(&self, name: &str) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        let mut next = vec![name];
        while let Some(parent) = next.pop() {
            for child in self.children.get(parent).into_iter().flatten() {
                if child != name && !found.contains(&child.as_str()) {
                    found.push(child);
                    next.push(child);
                }
            }
        }
        found
    }
}

impl Discriminator {
    /// The discriminator of a schema node, when it has one that can select
    /// a schema for every value it names: over `oneOf`/`anyOf` whose
    /// branches are all component references, or, for the component schema
    /// `name`, over the schemas extending it. `None` otherwise: the node
    /// keeps JSON Schema's meaning.
    pub fn of(
        document: &Document,
        extensions: &Extensions,
        node: &Map<String, Value>,
        name: Option<&str>,
    ) -> Option<Discriminator> {
        let discriminator = node.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?;
        let mut mapping: IndexMap<String, String> = IndexMap::new();
        for (value, target) in discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let target = target.as_str()?.strip_prefix(SCHEMA_REF_PREFIX)?;
            let target = specgate_spec::pointer::unescape(target).into_owned();
            document.schema(&target)?;
            mapping.insert(value.clone(), target);
        }
        let keyword = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| node.get(*k).is_some_and(Value::is_array));
        let (over, candidates): (Over, Vec<String>) = match keyword {
            Some(keyword) => {
                let branches = node.get(keyword).and_then(Value::as_array)?;
                let names = branches
                    .iter()
                    .map(|b| Schema::reference_name_of(b).map(|n| n.into_owned()))
                    .collect::<Option<Vec<_>>>()?;
                (Over::Branches(keyword), names)
            }
            None => {
                let name = name?;
                let mut names = vec![name.to_owned()];
                names.extend(extensions.descendants(name).into_iter().map(str::to_owned));
                (Over::Extensions, names)
            }
        };
        if over == Over::Extensions && candidates.len() == 1 && mapping.is_empty() {
            // Nothing extends it: a discriminator with nothing to choose.
            return None;
        }
        for candidate in &candidates {
            // A schema the mapping already names is selected by its values
            // only, as OpenAPI has it.
            if mapping.values().any(|mapped| mapped == candidate) {
                continue;
            }
            let named = document.schema(candidate)?;
            let values =
                std::iter::once(candidate.clone()).chain(own_values(&named.schema.value, property));
            for value in values {
                mapping.entry(value).or_insert_with(|| candidate.clone());
            }
        }
        Some(Discriminator {
            property: property.to_owned(),
            over,
            mapping,
        })
    }

    /// The component schema the object's property selects, if it has the
    /// property and a value that selects one.
    pub fn selected(&self, object: &Map<String, Value>) -> Option<&str> {
        let value = object.get(&self.property)?.as_str()?;
        self.mapping.get(value).map(String::as_str)
    }
}

/// The values a schema itself gives a property: Azure's
/// `x-ms-discriminator-value`, and the `const` or `enum` strings of the
/// property, there or in one of its inline `allOf` parts.
fn own_values(schema: &Value, property: &str) -> Vec<String> {
    let mut values: Vec<String> = schema
        .get("x-ms-discriminator-value")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect();
    let parts = std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for part in parts {
        let Some(declared) = part.get("properties").and_then(|p| p.get(property)) else {
            continue;
        };
        let listed = declared.get("enum").and_then(Value::as_array);
        let constant = declared.get("const").map(std::slice::from_ref);
        for value in listed
            .map(Vec::as_slice)
            .into_iter()
            .chain(constant)
            .flatten()
        {
            if let Some(text) = value.as_str() {
                values.push(text.to_owned());
            }
        }
    }
    values
}
