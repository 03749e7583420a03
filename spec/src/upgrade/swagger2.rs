//! The upgrade of a Swagger 2.0 document to the OpenAPI 3.0 shape, so that
//! the rest of the crate reads one version's structure only.
//!
//! It moves nodes (definitions to components, body parameters to request
//! bodies, response schemas to content) and records each move in a
//! [`PointerMap`] so that messages can still name what the user wrote.

mod components;
mod parameters;
mod paths;
mod responses;
mod schema;

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::pointer;
use crate::provenance::{FileId, Origin, PointerMap};
use crate::warning::{Warning, WarningKind};

use parameters::Global;

/// The media type 2.0 assumes when neither the operation nor the document
/// says what it consumes or produces.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// Upgrades a Swagger 2.0 document to the OpenAPI 3.0 shape.
pub(crate) fn upgrade(doc: Value, moves: &mut PointerMap, warnings: &mut Vec<Warning>) -> Value {
    let mut src = match doc {
        Value::Object(src) => src,
        other => return other,
    };
    let mut sink = Sink {
        moves,
        warnings,
        located: true,
    };
    let definitions = src.shift_remove("definitions");
    let globals = src.shift_remove("parameters");
    let responses = src.shift_remove("responses");
    let security = src.shift_remove("securityDefinitions");
    let ctx = Ctx::new(&mut src, globals.as_ref());

    let mut out = Map::with_capacity(src.len() + 2);
    out.insert("openapi".into(), Value::String("3.0.3".into()));
    let mut servers = Some(ctx.servers(&ctx.schemes)).filter(|servers| !servers.is_empty());
    for (key, mut value) in src {
        match key.as_str() {
            "swagger" | "openapi" => {}
            "info" => {
                out.insert(key, value);
                if let Some(servers) = servers.take() {
                    out.insert("servers".into(), Value::Array(servers));
                }
            }
            "paths" => {
                paths::upgrade_paths(&mut value, &ctx, &mut sink);
                out.insert(key, value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    if let Some(servers) = servers {
        out.insert("servers".into(), Value::Array(servers));
    }

    let components =
        components::components(definitions, globals, responses, security, &ctx, &mut sink);
    if !components.is_empty() {
        match out.get_mut("components") {
            Some(Value::Object(written)) => written.extend(components),
            _ => {
                out.insert("components".into(), Value::Object(components));
            }
        }
    }
    Value::Object(out)
}

/// Upgrades one 2.0 response object (used for responses reached through
/// external `$ref`s). Its local `$ref`s are left alone: they point into the
/// external file, which keeps its 2.0 layout.
pub(crate) fn upgrade_response(
    response: Value,
    produces: &[String],
    warnings: &mut Vec<Warning>,
) -> Value {
    let mut moves = PointerMap::default();
    let mut sink = Sink::unlocated(&mut moves, warnings);
    responses::convert(response, produces, &Refs::inactive(), ("", ""), &mut sink)
}

/// Upgrades one non-body, non-formData 2.0 parameter object (for external
/// `$ref`s). Its local `$ref`s are left alone, as in [`upgrade_response`].
pub(crate) fn upgrade_parameter(parameter: Value, warnings: &mut Vec<Warning>) -> Value {
    let Value::Object(map) = parameter else {
        return parameter;
    };
    let mut moves = PointerMap::default();
    let mut sink = Sink::unlocated(&mut moves, warnings);
    if let Some(location @ ("body" | "formData")) = map.get("in").and_then(Value::as_str) {
        let message = format!(
            "a parameter in {location} reached through an external $ref cannot become an \
             OpenAPI 3.0 parameter; it was left as written"
        );
        sink.warn(WarningKind::LossyUpgrade, message, "");
        return Value::Object(map);
    }
    parameters::convert(map, &Refs::inactive(), "", &mut sink).0
}

/// Where moves and warnings go.
struct Sink<'a> {
    moves: &'a mut PointerMap,
    warnings: &'a mut Vec<Warning>,
    /// Whether pointers are in the root document (not in a lone fragment).
    located: bool,
}

impl<'a> Sink<'a> {
    fn unlocated(moves: &'a mut PointerMap, warnings: &'a mut Vec<Warning>) -> Self {
        Self {
            moves,
            warnings,
            located: false,
        }
    }

    /// Notes that the subtree now at `new` was written at `old`.
    fn record(&mut self, new: String, old: String) {
        if self.located {
            self.moves.record(new, old);
        }
    }

    /// Adds a warning about the node now at `at`.
    fn warn(&mut self, kind: WarningKind, message: String, at: &str) {
        let origin = self.located.then(|| Origin::new(FileId::ROOT, at));
        self.warnings.push(Warning::new(kind, message, origin));
    }
}

/// Rewrites local `$ref`s from 2.0 locations to 3.0 ones.
struct Refs {
    /// False for fragments of external files, which keep their layout.
    active: bool,
    /// The global parameters that are body parameters (now request bodies).
    bodies: HashSet<String>,
    /// The escaped media type that global request bodies are listed under.
    consumes: String,
    /// The escaped media type that global responses are listed under.
    produces: String,
}

impl Refs {
    fn inactive() -> Self {
        Self {
            active: false,
            bodies: HashSet::new(),
            consumes: String::new(),
            produces: String::new(),
        }
    }

    /// Rewrites the `$ref` of an object, if it has one that moved.
    fn fix(&self, map: &mut Map<String, Value>) {
        if let Some(Value::String(reference)) = map.get_mut("$ref") {
            if let Some(moved) = self.rewrite(reference) {
                *reference = moved;
            }
        }
    }

    /// The 3.0 spelling of a local 2.0 `$ref`; `None` when it is unchanged.
    fn rewrite(&self, reference: &str) -> Option<String> {
        if !self.active {
            return None;
        }
        let rest = reference.strip_prefix("#/")?;
        let Some((section, tail)) = rest.split_once('/') else {
            let section = component_section(rest)?;
            return Some(format!("#/components/{section}"));
        };
        let (name, inner) = match tail.split_once('/') {
            Some((name, inner)) => (name, Some(inner)),
            None => (tail, None),
        };
        // A pointer into a body's or response's schema now goes through
        // the media type it is listed under.
        let into_content = |media_type: &str| match inner {
            Some(inner) if inner == "schema" || inner.starts_with("schema/") => {
                format!("{name}/content/{media_type}/{inner}")
            }
            _ => tail.to_owned(),
        };
        let moved = match section {
            "parameters" if self.bodies.contains(&decode_token(name)) => {
                format!("requestBodies/{}", into_content(&self.consumes))
            }
            "responses" => format!("responses/{}", into_content(&self.produces)),
            _ => format!("{}/{tail}", component_section(section)?),
        };
        Some(format!("#/components/{moved}"))
    }
}

/// The 3.0 components section for a 2.0 top-level section.
fn component_section(section: &str) -> Option<&'static str> {
    match section {
        "definitions" => Some("schemas"),
        "parameters" => Some("parameters"),
        "responses" => Some("responses"),
        "securityDefinitions" => Some("securitySchemes"),
        _ => None,
    }
}

/// One reference token of a `$ref` fragment, percent and `~` escapes undone.
fn decode_token(token: &str) -> String {
    pointer::unescape(&percent_decode_str(token).decode_utf8_lossy()).into_owned()
}

/// What every part of the upgrade needs to know about the whole document.
struct Ctx {
    refs: Refs,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The global formData parameters, inlined where they are referenced.
    forms: HashMap<String, Map<String, Value>>,
    host: Option<String>,
    base_path: Option<String>,
    schemes: Vec<String>,
}

impl Ctx {
    /// Takes the document-wide settings out of the document.
    fn new(src: &mut Map<String, Value>, globals: Option<&Value>) -> Self {
        let mut string = |key: &str| match src.shift_remove(key) {
            Some(Value::String(value)) if !value.is_empty() => Some(value),
            _ => None,
        };
        let (host, base_path) = (string("host"), string("basePath"));
        let mut list = |key: &str| strings(src.shift_remove(key).as_ref());
        let consumes = list("consumes").unwrap_or_default();
        let produces = list("produces").unwrap_or_default();
        let mut schemes = list("schemes").unwrap_or_default();
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        let mut bodies = HashSet::new();
        let mut forms = HashMap::new();
        for (name, param) in globals.and_then(Value::as_object).into_iter().flatten() {
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    bodies.insert(name.clone());
                }
                Some("formData") => {
                    if let Value::Object(param) = param {
                        forms.insert(name.clone(), param.clone());
                    }
                }
                _ => {}
            }
        }
        let first = |list: &[String]| {
            let first = list.first().map_or(DEFAULT_MEDIA_TYPE, String::as_str);
            pointer::escape(first).into_owned()
        };
        let refs = Refs {
            active: true,
            bodies,
            consumes: first(&consumes),
            produces: first(&produces),
        };
        Self {
            refs,
            consumes,
            produces,
            forms,
            host,
            base_path,
            schemes,
        }
    }

    /// The global parameter a `$ref` names, when it is a body or formData one.
    fn global_param(&self, reference: &str) -> Option<(String, Global<'_>)> {
        let name = reference.strip_prefix("#/parameters/")?;
        if name.contains('/') {
            return None;
        }
        let name = decode_token(name);
        if self.refs.bodies.contains(&name) {
            return Some((name, Global::Body));
        }
        let form = self.forms.get(&name)?;
        Some((name, Global::Form(form)))
    }

    /// The servers for some schemes: one per scheme when there is a host, a
    /// relative URL when there is only a base path, none when neither.
    fn servers(&self, schemes: &[String]) -> Vec<Value> {
        let base = match self.base_path.as_deref() {
            Some(base) if !base.starts_with('/') => format!("/{base}"),
            Some(base) => base.to_owned(),
            None => String::new(),
        };
        let urls: Vec<String> = match &self.host {
            // Paths start with `/`, so the URL must not end with one.
            Some(host) => {
                let host = host.trim_end_matches('/');
                let base = base.trim_end_matches('/');
                let mut urls: Vec<String> = Vec::with_capacity(schemes.len());
                for scheme in schemes {
                    let url = format!("{scheme}://{host}{base}");
                    if !urls.contains(&url) {
                        urls.push(url);
                    }
                }
                urls
            }
            None if base.is_empty() => Vec::new(),
            None => vec![base],
        };
        let server = |url: String| {
            let mut server = Map::new();
            server.insert("url".into(), Value::String(url));
            Value::Object(server)
        };
        urls.into_iter().map(server).collect()
    }
}

