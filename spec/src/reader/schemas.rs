//! The schema table: every schema a `$ref` reaches gets a name before it is
//! converted, so recursive schemas are references and never expanded.

use std::collections::{HashMap, HashSet, VecDeque};

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::{ErrorKind, LoadError};
use crate::files::Target;
use crate::model::{NamedSchema, Schema};
use crate::normalize::{SchemaSink, SchemaWalk};
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::reader::Reader;
use crate::warning::Warning;

/// Names and converted schemas, filled as references are found.
#[derive(Default)]
pub(crate) struct SchemaTable {
    pub(crate) named: IndexMap<String, NamedSchema>,
    by_target: HashMap<Target, String>,
    taken: HashSet<String>,
    queue: VecDeque<(String, Target)>,
    /// `$ref` texts already rewritten, per referring file: the model's form,
    /// or `None` when it is the same text.
    rewritten: HashMap<FileId, HashMap<String, Option<String>>>,
}

impl SchemaTable {
    /// Names every component schema of the root document, in document order,
    /// before anything else takes a name.
    pub(crate) fn reserve_components(&mut self, names: impl IntoIterator<Item = String>) {
        for name in names {
            let target = Target {
                file: FileId::ROOT,
                pointer: pointer::join("/components/schemas", &name),
            };
            self.taken.insert(name.clone());
            self.by_target.insert(target.clone(), name.clone());
            self.queue.push_back((name, target));
        }
    }

    /// The name of the schema at `target`, assigning one (and queueing the
    /// schema for conversion) the first time. `stem` names the target's file,
    /// for references to a whole file.
    fn name_for(&mut self, target: Target, stem: &str, preferred: &[String]) -> &str {
        if !self.by_target.contains_key(&target) {
            let name = match preferred.iter().find(|name| !self.taken.contains(*name)) {
                Some(name) => name.clone(),
                None => self.fresh_name(&target, stem),
            };
            self.taken.insert(name.clone());
            self.queue.push_back((name.clone(), target.clone()));
            self.by_target.insert(target.clone(), name);
        }
        self.by_target.get(&target).map_or("", String::as_str)
    }

    /// A readable, unique name from the place a schema was found: the last
    /// meaningful token of its pointer (`Pet` for `common.yaml#/Pet`), with
    /// its parent's when it sits inside another schema (`Pet_owner`).
    fn fresh_name(&self, target: &Target, stem: &str) -> String {
        const COLLECTIONS: &[&str] = &["schemas", "definitions", "$defs"];
        const GENERIC: &[&str] = &[
            "schema",
            "items",
            "properties",
            "additionalProperties",
            "allOf",
            "anyOf",
            "oneOf",
            "components",
            "content",
            "responses",
            "requestBody",
            "parameters",
            "paths",
        ];
        let tokens: Vec<_> = pointer::tokens(&target.pointer).collect();
        let meaningful: Vec<&str> = tokens
            .iter()
            .map(|t| t.as_ref())
            .filter(|t| {
                !GENERIC.contains(t)
                    && !COLLECTIONS.contains(t)
                    && !t.contains('/')
                    && t.parse::<u32>().is_err()
            })
            .collect();
        let in_collection = tokens.len() < 2
            || tokens
                .get(tokens.len() - 2)
                .is_some_and(|t| COLLECTIONS.contains(&t.as_ref()));
        let base = match meaningful.as_slice() {
            [] if stem.is_empty() => "Schema".to_owned(),
            [] => stem.to_owned(),
            [only] if in_collection || stem.is_empty() => (*only).to_owned(),
            // A schema inside a file of schemas: `pet.yaml#/properties/owner`.
            [only] => format!("{stem}_{only}"),
            [.., last] if in_collection => (*last).to_owned(),
            [.., parent, last] => format!("{parent}_{last}"),
        };
        if !self.taken.contains(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}_{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or(base)
    }

    fn next(&mut self) -> Option<(String, Target)> {
        self.queue.pop_front()
    }
}

/// The sink the schema walk reports to while the reader converts one schema.
struct Sink<'a> {
    reader: &'a mut Reader,
    file: FileId,
}

