//! Schema normalization to JSON Schema 2020-12, in one walk that also
//! rewrites every `$ref` to a named schema and notes oddities.
//!
//! Swagger 2.0 and OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4;
//! 3.1 schemas are 2020-12. Downstream code (the validator's `jsonschema`,
//! the code generator) sees only 2020-12.

use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::warning::{Warning, WarningKind};

/// The schema dialect a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Swagger 2.0: draft 4 plus `x-nullable`, `type: file`, string discriminators.
    Swagger2,
    /// OpenAPI 3.0: draft 4 plus `nullable` and boolean exclusive bounds.
    OpenApi30,
    /// OpenAPI 3.1 and 3.2: JSON Schema 2020-12.
    OpenApi31,
}

/// The JSON Schema drafts a 3.1 schema may declare with `$schema` (or the
/// document with `jsonSchemaDialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaDialect {
    /// 2020-12, or OpenAPI's dialect of it: the model's own.
    Draft2020,
    /// Drafts 6, 7 and 2019-09: tuple `items` and `additionalItems`,
    /// `dependencies`.
    Older,
    /// Draft 4: also boolean `exclusiveMinimum`/`exclusiveMaximum`.
    Draft4,
}

impl SchemaDialect {
    /// The dialect a `$schema` URI names; `None` for one specgate does not
    /// know.
    pub(crate) fn of(uri: &str) -> Option<Self> {
        let uri = uri.trim_end_matches('#');
        let known = |suffix: &str| {
            uri.strip_prefix("http://")
                .or_else(|| uri.strip_prefix("https://"))
                == Some(suffix)
        };
        if known("json-schema.org/draft/2020-12/schema")
            || uri.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
            || uri.starts_with("https://spec.openapis.org/oas/3.2/dialect/")
        {
            Some(Self::Draft2020)
        } else if known("json-schema.org/draft/2019-09/schema")
            || known("json-schema.org/draft-07/schema")
            || known("json-schema.org/draft-06/schema")
        {
            Some(Self::Older)
        } else if known("json-schema.org/draft-04/schema") {
            Some(Self::Draft4)
        } else {
            None
        }
    }
}

/// What the walk needs from its caller.
pub(crate) trait SchemaSink {
    /// Turns a reference found at `pointer`/`token` (the `$ref` of a schema,
    /// or a discriminator mapping) into the model's form
    /// (`#/components/schemas/{name}`); `None` when it already is. The
    /// pointer is only joined when a message needs it.
    fn rewrite_ref(
        &mut self,
        pointer: &str,
        token: &str,
        reference: &str,
    ) -> Result<Option<String>, LoadError>;
    /// The absolute URI of the `$id` at `pointer`, when it differs from the
    /// text written there: the model's `$id`s are absolute, so a schema
    /// read out of its parent still names the same resource.
    fn rewrite_id(&mut self, pointer: &str, id: &str) -> Option<String>;
    /// Resolves a `$dynamicRef` at `pointer` to its initial target (as
    /// `$ref` would) and returns the model's form.
    fn rewrite_dynamic_ref(
        &mut self,
        pointer: &str,
        reference: &str,
    ) -> Result<Option<String>, LoadError>;
    /// A schema's `$schema` (at `pointer`): the dialect its keywords are in.
    fn dialect(&mut self, pointer: &str, uri: &str) -> SchemaDialect;
    /// A discriminator mapping value that is a bare schema name.
    fn rewrite_mapping_name(&mut self, pointer: &str, name: &str) -> Result<String, LoadError>;
    /// Notes that the node now at `new` was at `old` (both in this file).
    fn moved(&mut self, new: String, old: &str);
    /// Notes an oddity.
    fn warn(&mut self, warning: Warning);
}

/// Keywords whose value is one subschema.
const SINGLE: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is a list of subschemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to subschemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Formats that OpenAPI, its format registry or JSON Schema define.
const KNOWN_FORMATS: &[&str] = &[
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "decimal",
    "decimal128",
    "double-int",
    "byte",
    "binary",
    "base64",
    "base64url",
    "char",
    "date",
    "date-time",
    "time",
    "duration",
    "http-date",
    "password",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "commonmark",
    "html",
    "media-range",
];

