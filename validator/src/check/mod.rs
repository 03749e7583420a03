//! The checks of one exchange against the document.

use std::collections::HashMap;
use std::sync::RwLock;

use serde_json::Value;
use specgate_spec::{
    Document, MediaType, Operation, Origin, ParameterLocation, ParameterStyle, Response,
};

use crate::drift;
use crate::encoding;
use crate::exchange::{header, Exchange};
use crate::finding::{Finding, Kind, SchemaLocation};
use crate::form;
use crate::input::Record;
use crate::params;
use crate::redact::Redactor;
use crate::route::{Routed, Router};
use crate::schemas::{Part, Schemas, SlotKey};

/// At most this many violations are reported per body: a wrong type in
/// every item of a long list says one thing many times.
const MAX_VIOLATIONS_PER_BODY: usize = 20;

/// One record, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The input it was read from.
    pub source: String,
    pub operation: Matched,
    pub findings: Vec<Finding>,
    /// The response documents a body, and the record has none (a HAR entry
    /// without `content.text`: browsers and Playwright keep only the bodies
    /// the page read), so it was not checked.
    pub unrecorded_body: bool,
}

/// What a record matched in the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Matched {
    /// The operationId.
    Operation(String),
    /// No operation has its method and path.
    Undocumented,
    /// The record could not be read.
    Malformed,
    /// Sent to none of the base URLs the run is scoped to: not checked.
    Skipped,
    /// A request recorded without a response: nothing to check.
    Unanswered,
    /// A browser's CORS preflight (`OPTIONS` with
    /// `Access-Control-Request-Method`) where the document has no `OPTIONS`
    /// operation: the browser's doing, not the API client's; not checked.
    Preflight,
}

