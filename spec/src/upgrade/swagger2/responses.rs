//! Responses and their headers: 2.0 gives a response one `schema` and lists
//! the media types elsewhere (`produces`); 3.0 wants `content` per media type.

use std::mem;

use serde_json::{Map, Value};

use super::parameters::is_schema_keyword;
use super::{child, content, schema, Refs, Sink};
use crate::warning::WarningKind;

/// Converts every response of a responses object in place. `new` and `old`
/// are the pointers of the responses object after and before the upgrade.
pub(super) fn convert_all(
    responses: &mut Value,
    produces: &[String],
    refs: &Refs,
    (new, old): (&str, &str),
    sink: &mut Sink,
) {
    let Value::Object(map) = responses else {
        return;
    };
    for (code, response) in map.iter_mut() {
        if code.starts_with("x-") {
            continue;
        }
        // Operations' responses stay where they were: build one pointer.
        let at = child(new, &[code]);
        let written = (new != old).then(|| child(old, &[code]));
        let written = written.as_deref().unwrap_or(&at);
        *response = convert(mem::take(response), produces, refs, (&at, written), sink);
    }
}

/// Converts one response object.
pub(super) fn convert(
    response: Value,
    produces: &[String],
    refs: &Refs,
    (new, old): (&str, &str),
    sink: &mut Sink,
) -> Value {
    let mut map = match response {
        Value::Object(map) => map,
        other => return other,
    };
    if map.contains_key("$ref") {
        refs.fix(&mut map);
        return Value::Object(map);
    }
    // In place: large documents have thousands of responses.
    let schema = map.shift_remove("schema");
    let examples = map.shift_remove("examples");
    if let Some(headers) = map.get_mut("headers") {
        *headers = convert_headers(mem::take(headers), refs, (new, old), sink);
    }
    let mut media = match schema {
        Some(mut schema) => {
            schema::upgrade(&mut schema, refs);
            let media = content(schema, produces);
            let written = child(old, &["schema"]);
            for mime in media.keys() {
                sink.record(child(new, &["content", mime, "schema"]), written.clone());
            }
            media
        }
        None => Map::new(),
    };
    if let Some(Value::Object(examples)) = examples {
        add_examples(&mut media, examples, (new, old), sink);
    }
    if !media.is_empty() {
        map.insert("content".into(), Value::Object(media));
    }
    Value::Object(map)
}

/// Moves 2.0 `examples` (media type to value) into each media type's
/// `example`, adding a media type that `produces` did not list.
fn add_examples(
    media: &mut Map<String, Value>,
    examples: Map<String, Value>,
    (new, old): (&str, &str),
    sink: &mut Sink,
) {
    let schema = media
        .values()
        .find_map(|entry| entry.get("schema"))
        .cloned();
    for (mime, example) in examples {
        let at = child(new, &["content", &mime, "example"]);
        sink.record(at, child(old, &["examples", &mime]));
        let entry = media.entry(mime).or_insert_with(|| {
            let mut entry = Map::new();
            if let Some(schema) = &schema {
                entry.insert("schema".into(), schema.clone());
            }
            Value::Object(entry)
        });
        if let Value::Object(entry) = entry {
            entry.insert("example".into(), example);
        }
    }
}

/// Converts the headers object of a response.
fn convert_headers(
    headers: Value,
    refs: &Refs,
    (new, old): (&str, &str),
    sink: &mut Sink,
) -> Value {
    let headers = match headers {
        Value::Object(headers) => headers,
        other => return other,
    };
    let headers = headers.into_iter().map(|(name, header)| {
        let at = child(new, &["headers", &name]);
        let (header, moved) = convert_header(header, refs, &at, sink);
        if moved {
            let written = child(old, &["headers", &name]);
            sink.record(child(&at, &["schema"]), written);
        }
        (name, header)
    });
    Value::Object(headers.collect())
}

/// Converts one header (a non-body parameter without name and location) to a
/// 3.0 header object; says whether a `schema` was made from its keywords.
fn convert_header(header: Value, refs: &Refs, at: &str, sink: &mut Sink) -> (Value, bool) {
    let header = match header {
        Value::Object(header) => header,
        other => return (other, false),
    };
    let mut out = Map::with_capacity(header.len());
    let mut schema = Map::new();
    let mut format = None;
    for (key, value) in header {
        match key.as_str() {
            "collectionFormat" => format = Some(value),
            keyword if is_schema_keyword(keyword) => {
                schema.insert(key, value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    if out.contains_key("$ref") {
        refs.fix(&mut out);
    }
    if let Some(format) = format {
        // A header is always `simple`, which is 2.0's csv.
        if format.as_str() != Some("csv") {
            let message = format!(
                "collectionFormat {format} has no OpenAPI 3.0 equivalent for a header; \
                 it is read as comma-separated"
            );
            sink.warn(WarningKind::LossyUpgrade, message, at);
        }
        out.insert("style".into(), Value::String("simple".into()));
    }
    if schema.is_empty() {
        return (Value::Object(out), false);
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        items.shift_remove("collectionFormat");
    }
    let mut schema = Value::Object(schema);
    schema::upgrade(&mut schema, refs);
    out.insert("schema".into(), schema);
    (Value::Object(out), true)
}