/// Which keywords a schema node has, as far as the walk cares.
#[derive(Default)]
struct Present {
    x_nullable: bool,
    /// `exclusiveMinimum` or `exclusiveMaximum`, perhaps draft 4 booleans.
    exclusive: bool,
    nullable: bool,
    typed: bool,
    example: bool,
    format: bool,
    /// `enum` or `const`.
    enumerated: bool,
    reference: bool,
    /// `$id`, `$dynamicRef` or `$schema`: 2020-12's own references.
    identified: bool,
    discriminator: bool,
    /// `pattern` or `patternProperties`.
    pattern: bool,
    subschemas: bool,
}

impl Present {
    fn of(node: &Map<String, Value>) -> Self {
        let mut present = Self::default();
        for key in node.keys() {
            match key.as_str() {
                "x-nullable" => present.x_nullable = true,
                "exclusiveMinimum" | "exclusiveMaximum" => present.exclusive = true,
                "nullable" => present.nullable = true,
                "type" => present.typed = true,
                "example" => present.example = true,
                "format" => present.format = true,
                "enum" | "const" => present.enumerated = true,
                "$ref" => present.reference = true,
                "$id" | "$dynamicRef" | "$schema" => present.identified = true,
                "discriminator" => present.discriminator = true,
                "pattern" => present.pattern = true,
                "patternProperties" => {
                    present.pattern = true;
                    present.subschemas = true;
                }
                other => {
                    if SINGLE.contains(&other) || LIST.contains(&other) || MAP.contains(&other) {
                        present.subschemas = true;
                    }
                }
            }
        }
        present
    }
}

/// Drafts 6 to 2019-09 in 2020-12's words: a tuple `items` is
/// `prefixItems` (and `additionalItems` then `items`), `dependencies` is
/// `dependentRequired` or `dependentSchemas`.
fn older_draft_to_2020(node: &mut Map<String, Value>, present: &mut Present) {
    if matches!(node.get("items"), Some(Value::Array(_))) {
        if let Some(tuple) = node.remove("items") {
            node.insert("prefixItems".into(), tuple);
            if let Some(rest) = node.remove("additionalItems") {
                node.insert("items".into(), rest);
            }
            present.subschemas = true;
        }
    } else {
        // Without a tuple `items`, `additionalItems` constrains nothing.
        node.remove("additionalItems");
    }
    if let Some(Value::Object(dependencies)) = node.remove("dependencies") {
        let mut required = Map::new();
        let mut schemas = Map::new();
        for (name, dependency) in dependencies {
            if dependency.is_array() {
                required.insert(name, dependency);
            } else {
                schemas.insert(name, dependency);
            }
        }
        if !required.is_empty() {
            node.insert("dependentRequired".into(), Value::Object(required));
        }
        if !schemas.is_empty() {
            node.insert("dependentSchemas".into(), Value::Object(schemas));
            present.subschemas = true;
        }
    }
}

/// Walks one schema: normalizes each node, rewrites references, warns.
pub(crate) struct SchemaWalk<'a, S: SchemaSink> {
    pub(crate) dialect: Dialect,
    /// The draft a 3.1 schema's keywords are in (`$schema` changes it for
    /// the node and below).
    pub(crate) schema_dialect: SchemaDialect,
    pub(crate) file: FileId,
    pub(crate) sink: &'a mut S,
}

