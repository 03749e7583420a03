//! Reads an OpenAPI 3.x-shaped document (Swagger 2.0 already upgraded) into
//! the model, resolving every reference on the way.

mod objects;
mod operations;
pub(crate) mod place_names;
mod schemas;
mod security;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{ErrorKind, LoadError};
use crate::files::{Files, Target};
use crate::model::{Extensions, SecurityRequirement, SpecVersion};
use crate::normalize::{Dialect, SchemaDialect};
use crate::pointer;
use crate::provenance::FileId;
use crate::warning::Warning;

pub(crate) use schemas::SchemaTable;

/// The state of one load.
pub(crate) struct Reader {
    pub(crate) files: Files,
    pub(crate) version: SpecVersion,
    pub(crate) dialect: Dialect,
    /// The draft of 3.1 schemas without `$schema` (`jsonSchemaDialect`).
    pub(crate) schema_dialect: SchemaDialect,
    /// `$dynamicRef`s in the model's form, to their initial targets.
    pub(crate) dynamic_refs: std::collections::BTreeMap<String, String>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) schemas: SchemaTable,
    /// Every node a `$ref` reached, to find unused components.
    pub(crate) referenced: HashSet<Target>,
    /// The document's `security`, which operations inherit.
    pub(crate) document_security: Vec<SecurityRequirement>,
    /// Every scheme a security requirement names.
    pub(crate) required_schemes: HashSet<String>,
}

/// What a `$ref` chain ends at.
pub(crate) struct Resolved {
    pub(crate) file: FileId,
    pub(crate) pointer: String,
    pub(crate) value: Value,
}

/// The kinds of object a `$ref` may stand for, outside schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    PathItem,
    Callback,
    SecurityScheme,
}

impl Reader {
    pub(crate) fn new(files: Files, version: SpecVersion) -> Self {
        let dialect = match version {
            SpecVersion::Swagger2 => Dialect::Swagger2,
            SpecVersion::OpenApi30 => Dialect::OpenApi30,
            SpecVersion::OpenApi31 | SpecVersion::OpenApi32 => Dialect::OpenApi31,
        };
        Self {
            files,
            version,
            dialect,
            schema_dialect: SchemaDialect::Draft2020,
            dynamic_refs: std::collections::BTreeMap::new(),
            warnings: Vec::new(),
            schemas: SchemaTable::default(),
            referenced: HashSet::new(),
            document_security: Vec::new(),
            required_schemes: HashSet::new(),
        }
    }

