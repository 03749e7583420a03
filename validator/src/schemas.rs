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