impl<S: SchemaSink> SchemaWalk<'_, S> {
    /// Normalizes `value`, which sits at `pointer` in the walk's file.
    pub(crate) fn run(&mut self, value: &mut Value, pointer: &str) -> Result<(), LoadError> {
        let mut at = pointer.to_owned();
        self.node(value, &mut at)
    }

    fn node(&mut self, value: &mut Value, at: &mut String) -> Result<(), LoadError> {
        let Value::Object(node) = value else {
            // `true`, `false` and anything malformed have nothing to walk.
            return Ok(());
        };
        // One look at the keys says which rewrites apply: most nodes need
        // none, and each map lookup hashes its key.
        let present = Present::of(node);
        let outer = self.schema_dialect;
        if present.identified {
            self.identifiers(node, at)?;
        }
        let result = self.node_in_dialect(node, at, present);
        self.schema_dialect = outer;
        result
    }

    /// `$schema`, `$id` and `$dynamicRef`: the dialect, the absolute base
    /// URI and the initial target.
    fn identifiers(&mut self, node: &mut Map<String, Value>, at: &str) -> Result<(), LoadError> {
        if let Some(Value::String(uri)) = node.remove("$schema") {
            // The model is 2020-12 throughout: the keyword goes, once read.
            self.schema_dialect = self.sink.dialect(at, &uri);
        }
        if let Some(Value::String(id)) = node.get_mut("$id") {
            if let Some(absolute) = self.sink.rewrite_id(at, id) {
                *id = absolute;
            }
        }
        if let Some(Value::String(reference)) = node.get_mut("$dynamicRef") {
            if let Some(rewritten) = self.sink.rewrite_dynamic_ref(at, reference)? {
                *reference = rewritten;
            }
        }
        Ok(())
    }

    fn node_in_dialect(
        &mut self,
        node: &mut Map<String, Value>,
        at: &mut String,
        mut present: Present,
    ) -> Result<(), LoadError> {
        if self.dialect == Dialect::OpenApi31 && self.schema_dialect != SchemaDialect::Draft2020 {
            older_draft_to_2020(node, &mut present);
        }
        if self.dialect != Dialect::OpenApi31 || self.schema_dialect == SchemaDialect::Draft4 {
            self.draft4_to_2020(node, at, &mut present);
        } else if present.nullable {
            self.warn(
                WarningKind::ObsoleteKeyword,
                "`nullable` is an OpenAPI 3.0 keyword that 3.1 does not define; \
                 it is ignored, as JSON Schema ignores unknown keywords (write `type: [..., \"null\"]`)",
                at.clone(),
            );
        }
        if present.typed {
            self.drop_unknown_types(node, at);
        }
        if present.example {
            if let Some(example) = node.remove("example") {
                // `example` is deprecated in 3.1 and absent from JSON Schema.
                node.entry("examples")
                    .or_insert_with(|| Value::Array(vec![example]));
            }
        }
        if present.format || (present.typed && present.enumerated) {
            self.lint(node, at);
        }
        if present.pattern {
            self.drop_invalid_patterns(node, at);
        }
        if present.reference {
            if let Some(Value::String(reference)) = node.get_mut("$ref") {
                if let Some(rewritten) = self.sink.rewrite_ref(at, "$ref", reference)? {
                    *reference = rewritten;
                }
            }
        }
        if present.discriminator {
            self.discriminator(node, at)?;
        }
        let wrapped =
            self.dialect != Dialect::OpenApi31 && present.nullable && needs_nullable_wrap(node);
        if wrapped {
            wrap_nullable(node);
            self.sink.moved(pointer::join_all(at, ["anyOf", "0"]), at);
        }
        if !present.subschemas && !wrapped {
            return Ok(());
        }

        for (key, child) in node.iter_mut() {
            let key = key.as_str();
            if LIST.contains(&key) || (key == "items" && child.is_array()) {
                if let Value::Array(items) = child {
                    for (index, item) in items.iter_mut().enumerate() {
                        self.child(item, at, &[key, &index.to_string()])?;
                    }
                }
            } else if SINGLE.contains(&key) {
                self.child(child, at, &[key])?;
            } else if MAP.contains(&key) {
                if let Value::Object(entries) = child {
                    for (name, item) in entries.iter_mut() {
                        self.child(item, at, &[key, name])?;
                    }
                }
            }
        }
        Ok(())
    }

    fn child(
        &mut self,
        value: &mut Value,
        at: &mut String,
        tokens: &[&str],
    ) -> Result<(), LoadError> {
        let len = at.len();
        for token in tokens {
            at.push('/');
            at.push_str(&pointer::escape(token));
        }
        let result = self.node(value, at);
        at.truncate(len);
        result
    }

    /// The draft 4 dialect of Swagger 2.0 and OpenAPI 3.0, rewritten in place.
    fn draft4_to_2020(&mut self, node: &mut Map<String, Value>, at: &str, present: &mut Present) {
        if present.x_nullable {
            if let Some(nullable) = node.remove("x-nullable") {
                node.entry("nullable").or_insert(nullable);
                present.nullable = true;
            }
        }
        if present.typed && node.get("type").and_then(Value::as_str) == Some("file") {
            node.insert("type".into(), "string".into());
            node.insert("format".into(), "binary".into());
            present.format = true;
        }
        if !present.exclusive && !present.nullable {
            return;
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Bool(flag)) = node.get(exclusive) {
                let flag = *flag;
                node.remove(exclusive);
                if flag {
                    match node.remove(bound) {
                        Some(limit) => {
                            node.insert(exclusive.into(), limit);
                        }
                        None => self.warn(
                            WarningKind::ContradictorySchema,
                            format!("`{exclusive}: true` without `{bound}` has no effect"),
                            at.to_owned(),
                        ),
                    }
                }
            }
        }
        if !present.nullable {
            return;
        }
        if let Some(nullable) = node.remove("nullable") {
            if nullable == Value::Bool(true) {
                make_nullable(node);
            }
        }
    }

    /// Discriminators: Swagger 2.0 names only the property; mapping values
    /// are references or bare schema names, and both become references.
    fn discriminator(&mut self, node: &mut Map<String, Value>, at: &str) -> Result<(), LoadError> {
        let Some(discriminator) = node.get_mut("discriminator") else {
            return Ok(());
        };
        if let Value::String(property) = discriminator {
            let property = std::mem::take(property);
            let mut object = Map::new();
            object.insert("propertyName".into(), Value::String(property));
            *discriminator = Value::Object(object);
        }
        let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") else {
            return Ok(());
        };
        let base = pointer::join_all(at, ["discriminator", "mapping"]);
        let mut dangling = Vec::new();
        for (key, target) in mapping.iter_mut() {
            if let Value::String(target) = target {
                let here = pointer::join(&base, key);
                let rewritten = if target.contains(['#', '/', '.']) {
                    self.sink.rewrite_ref(&base, key, target)
                } else {
                    self.sink.rewrite_mapping_name(&here, target).map(Some)
                };
                match rewritten {
                    Ok(Some(rewritten)) => *target = rewritten,
                    Ok(None) => {}
                    // A mapping is a hint for choosing a schema, not a
                    // `$ref` the document depends on: one that leads
                    // nowhere (a bundler left `models/x.yml#/y` behind)
                    // costs that value only. A URL is refused as ever.
                    Err(error)
                        if !matches!(error.kind(), crate::error::ErrorKind::RemoteRef(_)) =>
                    {
                        dangling.push((key.clone(), here, error))
                    }
                    Err(error) => return Err(error),
                }
            }
        }
        for (key, here, error) in dangling {
            mapping.shift_remove(&key);
            self.warn(
                WarningKind::DanglingMapping,
                format!(
                    "the discriminator value `{key}` maps to a schema that cannot be found, \
                     so it selects none: {}",
                    error.kind()
                ),
                here,
            );
        }
        Ok(())
    }

    /// A `pattern` (or `patternProperties` key) that is not an ECMA-262
    /// regular expression, as JSON Schema requires, would make a validator
    /// refuse the whole schema: it is dropped with a warning, and every
    /// other keyword still applies.
    fn drop_invalid_patterns(&mut self, node: &mut Map<String, Value>, at: &str) {
        if let Some(Value::String(pattern)) = node.get("pattern") {
            if !jsonschema_regex::is_valid_ecma_regex(pattern) {
                let message = invalid_pattern_message(pattern);
                node.shift_remove("pattern");
                mark_unchecked(node, &message);
                self.warn(
                    WarningKind::InvalidPattern,
                    message,
                    pointer::join(at, "pattern"),
                );
            }
        }
        let mut removed = Vec::new();
        if let Some(Value::Object(patterns)) = node.get_mut("patternProperties") {
            let invalid: Vec<String> = patterns
                .keys()
                .filter(|p| !jsonschema_regex::is_valid_ecma_regex(p))
                .cloned()
                .collect();
            for pattern in invalid {
                patterns.shift_remove(&pattern);
                removed.push(pattern);
            }
        }
        for pattern in removed {
            let message = invalid_pattern_message(&pattern);
            mark_unchecked(node, &message);
            self.warn(
                WarningKind::InvalidPattern,
                message,
                pointer::join_all(at, ["patternProperties", &pattern]),
            );
        }
    }

    /// A `type` that JSON Schema does not define (`int`, `float`, as
    /// hand-written documents have) makes the whole schema invalid to a
    /// validator; it is dropped, with a warning, so the rest still applies.
    fn drop_unknown_types(&mut self, node: &mut Map<String, Value>, at: &str) {
        let known = |ty: &Value| ty.as_str().is_some_and(|ty| JSON_TYPES.contains(&ty));
        let unknown: Vec<String> = match node.get_mut("type") {
            Some(Value::Array(types)) => {
                let unknown = types
                    .iter()
                    .filter(|t| !known(t))
                    .map(crate::error::excerpt)
                    .collect();
                types.retain(known);
                if types.is_empty() {
                    node.remove("type");
                }
                unknown
            }
            Some(ty) if !known(ty) => {
                let unknown = vec![crate::error::excerpt(ty)];
                node.remove("type");
                unknown
            }
            _ => return,
        };
        if unknown.is_empty() {
            return;
        }
        self.warn(
            WarningKind::Ignored,
            format!(
                "`type: {}` is not a JSON Schema type ({}); it is ignored",
                unknown.join(", "),
                JSON_TYPES.join(", ")
            ),
            pointer::join(at, "type"),
        );
    }

    fn lint(&mut self, node: &Map<String, Value>, at: &str) {
        if let Some(Value::String(format)) = node.get("format") {
            if !KNOWN_FORMATS.contains(&format.as_str()) {
                self.warn(
                    WarningKind::UnknownFormat,
                    format!("format `{format}` is defined by neither OpenAPI nor JSON Schema; it is not checked"),
                    pointer::join(at, "format"),
                );
            }
        }
        let types = declared_types(node);
        if types.is_empty() {
            return;
        }
        let values = node
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().collect::<Vec<_>>())
            .or_else(|| node.get("const").map(|value| vec![value]));
        if let Some(values) = values {
            let wrong: Vec<_> = values
                .iter()
                .filter(|value| !types.iter().any(|ty| type_admits(ty, value)))
                .map(|value| value.to_string())
                .collect();
            if !wrong.is_empty() {
                let keyword = if node.contains_key("enum") {
                    "enum"
                } else {
                    "const"
                };
                self.warn(
                    WarningKind::ContradictorySchema,
                    format!(
                        "`type: {}` does not admit the {keyword} value{} {}",
                        types.join(" | "),
                        if wrong.len() == 1 { "" } else { "s" },
                        wrong.join(", ")
                    ),
                    pointer::join(at, keyword),
                );
            }
        }
    }

    fn warn(&mut self, kind: WarningKind, message: impl Into<String>, at: String) {
        self.sink.warn(Warning::new(
            kind,
            message,
            Some(Origin::new(self.file, at)),
        ));
    }
}