    /// Follows `$ref`s from `value` (at `pointer` in `file`) to the object
    /// they stand for. A value that is no reference is returned as it is,
    /// without a copy; a referenced target is copied, as others may refer to
    /// it too. 3.1 lets a reference override the target's `summary` and
    /// `description`; those are applied.
    pub(crate) fn deref(
        &mut self,
        kind: RefKind,
        file: FileId,
        pointer: &str,
        value: Value,
    ) -> Result<Resolved, LoadError> {
        let mut current = Resolved {
            file,
            pointer: pointer.to_owned(),
            value,
        };
        let mut seen = vec![(file, pointer.to_owned())];
        let mut overrides = Map::new();
        while let Some(reference) = current.value.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_owned();
            if let Value::Object(object) = &current.value {
                for key in ["summary", "description"] {
                    if let Some(text) = object.get(key) {
                        overrides.entry(key).or_insert_with(|| text.clone());
                    }
                }
            }
            let at = pointer::join(&current.pointer, "$ref");
            let target = self.files.resolve(current.file, &at, &reference)?;
            self.referenced.insert(target.clone());
            let step = (target.file, target.pointer.clone());
            if seen.contains(&step) {
                let chain = seen
                    .iter()
                    .chain(std::iter::once(&step))
                    .map(|(f, p)| format!("{}#{p}", self.files.name(*f)))
                    .collect();
                return Err(self.files.error(file, pointer, ErrorKind::RefCycle(chain)));
            }
            seen.push(step);
            let referrer = Target {
                file: current.file,
                pointer: current.pointer.clone(),
            };
            let sole = match kind {
                RefKind::Example => self.files.take_sole_target(&target, &referrer),
                _ => None,
            };
            let mut value = match sole {
                Some(value) => value,
                None => self
                    .files
                    .get(target.file, &target.pointer)
                    .cloned()
                    .unwrap_or(Value::Null),
            };
            if self.version == SpecVersion::Swagger2 && target.file != FileId::ROOT {
                value = self.upgrade_external(kind, value);
            }
            current = Resolved {
                file: target.file,
                pointer: target.pointer,
                value,
            };
        }
        if let Value::Object(object) = &mut current.value {
            for (key, text) in overrides {
                object.insert(key, text);
            }
        }
        Ok(current)
    }

    /// Objects that a Swagger 2.0 document reaches in other files are still
    /// in 2.0 form; they are upgraded as they are read.
    fn upgrade_external(&mut self, kind: RefKind, value: Value) -> Value {
        use crate::upgrade::swagger2;
        match kind {
            RefKind::Parameter => swagger2::upgrade_parameter(value, &mut self.warnings),
            RefKind::Response => swagger2::upgrade_response(
                value,
                &["application/json".to_owned()],
                &mut self.warnings,
            ),
            _ => value,
        }
    }

    /// The object at `value`, or an error naming what was expected.
    pub(crate) fn object<'v>(
        &self,
        file: FileId,
        pointer: &str,
        value: &'v Value,
        expected: &str,
    ) -> Result<&'v Map<String, Value>, LoadError> {
        value
            .as_object()
            .ok_or_else(|| self.files.shape_error(file, pointer, expected, value))
    }

    /// [`Reader::object`] for a value the reader owns.
    pub(crate) fn owned_object(
        &self,
        file: FileId,
        pointer: &str,
        value: Value,
        expected: &str,
    ) -> Result<Map<String, Value>, LoadError> {
        match value {
            Value::Object(object) => Ok(object),
            other => Err(self.files.shape_error(file, pointer, expected, &other)),
        }
    }

    /// Removes an optional map field, keeping its order; a non-map is an
    /// error.
    pub(crate) fn take_entries(
        &self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
        key: &str,
    ) -> Result<Map<String, Value>, LoadError> {
        match object.shift_remove(key) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(other) => {
                Err(self
                    .files
                    .shape_error(file, &pointer::join(pointer, key), "an object", &other))
            }
        }
    }

    /// An optional string field; a non-string is an error.
    pub(crate) fn string(
        &self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
        key: &str,
    ) -> Result<Option<String>, LoadError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                Err(self
                    .files
                    .shape_error(file, &pointer::join(pointer, key), "a string", other))
            }
        }
    }

    /// An optional boolean field; a non-boolean is an error.
    pub(crate) fn boolean(
        &self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
        key: &str,
    ) -> Result<Option<bool>, LoadError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.files.shape_error(
                file,
                &pointer::join(pointer, key),
                "true or false",
                other,
            )),
        }
    }

    /// An optional list of strings.
    pub(crate) fn strings(
        &self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
        key: &str,
    ) -> Result<Vec<String>, LoadError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    item.as_str().map(str::to_owned).ok_or_else(|| {
                        self.files.shape_error(
                            file,
                            &pointer::join_all(pointer, [key, &index.to_string()]),
                            "a string",
                            item,
                        )
                    })
                })
                .collect(),
            Some(other) => Err(self.files.shape_error(
                file,
                &pointer::join(pointer, key),
                "a list of strings",
                other,
            )),
        }
    }

    /// An optional map field: its entries, or an error when it is not a map.
    pub(crate) fn entries<'v>(
        &self,
        file: FileId,
        pointer: &str,
        object: &'v Map<String, Value>,
        key: &str,
    ) -> Result<Vec<(&'v String, &'v Value)>, LoadError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Object(map)) => Ok(map.iter().collect()),
            Some(other) => {
                Err(self
                    .files
                    .shape_error(file, &pointer::join(pointer, key), "an object", other))
            }
        }
    }
}

