//! Paths: operations lose `consumes` and `produces`, their body and formData
//! parameters become a `requestBody` and their responses get `content`.

use std::mem;

use serde_json::{Map, Value};

use super::components::record_body;
use super::parameters::{self, Located, Sorted};
use super::{child, responses, strings, Ctx, Sink};
use crate::pointer;
use crate::warning::WarningKind;

/// The path item keys that hold operations in 2.0.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Upgrades every path item of `paths`.
pub(super) fn upgrade_paths(paths: &mut Value, ctx: &Ctx, sink: &mut Sink) {
    let Value::Object(paths) = paths else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if !path.starts_with("x-") {
            upgrade_path_item(item, &pointer::join("/paths", path), ctx, sink);
        }
    }
}

fn upgrade_path_item(item: &mut Value, at: &str, ctx: &Ctx, sink: &mut Sink) {
    let Value::Object(map) = item else {
        return;
    };
    ctx.refs.fix(map);
    // Body and formData parameters of the path item go to each operation.
    let inherited = match map.get_mut("parameters") {
        Some(list) => parameters::sort(list, &child(at, &["parameters"]), ctx, sink),
        None => Sorted::default(),
    };
    if inherited.body.is_some() || !inherited.fields.is_empty() {
        if let Some(Value::Array(list)) = map.get("parameters") {
            if list.is_empty() {
                map.shift_remove("parameters");
            }
        }
    }
    for (method, operation) in map.iter_mut() {
        if METHODS.contains(&method.as_str()) {
            let at = child(at, &[method]);
            upgrade_operation(operation, &at, &inherited, ctx, sink);
        }
    }
}

fn upgrade_operation(
    operation: &mut Value,
    at: &str,
    inherited: &Sorted,
    ctx: &Ctx,
    sink: &mut Sink,
) {
    let Value::Object(map) = operation else {
        return;
    };
    // An operation's own lists replace the document's.
    let consumes = strings(map.get("consumes"));
    let consumes = consumes.as_deref().unwrap_or(&ctx.consumes);
    let produces = strings(map.get("produces"));
    let produces = produces.as_deref().unwrap_or(&ctx.produces);
    let own = match map.get_mut("parameters") {
        Some(list) => parameters::sort(list, &child(at, &["parameters"]), ctx, sink),
        None => Sorted::default(),
    };
    let moved_params = own.body.is_some() || !own.fields.is_empty();
    let mut body = request_body(own, inherited, consumes, ctx, at, sink);

    for (key, mut value) in mem::take(map) {
        match key.as_str() {
            "consumes" | "produces" => {}
            "schemes" => {
                let schemes = strings(Some(&value)).unwrap_or_default();
                // Only a host makes the scheme part of the URL.
                if ctx.host.is_some() && !schemes.is_empty() && schemes != ctx.schemes {
                    map.insert("servers".into(), Value::Array(ctx.servers(&schemes)));
                }
            }
            "parameters" => {
                let emptied = moved_params && value.as_array().is_some_and(Vec::is_empty);
                if !emptied {
                    map.insert(key, value);
                }
                if let Some(body) = body.take() {
                    map.insert("requestBody".into(), body);
                }
            }
            "responses" => {
                if let Some(body) = body.take() {
                    map.insert("requestBody".into(), body);
                }
                let at = child(at, &["responses"]);
                responses::convert_all(&mut value, produces, &ctx.refs, (&at, &at), sink);
                map.insert(key, value);
            }
            _ => {
                map.insert(key, value);
            }
        }
    }
    if let Some(body) = body {
        map.insert("requestBody".into(), body);
    }
}

/// The request body of an operation `at`, from its own body or formData
/// parameters and those of its path item that it does not redeclare.
fn request_body(
    own: Sorted,
    inherited: &Sorted,
    consumes: &[String],
    ctx: &Ctx,
    at: &str,
    sink: &mut Sink,
) -> Option<Value> {
    let at_body = child(at, &["requestBody"]);
    let mut fields: Vec<Located> = inherited
        .fields
        .iter()
        .filter(|field| own.fields.iter().all(|own| own.name() != field.name()))
        .cloned()
        .collect();
    fields.extend(own.fields);
    let Some(body) = own.body.or_else(|| inherited.body.clone()) else {
        if fields.is_empty() {
            return None;
        }
        return Some(parameters::form_request(
            fields, consumes, &ctx.refs, &at_body, sink,
        ));
    };
    if !fields.is_empty() {
        let message = "formData parameters were dropped: the operation also has a body parameter";
        sink.warn(WarningKind::Ignored, message.into(), at);
    }
    sink.record(at_body.clone(), body.pointer.clone());
    if let Some(reference) = body.param.get("$ref") {
        let mut object = Map::new();
        object.insert("$ref".into(), reference.clone());
        ctx.refs.fix(&mut object);
        return Some(Value::Object(object));
    }
    let written = body.pointer;
    let body = parameters::body_request(body.param, consumes, &ctx.refs);
    record_body(&body, &at_body, &written, sink);
    Some(body)
}