impl Sink<'_> {
    /// Resolves a `$ref` met for the first time in this file, names its
    /// target (queueing it for conversion) and returns the model's form.
    fn rewrite_new(&mut self, at: &str, reference: &str) -> Result<String, LoadError> {
        let target = self.reader.files.resolve(self.file, at, reference)?;
        let name = self.name_target(target);
        Ok(crate::schema_ref(&name))
    }

    /// The name of the schema at `target`, queueing it the first time. A
    /// schema inside a schema resource with dynamic anchors brings the
    /// resource along: a JSON Schema engine reaches it through the
    /// resource, whose dynamic scope then holds it.
    fn name_target(&mut self, target: Target) -> String {
        let files = &self.reader.files;
        if let Some(root) = files.resource_root(target.file, &target.pointer) {
            if root != target.pointer && files.has_dynamic_anchors(target.file, &root) {
                self.name_plain(Target {
                    file: target.file,
                    pointer: root,
                });
            }
        }
        self.name_plain(target)
    }

    fn name_plain(&mut self, target: Target) -> String {
        let stem = std::path::Path::new(self.reader.files.name(target.file))
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.reader.referenced.insert(target.clone());
        let preferred = self.place_names(&target);
        self.reader
            .schemas
            .name_for(target, &stem, &preferred)
            .to_owned()
    }

    /// Names the schema's place gives it, best first (see
    /// [`super::place_names`]): inside an operation, what it is there; else
    /// its title, when it has one that reads as a name. Empty for schemas
    /// in a collection (`components/schemas`, `definitions`), named by
    /// their keys.
    fn place_names(&self, target: &Target) -> Vec<String> {
        let files = &self.reader.files;
        let value = files.get(target.file, &target.pointer);
        let sole_property = value
            .and_then(|v| v.get("properties"))
            .and_then(Value::as_object)
            .filter(|properties| properties.len() == 1)
            .and_then(|properties| properties.keys().next())
            .map(String::as_str);
        let operation_id = |path: &str, method: &str| {
            let at = pointer::join_all("/paths", [path, method, "operationId"]);
            match files.get(target.file, &at).and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => std::iter::once(method)
                    .chain(path.split(|c: char| !c.is_ascii_alphanumeric()))
                    .filter(|word| !word.is_empty())
                    .collect::<Vec<_>>()
                    .join("_"),
            }
        };
        let parameter = |path: &str, method: &str, index: &str| {
            let at = pointer::join_all("/paths", [path, method, "parameters", index, "name"]);
            files
                .get(target.file, &at)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut names = super::place_names::in_operation(
            &target.pointer,
            &operation_id,
            &parameter,
            sole_property,
        );
        let tokens: Vec<_> = pointer::tokens(&target.pointer).collect();
        let in_collection = tokens.len() < 2
            || tokens
                .iter()
                .rev()
                .nth(1)
                .is_some_and(|t| ["schemas", "definitions", "$defs"].contains(&t.as_ref()));
        if names.is_empty() && !in_collection {
            if let Some(title) = value.and_then(super::place_names::title) {
                names.push(title);
            }
        }
        names
    }
}