/// A document, compiled for checking exchanges.
pub struct Validator<'d> {
    document: &'d Document,
    router: Router<'d>,
    schemas: Schemas,
    redactor: Redactor,
    strict: bool,
    summaries: drift::Summaries<'d>,
    /// Schema locations already computed, by node.
    locations: RwLock<HashMap<Origin, SchemaLocation>>,
    /// When not empty, only exchanges sent below one of these are checked.
    scope: Vec<url::Url>,
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
            summaries: drift::Summaries::new(document),
            locations: RwLock::default(),
            scope: Vec::new(),
        })
    }

    /// With `strict`, drift (members the document does not mention) is a
    /// violation, not a warning.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Checks only exchanges sent below one of `base_urls` (scheme, host,
    /// port, path prefix; a recorded path alone is compared by its path),
    /// with that path prefix taken off before matching; the others are
    /// skipped. A browser's HAR holds requests to fonts and analytics too.
    pub fn scope(mut self, base_urls: Vec<url::Url>) -> Self {
        self.scope = base_urls;
        self
    }

    /// The schemas that exchanges needed but that could not be compiled (an
    /// invalid `pattern`, say), each where the document wrote it and why:
    /// what they describe went unchecked, which a report must say.
    /// One schema shared by several operations (a path-level parameter)
    /// is named once.
    pub fn schema_problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = Vec::new();
        for (origin, reason) in self.schemas.problems() {
            let problem = format!(
                "{}: this schema cannot be compiled, so what it describes was not checked: {reason}",
                self.document.location(origin)
            );
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        problems
    }

    /// The redactor for this document's secrets.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// One record checked: the operation it matched and its findings, or
    /// why it could not be read.
    pub fn check_record(&self, record: Record) -> Checked {
        match record {
            Record::Exchange(exchange) => {
                let (operation, findings, unrecorded_body) = self.examine(&exchange);
                Checked {
                    source: exchange.source,
                    operation,
                    findings,
                    unrecorded_body,
                }
            }
            Record::Unanswered { source, url, .. } => Checked {
                operation: match self.target(&url) {
                    Some(_) => Matched::Unanswered,
                    None => Matched::Skipped,
                },
                findings: Vec::new(),
                source,
                unrecorded_body: false,
            },
            Record::Malformed {
                source,
                entry,
                reason,
            } => Checked {
                operation: Matched::Malformed,
                findings: vec![Finding::malformed(source.clone(), entry, reason)],
                source,
                unrecorded_body: false,
            },
        }
    }

    /// Every finding for one exchange.
    pub fn check(&self, exchange: &Exchange) -> Vec<Finding> {
        self.examine(exchange).1
    }

    /// What an exchange matched, its findings, and whether its response's
    /// documented body went unrecorded.
    fn examine(&self, exchange: &Exchange) -> (Matched, Vec<Finding>, bool) {
        let Some(target) = self.target(&exchange.request.url) else {
            return (Matched::Skipped, Vec::new(), false);
        };
        let routed = self.router.route(&exchange.request.method, &target.path);
        let preflight = exchange.request.method.eq_ignore_ascii_case("OPTIONS")
            && header(&exchange.request.headers, "access-control-request-method").is_some();
        if preflight && !matches!(routed, Routed::Operation(..)) {
            return (Matched::Preflight, Vec::new(), false);
        }
        let base = Finding {
            source: exchange.source.clone(),
            entry: exchange.entry,
            kind: Kind::Violation,
            error: true,
            operation: None,
            request: Some(format!("{} {}", exchange.request.method, target.shown)),
            place: None,
            pointer: None,
            schema: None,
            expected: None,
            found: None,
            message: String::new(),
        };
        let (operation, path_values) = match routed {
            Routed::Operation(operation, values) => (operation, values),
            Routed::MethodNotDocumented => {
                return (
                    Matched::Undocumented,
                    vec![Finding {
                        kind: Kind::UndocumentedOperation,
                        message: format!(
                            "the path is documented, but not for {}",
                            exchange.request.method
                        ),
                        ..base
                    }],
                    false,
                )
            }
            Routed::NotDocumented => {
                return (
                    Matched::Undocumented,
                    vec![Finding {
                        kind: Kind::UndocumentedOperation,
                        message: "no operation of the document has this path".into(),
                        ..base
                    }],
                    false,
                )
            }
        };
        let base = Finding {
            operation: Some(operation.operation_id.clone()),
            ..base
        };
        let mut findings = Vec::new();
        self.check_parameters(
            exchange,
            operation,
            &target,
            &path_values,
            &base,
            &mut findings,
        );
        self.check_request(exchange, operation, &base, &mut findings);
        let unrecorded_body = self.check_response(exchange, operation, &base, &mut findings);
        (
            Matched::Operation(operation.operation_id.clone()),
            findings,
            unrecorded_body,
        )
    }

    /// The request's path (still percent-encoded, so an encoded `/` stays
    /// inside its segment; a scope's path prefix taken off), its decoded
    /// query pairs, and the request line to show (secrets redacted); `None`
    /// when the run is scoped and the request was sent elsewhere.
    fn target(&self, raw: &str) -> Option<Target> {
        let relative = raw.starts_with('/');
        let parsed = if relative {
            url::Url::parse("http://recorded.invalid").and_then(|base| base.join(raw))
        } else {
            url::Url::parse(raw)
        };
        let Ok(url) = parsed else {
            if !self.scope.is_empty() {
                return None;
            }
            let path = raw.split('?').next().unwrap_or_default().to_owned();
            return Some(Target {
                shown: self.redactor.url(raw),
                path,
                query: Vec::new(),
            });
        };
        let mut path = url.path();
        if !self.scope.is_empty() {
            path = self.scope.iter().find_map(|base| {
                let same_origin = relative
                    || (base.scheme() == url.scheme()
                        && base.host_str() == url.host_str()
                        && base.port_or_known_default() == url.port_or_known_default());
                let prefix = base.path().trim_end_matches('/');
                let rest = path.strip_prefix(prefix)?;
                (same_origin && (rest.is_empty() || rest.starts_with('/'))).then_some(rest)
            })?;
        }
        let shown = match url.query() {
            Some(query) => self.redactor.url(&format!("{}?{query}", url.path())),
            None => url.path().to_owned(),
        };
        Some(Target {
            path: path.to_owned(),
            query: url.query_pairs().into_owned().collect(),
            shown,
        })
    }

    fn check_parameters(
        &self,
        exchange: &Exchange,
        operation: &Operation,
        target: &Target,
        path_values: &[(String, String)],
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        for parameter in &operation.parameters {
            let values = parameter_values(exchange, target, path_values, parameter);
            let place = format!(
                "{} parameter {}",
                parameter.location.as_str(),
                parameter.name
            );
            if values.is_empty() {
                if parameter.required {
                    findings.push(Finding {
                        kind: Kind::Violation,
                        place: Some(place.clone()),
                        message: format!(
                            "the required {} parameter `{}` is missing",
                            parameter.location.as_str(),
                            parameter.name
                        ),
                        ..base.clone()
                    });
                }
                continue;
            }
            let Some(schema) = &parameter.schema else {
                continue;
            };
            let key = SlotKey {
                operation: operation.operation_id.clone(),
                part: Part::Parameter(parameter.location, parameter.name.clone()),
            };
            let value = params::typed(self.document, &schema.value, parameter, &values);
            self.violations(&key, &value, &place, base, findings);
        }
        self.undocumented_query(operation, target, base, findings);
    }

    /// Query parameters the operation does not declare: drift, like an
    /// undocumented body member. API keys (declared by the security
    /// schemes) are documented; the values are never shown.
    fn undocumented_query(
        &self,
        operation: &Operation,
        target: &Target,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let declared: Vec<&specgate_spec::Parameter> = operation
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Query)
            .collect();
        // An exploded `form` object parameter sends its members as
        // parameters of their own: `?color=red&size=L`.
        let mut members: Vec<&str> = Vec::new();
        for parameter in &declared {
            let Some(schema) = &parameter.schema else {
                continue;
            };
            if parameter.style != ParameterStyle::Form || !parameter.explode {
                continue;
            }
            match params::object_members(self.document, &schema.value) {
                params::Members::Named(names) => members.extend(names),
                params::Members::Any => return,
                params::Members::None => {}
            }
        }
        let mut reported: Vec<&str> = Vec::new();
        for (name, _) in &target.query {
            let documented = declared.iter().any(|p| {
                p.name == *name
                    || (p.style == ParameterStyle::DeepObject
                        && name
                            .strip_prefix(p.name.as_str())
                            .is_some_and(|rest| rest.starts_with('[')))
            }) || members.contains(&name.as_str());
            if documented
                || self.redactor.is_secret_query(name)
                || reported.contains(&name.as_str())
            {
                continue;
            }
            reported.push(name);
            findings.push(Finding {
                kind: Kind::Drift,
                error: self.strict,
                place: Some(format!("query parameter {name}")),
                message: format!(
                    "`{name}` is not a parameter of this operation (sent, yet undocumented)"
                ),
                ..base.clone()
            });
        }
    }

    fn check_request(
        &self,
        exchange: &Exchange,
        operation: &'d Operation,
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
        let body = match encoding::decoded(&exchange.request.headers, body) {
            Ok(body) => body,
            Err(reason) => {
                findings.push(unreadable_body(base, "request", reason));
                return;
            }
        };
        let content_type = header(&exchange.request.headers, "content-type");
        let Some((media_type, media)) = match_media(content_type, &documented.content) else {
            findings.push(Finding {
                kind: Kind::UndocumentedMediaType,
                place: Some("request body".into()),
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
            part: Part::RequestBody(media_type.clone()),
        };
        self.check_body(&body, content_type, media, &key, base, findings);
    }

    /// Checks the response; true when it documents a body the record does
    /// not have.
    fn check_response(
        &self,
        exchange: &Exchange,
        operation: &'d Operation,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) -> bool {
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
            return false;
        };
        self.check_response_headers(exchange, operation, *key, response, base, findings);
        let documents_body = response.content.values().any(|m| m.schema.is_some())
            && may_have_body(&exchange.request.method, status);
        let sent_empty = header(&exchange.response.headers, "content-length")
            .is_some_and(|length| length.trim() == "0");
        let body = match exchange.response.body.as_deref() {
            Some(body) => body,
            None if sent_empty => &[],
            None => return documents_body,
        };
        if body.is_empty() {
            if documents_body {
                findings.push(Finding {
                    kind: Kind::Violation,
                    place: Some("response body".into()),
                    expected: Some(
                        response
                            .content
                            .keys()
                            .map(|m| Value::String(m.clone()))
                            .collect::<Vec<_>>()
                            .into(),
                    ),
                    message: "the response has no body; the document describes one".into(),
                    ..base.clone()
                });
            }
            return false;
        }
        if response.content.is_empty() {
            return false;
        }
        let content_type = header(&exchange.response.headers, "content-type");
        let Some((media_type, media)) = match_media(content_type, &response.content) else {
            findings.push(undocumented_media(base, content_type, response));
            return false;
        };
        let body = match encoding::decoded(&exchange.response.headers, body) {
            Ok(body) => body,
            Err(reason) => {
                findings.push(unreadable_body(base, "response", reason));
                return false;
            }
        };
        let key = SlotKey {
            operation: operation.operation_id.clone(),
            part: Part::ResponseBody(*key, media_type.clone()),
        };
        self.check_body(&body, content_type, media, &key, base, findings);
        false
    }

    /// Documented response headers: a required one must be sent, and a
    /// sent one must match its schema (typed like a `simple` parameter).
    fn check_response_headers(
        &self,
        exchange: &Exchange,
        operation: &Operation,
        key: specgate_spec::ResponseKey,
        response: &Response,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        for (name, documented) in &response.headers {
            // `Content-Type` is described by the media types, not here.
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let place = format!("response header {name}");
            let Some(text) = header(&exchange.response.headers, name) else {
                if documented.required {
                    findings.push(Finding {
                        kind: Kind::Violation,
                        place: Some(place),
                        message: format!("the required response header `{name}` is missing"),
                        ..base.clone()
                    });
                }
                continue;
            };
            let Some(schema) = &documented.schema else {
                continue;
            };
            let slot = SlotKey {
                operation: operation.operation_id.clone(),
                part: Part::ResponseHeader(key, name.clone()),
            };
            let value = params::header(self.document, &schema.value, text);
            self.violations(&slot, &value, &place, base, findings);
        }
    }

    /// A request or response body (which one `key` says), read as its
    /// received `Content-Type` says: JSON, a form, or multipart.
    fn check_body(
        &self,
        body: &[u8],
        content_type: Option<&str>,
        media: &'d MediaType,
        key: &SlotKey,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let (which, media_type) = match &key.part {
            Part::RequestBody(media_type) => ("request", media_type),
            Part::ResponseBody(_, media_type) => ("response", media_type),
            Part::Parameter(..) | Part::ResponseHeader(..) => return,
        };
        let Some(schema) = media.schema.as_ref() else {
            return;
        };
        let received = content_type.unwrap_or(media_type);
        let unreadable = |message: String| unreadable_body(base, which, message);
        let value: Value = match essence(received).as_str() {
            "application/x-www-form-urlencoded" => {
                form::urlencoded(self.document, &schema.value, body)
            }
            "multipart/form-data" => {
                match form::multipart(self.document, &schema.value, received, body) {
                    Ok(value) => value,
                    Err(reason) => {
                        findings.push(unreadable(format!("the {which} body: {reason}")));
                        return;
                    }
                }
            }
            _ if is_json(media_type) => match serde_json::from_slice(body) {
                Ok(value) => value,
                Err(err) => {
                    findings.push(unreadable(format!(
                        "the {which} body claims {} and is not JSON (line {}, column {}): {err}",
                        media_type,
                        err.line(),
                        err.column()
                    )));
                    return;
                }
            },
            // Other media types (text, XML, binary) have no JSON reading.
            _ => return,
        };
        let excluded = match key.part {
            Part::ResponseBody(..) => "writeOnly",
            _ => "readOnly",
        };
        let found = drift::walk_body(
            self.document,
            &self.summaries,
            &schema.value,
            &schema.origin,
            &value,
            excluded,
        );
        for drift in found {
            let pointer = drift.pointer;
            let name = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            let (kind, error, message) = match drift.found {
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
                place: Some(format!("{which} body")),
                schema: Some(self.schema_location(&drift.schema)),
                found: value.pointer(&pointer).map(truncate),
                expected: (kind == Kind::Violation).then(|| Value::String(format!("no `{name}`"))),
                message,
                pointer: Some(pointer),
                ..base.clone()
            });
        }
        self.violations(key, &value, &format!("{which} body"), base, findings);
    }

    /// Where the document wrote a schema node, as findings show it. A line
    /// costs a pass over the file, so each node's is kept: the same few
    /// schema nodes are named by finding after finding.
    fn schema_location(&self, origin: &Origin) -> SchemaLocation {
        if let Some(known) = self
            .locations
            .read()
            .ok()
            .and_then(|l| l.get(origin).cloned())
        {
            return known;
        }
        let location = self.document.location(origin);
        let location = SchemaLocation {
            file: location.file,
            pointer: location.pointer.unwrap_or_else(|| origin.pointer.clone()),
            line: location.line,
            column: location.column,
        };
        if let Ok(mut locations) = self.locations.write() {
            locations.insert(origin.clone(), location.clone());
        }
        location
    }

    /// The schema violations of a value, each with its pointer, the
    /// schema keyword's place in the document, and what it expected.
    fn violations(
        &self,
        key: &SlotKey,
        value: &Value,
        place: &str,
        base: &Finding,
        findings: &mut Vec<Finding>,
    ) {
        let Some((validator, _)) = self.schemas.get(key) else {
            return;
        };
        // Most values conform: the yes-or-no check is much cheaper than
        // collecting errors.
        if validator.is_valid(value) {
            return;
        }
        for error in validator.iter_errors(value).take(MAX_VIOLATIONS_PER_BODY) {
            let schema_path = error.schema_path().to_string();
            let instance_path = error.instance_path().to_string();
            let schema = self
                .schemas
                .origin(self.document, &schema_path)
                .map(|origin| self.schema_location(&origin));
            let found = value.pointer(&instance_path);
            findings.push(Finding {
                kind: Kind::Violation,
                place: Some(place.to_owned()),
                pointer: Some(instance_path.clone()),
                schema,
                expected: self.schemas.node(&schema_path).cloned(),
                message: shortened(error.to_string(), found),
                found: found.map(truncate),
                ..base.clone()
            });
        }
    }
}

