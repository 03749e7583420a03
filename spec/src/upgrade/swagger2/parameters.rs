//! Parameters: 2.0 keeps the type of a non-body parameter on the parameter
//! itself and spreads a request body over `body` and `formData` parameters;
//! 3.0 wants a `schema` and one `requestBody`.

use std::mem;

use serde_json::{Map, Value};

use super::{child, content, item, schema, Ctx, Refs, Sink};
use crate::pointer;
use crate::warning::WarningKind;

/// Whether a keyword of a non-body parameter (or a header) describes its
/// value, and so moves into its 3.0 `schema`. A `match`, not a list search:
/// it runs for every key of thousands of parameters.
pub(super) fn is_schema_keyword(key: &str) -> bool {
    matches!(
        key,
        "type"
            | "format"
            | "items"
            | "enum"
            | "default"
            | "minimum"
            | "maximum"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
            | "minLength"
            | "maxLength"
            | "pattern"
            | "minItems"
            | "maxItems"
            | "uniqueItems"
            | "multipleOf"
            | "x-nullable"
    )
}

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// The parameters of an operation or path item, sorted by where they go.
#[derive(Default)]
pub(super) struct Sorted {
    /// The body parameter, if any.
    pub body: Option<Located>,
    /// The `formData` parameters, global ones already inlined.
    pub fields: Vec<Located>,
}

/// A raw 2.0 body or formData parameter and the pointer it was written at.
#[derive(Clone)]
pub(super) struct Located {
    pub param: Map<String, Value>,
    pub pointer: String,
}

impl Located {
    /// The `name` of a parameter.
    pub fn name(&self) -> Option<&str> {
        self.param.get("name").and_then(Value::as_str)
    }
}

/// Converts the non-body parameters of `list` (the array at `base`) in place
/// and takes the body and formData ones out.
pub(super) fn sort(list: &mut Value, base: &str, ctx: &Ctx, sink: &mut Sink) -> Sorted {
    let mut sorted = Sorted::default();
    let Value::Array(items) = list else {
        return sorted;
    };
    let mut kept = Vec::with_capacity(items.len());
    for (old, param) in mem::take(items).into_iter().enumerate() {
        let Value::Object(map) = param else {
            kept.push(param);
            continue;
        };
        // A reference to a global body parameter becomes a reference to its
        // request body; a global formData parameter is inlined.
        let kind = match map.get("$ref").and_then(Value::as_str) {
            Some(reference) => match ctx.global_param(reference) {
                Some((_, Global::Body)) => Kind::Body,
                Some((name, Global::Form(param))) => Kind::Inlined(Located {
                    param: param.clone(),
                    pointer: pointer::join("/parameters", &name),
                }),
                None => Kind::Plain,
            },
            None => match map.get("in").and_then(Value::as_str) {
                Some("body") => Kind::Body,
                Some("formData") => Kind::Field,
                _ => Kind::Plain,
            },
        };
        let old_pointer = item(base, old);
        let new = kept.len();
        match kind {
            Kind::Body if sorted.body.is_some() => {
                let message = format!("a second body parameter ({old_pointer}) was dropped");
                sink.warn(WarningKind::Ignored, message, base);
            }
            Kind::Body => {
                let pointer = old_pointer;
                sorted.body = Some(Located {
                    param: map,
                    pointer,
                });
            }
            Kind::Field => {
                let pointer = old_pointer;
                sorted.fields.push(Located {
                    param: map,
                    pointer,
                });
            }
            Kind::Inlined(field) => sorted.fields.push(field),
            // Still a parameter: convert it where it now lives.
            Kind::Plain => {
                let new_pointer = item(base, new);
                if new != old {
                    sink.record(new_pointer.clone(), old_pointer.clone());
                }
                let (param, moved) = convert(map, &ctx.refs, &new_pointer, sink);
                if moved {
                    sink.record(child(&new_pointer, &["schema"]), old_pointer);
                }
                kept.push(param);
            }
        }
    }
    *items = kept;
    sorted
}

/// Where a parameter goes.
enum Kind {
    Body,
    Field,
    Inlined(Located),
    Plain,
}

/// What a global parameter is, for the references to it.
pub(super) enum Global<'a> {
    Body,
    Form(&'a Map<String, Value>),
}