impl SchemaSink for Sink<'_> {
    fn rewrite_ref(
        &mut self,
        at: &str,
        token: &str,
        reference: &str,
    ) -> Result<Option<String>, LoadError> {
        // The same `$ref` text recurs thousands of times in large documents;
        // the answer is remembered per referring file (not inside a schema
        // resource, where the same text may mean another target).
        if self.reader.files.in_resource(self.file, at) {
            let rewritten = self.rewrite_new(&pointer::join(at, token), reference)?;
            return Ok((rewritten != reference).then_some(rewritten));
        }
        if let Some(known) = self
            .reader
            .schemas
            .rewritten
            .get(&self.file)
            .and_then(|m| m.get(reference))
        {
            return Ok(known.clone());
        }
        let rewritten = self.rewrite_new(&pointer::join(at, token), reference)?;
        let rewritten = (rewritten != reference).then_some(rewritten);
        self.reader
            .schemas
            .rewritten
            .entry(self.file)
            .or_default()
            .insert(reference.to_owned(), rewritten.clone());
        Ok(rewritten)
    }

    fn rewrite_mapping_name(&mut self, at: &str, name: &str) -> Result<String, LoadError> {
        // A bare name in a discriminator mapping names a component schema
        // of the root document.
        let reference = format!("#{}", pointer::join("/components/schemas", name));
        self.reader
            .files
            .resolve(FileId::ROOT, at, &reference)
            .map_err(|_| {
                self.reader.files.error(
                    self.file,
                    at,
                    ErrorKind::DanglingRef {
                        reference: name.into(),
                        detail: Some("a discriminator mapping names no component schema".into()),
                    },
                )
            })?;
        let file = std::mem::replace(&mut self.file, FileId::ROOT);
        let result = self.rewrite_new(at, &reference);
        self.file = file;
        result
    }

    fn rewrite_id(&mut self, at: &str, id: &str) -> Option<String> {
        let absolute = self.reader.files.id_at(self.file, at)?;
        (absolute != id).then(|| absolute.to_owned())
    }

    fn rewrite_dynamic_ref(
        &mut self,
        at: &str,
        reference: &str,
    ) -> Result<Option<String>, LoadError> {
        let at = pointer::join(at, "$dynamicRef");
        let files = &mut self.reader.files;
        let target = files.resolve(self.file, &at, reference)?;
        let uri = crate::identifiers::resolve(files.base_at(self.file, &at), reference)
            .unwrap_or_default();
        let resource_root = files.resource_root(target.file, &target.pointer);
        let name = self.name_target(target.clone());
        let as_ref = crate::schema_ref(&name);
        let fragment = uri.split_once('#').map_or("", |(_, f)| f);
        let anchored = !fragment.is_empty() && !fragment.starts_with('/');
        let model = match resource_root {
            // The engine follows the dynamic scope through the resource,
            // which must then be in the model too.
            Some(_) if anchored => uri.clone(),
            // In the OpenAPI document itself, outside any `$id`: the
            // document is the resource (the validator registers its
            // dynamic anchors).
            None if anchored && target.file == FileId::ROOT => format!("#{fragment}"),
            // A pointer fragment: `$dynamicRef` is a `$ref`.
            _ => as_ref,
        };
        let others = self.reader.files.dynamic_anchors_named(fragment) > 1;
        if anchored && others && !self.reader.dynamic_refs.contains_key(&model) {
            let origin = Origin::new(self.file, &at);
            self.reader.warnings.push(Warning::new(
                crate::warning::WarningKind::DynamicReference,
                format!(
                    "`$dynamicRef: {reference}` resolves to the `$dynamicAnchor: {fragment}` of \
                     the outermost schema using it; generated types, diff and examples use \
                     its default, `{name}`, and the validator follows each use"
                ),
                Some(origin),
            ));
        }
        self.reader.dynamic_refs.insert(model.clone(), name);
        Ok((model != reference).then_some(model))
    }

    fn dialect(&mut self, at: &str, uri: &str) -> crate::normalize::SchemaDialect {
        let file = self.file;
        self.reader
            .read_dialect(file, &pointer::join(at, "$schema"), uri)
    }

    fn moved(&mut self, new: String, old: &str) {
        self.reader.files.record_move(self.file, new, old);
    }

    fn warn(&mut self, warning: Warning) {
        self.reader.warnings.push(warning);
    }
}

impl Reader {
    /// Converts the schema `value` found at `pointer` in `file`.
    pub(crate) fn schema(
        &mut self,
        file: FileId,
        pointer: &str,
        mut value: Value,
    ) -> Result<Schema, LoadError> {
        let dialect = self.dialect;
        let schema_dialect = self.schema_dialect;
        let mut sink = Sink { reader: self, file };
        SchemaWalk {
            dialect,
            schema_dialect,
            file,
            sink: &mut sink,
        }
        .run(&mut value, pointer)?;
        Ok(Schema {
            value,
            origin: Origin::new(file, pointer),
        })
    }