/// Where a request went, as the checks need it.
struct Target {
    path: String,
    query: Vec<(String, String)>,
    shown: String,
}

/// The raw values a parameter was sent with: path values from routing,
/// every query pair of its name (`name[key]` ones for `deepObject`),
/// headers by case-insensitive name, cookies from `Cookie`.
fn parameter_values(
    exchange: &Exchange,
    target: &Target,
    path_values: &[(String, String)],
    parameter: &specgate_spec::Parameter,
) -> Vec<(String, String)> {
    let name = parameter.name.as_str();
    match parameter.location {
        ParameterLocation::Path => path_values
            .iter()
            .filter(|(n, _)| n == name)
            .cloned()
            .collect(),
        ParameterLocation::Query => target
            .query
            .iter()
            .filter(|(n, _)| {
                n == name
                    || (parameter.style == ParameterStyle::DeepObject
                        && n.strip_prefix(name)
                            .is_some_and(|rest| rest.starts_with('[')))
            })
            .cloned()
            .collect(),
        ParameterLocation::Header => exchange
            .request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .cloned()
            .collect(),
        ParameterLocation::Cookie => header(&exchange.request.headers, "cookie")
            .into_iter()
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(n, _)| *n == name)
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect(),
    }
}

/// A body that cannot be read: malformed, for that record alone.
fn unreadable_body(base: &Finding, which: &str, message: String) -> Finding {
    Finding {
        kind: Kind::Malformed,
        place: Some(format!("{which} body")),
        message,
        ..base.clone()
    }
}

