//! Compile once, validate many: every parameter, request body, response
//! body and response header schema of the document is a slot in one JSON
//! Schema document, beside the named schemas they refer to, registered
//! once. A slot is compiled by `jsonschema` the first time an exchange
//! needs it and reused after: a document of a thousand operations costs
//! nothing for the ones the traffic does not use. (`jsonschema`'s own
//! validator map compiles every subschema of the document, each on its
//! own: Stripe's took 40 s and 12 GB.)

use std::collections::HashMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use specgate_spec::{Discriminator, Document, IntegerFormat, Origin, Over, Schema};

use crate::error::Error;

/// What a compiled schema describes: the model's name for a part of an
/// operation.
pub(crate) use specgate_spec::SchemaPart as Part;

/// A compiled schema: an operation and the part of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SlotKey {
    pub(crate) operation: String,
    pub(crate) part: Part,
}

/// The base URI of the registered document; never fetched (compilation is
/// offline), only a name for `$ref`s to resolve against.
const DOCUMENT_URI: &str = "https://specgate.invalid/document";

/// Makes every reference that names the document (`#/...`, `#name`)
/// absolute: under a schema with an `$id`, a fragment alone names that
/// schema's resource instead.
fn with_absolute_references(root: &mut Value, document: &Document) {
    // A reference to a named schema that is (in) a schema resource names
    // it by its URI: the engine then enters the resource, as registered,
    // and its dynamic scope is the resource's.
    // (Only through a resource the compiled document holds.)
    let held: std::collections::HashSet<&str> = document
        .schemas
        .values()
        .filter_map(|named| named.uri.as_deref())
        .filter(|uri| !uri.contains('#'))
        .collect();
    let resources: HashMap<String, String> = document
        .schemas
        .values()
        .filter_map(|named| {
            let uri = named.uri.as_ref()?;
            let resource = uri.split_once('#').map_or(uri.as_str(), |(r, _)| r);
            held.contains(resource)
                .then(|| (specgate_spec::schema_ref(&named.name), uri.clone()))
        })
        .collect();
    absolute_references_in(root, false, &resources, 0);
}

/// `names`: whether `value` maps names (of properties, definitions) to
/// schemas, so a key is no keyword.
fn absolute_references_in(
    value: &mut Value,
    names: bool,
    resources: &HashMap<String, String>,
    depth: usize,
) {
    if depth > specgate_spec::MAX_SCHEMA_DEPTH * 4 {
        return;
    }
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match child {
                    Value::String(reference)
                        if !names
                            && (key == "$ref" || key == "$dynamicRef")
                            && reference.starts_with('#') =>
                    {
                        match resources.get(reference.as_str()) {
                            Some(id) => *reference = id.clone(),
                            None => reference.insert_str(0, DOCUMENT_URI),
                        }
                    }
                    _ if !names && is_data(key) => {}
                    _ => {
                        let holds_names = !names && holds_named_schemas(key);
                        absolute_references_in(child, holds_names, resources, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                absolute_references_in(item, false, resources, depth + 1);
            }
        }
        _ => {}
    }
}

/// The OpenAPI document is the resource of the schemas it holds outside
/// any `$id`, so their `$dynamicAnchor`s are in the dynamic scope of
/// everything they refer to. The engine finds a resource's anchors only
/// under schema keywords, which `components/schemas` is not: the named
/// schemas that hold such an anchor are copied under `$defs/dynamic`,
/// where it finds them.
fn with_document_dynamic_anchors(root: &mut Value, document: &Document) {
    // Only a `$dynamicRef` reads them: without one, no walk at start-up.
    if document.dynamic_refs.is_empty() {
        return;
    }
    let holders: Map<String, Value> = document
        .schemas
        .values()
        .filter(|named| {
            named.uri.is_none() && named.schema.origin.file == specgate_spec::FileId::ROOT
        })
        .filter_map(|named| {
            let escaped = specgate_spec::pointer::escape(&named.name);
            let compiled = root.pointer(&format!("/components/schemas/{escaped}"))?;
            has_own_dynamic_anchor(compiled).then(|| (named.name.clone(), compiled.clone()))
        })
        .collect();
    if holders.is_empty() {
        return;
    }
    if let Some(Value::Object(defs)) = root.get_mut("$defs") {
        defs.insert("dynamic".into(), json!({"$defs": holders}));
    }
}

