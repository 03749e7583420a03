//! The checks of one exchange against the document.

use serde_json::Value;
use specgate_spec::{Document, MediaType, Operation, Response};

use crate::drift;
use crate::exchange::{header, Exchange};
use crate::finding::{Finding, Kind, SchemaLocation};
use crate::redact::Redactor;
use crate::route::{Routed, Router};
use crate::schemas::{Direction, Schemas, SlotKey};

/// At most this many violations are reported per body: a wrong type in
/// every item of a long list says one thing many times.
const MAX_VIOLATIONS_PER_BODY: usize = 20;

/// A document, compiled for checking exchanges.
pub struct Validator<'d> {
    document: &'d Document,
    router: Router<'d>,
    schemas: Schemas,
    redactor: Redactor,
    strict: bool,
}

impl<'d> Validator<'d> {
    /// Compiles the document's schemas once.
    pub fn new(document: &'d Document) -> Result<Self, String> {
        Ok(Validator {
            document,
            router: Router::new(document),
            schemas: Schemas::compile(document)?,
            redactor: Redactor::new(document),
            strict: false,
        })
    }

    /// With `strict`, drift (members the document does not mention) is a
    /// violation, not a warning.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The redactor for this document's secrets.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Every finding for one exchange.
    pub fn check(&self, exchange: &Exchange) -> Vec<Finding> {
        let (path, shown) = self.request_line(exchange);
        let base = Finding {
            source: exchange.source.clone(),
            entry: exchange.entry,
            kind: Kind::Violation,
            error: true,
            operation: None,
            request: Some(format!("{} {shown}", exchange.request.method)),
            body: None,
            pointer: None,
            schema: None,
            expected: None,
            found: None,
            message: String::new(),
        };
        let operation = match self.router.route(&exchange.request.method, &path) {
            Routed::Operation(operation) => operation,
            Routed::MethodNotDocumented => {
                return vec![Finding {
                    kind: Kind::UndocumentedOperation,
                    message: format!(
                        "the path is documented, but not for {}",
                        exchange.request.method
                    ),
                    ..base
                }]
            }
            Routed::NotDocumented => {
                return vec![Finding {
                    kind: Kind::UndocumentedOperation,
                    message: "no operation of the document has this path".into(),
                    ..base
                }]
            }
        };
        let base = Finding {
            operation: Some(operation.operation_id.clone()),
            ..base
        };
        let mut findings = Vec::new();
        self.check_request(exchange, operation, &base, &mut findings);
        self.check_response(exchange, operation, &base, &mut findings);
        findings
    }

    /// The decoded path to route, and the request line to show (redacted).
    fn request_line(&self, exchange: &Exchange) -> (String, String) {
        let raw = &exchange.request.url;
        let parsed = if raw.starts_with('/') {
            url::Url::parse("http://recorded.invalid").and_then(|base| base.join(raw))
        } else {
            url::Url::parse(raw)
        };
        let (path, query) = match &parsed {
            Ok(url) => (url.path().to_owned(), url.query().map(str::to_owned)),
            Err(_) => {
                let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
                (
                    path.to_owned(),
                    Some(query.to_owned()).filter(|q| !q.is_empty()),
                )
            }
        };
        let decoded = percent_encoding::percent_decode_str(&path)
            .decode_utf8_lossy()
            .into_owned();
        let shown = match query {
            Some(query) => self.redactor.url(&format!("{path}?{query}")),
            None => path,
        };
        (decoded, shown)
    }

    fn check_request(
        &self,
        exchange: &Exchange,
        operation: &Operation,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let (Some(body), Some(documented)) = (&exchange.request.body, &operation.request_body)
        else {
            return;
        };
        if body.is_empty() {
            return;
        }
        let content_type = header(&exchange.request.headers, "content-type");
        let Some((media_type, media)) = match_media(content_type, &documented.content) else {
            findings.push(Finding {
                kind: Kind::UndocumentedMediaType,
                body: Some("request"),
                found: content_type.map(|c| Value::String(c.to_owned())),
                expected: Some(
                    documented
                        .content
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .into(),
                ),
                message: format!(
                    "the request body's media type {} is not documented",
                    content_type.unwrap_or("(none)")
                ),
                ..base.clone()
            });
            return;
        };
        let key = SlotKey {
            operation: operation.operation_id.clone(),
            direction: Direction::Request,
            response: None,
            media_type: media_type.clone(),
        };
        self.check_body(body, media, &key, "request", base, findings);
    }

    fn check_response(
        &self,
        exchange: &Exchange,
        operation: &Operation,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let status = exchange.response.status;
        let Some((key, response)) = operation.response_for(status) else {
            findings.push(Finding {
                kind: Kind::UndocumentedStatus,
                found: Some(status.into()),
                expected: Some(
                    operation
                        .responses
                        .keys()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .into(),
                ),
                message: format!("the operation documents no response for status {status}"),
                ..base.clone()
            });
            return;
        };
        let body = exchange.response.body.as_deref().unwrap_or_default();
        if body.is_empty() || response.content.is_empty() {
            return;
        }
        let content_type = header(&exchange.response.headers, "content-type");
        let Some((media_type, media)) = match_media(content_type, &response.content) else {
            findings.push(undocumented_media(base, content_type, response));
            return;
        };
        let key = SlotKey {
            operation: operation.operation_id.clone(),
            direction: Direction::Response,
            response: Some(*key),
            media_type: media_type.clone(),
        };
        self.check_body(body, media, &key, "response", base, findings);
    }

