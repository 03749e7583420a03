//! Completes every discriminator's `mapping` in the model, once, so that
//! every reader ([`crate::model::Discriminator`]) gives a value the same
//! meaning. A value selects a schema by the document's `mapping`, by the
//! schema's name, or by the value the schema itself gives the property (an
//! `enum` or `const` on it, there or in an inline `allOf` part, or Azure's
//! `x-ms-discriminator-value`), which many documents mean and do not map.
//! A discriminator on a schema that others extend through `allOf` chooses
//! among the schema and those extending it, directly or not.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::model::{NamedSchema, Schema};

/// How deep schema values are searched for discriminators: the loader
/// bounds nesting at 128 levels, so this is never reached by a document
/// that loaded.
const MAX_DEPTH: usize = 256;

/// What completing a mapping needs to know about the named schemas,
/// gathered before any schema is changed.
pub(crate) struct Catalogue {
    names: HashSet<String>,
    /// Schema → the schemas whose `allOf` refers to it.
    children: HashMap<String, Vec<String>>,
    /// (schema, property) → the values the schema gives the property.
    own: HashMap<(String, String), Vec<String>>,
    /// (schema, property) for each schema that declares the property, in
    /// its own `properties` or through an `allOf` parent.
    declares: HashSet<(String, String)>,
}

impl Catalogue {
    /// Reads the named schemas, for discriminators on `properties`.
    pub(crate) fn of(
        schemas: &IndexMap<String, NamedSchema>,
        properties: &HashSet<String>,
    ) -> Self {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        let mut own = HashMap::new();
        let mut declares = HashSet::new();
        for (name, named) in schemas {
            let value = &named.schema.value;
            for part in value
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(parent) = Schema::reference_name_of(part) {
                    children
                        .entry(parent.into_owned())
                        .or_default()
                        .push(name.clone());
                }
            }
            for property in properties {
                let values = own_values(value, property);
                if !values.is_empty() {
                    own.insert((name.clone(), property.clone()), values);
                }
                if declares_itself(value, property) {
                    declares.insert((name.clone(), property.clone()));
                }
            }
        }
        let mut catalogue = Catalogue {
            names: schemas.keys().cloned().collect(),
            children,
            own,
            declares,
        };
        // What a parent declares, its extensions declare too.
        let inherited: Vec<(String, String)> = catalogue
            .declares
            .iter()
            .flat_map(|(parent, property)| {
                catalogue
                    .descendants(parent)
                    .into_iter()
                    .map(|child| (child.to_owned(), property.clone()))
            })
            .collect();
        catalogue.declares.extend(inherited);
        catalogue
    }

    /// The schemas that extend `name`, directly or through others, in the
    /// order found; never `name` itself.
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

    /// The complete mapping of a discriminator node (`schema` names the
    /// component it is the root of, if it is one), or `None` when it
    /// selects nothing: branches that are not all references, or a base
    /// schema nothing extends and nothing maps.
    fn complete(
        &self,
        node: &Map<String, Value>,
        schema: Option<&str>,
        problems: &mut Vec<String>,
    ) -> Option<Map<String, Value>> {
        let discriminator = node.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?;
        let mut mapping: IndexMap<String, String> = IndexMap::new();
        for (value, target) in discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(name) = target.as_str().and_then(crate::schema_ref_name) else {
                continue;
            };
            let name = name.into_owned();
            if self.names.contains(&name) {
                mapping.insert(value.clone(), name);
            }
        }
        let keyword = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| node.get(*k).is_some_and(Value::is_array));
        let candidates: Vec<String> = match keyword {
            Some(keyword) => node
                .get(keyword)
                .and_then(Value::as_array)?
                .iter()
                .map(|b| Schema::reference_name_of(b).map(|n| n.into_owned()))
                .collect::<Option<Vec<_>>>()?,
            None => {
                let name = schema?;
                let mut names = vec![name.to_owned()];
                names.extend(self.descendants(name).into_iter().map(str::to_owned));
                if names.len() == 1 && mapping.is_empty() {
                    // Nothing extends it: nothing to choose.
                    return None;
                }
                names
            }
        };
        if keyword.is_some() {
            self.check_tags(property, &mapping, &candidates, problems);
        }
        for candidate in &candidates {
            // A schema the mapping already names is selected by its values
            // only, as OpenAPI has it.
            if mapping.values().any(|mapped| mapped == candidate) || !self.names.contains(candidate)
            {
                continue;
            }
            let own = self
                .own
                .get(&(candidate.clone(), property.to_owned()))
                .into_iter()
                .flatten();
            for value in std::iter::once(candidate).chain(own) {
                mapping
                    .entry(value.clone())
                    .or_insert_with(|| candidate.clone());
            }
        }
        Some(
            mapping
                .into_iter()
                .map(|(value, name)| {
                    let reference = crate::schema_ref(&name);
                    (value, Value::String(reference))
                })
                .collect(),
        )
    }
}

