//! Schemas: JSON Schema 2020-12 values, with every `$ref` pointing at a named
//! schema of the model.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::provenance::Origin;

/// A schema, normalized to JSON Schema 2020-12 whatever the document's
/// version: 3.0's `nullable` is a type array or an `anyOf` with `null`,
/// boolean `exclusiveMinimum` is numeric, `example` is `examples`.
///
/// Every `$ref` inside it has the form `#/components/schemas/{name}` and
/// names an entry of [`crate::Document::schemas`], wherever the target was
/// written (another file, a path's inline schema): recursive schemas stay
/// references and are never expanded. `$ref` with sibling keywords is kept as
/// written, as 2020-12 allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schema {
    /// The schema itself.
    pub value: Value,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

impl Schema {
    /// The name of the schema this one only refers to (`{"$ref": ...}` with
    /// nothing else that constrains), if it is such a reference.
    pub fn reference_name(&self) -> Option<Cow<'_, str>> {
        Self::reference_name_of(&self.value)
    }

    /// The named schema that a schema value's `$ref` points to.
    pub fn reference_name_of(value: &Value) -> Option<Cow<'_, str>> {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(crate::schema_ref_name)
    }
}

/// A schema with a name: every entry of `components/schemas`, and every other
/// schema that a `$ref` points to (named after where it was found).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedSchema {
    /// The name, unique in the document; for component schemas, the key
    /// under `components/schemas`.
    pub name: String,
    /// The schema.
    pub schema: Schema,
    /// Whether it is declared under `components/schemas` (or `definitions`)
    /// of the root document, rather than reached through a `$ref` elsewhere.
    pub is_component: bool,
    /// The URI JSON Schema 2020-12 names it by when it is a schema resource
    /// (has an `$id`) or lies inside one (`https://example.com/a#/$defs/b`):
    /// a JSON Schema engine enters it there, so its dynamic scope is the
    /// resource's. `None` for the rest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}
