//! What the validator reports: one finding per problem, naming the
//! exchange, the operation, where in the body, where in the document, what
//! was expected and what was found.

use serde::Serialize;
use serde_json::Value;

/// The kinds of finding. Their ids never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The body or a parameter breaks its schema.
    Violation,
    /// No operation of the document has this method and path.
    UndocumentedOperation,
    /// The operation documents no response for this status (nor a range
    /// or `default` covering it).
    UndocumentedStatus,
    /// The response documents no body of this media type.
    UndocumentedMediaType,
    /// The record, or a body that claims JSON, could not be read.
    Malformed,
    /// A member the document does not mention (allowed, yet undocumented).
    Drift,
}

impl Kind {
    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Violation => "violation",
            Kind::UndocumentedOperation => "undocumented-operation",
            Kind::UndocumentedStatus => "undocumented-status",
            Kind::UndocumentedMediaType => "undocumented-media-type",
            Kind::Malformed => "malformed",
            Kind::Drift => "drift",
        }
    }
}

/// Where in the document a schema keyword is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaLocation {
    pub file: String,
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based; what places a keyword in a minified, one-line document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl SchemaLocation {
    /// `file:line:column`, as much of it as is known.
    pub fn position(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            (Some(line), None) => format!("{}:{line}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// One problem with one exchange.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The input file, or `<stdin>`.
    pub source: String,
    /// The exchange's 0-based index in it.
    pub entry: usize,
    pub kind: Kind,
    /// Whether it makes the run fail: drift is a warning unless `--strict`.
    pub error: bool,
    /// The operationId, when the exchange matched one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// `GET /api/v1/accounts/1/conversations?page=2`, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// What `pointer` points into: `response body`, `request body`,
    /// `query parameter status`, `path parameter id`, `header X-Id`.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The JSON pointer into the body (or the parameter's value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Value>,
    pub message: String,
}

impl Finding {
    /// A record that could not be read.
    pub fn malformed(source: String, entry: usize, reason: String) -> Finding {
        Finding {
            source,
            entry,
            kind: Kind::Malformed,
            error: true,
            operation: None,
            request: None,
            place: None,
            pointer: None,
            schema: None,
            expected: None,
            found: None,
            message: reason,
        }
    }
}