/// The `x-*` members of an object.
pub(crate) fn extensions(object: &Map<String, Value>) -> Extensions {
    object
        .iter()
        .filter(|(key, _)| key.starts_with("x-"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Completes every discriminator's mapping (see [`crate::discriminators`]),
/// in the named schemas and in the operations' own schemas.
fn complete_discriminators<'a>(
    named: &mut indexmap::IndexMap<String, crate::model::NamedSchema>,
    operations: impl Iterator<Item = &'a mut crate::model::Operation>,
) -> Vec<Warning> {
    let mut operations: Vec<&mut crate::model::Operation> = operations.collect();
    let mut properties = std::collections::HashSet::new();
    for schema in named.values() {
        crate::discriminators::properties(&schema.schema.value, &mut properties);
    }
    for operation in &mut operations {
        for_each_schema(operation, &mut |schema| {
            crate::discriminators::properties(&schema.value, &mut properties)
        });
    }
    if properties.is_empty() {
        return Vec::new();
    }
    let catalogue = crate::discriminators::Catalogue::of(named, &properties);
    let mut warnings = Vec::new();
    let mut warn = |origin: &crate::provenance::Origin, problems: Vec<(String, String)>| {
        for (at, message) in problems {
            warnings.push(Warning::new(
                crate::warning::WarningKind::DiscriminatorMismatch,
                message,
                Some(crate::provenance::Origin::new(
                    origin.file,
                    format!("{}{at}", origin.pointer),
                )),
            ));
        }
    };
    for (name, schema) in named.iter_mut() {
        let problems =
            crate::discriminators::complete(&catalogue, &mut schema.schema.value, Some(name));
        warn(&schema.schema.origin, problems);
    }
    for operation in operations {
        for_each_schema(operation, &mut |schema| {
            let problems = crate::discriminators::complete(&catalogue, &mut schema.value, None);
            warn(&schema.origin, problems);
        });
    }
    warnings
}

/// Calls `f` with every schema an operation holds: parameters, bodies,
/// response bodies and headers, and its callbacks' operations'.
pub(crate) fn for_each_schema(
    operation: &mut crate::model::Operation,
    f: &mut impl FnMut(&mut crate::model::Schema),
) {
    fn content(
        content: &mut indexmap::IndexMap<String, crate::model::MediaType>,
        f: &mut impl FnMut(&mut crate::model::Schema),
    ) {
        for media in content.values_mut() {
            if let Some(schema) = &mut media.schema {
                f(schema);
            }
        }
    }
    for parameter in &mut operation.parameters {
        if let Some(schema) = &mut parameter.schema {
            f(schema);
        }
        content(&mut parameter.content, f);
    }
    if let Some(body) = &mut operation.request_body {
        content(&mut body.content, f);
    }
    for response in operation.responses.values_mut() {
        for header in response.headers.values_mut() {
            if let Some(schema) = &mut header.schema {
                f(schema);
            }
            content(&mut header.content, f);
        }
        content(&mut response.content, f);
    }
    for callback in &mut operation.callbacks {
        for operation in &mut callback.operations {
            for_each_schema(operation, f);
        }
    }
}

/// Top-level members read as a whole (the rest are read piece by piece).
const TOP_LEVEL: &[&str] = &["info", "servers", "security", "tags"];

impl Reader {
    /// The dialect a `$schema` or `jsonSchemaDialect` names; one specgate
    /// does not know is read as 2020-12, with a warning.
    pub(crate) fn read_dialect(&mut self, file: FileId, at: &str, uri: &str) -> SchemaDialect {
        SchemaDialect::of(uri).unwrap_or_else(|| {
            self.warnings.push(Warning::new(
                crate::warning::WarningKind::UnknownDialect,
                format!("`{uri}` is no JSON Schema dialect specgate knows; its schemas are read as 2020-12"),
                Some(crate::provenance::Origin::new(file, at)),
            ));
            SchemaDialect::Draft2020
        })
    }

    /// Reads the whole document, moving what it reads out of the root.
    pub(crate) fn into_document(mut self, openapi: String) -> Result<crate::Document, LoadError> {
        let root_keys: Vec<String> = match self.files.get(FileId::ROOT, "") {
            Some(Value::Object(root)) => root.keys().cloned().collect(),
            Some(other) => {
                return Err(self.files.shape_error(
                    FileId::ROOT,
                    "",
                    "an OpenAPI document object",
                    other,
                ))
            }
            None => Vec::new(),
        };
        // Small members are moved into one map and read from there.
        let mut top = Map::new();
        for key in &root_keys {
            if TOP_LEVEL.contains(&key.as_str()) || key.starts_with("x-") {
                if let Some(value) = self
                    .files
                    .take(FileId::ROOT, &pointer::join("", key), false)
                {
                    top.insert(key.clone(), value);
                }
            }
        }
        let info = self.info(&top)?;
        if let Some(Value::String(uri)) = self.files.get(FileId::ROOT, "/jsonSchemaDialect") {
            let uri = uri.clone();
            self.schema_dialect = self.read_dialect(FileId::ROOT, "/jsonSchemaDialect", &uri);
        }
        let mut servers = self.servers(FileId::ROOT, "", &top)?;
        if servers.is_empty() {
            servers.push(crate::model::Server {
                url: "/".into(),
                base_path: String::new(),
                description: None,
                variables: indexmap::IndexMap::new(),
            });
        }
        self.document_security = self.security_requirements(FileId::ROOT, "", &top)?;
        let tags = self.tags(&top)?;

        let components = self.component_names()?;
        self.schemas.reserve_components(
            components
                .iter()
                .filter(|(kind, _)| kind == "schemas")
                .map(|(_, name)| name.clone()),
        );
        self.drain_schemas()?;
        let schemes = match self
            .files
            .take(FileId::ROOT, "/components/securitySchemes", false)
        {
            Some(value) => {
                let mut holder = Map::new();
                holder.insert("securitySchemes".into(), value);
                holder
            }
            None => Map::new(),
        };
        let security_schemes = self.security_schemes(&schemes)?;
        let mut operations = self.operations("paths")?;
        let mut webhooks = self.operations("webhooks")?;
        self.drain_schemas()?;
        self.check_alias_cycles()?;
        crate::cycles::in_place_cycles(&self.schemas.named, &mut self.warnings);
        let mismatches = complete_discriminators(
            &mut self.schemas.named,
            operations.iter_mut().chain(webhooks.iter_mut()),
        );
        self.warnings.extend(mismatches);

        crate::lint::unique_operation_ids(
            operations.iter_mut().chain(webhooks.iter_mut()),
            &mut self.warnings,
        );
        crate::lint::path_templates(&operations, &mut self.warnings);
        crate::lint::collapse_unknown_formats(&mut self.warnings);
        crate::lint::unused_components(
            &components,
            &self.referenced,
            &self.required_schemes,
            &mut self.warnings,
        );
        self.warnings.append(&mut self.files.warnings);
        let extensions = extensions(&top);
        let security = std::mem::take(&mut self.document_security);
        Ok(crate::Document {
            openapi,
            spec_version: self.version,
            info,
            servers,
            operations,
            webhooks,
            schemas: self.schemas.named,
            security_schemes,
            security,
            tags,
            extensions,
            warnings: self.warnings,
            dynamic_refs: self.dynamic_refs,
            has_schema_ids: self.files.has_ids(),
            files: self.files.into_sources(),
        })
    }

    /// Every component of the root as (kind, name), before any is read.
    fn component_names(&self) -> Result<Vec<(String, String)>, LoadError> {
        let components = match self.files.get(FileId::ROOT, "/components") {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Object(components)) => components,
            Some(other) => {
                return Err(self.files.shape_error(
                    FileId::ROOT,
                    "/components",
                    "a components object",
                    other,
                ))
            }
        };
        let mut names = Vec::new();
        for (kind, members) in components {
            match members {
                Value::Object(members) => {
                    names.extend(members.keys().map(|name| (kind.clone(), name.clone())));
                }
                _ if kind.starts_with("x-") => {}
                other => {
                    return Err(self.files.shape_error(
                        FileId::ROOT,
                        &pointer::join("/components", kind),
                        "an object",
                        other,
                    ))
                }
            }
        }
        Ok(names)
    }
}
