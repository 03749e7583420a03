//! Operations and what they carry: parameters, bodies, responses, callbacks.

use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::model::{
    ComponentId, Extensions, MediaRange, PathTemplate, Schema, SecurityRequirement, Server,
};
use crate::provenance::Origin;

/// An HTTP method that a path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
    /// QUERY (OpenAPI 3.2)
    Query,
}

impl Method {
    /// Every method, in the order path items list them.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The key of the method in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
        }
    }

    /// The method as sent on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
        }
    }

    /// Parses a method name in any case.
    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.key().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation: a method on a path template (or, for webhooks and
/// callbacks, on a name or runtime expression).
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template as written (`/api/v1/accounts/{account_id}/conversations`);
    /// for a webhook, its name; for a callback, its runtime expression.
    pub path: String,
    /// `path`, parsed.
    #[serde(skip)]
    pub template: PathTemplate,
    /// The operationId, or one synthesized from method and path
    /// (`get_api_v1_profile`) when the document gives none. Unique in the
    /// document: a duplicate gets a `_2`, `_3` suffix (and a warning).
    pub operation_id: String,
    /// Whether `operation_id` was written in the document as is.
    pub operation_id_declared: bool,
    /// Tags, in order.
    pub tags: Vec<String>,
    /// A short summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// A longer description, CommonMark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// The security that applies: the operation's own, else the document's.
    /// Empty means no authentication; an empty requirement among others
    /// means authentication is optional.
    pub security: Vec<SecurityRequirement>,
    /// Parameters: the path item's merged with the operation's (the
    /// operation's win on the same name and location), path item's first.
    pub parameters: Vec<Parameter>,
    /// The request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    /// Responses, in document order.
    pub responses: IndexMap<ResponseKey, Response>,
    /// Callbacks the operation may make.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<Callback>,
    /// Servers that override the document's for this operation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

impl Operation {
    /// The parameter with this name and location.
    pub fn parameter(&self, name: &str, location: ParameterLocation) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.location == location && p.name == name)
    }

    /// The response for a status code: the exact code, else its range
    /// (`2XX`), else `default`.
    pub fn response_for(&self, status: u16) -> Option<(&ResponseKey, &Response)> {
        let range = ResponseKey::Range((status / 100) as u8);
        self.responses
            .get_key_value(&ResponseKey::Status(status))
            .or_else(|| self.responses.get_key_value(&range))
            .or_else(|| self.responses.get_key_value(&ResponseKey::Default))
    }
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

impl ParameterLocation {
    /// Parses the `in` field.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "path" => Some(Self::Path),
            "query" => Some(Self::Query),
            "header" => Some(Self::Header),
            "cookie" => Some(Self::Cookie),
            _ => None,
        }
    }

    /// The `in` field's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }

    /// The style a parameter here has when it names none.
    pub fn default_style(self) -> ParameterStyle {
        match self {
            Self::Query | Self::Cookie => ParameterStyle::Form,
            Self::Path | Self::Header => ParameterStyle::Simple,
        }
    }
}

/// How a parameter's value is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ParameterStyle {
    /// `;name=value` in paths.
    Matrix,
    /// `.value` in paths.
    Label,
    /// `name=value&name=value` or `name=a,b`.
    Form,
    /// `a,b` in paths and headers.
    Simple,
    /// `a b` in queries.
    SpaceDelimited,
    /// `a|b` in queries.
    PipeDelimited,
    /// `name[key]=value` in queries.
    DeepObject,
    /// A cookie value as RFC 6265 sends it (OpenAPI 3.2).
    Cookie,
}

impl ParameterStyle {
    /// Parses the `style` field.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "matrix" => Self::Matrix,
            "label" => Self::Label,
            "form" => Self::Form,
            "simple" => Self::Simple,
            "spaceDelimited" => Self::SpaceDelimited,
            "pipeDelimited" => Self::PipeDelimited,
            "deepObject" => Self::DeepObject,
            "cookie" => Self::Cookie,
            _ => return None,
        })
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// The name (case-insensitive for headers, as HTTP is).
    pub name: String,
    /// Where it is sent.
    pub location: ParameterLocation,
    /// Whether it must be sent. Path parameters always must.
    pub required: bool,
    /// What it means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Its schema, when described by one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// Its media type and schema, when described by `content` instead.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
    /// Serialization style, with the location's default applied.
    pub style: ParameterStyle,
    /// Whether arrays and objects are exploded, with the default applied
    /// (true for `form`, false otherwise).
    pub explode: bool,
    /// Whether reserved characters are sent unencoded (query only).
    pub allow_reserved: bool,
    /// Whether an empty value may be sent (query only; deprecated in 3.x).
    pub allow_empty_value: bool,
    /// A single example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Named examples.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub examples: IndexMap<String, Example>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
    /// The `components/parameters` entry it is, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentId>,
    /// Where it was written (the target of a `$ref`, when it was referenced).
    #[serde(skip)]
    pub origin: Origin,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether a body must be sent.
    pub required: bool,
    /// The accepted media types, in document order.
    pub content: IndexMap<String, MediaType>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
    /// The `components/requestBodies` entry it is, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentId>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// The schema and examples for one media type.
