//! Compile once, validate many: every parameter, request body, response
//! body and response header schema of the document is a slot in one JSON
//! Schema document, beside the named schemas they refer to, registered
//! once. A slot is compiled by `jsonschema` the first time an exchange
//! needs it and reused after: a document of a thousand operations costs
//! nothing for the ones the traffic does not use. (`jsonschema`'s own
//! validator map compiles every subschema of the document, each on its
//! own: Stripe's took 40 s and 12 GB.)

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use specgate_spec::{Document, Origin, ParameterLocation, ResponseKey};

/// What a compiled schema describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// The request body of this media type.
    RequestBody(String),
    /// The response body for this key and media type.
    ResponseBody(ResponseKey, String),
    /// A parameter's value.
    Parameter(ParameterLocation, String),
    /// A response header's value, for this response key.
    ResponseHeader(ResponseKey, String),
}

/// A compiled schema: an operation and the part of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SlotKey {
    pub operation: String,
    pub part: Part,
}

/// The base URI of the registered document; never fetched (compilation is
/// offline), only a name for `$ref`s to resolve against.
const DOCUMENT_URI: &str = "https://specgate.invalid/document";

/// Where a compiled body schema sits.
pub struct Slot {
    /// Its place in the registered document (`#/$defs/12`).
    pub pointer: String,
    /// Where the document wrote it.
    pub origin: Origin,
    /// Compiled on first use; why not, when the schema cannot be.
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
}

/// The schemas of a document, registered for compiling.
pub struct Schemas {
    registry: jsonschema::Registry<'static>,
    slots: IndexMap<SlotKey, Slot>,
    /// The document that was compiled, for reading the keyword a failure
    /// names.
    root: Value,
    /// Where each `$discriminators/N` dispatch stands in for a
    /// discriminator: the pointer (in `root`) of the schema node that has it.
    discriminators: Vec<String>,
}

impl Schemas {
    /// Compiles every parameter and body schema of `document`.
    pub fn compile(document: &Document) -> Result<Schemas, String> {
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
        with_integer_ranges(&mut root);
        let discriminators = with_discriminators(&mut root);
        let resource = jsonschema::Resource::from_contents(root.clone());
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .retrieve_known_draft_meta_schemas(false)
            .add(DOCUMENT_URI, resource)
            .and_then(|builder| builder.prepare())
            .map_err(|e| format!("the document's schemas cannot be registered: {e}"))?;
        Ok(Schemas {
            registry,
            slots,
            root,
            discriminators,
        })
    }

    /// The compiled schema of a slot (compiled now if this is its first
    /// use), or `None` when there is no such slot or it cannot be compiled
    /// (see [`Schemas::problems`]).
    pub fn get(&self, key: &SlotKey) -> Option<(&jsonschema::Validator, &Slot)> {
        let slot = self.slots.get(key)?;
        let compiled = slot.compiled.get_or_init(|| {
            let reference = json!({"$ref": format!("{DOCUMENT_URI}{}", slot.pointer)});
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .offline()
                .with_registry(&self.registry)
                .build(&reference)
                .map_err(|e| e.to_string())
        });
        Some((compiled.as_ref().ok()?, slot))
    }