/// Converts one non-body parameter; says whether a `schema` was made from
/// its keywords (so that the schema's provenance is the parameter itself).
pub(super) fn convert(
    mut param: Map<String, Value>,
    refs: &Refs,
    at: &str,
    sink: &mut Sink,
) -> (Value, bool) {
    if param.contains_key("$ref") {
        refs.fix(&mut param);
        return (Value::Object(param), false);
    }
    // In place and in one pass: large documents have thousands of parameters.
    let mut location = "query";
    let mut schema = Map::new();
    let mut written_schema = None;
    let mut collection_format = None;
    let mut example = None;
    param.retain(|key, value| match key.as_str() {
        "in" => {
            location = match value.as_str() {
                Some("path") => "path",
                Some("header") => "header",
                Some("cookie") => "cookie",
                _ => "query",
            };
            true
        }
        "collectionFormat" => {
            collection_format = Some(mem::take(value));
            false
        }
        "schema" => {
            written_schema = Some(mem::take(value));
            false
        }
        keyword if is_schema_keyword(keyword) => {
            schema.insert(key.clone(), mem::take(value));
            false
        }
        "x-example" => {
            example = Some(value.clone());
            true
        }
        _ => true,
    });
    // 3.0 has `example` on parameters; the extension stays too.
    if let Some(example) = example {
        param.entry("example").or_insert(example);
    }
    // 3.0 insists on it; 2.0 did too, but writers forgot.
    if location == "path" {
        param.insert("required".into(), Value::Bool(true));
    }
    let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
    let format = match &collection_format {
        Some(Value::String(format)) => Some(format.as_str()),
        // An array without a collectionFormat is csv in 2.0, not 3.0's default.
        _ if is_array => Some("csv"),
        _ => None,
    };
    if let Some(format) = format {
        let (style, explode) = style(format, location, at, sink);
        param.insert("style".into(), Value::String(style.into()));
        if let Some(explode) = explode {
            param.insert("explode".into(), Value::Bool(explode));
        }
    }
    strip_nested_formats(&mut schema, at, sink);
    let moved = !schema.is_empty() && written_schema.is_none();
    let mut schema = match written_schema {
        Some(Value::Object(mut written)) => {
            for (key, value) in schema {
                written.entry(key).or_insert(value);
            }
            Value::Object(written)
        }
        Some(other) => other,
        None if moved => Value::Object(schema),
        None => return (Value::Object(param), false),
    };
    schema::upgrade(&mut schema, refs);
    param.insert("schema".into(), schema);
    (Value::Object(param), moved)
}

/// The 3.0 `style` and `explode` for a 2.0 `collectionFormat` of a parameter
/// in `location` (`formData` for a form field's encoding).
fn style(format: &str, location: &str, at: &str, sink: &mut Sink) -> (&'static str, Option<bool>) {
    let simple = matches!(location, "path" | "header");
    let delimited = matches!(location, "query" | "formData");
    match format {
        "csv" if simple => ("simple", None),
        "csv" => ("form", Some(false)),
        "multi" if !simple => ("form", Some(true)),
        "ssv" if delimited => ("spaceDelimited", Some(false)),
        "pipes" if delimited => ("pipeDelimited", Some(false)),
        _ => {
            let message = format!(
                "collectionFormat `{format}` has no OpenAPI 3.0 equivalent for a parameter in \
                 {location}; it is read as comma-separated"
            );
            sink.warn(WarningKind::LossyUpgrade, message, at);
            if simple {
                ("simple", None)
            } else {
                ("form", Some(false))
            }
        }
    }
}

/// Removes `collectionFormat` from nested `items`: 3.0 cannot say how an
/// array inside an array is serialized.
fn strip_nested_formats(schema: &mut Map<String, Value>, at: &str, sink: &mut Sink) {
    let mut lossy = false;
    let mut node = schema.get_mut("items");
    while let Some(Value::Object(items)) = node {
        let nested = items.get("type").and_then(Value::as_str) == Some("array");
        lossy |= items.shift_remove("collectionFormat").is_some() && nested;
        node = items.get_mut("items");
    }
    if lossy {
        let message = "the serialization of nested arrays (collectionFormat inside items) \
                       has no OpenAPI 3.0 equivalent and was dropped";
        sink.warn(WarningKind::LossyUpgrade, message.into(), at);
    }
}

/// The request body for a body parameter: one content entry per media type.
pub(super) fn body_request(param: Map<String, Value>, consumes: &[String], refs: &Refs) -> Value {
    let mut out = Map::new();
    let mut schema = Value::Object(Map::new());
    let mut required = None;
    let mut extensions = Vec::new();
    for (key, value) in param {
        match key.as_str() {
            "description" => {
                out.insert(key, value);
            }
            "schema" => schema = value,
            "required" => required = Some(value),
            _ if key.starts_with("x-") => extensions.push((key, value)),
            _ => {}
        }
    }
    schema::upgrade(&mut schema, refs);
    out.insert("content".into(), Value::Object(content(schema, consumes)));
    if let Some(required) = required {
        out.insert("required".into(), required);
    }
    out.extend(extensions);
    Value::Object(out)
}