/// Whether a schema has a `$dynamicAnchor` of its own resource (not below
/// a nested `$id`).
fn has_own_dynamic_anchor(schema: &Value) -> bool {
    let mut stack = vec![schema];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(object) => {
                if object.contains_key("$dynamicAnchor") {
                    return true;
                }
                stack.extend(
                    object
                        .iter()
                        .filter(|(k, v)| !is_data(k) && v.get("$id").is_none())
                        .map(|(_, v)| v),
                );
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Leaves one copy of each schema resource (the model copies a resource
/// into every slot and named schema that holds it): the others become
/// references to it by its `$id`. The engine indexes a resource and its
/// anchors by URI, and two copies under one URI confuse the two.
fn with_each_resource_once(root: &mut Value) {
    let mut seen = std::collections::HashSet::new();
    for region in ["/components/schemas", "/$defs"] {
        if let Some(Value::Object(schemas)) = root.pointer_mut(region) {
            for schema in schemas.values_mut() {
                first_resources_only(schema, false, &mut seen, 0);
            }
        }
    }
}

fn first_resources_only(
    node: &mut Value,
    names: bool,
    seen: &mut std::collections::HashSet<String>,
    depth: usize,
) {
    if depth > specgate_spec::MAX_SCHEMA_DEPTH * 4 {
        return;
    }
    match node {
        Value::Object(object) => {
            if !names {
                if let Some(Value::String(id)) = object.get("$id") {
                    if !seen.insert(id.clone()) {
                        *node = json!({"$ref": id});
                        return;
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                if names || !is_data(key) {
                    let holds_names = !names && holds_named_schemas(key);
                    first_resources_only(child, holds_names, seen, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                first_resources_only(item, false, seen, depth + 1);
            }
        }
        _ => {}
    }
}

/// The outermost schemas with an `$id` under `components/schemas`, each
/// with its absolute URI.
fn resources_in_components(root: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let mut stack: Vec<(&Value, bool)> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.values())
        .map(|schema| (schema, false))
        .collect();
    while let Some((node, names)) = stack.pop() {
        match node {
            Value::Object(object) => {
                if let (false, Some(Value::String(id))) = (names, object.get("$id")) {
                    found.push((id.clone(), node.clone()));
                    continue;
                }
                for (key, child) in object {
                    if names || !is_data(key) {
                        let holds_names = !names && holds_named_schemas(key);
                        stack.push((child, holds_names));
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, false))),
            _ => {}
        }
    }
    found
}

/// Whether a keyword's value maps names to schemas.
fn holds_named_schemas(keyword: &str) -> bool {
    matches!(
        keyword,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
            | "schemas"
    )
}

/// Where a compiled body schema sits.
pub(crate) struct Slot {
    /// Its place in the registered document (`#/$defs/12`).
    pointer: String,
    /// Where the document wrote it.
    origin: Origin,
    /// Compiled on first use; why not, when the schema cannot be.
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
    /// The most branches of one `oneOf` or `anyOf` it reaches, measured on
    /// first need.
    widest: OnceLock<usize>,
    /// Why its values cannot be fully checked (it reaches a keyword taken
    /// out), measured on first need.
    unchecked: OnceLock<Option<String>>,
}

/// The schemas of a document, registered for compiling.
pub(crate) struct Schemas {
    registry: jsonschema::Registry<'static>,
    slots: IndexMap<SlotKey, Slot>,
    /// Keywords the engine cannot compile (a `pattern` using a feature its
    /// regular expressions lack), taken out before registering: where the
    /// document wrote them, and why.
    dropped: Vec<(Origin, String)>,
    /// The same keywords by the node that held them in `root`.
    dropped_nodes: HashMap<String, String>,
    /// The document that was compiled, for reading the keyword a failure
    /// names.
    root: std::sync::Arc<Value>,
    /// Whether `format` is asserted (else an annotation).
    assert_formats: bool,
    /// What stands in for the document's discriminators.
    dispatches: Dispatches,
    /// Each schema resource's URI (`$id`) to the named schema it is.
    resources: HashMap<String, String>,
}

impl Schemas {
    /// Compiles every parameter and body schema of `document`.
    pub(crate) fn compile(document: &Document, formats: Formats) -> Result<Schemas, Error> {
        let assert_formats = formats == Formats::Assert;
        let mut defs = Map::new();
        let mut slots = IndexMap::new();
        for operation in &document.operations {
            let mut add = |key: SlotKey, schema: &specgate_spec::Schema| {
                let index = defs.len().to_string();
                defs.insert(index.clone(), schema.value.clone());
                slots.insert(
                    key,
                    Slot {
                        pointer: format!("#/$defs/{index}"),
                        origin: schema.origin.clone(),
                        compiled: OnceLock::new(),
                        widest: OnceLock::new(),
                        unchecked: OnceLock::new(),
                    },
                );
            };
            let id = &operation.operation_id;
            let key = |part: Part| SlotKey {
                operation: id.clone(),
                part,
            };
            for parameter in &operation.parameters {
                if let Some(schema) = &parameter.schema {
                    add(
                        key(Part::Parameter(parameter.location, parameter.name.clone())),
                        schema,
                    );
                }
            }
            if let Some(body) = &operation.request_body {
                for (media_type, media) in &body.content {
                    if let Some(schema) = &media.schema {
                        add(key(Part::RequestBody(media_type.clone())), schema);
                    }
                }
            }
            for (response_key, response) in &operation.responses {
                for (name, header) in &response.headers {
                    if let Some(schema) = &header.schema {
                        add(
                            key(Part::ResponseHeader(*response_key, name.clone())),
                            schema,
                        );
                    }
                }
                for (media_type, media) in &response.content {
                    if let Some(schema) = &media.schema {
                        add(
                            key(Part::ResponseBody(*response_key, media_type.clone())),
                            schema,
                        );
                    }
                }
            }
        }
        let components: Map<String, Value> = document
            .schemas
            .iter()
            .map(|(name, named)| (name.clone(), named.schema.value.clone()))
            .collect();
        let mut root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": {"schemas": components},
            "$defs": defs,
        });
        // Integer formats are ranges only where formats are asserted.
        if assert_formats {
            with_integer_ranges(&mut root, 0);
        }
        let mut dropped_at = Vec::new();
        without_uncompilable_patterns(
            &mut root,
            &mut String::new(),
            &mut HashMap::new(),
            &mut dropped_at,
            0,
        );
        let dispatches = with_discriminators(&mut root);
        // Below an `$id`, `#/components/...` would be read against that
        // resource: the model's references name the document.
        if document.has_schema_ids {
            with_absolute_references(&mut root, document);
            with_each_resource_once(&mut root);
        }
        with_document_dynamic_anchors(&mut root, document);
        // One copy of the schemas, shared with the registry: the document
        // as compiled is most of a validator's memory.
        let root = std::sync::Arc::new(root);
        let mut builder = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .retrieve_known_draft_meta_schemas(false)
            .add(DOCUMENT_URI, std::sync::Arc::clone(&root))
            .map_err(|e| Error::Schemas(e.to_string()))?;
        // The engine finds schema resources (an `$id`) only under schema
        // keywords, which `components/schemas` is not: each is registered
        // by its `$id` too.
        if document.has_schema_ids {
            for (id, resource) in resources_in_components(&root) {
                builder = builder
                    .add(id, resource)
                    .map_err(|e| Error::Schemas(e.to_string()))?;
            }
        }
        let registry = builder
            .prepare()
            .map_err(|e| Error::Schemas(e.to_string()))?;
        // The node that held each keyword taken out: its pointer less the
        // keyword (`/pattern`, `/patternProperties/KEY`).
        let dropped_nodes = dropped_at
            .iter()
            .map(|(at, reason)| {
                let node = at
                    .strip_suffix("/pattern")
                    .or_else(|| at.rsplit_once("/patternProperties/").map(|(node, _)| node))
                    .unwrap_or(at);
                (node.to_owned(), reason.clone())
            })
            .collect();
        let mut schemas = Schemas {
            registry,
            slots,
            dropped: Vec::new(),
            dropped_nodes,
            root,
            dispatches,
            assert_formats,
            resources: document
                .schemas
                .values()
                .filter_map(|named| {
                    let uri = named.uri.as_ref().filter(|uri| !uri.contains('#'))?;
                    Some((uri.clone(), named.name.clone()))
                })
                .collect(),
        };
        schemas.dropped = dropped_at
            .into_iter()
            .filter_map(|(at, reason)| Some((schemas.origin(document, &at)?, reason)))
            .collect();
        Ok(schemas)
    }

    /// The compiled schema of a slot (compiled now if this is its first
    /// use), or `None` when there is no such slot or it cannot be compiled
    /// (see [`Schemas::problems`]).
    pub(crate) fn get(&self, key: &SlotKey) -> Option<(&jsonschema::Validator, &Slot)> {
        let slot = self.slots.get(key)?;
        let compiled = slot.compiled.get_or_init(|| {
            let reference = json!({"$ref": format!("{DOCUMENT_URI}{}", slot.pointer)});
            // The engine asserts things of the schemas it is given; a
            // schema that breaks one is one it cannot check, not a crash.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                options(self.assert_formats)
                    .with_registry(&self.registry)
                    .build(&reference)
                    .map_err(|e| e.to_string())
            }))
            .unwrap_or_else(|_| Err("the JSON Schema engine failed on it".into()))
        });
        Some((compiled.as_ref().ok()?, slot))
    }

    /// Whether the document gave this part of the operation a schema.
    pub(crate) fn has(&self, key: &SlotKey) -> bool {
        self.slots.contains_key(key)
    }

    /// Why the values of a slot cannot be fully checked: its schema cannot
    /// be compiled, or it reaches a keyword taken out because the engine
    /// cannot compile it. `None` when every keyword it reaches is checked
    /// (or there is no such slot).
    pub(crate) fn unchecked(&self, key: &SlotKey) -> Option<String> {
        let slot = self.slots.get(key)?;
        if let Some(Err(reason)) = slot.compiled.get() {
            return Some(format!("its schema cannot be compiled: {reason}"));
        }
        if self.dropped_nodes.is_empty() {
            return None;
        }
        slot.unchecked
            .get_or_init(|| self.reaches_dropped(&slot.pointer))
            .clone()
    }

    /// Whether the schema at `pointer` (`#/$defs/3`) reaches, through its
    /// subschemas and `$ref`s, a node whose keyword was taken out.
    fn reaches_dropped(&self, pointer: &str) -> Option<String> {
        // Nodes visited at most; a real document's slot reaches far fewer.
        const BUDGET: usize = 200_000;
        let start = pointer.strip_prefix('#')?;
        let mut stack: Vec<(String, &Value)> = vec![(start.to_owned(), self.root.pointer(start)?)];
        let mut visited = std::collections::HashSet::new();
        let mut steps = 0;
        while let Some((at, node)) = stack.pop() {
            steps += 1;
            if steps > BUDGET {
                return Some(
                    "its schema is too large to tell whether every keyword is checked".into(),
                );
            }
            match node {
                Value::Object(object) => {
                    if let Some(reason) = self.dropped_nodes.get(&at) {
                        return Some(format!("a keyword it reaches cannot be compiled, so it was not checked: {reason}"));
                    }
                    if let Some(Value::String(target)) = object.get("$ref") {
                        let Some(target) = self.document_pointer(target) else {
                            // Not followed here: it may reach the keyword.
                            return Some(format!(
                                "it refers to `{target}`, which cannot be followed to tell whether every keyword is checked"
                            ));
                        };
                        if visited.insert(target.clone()) {
                            if let Some(found) = self.root.pointer(&target) {
                                stack.push((target, found));
                            }
                        }
                    }
                    // Where a `$dynamicRef` lands depends on the path that
                    // reached it: with a keyword taken out anywhere, it may
                    // be one.
                    if object.contains_key("$dynamicRef") {
                        return Some(format!(
                            "it reaches a `$dynamicRef`, and a keyword of the document cannot be compiled, so it may not be checked: {}",
                            self.dropped_nodes.values().next().map_or("", String::as_str)
                        ));
                    }
                    for (key, child) in object {
                        if !is_data(key) && (child.is_object() || child.is_array()) {
                            let escaped = specgate_spec::pointer::escape(key);
                            stack.push((format!("{at}/{escaped}"), child));
                        }
                    }
                }
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        stack.push((format!("{at}/{index}"), item));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The keywords left out because the engine cannot compile them, and
    /// the slots used so far whose schema still could not be compiled:
    /// where the document wrote them, and why.
    pub(crate) fn problems(&self) -> Vec<(&Origin, &str)> {
        let slots = self
            .slots
            .values()
            .filter_map(|slot| match slot.compiled.get() {
                Some(Err(reason)) => Some((&slot.origin, reason.as_str())),
                _ => None,
            });
        self.dropped
            .iter()
            .map(|(origin, reason)| (origin, reason.as_str()))
            .chain(slots)
            .collect()
    }

    /// The most branches a `oneOf` or `anyOf` reachable from the slot has
    /// (through `$ref`s); `usize::MAX` when the search is too large to
    /// finish. Reporting a failure of such a keyword copies the value once
    /// per branch in `jsonschema`, which a wide one over a large body turns
    /// into gigabytes.
    pub(crate) fn widest(&self, key: &SlotKey) -> usize {
        let Some(slot) = self.slots.get(key) else {
            return 0;
        };
        *slot.widest.get_or_init(|| {
            // Nodes visited at most; a real document's slot reaches far
            // fewer.
            const BUDGET: usize = 200_000;
            let mut widest = 0;
            let mut visited = std::collections::HashSet::new();
            let mut stack: Vec<&Value> = slot
                .pointer
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
                .into_iter()
                .collect();
            let mut steps = 0;
            while let Some(node) = stack.pop() {
                steps += 1;
                if steps > BUDGET {
                    return usize::MAX;
                }
                match node {
                    Value::Object(object) => {
                        for keyword in ["oneOf", "anyOf"] {
                            if let Some(Value::Array(branches)) = object.get(keyword) {
                                widest = widest.max(branches.len());
                            }
                        }
                        for keyword in ["$ref", "$dynamicRef"] {
                            let Some(Value::String(target)) = object.get(keyword) else {
                                continue;
                            };
                            if visited.insert(target.as_str()) {
                                if let Some(found) = self
                                    .document_pointer(target)
                                    .and_then(|p| self.root.pointer(&p))
                                {
                                    stack.push(found);
                                }
                            }
                        }
                        stack.extend(
                            object
                                .iter()
                                .filter(|(k, v)| !is_data(k) && (v.is_object() || v.is_array()))
                                .map(|(_, v)| v),
                        );
                    }
                    Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
            widest
        })
    }

    /// The pointer into the compiled document a reference (or a keyword
    /// location of `jsonschema`'s output) names, if it names a node by
    /// pointer: `#/...` (absolute or not), or a schema resource's URI and a
    /// pointer inside it. Percent-decoded.
    pub(crate) fn document_pointer(&self, reference: &str) -> Option<String> {
        let (resource, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        if !decoded.is_empty() && !decoded.starts_with('/') {
            return None;
        }
        if resource.is_empty() || resource == DOCUMENT_URI {
            return Some(decoded.into_owned());
        }
        // Inside a schema resource entered by its `$id`: the named schema
        // that is that resource.
        let name = self.resources.get(resource)?;
        let escaped = specgate_spec::pointer::escape(name);
        Some(format!("/components/schemas/{escaped}{decoded}"))
    }

    /// The path of a failure in the compiled document: its schema path, or
    /// where its absolute keyword location points when the engine entered a
    /// schema resource by its `$id`.
    pub(crate) fn failure_path(&self, error: &jsonschema::ValidationError<'_>) -> String {
        error
            .absolute_keyword_location()
            .filter(|location| !location.as_str().starts_with(DOCUMENT_URI))
            .and_then(|location| self.document_pointer(location.as_str()))
            .unwrap_or_else(|| error.schema_path().to_string())
    }

    /// The schema node a failure's schema path names (`/$defs/3/properties/id/type`).
    pub(crate) fn node(&self, schema_path: &str) -> Option<&Value> {
        self.root.pointer(schema_path)
    }

    /// Where in the document a compiled schema path was written: the named
    /// schema or the body schema it lies in, then the rest of the path.
    pub(crate) fn origin(&self, document: &Document, schema_path: &str) -> Option<Origin> {
        // A discriminator's dispatch failed: on an unknown value, where the
        // document wrote the discriminator; without one, where it wrote the
        // `oneOf` the dispatch keeps for that case.
        if let Some(rest) = schema_path.strip_prefix(DISPATCH_PREFIX) {
            let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let node = self.dispatches.nodes.get(index.parse::<usize>().ok()?)?;
            let written = match tail.strip_prefix("else/") {
                Some(keyword) => format!("{node}/{keyword}"),
                None => format!("{node}/discriminator"),
            };
            return self.origin(document, &written);
        }
        // An extended schema's copy is written where the schema is.
        if let Some(rest) = schema_path.strip_prefix(BASE_PREFIX) {
            let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let name = self.dispatches.bases.get(index.parse::<usize>().ok()?)?;
            return Some(extend(&document.schema(name)?.schema.origin, tail));
        }
        // A named schema copied for its dynamic anchors is written where
        // the named schema is.
        if let Some(rest) = schema_path.strip_prefix("/$defs/dynamic/$defs/") {
            let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let name = specgate_spec::pointer::unescape(name);
            return Some(extend(&document.schema(&name)?.schema.origin, tail));
        }
        if let Some(rest) = schema_path.strip_prefix("/$defs/") {
            let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
            // `$defs/N` is the N-th slot: they are added in the same order.
            let (_, slot) = self.slots.get_index(index.parse().ok()?)?;
            return Some(extend(&slot.origin, tail));
        }
        let rest = schema_path.strip_prefix("/components/schemas/")?;
        let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
        let name = specgate_spec::pointer::unescape(name);
        let named = document.schema(&name)?;
        Some(extend(&named.schema.origin, tail))
    }
}

fn extend(origin: &Origin, tail: &str) -> Origin {
    let mut origin = origin.clone();
    if !tail.is_empty() {
        origin.pointer = format!("{}/{tail}", origin.pointer);
    }
    origin
}

/// Where the dispatches that stand in for discriminators are registered.
const DISPATCH_PREFIX: &str = "/$discriminators/";

/// Where copies of extended schemas without their dispatch are registered.
const BASE_PREFIX: &str = "/$bases/";

/// What stands in for the document's discriminators in the registered
/// document: the pointer of each dispatch's schema node, and the name of
/// each base copy, by index.
struct Dispatches {
    nodes: Vec<String>,
    bases: Vec<String>,
}

/// OpenAPI's `discriminator` ([`Discriminator`]) in JSON Schema: without
/// it, a `{"kind": "Dog", "barks": true}` that a lenient `Cat` also admits
/// is "valid under more than one" schema, and a `{"kind": "Dog"}` missing
/// Dog's required members passes as a Cat. Each discriminated node gets a
/// dispatch (`$discriminators/N`): when the property is there, its value
/// must be one that selects a schema, and that schema applies. A `oneOf`
/// gives way to it (and still applies to objects without the property, as
/// OpenAPI 3.1.1 has it for an optional discriminating property: GitHub's
/// `user_view_type`). A schema that others extend keeps its own keywords,
/// and those extending it refer to a copy without the dispatch
/// (`$bases/N`), or checking one would dispatch to it again.
fn with_discriminators(root: &mut Value) -> Dispatches {
    let mut found = Vec::new();
    collect_discriminators(root, &mut String::new(), &mut found, 0);
    // The extended schemas' copies: references that extend them (an
    // `allOf` part) are redirected first, so a copy extends copies too.
    let extended: Vec<&str> = found
        .iter()
        .filter(|(_, d)| d.over == Over::Extensions)
        .filter_map(|(at, _)| at.strip_prefix("/components/schemas/"))
        .collect();
    let base_of = |name: &str| {
        let escaped = specgate_spec::pointer::escape(name);
        extended
            .iter()
            .position(|e| **e == *escaped)
            .map(|index| format!("#{BASE_PREFIX}{index}"))
    };
    if let Some(Value::Object(components)) = root.pointer_mut("/components/schemas") {
        for schema in components.values_mut() {
            let parts = schema.get_mut("allOf").and_then(Value::as_array_mut);
            for part in parts.into_iter().flatten() {
                let base = Schema::reference_name_of(part).and_then(|name| base_of(&name));
                if let Some(base) = base {
                    *part = json!({"$ref": base});
                }
            }
        }
    }
    let bases: Vec<Value> = extended
        .iter()
        .map(|escaped| {
            root.pointer(&format!("/components/schemas/{escaped}"))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let mut dispatches = Vec::new();
    let mut nodes = Vec::new();
    for (at, discriminator) in &found {
        let target = |name: &str| match discriminator.over {
            Over::Extensions
                if at.strip_prefix("/components/schemas/")
                    == Some(&*specgate_spec::pointer::escape(name)) =>
            {
                base_of(name).unwrap_or_default()
            }
            _ => specgate_spec::schema_ref(name),
        };
        let Some(Value::Object(node)) = root.pointer_mut(at) else {
            continue;
        };
        let property = discriminator.property.as_str();
        let values: Vec<&String> = discriminator.mapping.keys().collect();
        let mut all = vec![json!({"properties": {property: {"enum": values}}})];
        all.extend(discriminator.mapping.iter().map(|(value, name)| {
            json!({
                "if": {"properties": {property: {"const": value}}},
                "then": {"$ref": target(name)},
            })
        }));
        let mut dispatch = json!({
            "if": {"type": "object", "required": [property]},
            "then": {"allOf": all},
        });
        if let (Some(keyword), Some(dispatch)) =
            (discriminator.over.keyword(), dispatch.as_object_mut())
        {
            // Without the property (what is not an object has none), the
            // branches apply as JSON Schema says.
            if let Some(branches) = node.remove(keyword) {
                dispatch.insert("else".into(), json!({keyword: branches}));
            }
        }
        let reference = json!({"$ref": format!("#{DISPATCH_PREFIX}{}", dispatches.len())});
        match node.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.push(reference),
            _ => {
                node.insert("allOf".into(), json!([reference]));
            }
        }
        dispatches.push(dispatch);
        nodes.push(at.clone());
    }
    if let Some(object) = root.as_object_mut() {
        object.insert("$discriminators".into(), Value::Array(dispatches));
        object.insert("$bases".into(), Value::Array(bases));
    }
    Dispatches {
        nodes,
        bases: extended
            .iter()
            .map(|e| specgate_spec::pointer::unescape(e).into_owned())
            .collect(),
    }
}

/// How deep the registered document is walked: the loader bounds a
/// document's nesting at 128 levels, and slots add two.
const MAX_DEPTH: usize = 256;

/// The discriminated schema nodes under `value` (at pointer `at`), with
/// their pointers, as the model has them ([`Discriminator`]).
fn collect_discriminators(
    value: &Value,
    at: &mut String,
    found: &mut Vec<(String, Discriminator)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let len = at.len();
    match value {
        Value::Object(object) => {
            if object.contains_key("discriminator") {
                let named = at
                    .strip_prefix("/components/schemas/")
                    .is_some_and(|name| !name.contains('/'));
                if let Some(d) = Discriminator::of_object(object, named) {
                    found.push((at.clone(), d));
                }
            }
            for (key, child) in object {
                if is_data(key) {
                    continue;
                }
                at.push('/');
                at.push_str(&specgate_spec::pointer::escape(key));
                collect_discriminators(child, at, found, depth + 1);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push('/');
                at.push_str(&index.to_string());
                collect_discriminators(child, at, found, depth + 1);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Keywords whose values are data, not schemas: nothing in them is a
/// keyword to rewrite.
fn is_data(key: &str) -> bool {
    matches!(key, "enum" | "const" | "examples" | "default" | "example") || key.starts_with("x-")
}

/// The options every compiled schema is built with.
fn options(assert_formats: bool) -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(assert_formats)
        .offline()
}

/// How `format` is read: asserted (a value that breaks its format is a
/// violation, and `int32`/`int64` are ranges), or an annotation, as JSON
/// Schema 2020-12 allows, for servers that treat formats as hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formats {
    /// Every format of the vocabulary is checked.
    #[default]
    Assert,
    /// Formats are hints: not checked.
    Annotate,
}

/// Takes out the `pattern`s (and `patternProperties` keys) that the
/// engine cannot compile, though the loader found them to be ECMA-262 (a
/// named back-reference, say), noting where each was and why: one such
/// keyword would make the whole schema uncompilable, and everything it
/// describes unchecked. `verdicts` remembers each pattern's.
fn without_uncompilable_patterns(
    value: &mut Value,
    at: &mut String,
    verdicts: &mut HashMap<String, Option<String>>,
    dropped: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut verdict = |pattern: &str| {
        verdicts
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                options(true)
                    .build(&json!({"pattern": pattern}))
                    .err()
                    .map(|e| format!("`{pattern}`: {e}"))
            })
            .clone()
    };
    let len = at.len();
    match value {
        Value::Object(object) => {
            // A keyword the loader took out (not ECMA-262) counts as one
            // taken out here.
            if let Some(Value::String(reason)) = object.get(specgate_spec::UNCHECKED_MARK) {
                dropped.push((format!("{at}/pattern"), reason.clone()));
            }
            if let Some(Value::String(pattern)) = object.get("pattern") {
                if let Some(reason) = verdict(pattern) {
                    object.remove("pattern");
                    dropped.push((format!("{at}/pattern"), reason));
                }
            }
            if let Some(Value::Object(patterns)) = object.get_mut("patternProperties") {
                let failing: Vec<(String, String)> = patterns
                    .keys()
                    .filter_map(|p| Some((p.clone(), verdict(p)?)))
                    .collect();
                for (pattern, reason) in failing {
                    patterns.remove(&pattern);
                    let escaped = specgate_spec::pointer::escape(&pattern);
                    dropped.push((format!("{at}/patternProperties/{escaped}"), reason));
                }
            }
            for (key, child) in object.iter_mut() {
                if is_data(key) {
                    continue;
                }
                at.push('/');
                at.push_str(&specgate_spec::pointer::escape(key));
                without_uncompilable_patterns(child, at, verdicts, dropped, depth + 1);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                at.push('/');
                at.push_str(&index.to_string());
                without_uncompilable_patterns(child, at, verdicts, dropped, depth + 1);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// OpenAPI's integer formats are ranges ([`IntegerFormat`]): `int32` is
/// `[-2^31, 2^31)`, `uint16` `[0, 65535]`, and so on. JSON Schema does not
/// know them, so they become bounds (a bound the schema gives itself is
/// kept).
fn with_integer_ranges(value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => {
            if let Some(format) = object
                .get("format")
                .and_then(Value::as_str)
                .and_then(IntegerFormat::parse)
            {
                object
                    .entry("minimum")
                    .or_insert(Value::Number(format.minimum()));
                object
                    .entry("maximum")
                    .or_insert(Value::Number(format.maximum()));
            }
            for (key, child) in object.iter_mut() {
                if !is_data(key) {
                    with_integer_ranges(child, depth + 1);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| with_integer_ranges(item, depth + 1)),
        _ => {}
    }
}
