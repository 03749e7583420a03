//! `components`: 2.0 keeps schemas, parameters, responses and security
//! schemes at the top level, 3.0 under `components`.

use std::mem;

use serde_json::{Map, Value};

use super::{child, parameters, responses, schema, Ctx, Sink};
use crate::pointer;
use crate::warning::WarningKind;

/// Builds `components` from the 2.0 top-level sections.
pub(super) fn components(
    definitions: Option<Value>,
    globals: Option<Value>,
    responses: Option<Value>,
    security: Option<Value>,
    ctx: &Ctx,
    sink: &mut Sink,
) -> Map<String, Value> {
    let mut components = Map::new();
    if let Some(mut definitions) = definitions {
        if let Value::Object(schemas) = &mut definitions {
            for schema in schemas.values_mut() {
                schema::upgrade(schema, &ctx.refs);
            }
        }
        sink.record("/components/schemas".into(), "/definitions".into());
        components.insert("schemas".into(), definitions);
    }
    if let Some(globals) = globals {
        let (params, bodies) = global_parameters(globals, ctx, sink);
        if !params.is_empty() {
            sink.record("/components/parameters".into(), "/parameters".into());
            components.insert("parameters".into(), Value::Object(params));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
    if let Some(mut responses) = responses {
        let at = ("/components/responses", "/responses");
        responses::convert_all(&mut responses, &ctx.produces, &ctx.refs, at, sink);
        sink.record(at.0.into(), at.1.into());
        components.insert("responses".into(), responses);
    }
    if let Some(mut security) = security {
        if let Value::Object(schemes) = &mut security {
            for (name, scheme) in schemes.iter_mut() {
                let at = pointer::join("/components/securitySchemes", name);
                *scheme = security_scheme(mem::take(scheme), &at, sink);
            }
        }
        sink.record(
            "/components/securitySchemes".into(),
            "/securityDefinitions".into(),
        );
        components.insert("securitySchemes".into(), security);
    }
    components
}

/// Splits the global parameters into 3.0 parameters and request bodies;
/// formData ones are dropped here, as they were inlined where referenced.
fn global_parameters(
    globals: Value,
    ctx: &Ctx,
    sink: &mut Sink,
) -> (Map<String, Value>, Map<String, Value>) {
    let (mut params, mut bodies) = (Map::new(), Map::new());
    let Value::Object(globals) = globals else {
        return (params, bodies);
    };
    for (name, param) in globals {
        let written = pointer::join("/parameters", &name);
        let param = match param {
            Value::Object(param) => param,
            other => {
                params.insert(name, other);
                continue;
            }
        };
        match param.get("in").and_then(Value::as_str) {
            Some("body") => {
                let at = pointer::join("/components/requestBodies", &name);
                let body = parameters::body_request(param, &ctx.consumes, &ctx.refs);
                record_body(&body, &at, &written, sink);
                sink.record(at, written);
                bodies.insert(name, body);
            }
            Some("formData") => {}
            _ => {
                let at = pointer::join("/components/parameters", &name);
                let (param, moved) = parameters::convert(param, &ctx.refs, &at, sink);
                if moved {
                    sink.record(pointer::join(&at, "schema"), written);
                }
                params.insert(name, param);
            }
        }
    }
    (params, bodies)
}

/// Records that each media type's schema of a request body made from the
/// body parameter at `written` is that parameter's schema.
pub(super) fn record_body(body: &Value, at: &str, written: &str, sink: &mut Sink) {
    let media_types = body.get("content").and_then(Value::as_object);
    for media_type in media_types.into_iter().flat_map(Map::keys) {
        let schema = child(at, &["content", media_type, "schema"]);
        sink.record(schema, child(written, &["schema"]));
    }
}

/// Converts a 2.0 security scheme: `basic` becomes `http`, an `oauth2`
/// flow moves under `flows`.
fn security_scheme(scheme: Value, at: &str, sink: &mut Sink) -> Value {
    let map = match scheme {
        Value::Object(map) => map,
        other => return other,
    };
    match map.get("type").and_then(Value::as_str) {
        Some("basic") => {
            let mut out = Map::with_capacity(map.len() + 1);
            out.insert("type".into(), Value::String("http".into()));
            out.insert("scheme".into(), Value::String("basic".into()));
            out.extend(map.into_iter().filter(|(key, _)| key != "type"));
            Value::Object(out)
        }
        Some("oauth2") => oauth2(map, at, sink),
        _ => Value::Object(map),
    }
}

fn oauth2(map: Map<String, Value>, at: &str, sink: &mut Sink) -> Value {
    let mut out = Map::with_capacity(map.len());
    let mut flow = Map::new();
    let mut kind = None;
    let mut scopes = Value::Object(Map::new());
    for (key, value) in map {
        match key.as_str() {
            "flow" | "authorizationUrl" | "tokenUrl" | "scopes" => {
                // Holds the place of `flows` among the other keys.
                out.insert("flows".into(), Value::Null);
                match key.as_str() {
                    "flow" => kind = value.as_str().map(str::to_owned),
                    "scopes" => scopes = value,
                    _ => {
                        flow.insert(key, value);
                    }
                }
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    let name = match kind.as_deref() {
        Some("implicit") => "implicit",
        Some("password") => "password",
        Some("application") => "clientCredentials",
        Some("accessCode") => "authorizationCode",
        other => {
            // Guess from the URLs that the flows require.
            let guess = match (
                flow.contains_key("authorizationUrl"),
                flow.contains_key("tokenUrl"),
            ) {
                (true, true) => "authorizationCode",
                (true, false) => "implicit",
                _ => "clientCredentials",
            };
            let message = format!(
                "oauth2 flow {} is not a 2.0 flow; it was read as {guess}",
                other.unwrap_or("(missing)")
            );
            sink.warn(WarningKind::LossyUpgrade, message, at);
            guess
        }
    };
    flow.insert("scopes".into(), scopes);
    let mut flows = Map::new();
    flows.insert(name.into(), Value::Object(flow));
    out.insert("flows".into(), Value::Object(flows));
    Value::Object(out)
}
