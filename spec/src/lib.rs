//! `specgate-spec` reads OpenAPI documents, whatever their version, into one
//! model that every other part of specgate reads.
//!
//! Reading goes: bytes → JSON value (JSON or YAML, by content) → version
//! check → Swagger 2.0 upgraded to the 3.0 shape → model, with every `$ref`
//! resolved (across files, never over the network) and every schema
//! normalized to JSON Schema 2020-12. Problems that stop loading are a
//! [`LoadError`] naming file, pointer, line and column; oddities that do not
//! are [`Warning`]s in the [`Document`].
//!
//! ```
//! let doc = specgate_spec::load_str("api.yaml", r##"
//! openapi: 3.0.3
//! info: {title: Pets, version: "1"}
//! paths:
//!   /pets:
//!     get:
//!       responses:
//!         "200":
//!           description: ok
//!           content:
//!             application/json:
//!               schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
//! components:
//!   schemas:
//!     Pet: {type: object, properties: {name: {type: string, nullable: true}}}
//! "##).expect("a valid document");
//! assert_eq!(doc.operations[0].operation_id, "get_pets");
//! let pet = &doc.schema("Pet").expect("named").schema.value;
//! assert_eq!(pet["properties"]["name"]["type"], serde_json::json!(["string", "null"]));
//! ```

mod cycles;
mod discriminators;
mod document;
mod error;
mod files;
mod identifiers;
pub mod instances;
mod lint;
mod load;
mod locate;
pub mod model;
mod normalize;
pub mod pointer;
mod provenance;
mod reader;
mod source;
mod upgrade;
mod version;
mod warning;

pub use document::Document;
pub use error::{ErrorKind, LoadError, Location};
pub use load::{chatwoot, load, load_str, Loader, CHATWOOT_DOCUMENT, CHATWOOT_NAME};
pub use model::*;
pub use provenance::{FileId, Origin, PointerMap, SourceFile};
pub use reader::place_names::{reason as status_reason, singular_of};
pub use source::Format;
pub use warning::{Warning, WarningKind};

/// Every `$ref` in a model schema starts with this, followed by the escaped
/// name of an entry of [`Document::schemas`].
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Marks a schema node the loader took a keyword out of (a `pattern` that is
/// not ECMA-262): its value says what and why. A validator reports every
/// value that reaches the node as not fully checked, never as conforming.
pub const UNCHECKED_MARK: &str = "x-specgate-unchecked";

/// The model's `$ref` to the named schema `name`: its JSON pointer, as a
/// URI fragment (`~1` for `/`, `%25` for `%`), as JSON Schema engines read it.
pub fn schema_ref(name: &str) -> String {
    format!(
        "{SCHEMA_REF_PREFIX}{}",
        pointer::to_fragment(&pointer::escape(name))
    )
}

/// The name of the schema a model `$ref` names ([`schema_ref`] undone).
pub fn schema_ref_name(reference: &str) -> Option<std::borrow::Cow<'_, str>> {
    let escaped = reference.strip_prefix(SCHEMA_REF_PREFIX)?;
    if escaped.contains('%') {
        let decoded = percent_encoding::percent_decode_str(escaped).decode_utf8_lossy();
        Some(std::borrow::Cow::Owned(
            pointer::unescape(&decoded).into_owned(),
        ))
    } else {
        Some(pointer::unescape(escaped))
    }
}
