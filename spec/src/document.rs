//! The loaded document: the model's root.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::error::Location;
use crate::model::{
    Extensions, Info, NamedSchema, Operation, SecurityRequirement, SecurityScheme, Server,
    SpecVersion, Tag,
};
use crate::provenance::{Origin, SourceFile};
use crate::warning::Warning;

/// An OpenAPI document, loaded, upgraded, resolved and normalized.
///
/// ```
/// let doc = specgate_spec::chatwoot().expect("the embedded document loads");
/// let list = doc.operation("conversationList").expect("the headline endpoint");
/// assert_eq!(list.path, "/api/v1/accounts/{account_id}/conversations");
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The `openapi` (or `swagger`) field as written.
    pub openapi: String,
    /// The specification version it was read as.
    pub spec_version: SpecVersion,
    /// The `info` object.
    pub info: Info,
    /// The servers; the specification's default, `/`, when none are given.
    pub servers: Vec<Server>,
    /// Every operation under `paths`, in document order.
    pub operations: Vec<Operation>,
    /// Every operation under `webhooks`; `path` is the webhook's name.
    pub webhooks: Vec<Operation>,
    /// Named schemas: `components/schemas` in document order, then every
    /// other schema a `$ref` reaches, in the order found.
    pub schemas: IndexMap<String, NamedSchema>,
    /// Security schemes by name.
    pub security_schemes: IndexMap<String, SecurityScheme>,
    /// The document-wide security requirements.
    pub security: Vec<SecurityRequirement>,
    /// Tags declared at the top level.
    pub tags: Vec<Tag>,
    /// Top-level `x-*` extensions.
    pub extensions: Extensions,
    /// Oddities found while loading.
    pub warnings: Vec<Warning>,
    /// Each `$dynamicRef` as the model writes it, to the named schema it
    /// first resolves to (as a `$ref` would): what readers that do not
    /// follow JSON Schema's dynamic scope (types, diff, examples) see.
    pub dynamic_refs: std::collections::BTreeMap<String, String>,
    /// Whether some schema has an `$id`: a base URI that would change what
    /// the model's `#/components/schemas/...` references mean below it,
    /// so a JSON Schema engine must read them as absolute.
    pub has_schema_ids: bool,
    #[serde(skip)]
    pub(crate) files: Vec<SourceFile>,
}

impl Document {
    /// The files the document was read from; the first is the root.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Where an element came from, as the user wrote it: file name, the
    /// JSON pointer before any upgrade or normalization, line and column.
    /// Line and column are computed now, from the kept text.
    pub fn location(&self, origin: &Origin) -> Location {
        match self.files.get(origin.file.index()) {
            Some(source) => crate::files::source_location(source, &origin.pointer),
            None => Location::default(),
        }
    }

    /// [`Document::location`] for many origins at once: each file is scanned
    /// once, however many origins point into it.
    pub fn locations<'a>(&self, origins: impl IntoIterator<Item = &'a Origin>) -> Vec<Location> {
        let origins: Vec<&Origin> = origins.into_iter().collect();
        let mut result = vec![Location::default(); origins.len()];
        for (file_index, source) in self.files.iter().enumerate() {
            let (indices, pointers): (Vec<usize>, Vec<String>) = origins
                .iter()
                .enumerate()
                .filter(|(_, o)| o.file.index() == file_index)
                .map(|(i, o)| (i, source.moves.original(&o.pointer)))
                .unzip();
            if indices.is_empty() {
                continue;
            }
            let borrowed: Vec<&str> = pointers.iter().map(String::as_str).collect();
            let found = crate::locate::line_columns(&source.text, source.format, &borrowed);
            for ((index, pointer), line_column) in indices.into_iter().zip(pointers).zip(found) {
                if let Some(slot) = result.get_mut(index) {
                    *slot = Location {
                        file: source.name.clone(),
                        pointer: Some(pointer),
                        line: line_column.map(|(line, _)| line),
                        column: line_column.map(|(_, column)| column),
                    };
                }
            }
        }
        result
    }

    /// The operation with this operationId.
    pub fn operation(&self, operation_id: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .chain(&self.webhooks)
            .find(|op| op.operation_id == operation_id)
    }

    /// The named schema.
    pub fn schema(&self, name: &str) -> Option<&NamedSchema> {
        self.schemas.get(name)
    }

    /// Follows pure `$ref`s (a reference and nothing else) to the schema
    /// they name; any other schema is returned as it is.
    pub fn resolve_schema<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        // A chain is at most as long as there are schemas: cycles of pure
        // references are refused on load.
        for _ in 0..=self.schemas.len() {
            let Some(name) = crate::model::Schema::reference_name_of(value) else {
                return value;
            };
            if value.as_object().is_some_and(|o| o.len() > 1) {
                return value;
            }
            match self.schemas.get::<str>(name.as_ref()) {
                Some(named) => value = &named.schema.value,
                None => return value,
            }
        }
        value
    }

    /// The JSON type a schema declares first (`[integer, null]` is
    /// `integer`), looking through references and `allOf`/`anyOf`/`oneOf`
    /// when it names none: how a parameter's or a form field's text is
    /// read. Safe on schemas that refer to themselves (`A: {allOf: [A]}`).
    pub fn primary_type<'a>(&'a self, schema: &'a Value) -> Option<&'a str> {
        self.primary_type_within(schema, 0)
    }

    fn primary_type_within<'a>(&'a self, schema: &'a Value, depth: usize) -> Option<&'a str> {
        // Deeper than any real document composes types; a cycle stops here.
        if depth > crate::MAX_SCHEMA_DEPTH {
            return None;
        }
        let schema = self.resolve_schema(schema);
        match schema.get("type") {
            Some(Value::String(t)) => return Some(t),
            Some(Value::Array(types)) => {
                return types
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null")
            }
            _ => {}
        }
        if let Some(name) = crate::model::Schema::reference_name_of(schema) {
            if let Some(named) = self.schemas.get::<str>(name.as_ref()) {
                if let Some(found) = self.primary_type_within(&named.schema.value, depth + 1) {
                    return Some(found);
                }
            }
        }
        ["allOf", "anyOf", "oneOf"].iter().find_map(|keyword| {
            schema
                .get(*keyword)
                .and_then(Value::as_array)?
                .iter()
                .find_map(|branch| self.primary_type_within(branch, depth + 1))
        })
    }

    /// The base path of the first server (`""` when it has none).
    pub fn base_path(&self) -> &str {
        self.servers.first().map_or("", |s| s.base_path.as_str())
    }
}
