//! RFC 9457 problem details: what a refused request or response gets, a
//! JSON body naming each violation where it is (the part of the message,
//! the JSON pointer, what the document expected and what was found).

use bytes::Bytes;
use http::{header, HeaderValue, Response, StatusCode};
use serde::Serialize;
use serde_json::Value;
use specgate_validator::{Finding, Kind};

/// The media type of a problem body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem details object (RFC 9457 §3), with the violations as an
/// extension member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened to this request.
    pub detail: String,
    /// The request's path.
    pub instance: String,
    /// Each violation.
    pub violations: Vec<Violation>,
}

/// One violation, as the validator found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The finding's kind (`violation`, `undocumented-operation`, ...).
    pub kind: &'static str,
    /// The part of the message: `request body`, `query parameter status`.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The JSON pointer into that part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// What the document's schema wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// What was sent, shortened, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Value>,
    /// The JSON Schema keyword that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// The member it is about (one a `required` misses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Where the document says so (`openapi.yaml:120:9`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// One sentence for people.
    pub message: String,
}

impl From<&Finding> for Violation {
    fn from(finding: &Finding) -> Self {
        Violation {
            kind: finding.kind.id(),
            place: finding.place.as_ref().map(ToString::to_string),
            pointer: finding.pointer.clone(),
            expected: finding.expected.clone(),
            found: finding.found.clone(),
            keyword: finding.keyword.clone(),
            member: finding.member.clone(),
            schema: finding.schema.as_ref().map(|s| s.position()),
            message: finding.message.clone(),
        }
    }
}

/// The status a refused request gets from its findings: `404` for a path
/// the document does not have, `405` for a method it does not document
/// there, `415` for a body of a media type it does not take, `401` for a
/// missing credential, `400` for the rest.
pub(crate) fn request_status(findings: &[&Finding], path_documented: bool) -> StatusCode {
    let kinds: Vec<Kind> = findings.iter().map(|f| f.kind).collect();
    if kinds.contains(&Kind::UndocumentedOperation) {
        return if path_documented {
            StatusCode::METHOD_NOT_ALLOWED
        } else {
            StatusCode::NOT_FOUND
        };
    }
    if findings
        .iter()
        .any(|f| f.message.starts_with(crate::security::MISSING))
    {
        return StatusCode::UNAUTHORIZED;
    }
    if kinds.contains(&Kind::UndocumentedMediaType) {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    StatusCode::BAD_REQUEST
}

impl Problem {
    /// The problem of a refused request.
    pub(crate) fn request(status: StatusCode, path: &str, findings: &[&Finding]) -> Problem {
        Problem {
            problem_type: "urn:specgate:request-does-not-conform".into(),
            title: "The request does not conform to the API's OpenAPI document".into(),
            status: status.as_u16(),
            detail: summary(findings),
            instance: path.to_owned(),
            violations: findings.iter().map(|f| Violation::from(*f)).collect(),
        }
    }

    /// The problem of a response the service should not have given.
    pub(crate) fn response(original: u16, path: &str, findings: &[&Finding]) -> Problem {
        Problem {
            problem_type: "urn:specgate:response-does-not-conform".into(),
            title: "The service's response does not conform to its OpenAPI document".into(),
            status: 500,
            detail: format!("the {original} response: {}", summary(findings)),
            instance: path.to_owned(),
            violations: findings.iter().map(|f| Violation::from(*f)).collect(),
        }
    }

    /// As an HTTP response: `application/problem+json`.
    pub fn into_response<B>(self, body: impl FnOnce(Bytes) -> B) -> Response<B> {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let bytes = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = Response::new(body(Bytes::from(bytes)));
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

/// One line for the whole: the first violation's message, and how many
/// more there are.
fn summary(findings: &[&Finding]) -> String {
    match findings {
        [] => "nothing".into(),
        [one] => one.message.clone(),
        [first, rest @ ..] => format!(
            "{} (and {} more violation{})",
            first.message,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}
