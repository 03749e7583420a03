//! Types for the inline schemas of operations: parameters
//! (`ConversationListStatus`), request bodies (`CreateConversationRequest`)
//! and responses (`ListReposResponse`, `CreateIssueResponse422`). Schemas
//! that are references need none: they use the named schema's type.

use serde_json::Value;
use specgate_spec::{Document, MediaType, Operation, ResponseKey};

use super::{convert, TypeSpace};
use crate::naming;
use crate::Options;

pub(super) fn declare_all(space: &mut TypeSpace, document: &Document, options: &Options) {
    for operation in document.operations.iter().chain(&document.webhooks) {
        declare_for(space, document, options, operation);
    }
}

fn declare_for(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    operation: &Operation,
) {
    let base = naming::type_name(&operation.operation_id);
    for parameter in &operation.parameters {
        if let Some(schema) = &parameter.schema {
            let name = format!("{base}{}", naming::type_name(&parameter.name));
            let slot = (
                operation.operation_id.as_str(),
                format!("parameter {}", parameter.name),
            );
            declare(space, document, options, slot, &name, &schema.value);
        }
    }
    if let Some(schema) = operation
        .request_body
        .as_ref()
        .and_then(|b| first_schema(b.content.values()))
    {
        let slot = (operation.operation_id.as_str(), "request".to_owned());
        declare(
            space,
            document,
            options,
            slot,
            &format!("{base}Request"),
            schema,
        );
    }
    let mut success_named = false;
    for (key, response) in &operation.responses {
        let Some(schema) = first_schema(response.content.values()) else {
            continue;
        };
        let name = match key {
            ResponseKey::Status(code) if code / 100 == 2 && !success_named => {
                success_named = true;
                format!("{base}Response")
            }
            ResponseKey::Status(code) => format!("{base}Response{code}"),
            ResponseKey::Range(class) => format!("{base}Response{class}xx"),
            ResponseKey::Default => format!("{base}DefaultResponse"),
        };
        let slot = (operation.operation_id.as_str(), format!("response {key}"));
        declare(space, document, options, slot, &name, schema);
    }
}

/// The schema of the first media type that has one.
fn first_schema<'a>(mut media: impl Iterator<Item = &'a MediaType>) -> Option<&'a Value> {
    media.find_map(|m| m.schema.as_ref()).map(|s| &s.value)
}

/// Declares a type for an inline schema that needs one: objects, enums,
/// compositions and containers of them; primitives and references do not.
fn declare(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    (operation_id, slot): (&str, String),
    name: &str,
    schema: &Value,
) {
    if !needs_type(schema) {
        return;
    }
    let name = space.scope.unique(name);
    // Registered like a named schema, so identical bodies of different
    // operations keep their own names.
    space
        .names
        .insert(format!("#operation/{operation_id}/{name}"), name.clone());
    space
        .operation_types
        .insert((operation_id.to_owned(), slot), name.clone());
    convert::declare(space, document, options, &name, schema);
}

fn needs_type(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    if specgate_spec::Schema::reference_name_of(schema).is_some() && object.len() == 1 {
        return false;
    }
    if ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return true;
    }
    // A list or map needs a type only for what it holds: `Vec<String>`
    // says it all.
    object.get("items").is_some_and(needs_type)
        || object.get("additionalProperties").is_some_and(needs_type)
}