impl Catalogue {
    /// The tags a body of each branch cannot carry as the document says:
    /// a branch that does not declare the property (Linode's payment
    /// methods, whose `type` is their parent's), a mapped value the
    /// branch's own `enum` or `const` excludes.
    fn check_tags(
        &self,
        property: &str,
        mapping: &IndexMap<String, String>,
        candidates: &[String],
        problems: &mut Vec<String>,
    ) {
        let undeclared: Vec<&str> = candidates
            .iter()
            .filter(|c| self.names.contains(*c))
            .filter(|c| !self.declares.contains(&((*c).clone(), property.to_owned())))
            .map(String::as_str)
            .collect();
        if !undeclared.is_empty() {
            problems.push(format!(
                "the discriminator property `{property}` is not a property of {}: a body of \
                 {} need not carry the tag; readers choose by shape when it does not",
                undeclared.join(", "),
                if undeclared.len() == 1 { "it" } else { "them" }
            ));
        }
        for (value, name) in mapping {
            let Some(own) = self.own.get(&(name.clone(), property.to_owned())) else {
                continue;
            };
            if !own.contains(value) {
                problems.push(format!(
                    "the discriminator maps `{value}` to {name}, whose `{property}` can only be \
                     {}: a server cannot send that tag for it",
                    own.iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
}

/// Whether a schema declares `property` itself: in its `properties`, or
/// those of one of its inline `allOf` parts.
fn declares_itself(schema: &Value, property: &str) -> bool {
    std::iter::once(schema)
        .chain(
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .any(|part| {
            part.get("properties")
                .and_then(|p| p.get(property))
                .is_some()
        })
}

/// Every property a discriminator in `value` names.
pub(crate) fn properties(value: &Value, found: &mut HashSet<String>) {
    visit(value, 0, &mut |node| {
        if let Some(property) = node
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
        {
            found.insert(property.to_owned());
        }
    });
}

/// Completes the discriminators in one model schema; `name` is the named
/// schema it is, if it is one. Returns what a body cannot carry as the
/// document says, by pointer below the schema.
pub(crate) fn complete(
    catalogue: &Catalogue,
    schema: &mut Value,
    name: Option<&str>,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    complete_node(
        catalogue,
        schema,
        name,
        &mut String::new(),
        &mut problems,
        0,
    );
    problems
}

fn complete_node(
    catalogue: &Catalogue,
    value: &mut Value,
    name: Option<&str>,
    at: &mut String,
    problems: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(node) => {
            if node.contains_key("discriminator") {
                let mut found = Vec::new();
                let completed = catalogue.complete(node, name, &mut found);
                let here = crate::pointer::join(at, "discriminator");
                problems.extend(found.into_iter().map(|p| (here.clone(), p)));
                if let Some(mapping) = completed {
                    if let Some(Value::Object(discriminator)) = node.get_mut("discriminator") {
                        discriminator.insert("mapping".into(), Value::Object(mapping));
                    }
                }
            }
            for (key, child) in node.iter_mut() {
                // Values of these are data, not schemas.
                if matches!(
                    key.as_str(),
                    "enum" | "const" | "examples" | "default" | "discriminator"
                ) || key.starts_with("x-")
                {
                    continue;
                }
                let length = at.len();
                at.push_str(&crate::pointer::join("", key));
                complete_node(catalogue, child, None, at, problems, depth + 1);
                at.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let length = at.len();
                at.push_str(&format!("/{index}"));
                complete_node(catalogue, item, None, at, problems, depth + 1);
                at.truncate(length);
            }
        }
        _ => {}
    }
}

fn visit(value: &Value, depth: usize, f: &mut impl FnMut(&Map<String, Value>)) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(node) => {
            f(node);
            for (key, child) in node {
                if matches!(key.as_str(), "enum" | "const" | "examples" | "default")
                    || key.starts_with("x-")
                {
                    continue;
                }
                visit(child, depth + 1, f);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| visit(item, depth + 1, f)),
        _ => {}
    }
}

/// The values a schema itself gives a property: Azure's
/// `x-ms-discriminator-value`, and the `const` or single `enum` string of
/// the property, there or in one of its inline `allOf` parts.
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
        // An `enum` of several values lists every kind (a base schema's
        // does), not the schema's own.
        let listed = declared
            .get("enum")
            .and_then(Value::as_array)
            .filter(|values| values.len() == 1);
        let constant = declared.get("const").map(std::slice::from_ref);
        for value in listed
            .map(Vec::as_slice)
            .into_iter()
            .chain(constant)
            .flatten()
        {
            if let Some(text) = value.as_str() {
                if !values.iter().any(|v| v == text) {
                    values.push(text.to_owned());
                }
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use crate::WarningKind;

    fn mismatches(schemas: serde_json::Value) -> Vec<String> {
        let document = serde_json::json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}
        });
        let bytes = serde_json::to_vec(&document).unwrap_or_default();
        let loaded = crate::Loader::new().load_bytes("d.json", bytes, None);
        let Ok(document) = loaded else {
            return vec!["did not load".into()];
        };
        document
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::DiscriminatorMismatch)
            .map(|w| w.message.clone())
            .collect()
    }

    #[test]
    fn tags_a_body_cannot_carry_are_named() {
        let found = mismatches(serde_json::json!({
            "Data": {"oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
                     "discriminator": {"propertyName": "type", "mapping": {"bank": "#/components/schemas/Bank"}}},
            "Card": {"type": "object", "properties": {"last_four": {"type": "string"}}},
            "Bank": {"type": "object", "properties": {"type": {"const": "iban"}}}
        }));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("`type` is not a property of Card"),
            "{found:?}"
        );
        assert!(
            found[1].contains("maps `bank` to Bank, whose `type` can only be `iban`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_tag_declared_by_a_parent_is_declared() {
        let found = mismatches(serde_json::json!({
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind"}},
            "Base": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"bark": {"type": "boolean"}}}]}
        }));
        assert!(found.is_empty(), "{found:?}");
    }
}