/// A list of strings (`consumes`, `produces`, `schemes`); a lone string is
/// taken as a list of one.
fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        Value::String(item) => Some(vec![item.clone()]),
        _ => None,
    }
}

/// `base` with the escaped `tokens` appended, in one allocation: the
/// upgrade builds thousands of these for a large document.
fn child(base: &str, tokens: &[&str]) -> String {
    let len = tokens.iter().map(|token| token.len() + 3).sum::<usize>();
    let mut out = String::with_capacity(base.len() + len);
    out.push_str(base);
    for token in tokens {
        out.push('/');
        out.push_str(&pointer::escape(token));
    }
    out
}

/// `base` with an array index appended; like [`child`], sized up front.
fn item(base: &str, index: usize) -> String {
    let mut out = String::with_capacity(base.len() + 8);
    out.push_str(base);
    // Writing to a String cannot fail.
    let _ = write!(out, "/{index}");
    out
}

/// Whether a listed media type (maybe with parameters) is `wanted`.
fn same_media_type(listed: &str, wanted: &str) -> bool {
    crate::model::MediaRange::parse(listed).essence() == wanted
}

/// A content map with `schema` under each media type (`application/json`
/// when none is listed).
fn content(schema: Value, media_types: &[String]) -> Map<String, Value> {
    let default = [DEFAULT_MEDIA_TYPE.to_owned()];
    let media_types = if media_types.is_empty() {
        &default[..]
    } else {
        media_types
    };
    let mut content = Map::with_capacity(media_types.len());
    let mut schema = Some(schema);
    for (index, media_type) in media_types.iter().enumerate() {
        // The last media type gets the schema itself, the others a copy.
        let schema = if index + 1 == media_types.len() {
            schema.take()
        } else {
            schema.clone()
        };
        let mut media = Map::with_capacity(1);
        media.insert("schema".into(), schema.unwrap_or_default());
        content.insert(media_type.clone(), Value::Object(media));
    }
    content
}

#[cfg(test)]
mod tests;