fn undocumented_media(base: &Finding, content_type: Option<&str>, response: &Response) -> Finding {
    Finding {
        kind: Kind::UndocumentedMediaType,
        place: Some("response body".into()),
        found: content_type.map(|c| Value::String(c.to_owned())),
        expected: Some(response.content.keys().cloned().collect::<Vec<_>>().into()),
        message: format!(
            "the response body's media type {} is not documented",
            content_type.unwrap_or("(none)")
        ),
        ..base.clone()
    }
}

/// A `jsonschema` message with the value it quotes shortened as `found` is:
/// it quotes the whole value, and a `oneOf` over GitHub's event payloads
/// quoted 21 KB of one.
fn shortened(message: String, found: Option<&Value>) -> String {
    let Some(found) = found else {
        return message;
    };
    let Value::String(short) = truncate(found) else {
        return message;
    };
    let quoted = found.to_string();
    if quoted.len() <= SHOWN_VALUE_LENGTH {
        return message;
    }
    let short = if found.is_string() {
        Value::String(short).to_string()
    } else {
        short
    };
    message.replacen(&quoted, &short, 1)
}

/// The longest value shown whole in a finding, as JSON text.
const SHOWN_VALUE_LENGTH: usize = 200;

/// A found value, shortened when large: a finding names the value, it does
/// not copy the whole body.
fn truncate(value: &Value) -> Value {
    let text = value.to_string();
    if text.len() <= SHOWN_VALUE_LENGTH {
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

/// Whether HTTP lets this response have a body: not for `HEAD`, nor for
/// 1xx, 204, 205 and 304 (Chatwoot's 204 that declares one gets none).
fn may_have_body(method: &str, status: u16) -> bool {
    !method.eq_ignore_ascii_case("HEAD") && !matches!(status, 100..=199 | 204 | 205 | 304)
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