    fn check_body(
        &self,
        body: &[u8],
        media: &MediaType,
        key: &SlotKey,
        which: &'static str,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let Some(schema) = media.schema.as_ref().filter(|_| is_json(&key.media_type)) else {
            return;
        };
        let value: Value = match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(err) => {
                findings.push(Finding {
                    kind: Kind::Malformed,
                    body: Some(which),
                    message: format!(
                        "the {which} body claims {} and is not JSON (line {}, column {}): {err}",
                        key.media_type,
                        err.line(),
                        err.column()
                    ),
                    ..base.clone()
                });
                return;
            }
        };
        let excluded = match key.direction {
            Direction::Response => "writeOnly",
            Direction::Request => "readOnly",
        };
        for (pointer, found) in drift::walk_body(self.document, &schema.value, &value, excluded) {
            let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            let (kind, error, message) = match found {
                drift::Found::Undocumented => (
                    Kind::Drift,
                    self.strict,
                    format!("`{name}` is not in the document (allowed, yet undocumented)"),
                ),
                drift::Found::Excluded(keyword) => (
                    Kind::Violation,
                    true,
                    format!("`{name}` is `{keyword}`, so it is not sent in a {which}"),
                ),
            };
            findings.push(Finding {
                kind,
                error,
                body: Some(which),
                found: value.pointer(&pointer).map(truncate),
                expected: (kind == Kind::Violation).then(|| Value::String(format!("no `{name}`"))),
                message,
                pointer: Some(pointer),
                ..base.clone()
            });
        }
        let Some((validator, _)) = self.schemas.get(key) else {
            return;
        };
        for error in validator.iter_errors(&value).take(MAX_VIOLATIONS_PER_BODY) {
            let schema_path = error.schema_path().to_string();
            let instance_path = error.instance_path().to_string();
            let schema = self
                .schemas
                .origin(self.document, &schema_path)
                .map(|origin| {
                    let location = self.document.location(&origin);
                    SchemaLocation {
                        file: location.file,
                        pointer: location.pointer.unwrap_or(origin.pointer),
                        line: location.line,
                    }
                });
            findings.push(Finding {
                kind: Kind::Violation,
                body: Some(which),
                pointer: Some(instance_path.clone()),
                schema,
                expected: self.schemas.node(&schema_path).cloned(),
                found: value.pointer(&instance_path).map(truncate),
                message: error.to_string(),
                ..base.clone()
            });
        }
    }
}

fn undocumented_media(base: &Finding, content_type: Option<&str>, response: &Response) -> Finding {
    Finding {
        kind: Kind::UndocumentedMediaType,
        body: Some("response"),
        found: content_type.map(|c| Value::String(c.to_owned())),
        expected: Some(response.content.keys().cloned().collect::<Vec<_>>().into()),
        message: format!(
            "the response body's media type {} is not documented",
            content_type.unwrap_or("(none)")
        ),
        ..base.clone()
    }
}

/// A found value, shortened when large: a finding names the value, it does
/// not copy the whole body.
fn truncate(value: &Value) -> Value {
    let text = value.to_string();
    if text.len() <= 200 {
        return value.clone();
    }
    match value {
        Value::String(s) => Value::String(format!("{}…", s.chars().take(120).collect::<String>())),
        Value::Array(items) => Value::String(format!("[an array of {} items]", items.len())),
        Value::Object(members) => {
            Value::String(format!("{{an object of {} members}}", members.len()))
        }
        other => other.clone(),
    }
}

/// The media type essence: `application/json; charset=utf-8` →
/// `application/json`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The documented media type a received `Content-Type` falls under: exact
/// first, then `type/*`, then `*/*`; a `+json` suffix falls under
/// `application/json`. No `Content-Type` matches a single documented type.
fn match_media<'m>(
    content_type: Option<&str>,
    content: &'m indexmap::IndexMap<String, MediaType>,
) -> Option<(&'m String, &'m MediaType)> {
    let Some(content_type) = content_type else {
        return (content.len() == 1)
            .then(|| content.iter().next())
            .flatten();
    };
    let received = essence(content_type);
    let main = received.split('/').next().unwrap_or_default();
    let by = |wanted: &dyn Fn(&str) -> bool| content.iter().find(|(k, _)| wanted(&essence(k)));
    by(&|k| k == received)
        .or_else(|| by(&|k| k == format!("{main}/*")))
        .or_else(|| {
            (received.ends_with("+json"))
                .then(|| by(&|k| k == "application/json"))
                .flatten()
        })
        .or_else(|| by(&|k| k == "*/*"))
}