/// Notes on the node that a keyword was taken out (`UNCHECKED_MARK`), so
/// the values that reach it are not called conforming.
fn mark_unchecked(node: &mut Map<String, Value>, why: &str) {
    let entry = node
        .entry(crate::UNCHECKED_MARK)
        .or_insert_with(|| Value::String(String::new()));
    if let Value::String(text) = entry {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(why);
    }
}

fn invalid_pattern_message(pattern: &str) -> String {
    let shown: String = pattern.chars().take(80).collect();
    let ellipsis = if shown.len() < pattern.len() {
        "…"
    } else {
        ""
    };
    format!(
        "`{shown}{ellipsis}` is not an ECMA-262 regular expression, as JSON Schema requires; \
         it is not checked, and the rest of the schema still is"
    )
}

/// The types JSON Schema defines.
const JSON_TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

fn declared_types(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_admits(ty: &str, value: &Value) -> bool {
    match (ty, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// 3.0's `nullable: true` in 2020-12 terms, where the node has a type to
/// extend; nodes without one are wrapped afterwards.
fn make_nullable(node: &mut Map<String, Value>) {
    match node.get_mut("type") {
        Some(Value::String(ty)) => {
            let ty = std::mem::take(ty);
            node.insert(
                "type".into(),
                Value::Array(vec![Value::String(ty), "null".into()]),
            );
        }
        Some(Value::Array(types)) => {
            if !types.iter().any(|t| t == "null") {
                types.push("null".into());
            }
        }
        _ => {
            // Marked for `wrap_nullable`, which runs after references are
            // rewritten so that the wrapped `$ref` is the rewritten one.
            node.insert(NULLABLE_MARK.into(), Value::Bool(true));
            return;
        }
    }
    if let Some(Value::Array(values)) = node.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
}

const NULLABLE_MARK: &str = "\u{0}nullable";

fn needs_nullable_wrap(node: &mut Map<String, Value>) -> bool {
    node.remove(NULLABLE_MARK).is_some()
        && ["$ref", "allOf", "anyOf", "oneOf", "not"]
            .iter()
            .any(|k| node.contains_key(*k))
}

/// `{allOf: [...], nullable: true}` becomes
/// `{anyOf: [{allOf: [...]}, {type: "null"}]}`; annotations stay outside.
fn wrap_nullable(node: &mut Map<String, Value>) {
    let mut inner = Map::new();
    for key in ["$ref", "allOf", "anyOf", "oneOf", "not", "discriminator"] {
        if let Some(value) = node.shift_remove(key) {
            inner.insert(key.into(), value);
        }
    }
    let mut null = Map::new();
    null.insert("type".into(), "null".into());
    node.insert(
        "anyOf".into(),
        Value::Array(vec![Value::Object(inner), Value::Object(null)]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Recorder {
        refs: Vec<(String, String)>,
        moves: Vec<(String, String)>,
        warnings: Vec<Warning>,
    }

    impl SchemaSink for Recorder {
        fn rewrite_ref(
            &mut self,
            pointer: &str,
            token: &str,
            reference: &str,
        ) -> Result<Option<String>, LoadError> {
            self.refs
                .push((pointer::join(pointer, token), reference.into()));
            let name = reference.rsplit('/').next().unwrap_or_default();
            Ok(Some(format!("#/components/schemas/{name}")))
        }
        fn rewrite_mapping_name(&mut self, _: &str, name: &str) -> Result<String, LoadError> {
            Ok(format!("#/components/schemas/{name}"))
        }
        fn rewrite_id(&mut self, _: &str, _: &str) -> Option<String> {
            None
        }
        fn rewrite_dynamic_ref(&mut self, _: &str, _: &str) -> Result<Option<String>, LoadError> {
            Ok(None)
        }
        fn dialect(&mut self, _: &str, uri: &str) -> SchemaDialect {
            SchemaDialect::of(uri).unwrap_or(SchemaDialect::Draft2020)
        }
        fn moved(&mut self, new: String, old: &str) {
            self.moves.push((new, old.into()));
        }
        fn warn(&mut self, warning: Warning) {
            self.warnings.push(warning);
        }
    }

    fn normalize(dialect: Dialect, mut value: Value) -> (Value, Recorder) {
        let mut sink = Recorder::default();
        let mut walk = SchemaWalk {
            dialect,
            schema_dialect: SchemaDialect::Draft2020,
            file: FileId::ROOT,
            sink: &mut sink,
        };
        let result = walk.run(&mut value, "/s");
        assert!(result.is_ok());
        (value, sink)
    }

    #[test]
    fn nullable_extends_type_and_enum() {
        let (v, _) = normalize(
            Dialect::OpenApi30,
            json!({"type": "string", "enum": ["a"], "nullable": true}),
        );
        assert_eq!(v, json!({"type": ["string", "null"], "enum": ["a", null]}));
    }

    #[test]
    fn nullable_reference_is_wrapped_and_moved() {
        let (v, sink) = normalize(
            Dialect::OpenApi30,
            json!({"allOf": [{"$ref": "#/definitions/A"}], "nullable": true, "description": "d"}),
        );
        assert_eq!(
            v,
            json!({"description": "d", "anyOf": [
                {"allOf": [{"$ref": "#/components/schemas/A"}]}, {"type": "null"}]})
        );
        assert_eq!(sink.moves, [("/s/anyOf/0".to_owned(), "/s".to_owned())]);
        // Pointers are in the normalized view; the recorded move maps them back.
        assert_eq!(sink.refs[0].0, "/s/anyOf/0/allOf/0/$ref");
    }

    #[test]
    fn exclusive_bounds_become_numbers() {
        let (v, _) = normalize(
            Dialect::OpenApi30,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true,
                   "maximum": 9, "exclusiveMaximum": false}),
        );
        assert_eq!(
            v,
            json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9})
        );
    }

    #[test]
    fn swagger2_specifics() {
        let (v, _) = normalize(
            Dialect::Swagger2,
            json!({"type": "object", "x-nullable": true, "discriminator": "kind",
                   "properties": {"f": {"type": "file"}}}),
        );
        assert_eq!(
            v,
            json!({"type": ["object", "null"], "discriminator": {"propertyName": "kind"},
                   "properties": {"f": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn example_becomes_examples() {
        let (v, _) = normalize(Dialect::OpenApi31, json!({"type": "integer", "example": 3}));
        assert_eq!(v, json!({"type": "integer", "examples": [3]}));
    }

    #[test]
    fn properties_named_like_keywords_are_not_keywords() {
        let (v, sink) = normalize(
            Dialect::OpenApi30,
            json!({"properties": {"$ref": {"type": "string"}, "example": {"example": 1}}}),
        );
        assert!(sink.refs.is_empty());
        assert_eq!(v["properties"]["example"], json!({"examples": [1]}));
    }

    #[test]
    fn data_is_not_walked() {
        let (v, sink) = normalize(
            Dialect::OpenApi30,
            json!({"default": {"$ref": "#/x"}, "enum": [{"nullable": true}]}),
        );
        assert!(sink.refs.is_empty());
        assert_eq!(v["default"]["$ref"], "#/x");
    }

    #[test]
    fn mapping_names_and_refs_are_rewritten() {
        let (v, _) = normalize(
            Dialect::OpenApi31,
            json!({"discriminator": {"propertyName": "t",
                   "mapping": {"a": "Dog", "b": "#/components/schemas/Cat"}}}),
        );
        assert_eq!(
            v["discriminator"]["mapping"]["a"],
            "#/components/schemas/Dog"
        );
        assert_eq!(
            v["discriminator"]["mapping"]["b"],
            "#/components/schemas/Cat"
        );
    }

    #[test]
    fn types_json_schema_does_not_define_are_dropped_with_a_warning() {
        // httpbin's Swagger 2.0 document writes `type: int`.
        let (value, sink) = normalize(
            Dialect::Swagger2,
            json!({"properties": {
                "delay": {"type": "int", "maximum": 10},
                "size": {"type": ["integer", "long", "null"]},
                "upload": {"type": "file"}}}),
        );
        assert_eq!(
            value,
            json!({"properties": {
                "delay": {"maximum": 10},
                "size": {"type": ["integer", "null"]},
                "upload": {"type": "string", "format": "binary"}}})
        );
        let warnings: Vec<_> = sink
            .warnings
            .iter()
            .map(|w| (w.kind, w.origin.as_ref().map(|o| o.pointer.clone())))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    WarningKind::Ignored,
                    Some("/s/properties/delay/type".into())
                ),
                (WarningKind::Ignored, Some("/s/properties/size/type".into())),
            ]
        );
        assert!(sink.warnings[0]
            .message
            .starts_with("`type: \"int\"` is not a JSON Schema type"));
    }

    #[test]
    fn warns_about_contradictions_formats_and_obsolete_nullable() {
        let (_, sink) = normalize(
            Dialect::OpenApi31,
            json!({"properties": {
                "status": {"type": "integer", "enum": ["draft", "published"]},
                "id": {"type": "string", "format": "snowflake"},
                "label": {"type": "string", "nullable": true}}}),
        );
        let kinds: Vec<_> = sink
            .warnings
            .iter()
            .map(|w| (w.kind, w.origin.as_ref().map(|o| o.pointer.clone())))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    WarningKind::ContradictorySchema,
                    Some("/s/properties/status/enum".into())
                ),
                (
                    WarningKind::UnknownFormat,
                    Some("/s/properties/id/format".into())
                ),
                (
                    WarningKind::ObsoleteKeyword,
                    Some("/s/properties/label".into())
                ),
            ]
        );
    }
}
