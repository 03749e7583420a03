//! Types for what operations carry: parameters (`ConversationListStatus`),
//! request bodies (`CreateConversationRequest`) and responses
//! (`ListReposResponse`, `CreateIssueResponse422`). Inline schemas that
//! need a declaration get one named after the operation; references and
//! primitives use the type they stand for. Every slot's type is recorded,
//! so the client can use it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use specgate_spec::{
    ComponentId, ComponentKind, Document, MediaRange, MediaType, Operation, Parameter,
    ParameterLocation, ResponseKey,
};

use super::{convert, Slot, Ty, TypeSpace};
use crate::naming;
use crate::Options;

/// The slot of a parameter in [`TypeSpace::operation_types`].
pub(crate) fn parameter_slot(parameter: &Parameter) -> String {
    format!(
        "parameter {} {}",
        parameter.location.as_str(),
        parameter.name
    )
}

/// The slot of a request body media type.
pub(crate) fn request_slot(media_type: &str) -> String {
    format!("request {media_type}")
}

/// The slot of a response.
pub(crate) fn response_slot(key: ResponseKey) -> String {
    format!("response {key}")
}

/// The media type a client reads a response as: the first JSON one with a
/// schema, else the first with a schema, else the first.
pub(crate) fn preferred_media<'a>(
    content: impl IntoIterator<Item = (&'a String, &'a MediaType)> + Clone,
) -> Option<(&'a String, &'a MediaType)> {
    content
        .clone()
        .into_iter()
        .find(|(_, media)| reads_as_json(&media.range) && media.schema.is_some())
        .or_else(|| {
            content
                .clone()
                .into_iter()
                .find(|(_, media)| media.schema.is_some())
        })
        .or_else(|| content.into_iter().next())
}

/// Whether the client reads and writes a body of this media type as JSON:
/// a JSON type, or `*/*` (whatever the server picks; JSON APIs mean JSON).
pub(crate) fn reads_as_json(range: &MediaRange) -> bool {
    range.is_json() || range.is_any()
}

