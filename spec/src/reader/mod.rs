//! Reads an OpenAPI 3.x-shaped document (Swagger 2.0 already upgraded) into
//! the model, resolving every reference on the way.

mod objects;
mod operations;
mod schemas;
mod security;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{ErrorKind, LoadError};
use crate::files::{Files, Target};
use crate::model::{Extensions, SecurityRequirement, SpecVersion};
use crate::normalize::Dialect;
use crate::pointer;
use crate::provenance::FileId;
use crate::warning::Warning;

pub(crate) use schemas::SchemaTable;

/// The state of one load.
pub(crate) struct Reader {
    pub(crate) files: Files,
    pub(crate) version: SpecVersion,
    pub(crate) dialect: Dialect,
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
            warnings: Vec::new(),
            schemas: SchemaTable::default(),
            referenced: HashSet::new(),
            document_security: Vec::new(),
            required_schemes: HashSet::new(),
        }
    }

    /// Follows `$ref`s from `value` (at `pointer` in `file`) to the object
    /// they stand for. 3.1 lets a reference override the target's `summary`
    /// and `description`; those are applied.
    pub(crate) fn deref(
        &mut self,
        kind: RefKind,
        file: FileId,
        pointer: &str,
        value: &Value,
    ) -> Result<Resolved, LoadError> {
        let mut current = Resolved {
            file,
            pointer: pointer.to_owned(),
            value: value.clone(),
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
            let source = self.files.value(target.file);
            let mut value = source.pointer(&target.pointer).cloned().unwrap_or(Value::Null);
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
            Some(other) => Err(self.files.shape_error(
                file,
                &pointer::join(pointer, key),
                "a string",
                other,
            )),
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
            Some(other) => Err(self.files.shape_error(
                file,
                &pointer::join(pointer, key),
                "an object",
                other,
            )),
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

impl Reader {
    /// Reads the whole document.
    pub(crate) fn into_document(mut self, openapi: String) -> Result<crate::Document, LoadError> {
        let root_value = self.files.value(FileId::ROOT);
        let root = self.object(FileId::ROOT, "", &root_value, "an OpenAPI document object")?;
        let info = self.info(root)?;
        let mut servers = self.servers(FileId::ROOT, "", root)?;
        if servers.is_empty() {
            servers.push(crate::model::Server {
                url: "/".into(),
                base_path: String::new(),
                description: None,
                variables: indexmap::IndexMap::new(),
            });
        }
        self.document_security = self.security_requirements(FileId::ROOT, "", root)?;
        let tags = self.tags(root)?;
        let empty = Map::new();
        let components = match root.get("components") {
            Some(value) => self.object(FileId::ROOT, "/components", value, "a components object")?,
            None => &empty,
        };
        let component_schemas = self
            .entries(FileId::ROOT, "/components", components, "schemas")?
            .into_iter()
            .map(|(name, _)| name.clone());
        self.schemas.reserve_components(component_schemas);
        self.drain_schemas()?;
        let security_schemes = self.security_schemes(components)?;
        let mut operations = self.operations(root, "paths")?;
        let mut webhooks = self.operations(root, "webhooks")?;
        self.drain_schemas()?;
        self.check_alias_cycles()?;

        crate::lint::unique_operation_ids(
            operations.iter_mut().chain(webhooks.iter_mut()),
            &mut self.warnings,
        );
        crate::lint::path_templates(&operations, &mut self.warnings);
        crate::lint::unused_components(
            &root_value,
            &self.referenced,
            &self.required_schemes,
            &mut self.warnings,
        );
        let extensions = extensions(root);
        let security = std::mem::take(&mut self.document_security);
        drop(root_value);
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
            files: self.files.into_sources(),
        })
    }
}