#[derive(Debug, Clone, Serialize)]
pub struct MediaType {
    /// The body's schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// A single example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Named examples.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub examples: IndexMap<String, Example>,
    /// Per-property encoding of `multipart` and form bodies, as written.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub encoding: IndexMap<String, Value>,
    /// The media type or range of its `content` key, parsed.
    #[serde(skip)]
    pub range: MediaRange,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// A named example.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// A short summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// A longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The example value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// A URL of the example (never fetched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_value: Option<String>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// Which responses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResponseKey {
    /// One status code.
    Status(u16),
    /// A class of codes: `Range(2)` is `2XX`.
    Range(u8),
    /// Every code not listed otherwise.
    Default,
}

impl ResponseKey {
    /// Parses a key of a responses object: `200`, `2XX` (any case), `default`.
    pub fn parse(key: &str) -> Option<Self> {
        if key == "default" {
            return Some(Self::Default);
        }
        let bytes = key.as_bytes();
        match bytes {
            [d @ b'1'..=b'5', x, y]
                if x.eq_ignore_ascii_case(&b'x') && y.eq_ignore_ascii_case(&b'x') =>
            {
                Some(Self::Range(d - b'0'))
            }
            [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => key.parse().ok().map(Self::Status),
            _ => None,
        }
    }

    /// Whether a status code falls under this key.
    pub fn matches(self, status: u16) -> bool {
        match self {
            Self::Status(code) => code == status,
            Self::Range(class) => status / 100 == u16::from(class),
            Self::Default => true,
        }
    }
}

impl std::fmt::Display for ResponseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(code) => write!(f, "{code}"),
            Self::Range(class) => write!(f, "{class}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}

impl Serialize for ResponseKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// What it means.
    pub description: String,
    /// Headers the response carries, by name as written.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, Header>,
    /// Bodies by media type, in document order.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
    /// Links, as written.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub links: IndexMap<String, Value>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
    /// The `components/responses` entry it is, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentId>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// A response header (or a multipart part's header).
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// What it means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is always present.
    pub required: bool,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Its schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// Its media type and schema, when described by `content` instead.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
    /// Whether arrays and objects are exploded (`simple` style).
    pub explode: bool,
    /// A single example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The `components/headers` entry it is, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentId>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// A callback: requests the API makes to the caller after an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Callback {
    /// The callback's key under the operation's `callbacks`.
    pub name: String,
    /// The operations, each with the runtime expression as its `path`.
    pub operations: Vec<Operation>,
}

/// The part of an operation a schema describes: how readers name one
/// schema of an operation (the validator's compiled schemas, the diff's
/// witnesses).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SchemaPart {
    /// The request body of this media type (the `content` key).
    RequestBody(String),
    /// The response body for this key and media type.
    ResponseBody(ResponseKey, String),
    /// A parameter's value.
    Parameter(ParameterLocation, String),
    /// A response header's value, for this response key.
    ResponseHeader(ResponseKey, String),
}

impl Operation {
    /// The schema of one part of the operation, if it has one.
    pub fn schema_of(&self, part: &SchemaPart) -> Option<&Schema> {
        match part {
            SchemaPart::RequestBody(media) => self
                .request_body
                .as_ref()?
                .content
                .get(media)?
                .schema
                .as_ref(),
            SchemaPart::ResponseBody(key, media) => {
                self.responses.get(key)?.content.get(media)?.schema.as_ref()
            }
            SchemaPart::Parameter(location, name) => self
                .parameters
                .iter()
                .find(|p| p.location == *location && p.name == *name)?
                .schema
                .as_ref(),
            SchemaPart::ResponseHeader(key, name) => {
                self.responses.get(key)?.headers.get(name)?.schema.as_ref()
            }
        }
    }
}