/// `Accept`, `Content-Type` and `Authorization` are not parameters in
/// OpenAPI: the client sets them itself, so they get no type.
pub(crate) fn is_controlled_header(location: ParameterLocation, name: &str) -> bool {
    location == ParameterLocation::Header
        && ["accept", "content-type", "authorization"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
}

pub(super) fn declare_all(space: &mut TypeSpace, document: &Document, options: &Options) {
    let shared = shared_places(document);
    for operation in document.operations.iter().chain(&document.webhooks) {
        declare_for(space, document, options, operation, &shared);
    }
}

/// The schemas more than one operation holds at the same place, by file
/// and pointer: a response another operation's points to with a `$ref`
/// (DigitalOcean's every `401` is the first operation's), declared once.
fn shared_places(document: &Document) -> HashSet<(usize, String)> {
    let mut seen: HashMap<(usize, String), &str> = HashMap::new();
    let mut shared = HashSet::new();
    for operation in document.operations.iter().chain(&document.webhooks) {
        let parameters = operation
            .parameters
            .iter()
            .filter_map(|p| p.schema.as_ref());
        let bodies = operation
            .request_body
            .iter()
            .flat_map(|body| body.content.values())
            .chain(
                operation
                    .responses
                    .values()
                    .flat_map(|r| r.content.values()),
            )
            .filter_map(|media| media.schema.as_ref());
        for schema in parameters.chain(bodies) {
            let place = (schema.origin.file.index(), schema.origin.pointer.clone());
            match seen.get(&place) {
                Some(first) if *first != operation.operation_id => {
                    shared.insert(place);
                }
                Some(_) => {}
                None => {
                    seen.insert(place, &operation.operation_id);
                }
            }
        }
    }
    shared
}

fn declare_for(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    operation: &Operation,
    shared: &HashSet<(usize, String)>,
) {
    let base = naming::type_name(&operation.operation_id);
    let id = operation.operation_id.as_str();
    for parameter in &operation.parameters {
        if is_controlled_header(parameter.location, &parameter.name) {
            continue;
        }
        let schema = parameter.schema.as_ref().or_else(|| {
            parameter
                .content
                .values()
                .find_map(|media| media.schema.as_ref())
        });
        let name = format!("{base}{}", naming::type_name(&parameter.name));
        let ty = match schema {
            Some(schema) => declare_shared(
                space,
                (document, options, shared),
                (id, parameter.component.as_ref(), Slot::Parameter),
                (&name, &naming::type_name(&parameter.name)),
                schema,
            ),
            None => Ty::String,
        };
        space
            .operation_types
            .insert((id.to_owned(), parameter_slot(parameter)), ty);
    }
    if let Some(body) = &operation.request_body {
        // One type per distinct schema: `application/json` and a form of
        // the same object share `CreateContactRequest`.
        let mut seen: Vec<(&Value, Ty)> = Vec::new();
        for (media_type, media) in &body.content {
            let Some(schema) = &media.schema else {
                continue;
            };
            let ty = match seen.iter().find(|(s, _)| **s == schema.value) {
                Some((_, ty)) => ty.clone(),
                None => {
                    let name = if seen.is_empty() {
                        format!("{base}Request")
                    } else {
                        format!("{base}{}Request", naming::type_name(media_type))
                    };
                    let ty = declare_shared(
                        space,
                        (document, options, shared),
                        (id, body.component.as_ref(), Slot::Request),
                        (&name, &name),
                        schema,
                    );
                    seen.push((&schema.value, ty.clone()));
                    ty
                }
            };
            space
                .operation_types
                .insert((id.to_owned(), request_slot(media_type)), ty);
        }
    }
    let mut success_named = false;
    for (key, response) in &operation.responses {
        let Some(schema) =
            preferred_media(&response.content).and_then(|(_, media)| media.schema.as_ref())
        else {
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
        // Shared by several operations: named after what the status means
        // (`Unauthorized`), not after the first operation.
        let shared_name = match key {
            ResponseKey::Status(code) => specgate_spec::status_reason(&code.to_string()),
            ResponseKey::Default => specgate_spec::status_reason("default"),
            ResponseKey::Range(_) => None,
        }
        .map_or_else(|| name.clone(), naming::type_name);
        let ty = declare_shared(
            space,
            (document, options, shared),
            (id, response.component.as_ref(), Slot::Response(*key)),
            (&name, &shared_name),
            schema,
        );
        space
            .operation_types
            .insert((id.to_owned(), response_slot(*key)), ty);
    }
}

/// [`declare`], once per component or shared place: a schema written
/// under `components/responses`, `components/parameters` or
/// `components/requestBodies` and shared by many operations (Blockfrost's
/// `400` response, its `order` parameter) gets one type, named after the
/// component (`Response400`, `Order`); one that several operations reach
/// at the same place (a `$ref` to another operation's response) gets one
/// type named `shared_name`; the rest one each, named `name`.
fn declare_shared(
    space: &mut TypeSpace,
    (document, options, shared): (&Document, &Options, &HashSet<(usize, String)>),
    (operation_id, component, slot): (&str, Option<&ComponentId>, Slot),
    (name, shared_name): (&str, &str),
    schema: &specgate_spec::Schema,
) -> Ty {
    let place = (schema.origin.file.index(), schema.origin.pointer.clone());
    let (key, type_name) = match component.and_then(component_name) {
        Some(component_name) => (
            format!("#component/{}/{}", place.0, place.1),
            component_name,
        ),
        None if shared.contains(&place) => (
            format!("#shared/{}/{}", place.0, place.1),
            shared_name.to_owned(),
        ),
        None => {
            return declare(
                space,
                document,
                options,
                (operation_id, slot),
                name,
                &schema.value,
            )
        }
    };
    if let Some(ty) = space.component_types.get(&key) {
        return ty.clone();
    }
    let ty = declare(
        space,
        document,
        options,
        (&key, slot),
        &type_name,
        &schema.value,
    );
    if let (Ty::Named(declared), true) = (&ty, key.starts_with("#component/")) {
        // The document's own name for it.
        space.kept_names.insert(declared.clone());
    }
    space.component_types.insert(key, ty.clone());
    ty
}

/// The type name for a schema of a reusable response, parameter or
/// request body.
fn component_name(component: &ComponentId) -> Option<String> {
    let suffix = match component.kind {
        ComponentKind::Responses => "Response",
        ComponentKind::Parameters => "",
        ComponentKind::RequestBodies => "Request",
        _ => return None,
    };
    let key = component.name.as_str();
    let name = naming::type_name(key);
    Some(if key.starts_with(|c: char| c.is_ascii_digit()) {
        // `400` reads as `Response400`, not `T400Response`.
        let word = if suffix.is_empty() {
            "Parameter"
        } else {
            suffix
        };
        naming::type_name(&format!("{word} {key}"))
    } else if name.ends_with(suffix) {
        name
    } else {
        format!("{name}{suffix}")
    })
}

/// The type of an operation's schema: a declaration of its own for
/// objects, enums, compositions and containers of them; the type it
/// stands for otherwise.
fn declare(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    (operation_id, slot): (&str, Slot),
    name: &str,
    schema: &Value,
) -> Ty {
    if !needs_type(schema) {
        return convert::use_type(space, document, options, name, schema);
    }
    let name = space.scope.unique(name);
    space.slots.insert(name.clone(), slot);
    // Registered like a named schema, so identical bodies of different
    // operations keep their own names.
    space
        .names
        .insert(format!("#operation/{operation_id}/{name}"), name.clone());
    convert::declare(space, document, options, &name, schema);
    Ty::Named(name)
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