    /// Converts every queued schema, including those their references queue.
    pub(crate) fn drain_schemas(&mut self) -> Result<(), LoadError> {
        while let Some((name, target)) = self.schemas.next() {
            let is_component = target.file == FileId::ROOT
                && target.pointer == pointer::join("/components/schemas", &name);
            // A component is referred to by name, never looked up again, so
            // it is moved; other targets may sit inside something still to
            // be read, and are copied.
            let value = if is_component {
                self.files.take(target.file, &target.pointer, true)
            } else {
                self.files.get(target.file, &target.pointer).cloned()
            };
            let Some(value) = value else {
                continue;
            };
            let mut schema = self.schema(target.file, &target.pointer, value)?;
            // A schema file that is a resource by its own URI says so.
            if target.pointer.is_empty() {
                let id = self.files.id_at(target.file, "").map(str::to_owned);
                if let (Some(id), Value::Object(object)) = (id, &mut schema.value) {
                    object.entry("$id").or_insert(Value::String(id));
                }
            }
            // A part of a schema resource read out of it: its dynamic
            // anchors stay the resource's (the engine's dynamic scope
            // finds them there), not the document's.
            let resource = self.files.resource_root(target.file, &target.pointer);
            let uri = resource.as_ref().and_then(|root| {
                let id = self.files.id_at(target.file, root)?;
                let inner = &target.pointer[root.len()..];
                Some(if inner.is_empty() {
                    id.to_owned()
                } else {
                    format!("{id}#{}", pointer::to_fragment(inner))
                })
            });
            if resource.is_some_and(|root| root != target.pointer) {
                without_dynamic_anchors(&mut schema.value);
            }
            self.schemas.named.insert(
                name.clone(),
                NamedSchema {
                    name,
                    schema,
                    is_component,
                    uri,
                },
            );
        }
        Ok(())
    }

    /// Refuses schemas that are only references to each other in a circle
    /// (`A: {$ref: B}`, `B: {$ref: A}`): they describe nothing.
    pub(crate) fn check_alias_cycles(&self) -> Result<(), LoadError> {
        // Schemas whose chain of aliases is known to end: each is walked
        // once, however long the chains (a hostile document's 3,000 took
        // a minute when every start walked its whole chain again).
        let mut ends: HashSet<&str> = HashSet::new();
        for start in self.schemas.named.values() {
            let mut chain: Vec<&str> = vec![start.name.as_str()];
            let mut on_chain: HashSet<&str> = chain.iter().copied().collect();
            let mut current = start;
            while !ends.contains(current.name.as_str()) && is_pure_reference(&current.schema.value)
            {
                let Some(next) = current.schema.reference_name() else {
                    break;
                };
                let Some(next_schema) = self.schemas.named.get(next.as_ref()) else {
                    break;
                };
                let next = next_schema.name.as_str();
                if !on_chain.insert(next) {
                    let mut names: Vec<String> = chain.iter().map(|n| (*n).to_owned()).collect();
                    names.push(next.to_owned());
                    let origin = &start.schema.origin;
                    return Err(self.files.error(
                        origin.file,
                        &origin.pointer,
                        ErrorKind::RefCycle(names),
                    ));
                }
                chain.push(next);
                current = next_schema;
            }
            ends.extend(chain);
        }
        Ok(())
    }
}

/// Takes out the `$dynamicAnchor`s of a schema, down to any nested
/// resource (an `$id`), which keeps its own.
fn without_dynamic_anchors(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(object) => {
                if let Some(name) = object.remove("$dynamicAnchor") {
                    // Still a name a `$ref` may use.
                    object.entry("$anchor").or_insert(name);
                }
                for (key, child) in object.iter_mut() {
                    let data = matches!(key.as_str(), "enum" | "const" | "default" | "examples");
                    if !data && child.get("$id").is_none() {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// A schema that is a `$ref` and nothing that constrains beside it.
fn is_pure_reference(value: &Value) -> bool {
    value.as_object().is_some_and(|object| {
        object.keys().all(|key| {
            matches!(
                key.as_str(),
                "$ref" | "description" | "title" | "summary" | "examples" | "deprecated"
            ) || key.starts_with("x-")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(pointer: &str, taken: &[&str]) -> String {
        let table = SchemaTable {
            taken: taken.iter().map(|s| (*s).to_owned()).collect(),
            ..SchemaTable::default()
        };
        table.fresh_name(
            &Target {
                file: FileId(1),
                pointer: pointer.into(),
            },
            "pet",
        )
    }

    #[test]
    fn names_come_from_the_target() {
        assert_eq!(name_of("/Pet", &[]), "Pet");
        assert_eq!(name_of("/definitions/Pet", &[]), "Pet");
        assert_eq!(name_of("/components/schemas/Pet", &["Pet"]), "Pet_2");
        assert_eq!(name_of("", &[]), "pet");
        assert_eq!(
            name_of("/components/schemas/Pet/properties/owner", &[]),
            "Pet_owner"
        );
    }
}