/// The media types a form is sent as.
fn form_media_types(fields: &[Located], consumes: &[String]) -> Vec<&'static str> {
    let lists = |wanted: &str| {
        consumes
            .iter()
            .any(|mime| super::same_media_type(mime, wanted))
    };
    let (multipart, urlencoded) = (lists(MULTIPART), lists(URLENCODED));
    let file = fields
        .iter()
        .any(|field| field.param.get("type").and_then(Value::as_str) == Some("file"));
    match (multipart, urlencoded) {
        (true, true) => vec![MULTIPART, URLENCODED],
        (true, false) => vec![MULTIPART],
        _ if file => vec![MULTIPART],
        _ => vec![URLENCODED],
    }
}

/// The request body for `formData` parameters: an object schema with one
/// property per field. `at` is the pointer of the new request body.
pub(super) fn form_request(
    fields: Vec<Located>,
    consumes: &[String],
    refs: &Refs,
    at: &str,
    sink: &mut Sink,
) -> Value {
    let mimes = form_media_types(&fields, consumes);
    if let Some(first) = fields.first() {
        sink.record(at.to_owned(), first.pointer.clone());
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for field in fields {
        let Some(name) = field.name().map(str::to_owned) else {
            let message = "a formData parameter without a name was dropped";
            sink.warn(WarningKind::Ignored, message.into(), &field.pointer);
            continue;
        };
        let property_at = |mime: &str| {
            child(
                at,
                &["content", mime, "schema", "properties", name.as_str()],
            )
        };
        for mime in &mimes {
            sink.record(property_at(mime), field.pointer.clone());
        }
        let (property, is_required, format) = form_property(field.param, refs);
        if is_required {
            required.push(Value::String(name.clone()));
        }
        if let Some(format) = format.filter(|_| mimes.contains(&URLENCODED)) {
            match style(&format, "formData", &property_at(URLENCODED), sink) {
                ("form", Some(true)) => {}
                (style, explode) => {
                    let mut entry = Map::new();
                    entry.insert("style".into(), Value::String(style.into()));
                    if let Some(explode) = explode {
                        entry.insert("explode".into(), Value::Bool(explode));
                    }
                    encoding.insert(name.clone(), Value::Object(entry));
                }
            }
        }
        properties.insert(name, property);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), Value::String("object".into()));
    schema.insert("properties".into(), Value::Object(properties));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".into(), Value::Array(required));
    }
    let mut content = Map::new();
    for mime in mimes {
        let mut media = Map::new();
        media.insert("schema".into(), Value::Object(schema.clone()));
        if mime == URLENCODED && !encoding.is_empty() {
            media.insert("encoding".into(), Value::Object(encoding.clone()));
        }
        content.insert(mime.into(), Value::Object(media));
    }
    let mut out = Map::new();
    out.insert("content".into(), Value::Object(content));
    if any_required {
        out.insert("required".into(), Value::Bool(true));
    }
    Value::Object(out)
}

/// One form field as a property schema, whether it is required, and the
/// collectionFormat that applies to it when it is an array.
fn form_property(param: Map<String, Value>, refs: &Refs) -> (Value, bool, Option<String>) {
    let mut property = Map::new();
    let mut required = false;
    let mut format = None;
    let mut written_schema = None;
    for (key, value) in param {
        match key.as_str() {
            "name" | "in" | "allowEmptyValue" => {}
            "required" => required = value == Value::Bool(true),
            "collectionFormat" => format = value.as_str().map(str::to_owned),
            "schema" => written_schema = Some(value),
            _ => {
                property.insert(key, value);
            }
        }
    }
    if property.get("type").and_then(Value::as_str) == Some("array") && format.is_none() {
        format = Some("csv".into());
    }
    if let Some(Value::Object(items)) = property.get_mut("items") {
        items.shift_remove("collectionFormat");
    }
    // A field that carries a whole schema (not 2.0, but written) keeps it.
    let mut property = match written_schema {
        Some(Value::Object(mut written)) => {
            written.extend(property);
            Value::Object(written)
        }
        _ => Value::Object(property),
    };
    schema::upgrade(&mut property, refs);
    (property, required, format)
}