    /// The slots used so far whose schema could not be compiled (an
    /// invalid `pattern`, say): where the document wrote them, and why.
    /// What they describe was not checked.
    pub fn problems(&self) -> Vec<(&Origin, &str)> {
        self.slots
            .values()
            .filter_map(|slot| match slot.compiled.get() {
                Some(Err(reason)) => Some((&slot.origin, reason.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The schema node a failure's schema path names (`/$defs/3/properties/id/type`).
    pub fn node(&self, schema_path: &str) -> Option<&Value> {
        self.root.pointer(schema_path)
    }

    /// Where in the document a compiled schema path was written: the named
    /// schema or the body schema it lies in, then the rest of the path.
    pub fn origin(&self, document: &Document, schema_path: &str) -> Option<Origin> {
        // A discriminator's dispatch failed: on an unknown value, where the
        // document wrote the discriminator; without one, where it wrote the
        // `oneOf` the dispatch keeps for that case.
        if let Some(rest) = schema_path.strip_prefix(DISPATCH_PREFIX) {
            let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let node = self.discriminators.get(index.parse::<usize>().ok()?)?;
            let written = match tail.strip_prefix("else/") {
                Some(keyword) => format!("{node}/{keyword}"),
                None => format!("{node}/discriminator"),
            };
            return self.origin(document, &written);
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

/// OpenAPI's `discriminator`: the value of one property names the schema
/// of `oneOf` (or `anyOf`) that applies, by `mapping` or by the name of a
/// component schema. JSON Schema does not know it, and without it a
/// `{"kind": "Dog", "barks": true}` that a lenient `Cat` also admits is
/// "valid under more than one" schema, while a `{"kind": "Dog"}` missing
/// Dog's required members passes as a Cat. So each such `oneOf` gives way
/// to a dispatch: when the property is there, its value must be one of
/// those mapped, and the mapped schema applies. Each dispatch is registered at
/// `$discriminators/N`; the pointers of the schema nodes they stand in
/// for are returned, in that order. A `oneOf` with a branch no value can
/// select (inline, unmapped) keeps JSON Schema's meaning.
fn with_discriminators(root: &mut Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_discriminators(root, root, String::new(), &mut found);
    let mut dispatches = Vec::new();
    let mut pointers = Vec::new();
    for (at, keyword, dispatch) in found {
        let Some(Value::Object(node)) = root.pointer_mut(&at) else {
            continue;
        };
        node.remove(keyword);
        let reference = json!({"$ref": format!("#{DISPATCH_PREFIX}{}", dispatches.len())});
        match node.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(reference),
            _ => {
                node.insert("allOf".into(), json!([reference]));
            }
        }
        dispatches.push(dispatch);
        pointers.push(at);
    }
    if let Some(object) = root.as_object_mut() {
        object.insert("$discriminators".into(), Value::Array(dispatches));
    }
    pointers
}

/// The discriminated `oneOf`s and `anyOf`s under `value`: where, which
/// keyword, and the dispatch that stands in for it.
fn collect_discriminators(
    root: &Value,
    value: &Value,
    at: String,
    found: &mut Vec<(String, &'static str, Value)>,
) {
    match value {
        Value::Object(object) => {
            if let Some(dispatch) = dispatch(root, object) {
                found.push((at.clone(), dispatch.0, dispatch.1));
            }
            for (key, child) in object {
                let at = format!("{at}/{}", specgate_spec::pointer::escape(key));
                collect_discriminators(root, child, at, found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_discriminators(root, child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// The dispatch for a schema node with a discriminator over `oneOf` or
/// `anyOf` whose every branch a value can select.
fn dispatch(root: &Value, node: &Map<String, Value>) -> Option<(&'static str, Value)> {
    let discriminator = node.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?;
    let (keyword, branches) = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|k| Some((k, node.get(k)?.as_array()?)))?;
    // Explicit mapping first, then each branch's component name, then the
    // values its own schema gives the property (`kind: {enum: [dog]}` in
    // `Dog`, which many documents mean and do not map).
    let mut mapping: IndexMap<String, String> = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(value, target)| Some((value.clone(), target.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    for branch in branches {
        let target = branch.get("$ref")?.as_str()?;
        if mapping.values().any(|mapped| mapped == target) {
            continue;
        }
        let name = target.strip_prefix("#/components/schemas/")?;
        mapping
            .entry(specgate_spec::pointer::unescape(name).into_owned())
            .or_insert_with(|| target.to_owned());
        let schema = root.pointer(target.strip_prefix('#')?);
        for value in own_values(schema, property) {
            mapping.entry(value).or_insert_with(|| target.to_owned());
        }
    }
    let values: Vec<&String> = mapping.keys().collect();
    let mut all = vec![json!({"properties": {property: {"enum": values}}})];
    all.extend(mapping.iter().map(|(value, target)| {
        json!({
            "if": {"properties": {property: {"const": value}}},
            "then": {"$ref": target},
        })
    }));
    // Without the property (what is not an object has none) there is
    // nothing to dispatch on: the branches apply as JSON Schema says, as
    // OpenAPI 3.1.1 has it for an optional discriminating property
    // (GitHub's `user_view_type`).
    Some((
        keyword,
        json!({
            "if": {"type": "object", "required": [property]},
            "then": {"allOf": all},
            "else": {keyword: branches},
        }),
    ))
}

/// The values a schema itself gives a property: its `const` or `enum`
/// strings, there or in one of its `allOf` parts.
fn own_values(schema: Option<&Value>, property: &str) -> Vec<String> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    let parts = std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    let mut values = Vec::new();
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

/// OpenAPI's integer formats are ranges: `int32` is `[-2^31, 2^31)`, and
/// so on. JSON Schema does not know them, so they become bounds.
fn with_integer_ranges(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let range = match object.get("format").and_then(Value::as_str) {
                Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
                Some("int64") => Some((i64::MIN, i64::MAX)),
                Some("uint32") => Some((0, i64::from(u32::MAX))),
                Some("int16") => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
                Some("int8") => Some((i64::from(i8::MIN), i64::from(i8::MAX))),
                Some("uint8") => Some((0, i64::from(u8::MAX))),
                _ => None,
            };
            if let Some((low, high)) = range {
                object.entry("minimum").or_insert(json!(low));
                object.entry("maximum").or_insert(json!(high));
            }
            object.values_mut().for_each(with_integer_ranges);
        }
        Value::Array(items) => items.iter_mut().for_each(with_integer_ranges),
        _ => {}
    }
}
