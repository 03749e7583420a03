//! The example values a document gives, paired with the generated type each
//! should read into: named schemas' `examples`, and the `example` and
//! `examples` of JSON request and response bodies. Used to prove that
//! generated types read real payloads and write them back valid.

use serde_json::Value;
use specgate_spec::{Document, MediaType};

use crate::types::{operations, Ty, TypeSpace};
use crate::Options;

/// One example value and the type it should read into.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCase {
    /// The generated type's name (in the crate's root).
    pub rust_type: String,
    /// The example.
    pub value: Value,
    /// The schema it should satisfy: a `$ref` into `components/schemas`, or
    /// an inline schema whose references point there.
    pub schema: Value,
    /// Where the example is, for reports.
    pub place: String,
    /// Why the generated type may rightly refuse the example although its
    /// schema accepts it: a schema with `properties` but no `type` lets any
    /// non-object through, while its type is a struct.
    pub loose: Option<String>,
}

/// Whether `value` is a non-object given to a schema that describes an
/// object's properties without saying `type: object`.
fn loose_reason(document: &Document, schema: &Value, value: &Value) -> Option<String> {
    let resolved = document.resolve_schema(schema);
    let object = resolved.as_object()?;
    let describes_object = object.contains_key("properties") || object.contains_key("allOf");
    (describes_object && !object.contains_key("type") && !value.is_object() && !value.is_null()).then(|| {
        "the example is not an object; its schema describes one but declares no type, so JSON Schema lets it pass".to_owned()
    })
}

/// Every example of `document` that has a generated type to read into.
pub fn example_cases(document: &Document, options: &Options) -> Vec<ExampleCase> {
    let space = TypeSpace::build(document, options);
    let mut cases = Vec::new();
    for (name, named) in &document.schemas {
        let Some(rust_type) = space.rust_name(name) else {
            continue;
        };
        let schema = serde_json::json!({ "$ref": specgate_spec::schema_ref(name) });
        if let Some(Value::Array(examples)) = named.schema.value.get("examples") {
            for (index, value) in examples.iter().enumerate() {
                cases.push(ExampleCase {
                    rust_type: rust_type.to_owned(),
                    value: value.clone(),
                    schema: schema.clone(),
                    place: format!("schema {name} example {index}"),
                    loose: loose_reason(document, &named.schema.value, value),
                });
            }
        }
    }
    for operation in document.operations.iter().chain(&document.webhooks) {
        let id = &operation.operation_id;
        if let Some(body) = &operation.request_body {
            for (media_type, media) in &body.content {
                let place = format!("{id} request {media_type}");
                media_cases(
                    document,
                    &space,
                    (id, &operations::request_slot(media_type)),
                    &place,
                    media_type,
                    media,
                    &mut cases,
                );
            }
        }
        for (key, response) in &operation.responses {
            // The response's type is that of the media type a client reads.
            if let Some((media_type, media)) = operations::preferred_media(&response.content) {
                let place = format!("{id} response {key} {media_type}");
                let slot = operations::response_slot(*key);
                media_cases(
                    document,
                    &space,
                    (id, &slot),
                    &place,
                    media_type,
                    media,
                    &mut cases,
                );
            }
        }
    }
    cases
}

fn media_cases(
    document: &Document,
    space: &TypeSpace,
    (operation_id, slot): (&str, &str),
    place: &str,
    media_type: &str,
    media: &MediaType,
    cases: &mut Vec<ExampleCase>,
) {
    if !media_type.contains("json") {
        return;
    }
    let Some(schema) = &media.schema else {
        return;
    };
    let rust_type = match schema.reference_name() {
        Some(name) if schema.value.as_object().is_some_and(|o| o.len() == 1) => {
            space.rust_name(&name).map(str::to_owned)
        }
        _ => match space
            .operation_types
            .get(&(operation_id.to_owned(), slot.to_owned()))
        {
            Some(Ty::Named(name)) => Some(name.clone()),
            _ => None,
        },
    };
    let Some(rust_type) = rust_type else {
        return;
    };
    let mut push = |value: &Value, label: String| {
        cases.push(ExampleCase {
            rust_type: rust_type.clone(),
            value: value.clone(),
            schema: schema.value.clone(),
            place: format!("{place} {label}"),
            loose: loose_reason(document, &schema.value, value),
        });
    };
    if let Some(value) = &media.example {
        push(value, "example".into());
    }
    for (name, example) in &media.examples {
        if let Some(value) = &example.value {
            push(value, format!("examples/{name}"));
        }
    }
}

/// The model's named schemas as one object, `{"components": {"schemas":
/// ...}}`, so that the `$ref`s of [`ExampleCase::schema`] resolve in it.
pub fn schema_components(document: &Document) -> Value {
    let schemas: serde_json::Map<String, Value> = document
        .schemas
        .iter()
        .map(|(name, named)| (name.clone(), named.schema.value.clone()))
        .collect();
    serde_json::json!({ "components": { "schemas": schemas } })
}
