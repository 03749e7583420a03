//! What the validator reports: one finding per problem, naming the
//! exchange, the operation, where in the body, where in the document, what
//! was expected and what was found.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use specgate_spec::ParameterLocation;

/// The kinds of finding. Their ids never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// A value whose schema could not be checked whole: the schema, or a
    /// keyword it reaches, cannot be compiled. Never counted as
    /// conforming.
    NotChecked,
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
            Kind::NotChecked => "not-checked",
        }
    }
}

/// What a finding's pointer points into.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// The request body.
    RequestBody,
    /// The response body.
    ResponseBody,
    /// A request parameter's value, typed as its schema says.
    Parameter {
        /// Where it was sent.
        location: ParameterLocation,
        /// Its name.
        name: String,
    },
    /// A response header's value.
    ResponseHeader(String),
}

impl Place {
    /// A parameter.
    pub fn parameter(location: ParameterLocation, name: impl Into<String>) -> Place {
        Place::Parameter {
            location,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Place {
    /// `request body`, `response body`, `query parameter status`,
    /// `response header X-Rate-Limit`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::RequestBody => f.write_str("request body"),
            Place::ResponseBody => f.write_str("response body"),
            Place::Parameter { location, name } => {
                write!(f, "{} parameter {name}", location.as_str())
            }
            Place::ResponseHeader(name) => write!(f, "response header {name}"),
        }
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Place {
    /// The place a [`Display`](std::fmt::Display) text names, read back
    /// (a stored result read by another process).
    pub fn parse(text: &str) -> Option<Place> {
        match text {
            "request body" => return Some(Place::RequestBody),
            "response body" => return Some(Place::ResponseBody),
            _ => {}
        }
        if let Some(name) = text.strip_prefix("response header ") {
            return Some(Place::ResponseHeader(name.to_owned()));
        }
        let (location, name) = text.split_once(" parameter ")?;
        Some(Place::parameter(ParameterLocation::parse(location)?, name))
    }
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Place, D::Error> {
        let text = String::deserialize(deserializer)?;
        Place::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a place in an exchange: {text}")))
    }
}

/// Where in the document a schema keyword is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaLocation {
    /// The file, as the document's loader names it.
    pub file: String,
    /// The JSON pointer the user wrote.
    pub pointer: String,
    /// 1-based.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The input file, or `<stdin>`.
    pub source: String,
    /// The exchange's 0-based index in it.
    pub entry: usize,
    /// What kind of problem it is.
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
    /// `query parameter status`, `path parameter id`, `response header X-Id`.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// The JSON pointer into the body (or the parameter's value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Where the document wrote the schema keyword that failed (or where
    /// an undocumented member would belong).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaLocation>,
    /// What the keyword wanted: its value in the document.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present"
    )]
    pub expected: Option<Value>,
    /// What was sent, shortened when long.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present"
    )]
    pub found: Option<Value>,
    /// The JSON Schema keyword that failed (`enum`, `required`, `type`,
    /// `maxLength`), for a violation of a schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// The member the finding is about: the one a `required` misses, the
    /// one the document does not mention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// One sentence for people.
    pub message: String,
}

/// A value that is present, `null` included (`"found": null` is a null
/// that was sent, not a value missing).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
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
            keyword: None,
            member: None,
            message: reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_reads_back_from_its_text() {
        let places = [
            Place::RequestBody,
            Place::ResponseBody,
            Place::parameter(ParameterLocation::Query, "status"),
            Place::parameter(ParameterLocation::Header, "X-Id parameter x"),
            Place::ResponseHeader("X-Rate-Limit".into()),
        ];
        for place in places {
            assert_eq!(Place::parse(&place.to_string()), Some(place));
        }
        assert_eq!(Place::parse("body"), None);
        assert_eq!(Place::parse("form parameter x"), None);
    }

    #[test]
    fn a_finding_reads_back_from_its_json() {
        let finding = Finding {
            place: Some(Place::parameter(ParameterLocation::Path, "id")),
            pointer: Some("/a".into()),
            schema: Some(SchemaLocation {
                file: "api.yaml".into(),
                pointer: "/paths".into(),
                line: Some(3),
                column: None,
            }),
            expected: Some(serde_json::json!(["open"])),
            found: Some(Value::Null),
            keyword: Some("enum".into()),
            ..Finding::malformed("a.jsonl".into(), 7, "why".into())
        };
        let text = serde_json::to_string(&finding).unwrap_or_default();
        let back: Result<Finding, _> = serde_json::from_str(&text);
        assert_eq!(back.ok(), Some(finding));
    }
}
