//! The model: one resolved, normalized view of an OpenAPI document, the same
//! whatever version the document was written in. Every other part of
//! specgate reads this and nothing else.

mod component;
mod discriminator;
mod format;
mod json_type;
mod layers;
mod media;
mod operation;
mod path;
mod schema;
mod security;

pub use component::{ComponentId, ComponentKind};
pub use discriminator::{Discriminator, Over};
pub use format::IntegerFormat;
pub use json_type::JsonTypes;
pub use layers::{Alternatives, Branch, Layer, MAX_SCHEMA_DEPTH};
pub use media::{select_media, BodyKind, MediaRange};
pub use path::{has_trailing_slash, split_path, PathTemplate, Piece, Segment};

pub use operation::{
    Callback, Example, Header, MediaType, Method, Operation, Parameter, ParameterLocation,
    ParameterStyle, RequestBody, Response, ResponseKey, SchemaPart,
};
pub use schema::{NamedSchema, Schema};
pub use security::{OAuthFlow, SecurityRequirement, SecurityScheme, SecuritySchemeKind};

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::provenance::Origin;

/// `x-*` extensions of an object, in document order.
pub type Extensions = IndexMap<String, Value>;

/// The version of the specification a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SpecVersion {
    /// Swagger 2.0, upgraded on load.
    #[serde(rename = "2.0")]
    Swagger2,
    /// OpenAPI 3.0.x; schemas normalized to JSON Schema 2020-12 on load.
    #[serde(rename = "3.0")]
    OpenApi30,
    /// OpenAPI 3.1.x.
    #[serde(rename = "3.1")]
    OpenApi31,
    /// OpenAPI 3.2.x, read as far as it extends 3.1.
    #[serde(rename = "3.2")]
    OpenApi32,
}

/// The `info` object.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Info {
    /// The API's title.
    pub title: String,
    /// The API's own version (not the specification's).
    pub version: String,
    /// A longer description, CommonMark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
}

/// A server the API is served from.
#[derive(Debug, Clone, Serialize)]
pub struct Server {
    /// The URL as written, variables not substituted.
    pub url: String,
    /// The path part of the URL with variables substituted by their
    /// defaults and no trailing slash: `/api/v3` for
    /// `https://example.com/api/v3/`, `""` for `https://app.chatwoot.com/`.
    /// Operation paths are appended to it.
    pub base_path: String,
    /// A description of the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Server variables: name to default value.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, ServerVariable>,
}

/// A variable in a server URL template.
#[derive(Debug, Clone, Serialize)]
pub struct ServerVariable {
    /// The value used when none is given.
    pub default: String,
    /// The allowed values, when restricted.
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// What the variable means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A tag declared at the top level.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// The tag's name, as operations refer to it.
    pub name: String,
    /// What the tag groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Where an element of the document came from, for messages.
pub trait Located {
    /// The element's origin.
    fn origin(&self) -> &Origin;
}
