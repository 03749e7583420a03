//! The checks of one exchange against the document: routing here, then
//! the request's parameters ([`parameters`]) and body ([`request`]), the
//! response's status, headers and body ([`response`]); bodies are read and
//! checked in [`body`], and schema failures become findings in
//! [`violations`].

mod body;
mod parameters;
mod request;
mod response;
mod target;
mod violations;

use std::collections::HashMap;
use std::sync::RwLock;

use specgate_spec::{Document, Origin};

use crate::drift;
use crate::error::Error;
use crate::exchange::{header, Exchange, Request, Response};
use crate::finding::{Finding, Kind, SchemaLocation};
use crate::input::Record;
use crate::observe::{BodyKey, Gap, Observations, Observed};
use crate::redact::Redactor;
use crate::route::{Routed, Router};
use crate::schemas::Schemas;

/// One record, checked. Its JSON form (without `observed`) is how a
/// result travels between processes (`specgate-nats`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checked {
    /// The input it was read from.
    pub source: String,
    /// Its 0-based place in that input.
    pub entry: usize,
    /// The operation it matched, or why none.
    pub operation: Matched,
    /// Its findings, in the order found.
    pub findings: Vec<Finding>,
    /// The response documents a body, and the record has none (a HAR entry
    /// without `content.text`: browsers and Playwright keep only the bodies
    /// the page read), so it was not checked.
    pub unrecorded_body: bool,
    /// What it showed, when the validator observes
    /// ([`Validator::observing`]); empty otherwise. Not serialized: its
    /// keys are this process's schema nodes ([`crate::stored`] carries
    /// it described instead).
    #[serde(skip)]
    pub observed: Observed,
}

/// The findings of one exchange as its checks collect them, and, when the
/// run observes, what the exchange showed.
pub(crate) struct Findings {
    list: Vec<Finding>,
    observed: Option<Observed>,
}

impl Findings {
    fn new(observing: bool) -> Self {
        Findings {
            list: Vec::new(),
            observed: observing.then(Observed::default),
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        self.list.push(finding);
    }

    /// Where observations go, when the run observes.
    pub(crate) fn observed(&mut self) -> Option<&mut Observed> {
        self.observed.as_mut()
    }
}

/// What a record matched in the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Matched {
    /// The operationId.
    Operation(String),
    /// No operation has its method and path.
    Undocumented,
    /// The record could not be read.
    Malformed,
    /// Sent to none of the base URLs the run is scoped to: not checked.
    Skipped,
    /// A request recorded without a whole response: nothing to check.
    Unanswered,
    /// A browser's CORS preflight (`OPTIONS` with
    /// `Access-Control-Request-Method`) where the document has no `OPTIONS`
    /// operation: the browser's doing, not the API client's; not checked.
    Preflight,
}

/// A document, compiled for checking exchanges. Build it once and share
/// it: checks take `&self` and may run on many threads at once.
pub struct Validator<'d> {
    document: &'d Document,
    router: Router<'d>,
    schemas: Schemas,
    redactor: Redactor,
    formats: crate::Formats,
    strict: bool,
    observing: bool,
    summaries: drift::Summaries<'d>,
    /// Schema locations already computed, by node.
    locations: RwLock<HashMap<Origin, SchemaLocation>>,
    /// When not empty, only exchanges sent below one of these are checked.
    scope: Vec<url::Url>,
}

/// Which halves of an exchange a check covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Halves {
    Request,
    Response,
    Both,
}

impl<'d> Validator<'d> {
    /// Registers the document's schemas (each is compiled on first use).
    pub fn new(document: &'d Document) -> Result<Self, Error> {
        Self::with_formats(document, crate::Formats::Assert)
    }

    /// [`Validator::new`], reading `format` as asked: asserted, or only an
    /// annotation (`specgate validate --formats annotate`).
    pub fn with_formats(document: &'d Document, formats: crate::Formats) -> Result<Self, Error> {
        Ok(Validator {
            document,
            router: Router::new(document),
            schemas: Schemas::compile(document, formats)?,
            redactor: Redactor::new(document),
            formats,
            strict: false,
            observing: false,
            summaries: drift::Summaries::new(),
            locations: RwLock::default(),
            scope: Vec::new(),
        })
    }

    /// Whether one schema of an operation accepts a value, as exchanges are
    /// checked (integer formats as ranges, discriminators dispatched): a
    /// part the operation has without a schema accepts anything; `None`
    /// when the operation has no such part or its schema cannot be
    /// compiled. How `specgate diff` confirms a witness.
    pub fn accepts(
        &self,
        operation_id: &str,
        part: &specgate_spec::SchemaPart,
        value: &serde_json::Value,
    ) -> Option<bool> {
        let key = crate::schemas::SlotKey {
            operation: operation_id.to_owned(),
            part: part.clone(),
        };
        if !self.schemas.has(&key) {
            // A part the operation has without a schema takes anything.
            use specgate_spec::SchemaPart as P;
            let operation = self
                .document
                .operations
                .iter()
                .find(|op| op.operation_id == operation_id)?;
            let exists = match part {
                P::RequestBody(media) => operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key(media)),
                P::ResponseBody(status, media) => operation
                    .responses
                    .get(status)
                    .is_some_and(|response| response.content.contains_key(media)),
                P::Parameter(location, name) => operation
                    .parameters
                    .iter()
                    .any(|p| p.location == *location && p.name == *name),
                P::ResponseHeader(status, name) => operation
                    .responses
                    .get(status)
                    .is_some_and(|response| response.headers.contains_key(name)),
            };
            return exists.then_some(true);
        }
        let (compiled, _) = self.schemas.get(&key)?;
        Some(compiled.is_valid(value))
    }

    /// What makes this validator's results comparable with another's: the
    /// document's text ([`Validator::document_fingerprint`]) and every
    /// setting that changes a result. Results stored by other processes
    /// ([`crate::stored`]) merge only when their fingerprints are equal.
    pub fn fingerprint(&self) -> String {
        let mut redacted = self.redactor.names();
        redacted.sort();
        let settings = format!(
            "{:?}\0{}\0{}\0{:?}\0{:?}",
            self.formats,
            self.strict,
            self.observing,
            self.scope.iter().map(url::Url::as_str).collect::<Vec<_>>(),
            redacted
        );
        self.document_fingerprint() + &crate::stored::hash(settings.as_bytes())
    }

    /// The part of [`Validator::fingerprint`] that says which document:
    /// its files' text.
    pub fn document_fingerprint(&self) -> String {
        let mut text = Vec::new();
        for file in self.document.files() {
            text.extend_from_slice(file.text().as_bytes());
            text.push(0);
        }
        crate::stored::hash(&text)
    }

    /// Also redacts these headers, query parameters and form fields, as
    /// secrets, in everything it reports (`--redact NAME`).
    pub fn redacting(mut self, names: &[String]) -> Self {
        self.redactor = self.redactor.with_names(names);
        self
    }

    /// With `strict`, drift (members the document does not mention) is a
    /// violation, not a warning.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// With `observing`, each [`Checked`] also carries what its exchange
    /// showed (the types, enum values and members of its bodies, and the
    /// bodies the document does not describe), for the drift report: see
    /// [`Validator::observations`]. Costs a walk over every value.
    pub fn observing(mut self, observing: bool) -> Self {
        self.observing = observing;
        self
    }

    /// What the exchanges merged into `observed` showed, naming the
    /// document's places.
    pub fn observations(&self, observed: &Observed) -> Observations {
        self.summaries.describe(observed, false)
    }

    /// [`Validator::observations`] to be merged with others' (a stored
    /// result): every site's counts, also where values agreed with it, so
    /// that the merged counts are the run's.
    /// [`Observations::keep_disagreeing`] then drops what agreed.
    pub fn observations_to_merge(&self, observed: &Observed) -> Observations {
        self.summaries.describe(observed, true)
    }

    /// Checks only exchanges sent below one of `base_urls` (scheme, host,
    /// port, path prefix; a recorded path alone is compared by its path),
    /// with that path prefix taken off before matching; the others are
    /// skipped. A browser's HAR holds requests to fonts and analytics too.
    pub fn scope(mut self, base_urls: Vec<url::Url>) -> Self {
        self.scope = base_urls;
        self
    }

    /// The schema keywords that exchanges needed but the engine could not
    /// compile (a `pattern` its regular expressions do not support), each
    /// where the document wrote it and why: that keyword went unchecked,
    /// and the rest of its schema was still checked. One keyword is named
    /// once, however many operations share it.
    pub fn schema_problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = Vec::new();
        for (origin, reason) in self.schemas.problems() {
            let problem = format!(
                "{}: this keyword cannot be compiled, so it was not checked (the rest of its schema was): {reason}",
                self.document.location(origin)
            );
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        problems
    }

    /// The document this validator checks against.
    pub fn document(&self) -> &'d Document {
        self.document
    }

    /// Whether the document has the path of `url` (for some method): what
    /// tells a `405` from a `404` for a request no operation matches.
    pub fn documents_path(&self, url: &str) -> bool {
        self.target(url).is_some_and(|target| {
            !matches!(
                self.router.route("GET", &target.path),
                Routed::NotDocumented
            )
        })
    }

    /// The methods the document describes at the path of `url`, in the
    /// order HTTP lists them: a `405`'s `Allow` header.
    pub fn allowed_methods(&self, url: &str) -> Vec<&'static str> {
        const METHODS: [&str; 8] = [
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
        ];
        let Some(target) = self.target(url) else {
            return Vec::new();
        };
        METHODS
            .into_iter()
            .filter(|method| {
                matches!(
                    self.router.route(method, &target.path),
                    Routed::Operation(..)
                )
            })
            .collect()
    }

    /// The secrets of this document's traffic (`Authorization`, cookies,
    /// its API keys): what a recording or a report must never show.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// One record checked: the operation it matched and its findings, or
    /// why it could not be read.
    pub fn check_record(&self, record: Record) -> Checked {
        match record {
            Record::Exchange(exchange) => {
                let (operation, findings, unrecorded_body) = self.examine(
                    &exchange.source,
                    exchange.entry,
                    &exchange.request,
                    Some(&exchange.response),
                    Halves::Both,
                );
                Checked {
                    source: exchange.source,
                    entry: exchange.entry,
                    operation,
                    findings: findings.list,
                    unrecorded_body,
                    observed: findings.observed.unwrap_or_default(),
                }
            }
            Record::Unanswered { source, entry, url } => Checked {
                entry,
                operation: match self.target(&url) {
                    Some(_) => Matched::Unanswered,
                    None => Matched::Skipped,
                },
                findings: Vec::new(),
                source,
                unrecorded_body: false,
                observed: Observed::default(),
            },
            Record::Malformed {
                source,
                entry,
                reason,
            } => Checked {
                entry,
                operation: Matched::Malformed,
                findings: vec![Finding::malformed(source.clone(), entry, reason)],
                source,
                unrecorded_body: false,
                observed: Observed::default(),
            },
        }
    }

    /// Every finding for one exchange.
    pub fn check(&self, exchange: &Exchange) -> Vec<Finding> {
        self.examine(
            &exchange.source,
            exchange.entry,
            &exchange.request,
            Some(&exchange.response),
            Halves::Both,
        )
        .1
        .list
    }

    /// A request checked before its response exists (a proxy's view): the
    /// operation it matched and the findings of the request alone
    /// (routing, parameters, body). [`Validator::check_response`] later
    /// adds the response's, so nothing is reported twice.
    pub fn check_request(&self, source: &str, entry: usize, request: &Request) -> Checked {
        let (operation, findings, _) = self.examine(source, entry, request, None, Halves::Request);
        Checked {
            source: source.to_owned(),
            entry,
            operation,
            findings: findings.list,
            unrecorded_body: false,
            observed: findings.observed.unwrap_or_default(),
        }
    }

    /// The response's findings (status, headers, body) for a request that
    /// [`Validator::check_request`] checked.
    pub fn check_response(
        &self,
        source: &str,
        entry: usize,
        request: &Request,
        response: &Response,
    ) -> Checked {
        let (operation, findings, unrecorded_body) =
            self.examine(source, entry, request, Some(response), Halves::Response);
        Checked {
            source: source.to_owned(),
            entry,
            operation,
            findings: findings.list,
            unrecorded_body,
            observed: findings.observed.unwrap_or_default(),
        }
    }

    /// What an exchange matched, the findings of the halves asked for, and
    /// whether its response's documented body went unrecorded.
    fn examine(
        &self,
        source: &str,
        entry: usize,
        request: &Request,
        response: Option<&Response>,
        halves: Halves,
    ) -> (Matched, Findings, bool) {
        let mut findings = Findings::new(self.observing);
        let Some(target) = self.target(&request.url) else {
            return (Matched::Skipped, findings, false);
        };
        let routed = self.router.route(&request.method, &target.path);
        let preflight = request.method.eq_ignore_ascii_case("OPTIONS")
            && header(&request.headers, "access-control-request-method").is_some();
        if preflight && !matches!(routed, Routed::Operation(..)) {
            return (Matched::Preflight, findings, false);
        }
        let base = Finding {
            source: source.to_owned(),
            entry,
            kind: Kind::Violation,
            error: true,
            operation: None,
            request: Some(format!("{} {}", request.method, target.shown)),
            place: None,
            pointer: None,
            schema: None,
            expected: None,
            found: None,
            keyword: None,
            member: None,
            message: String::new(),
        };
        let (operation, path_values) = match routed {
            Routed::Operation(operation, values) => (operation, values),
            Routed::MethodNotDocumented(_) | Routed::NotDocumented => {
                let (path, path_documented) = match routed {
                    Routed::MethodNotDocumented(template) => (template.to_owned(), true),
                    _ => {
                        let relative = self.router.relative(&target.path);
                        (crate::observe::path_template(relative), false)
                    }
                };
                if let Some(response) = response.filter(|_| halves != Halves::Request) {
                    let key = BodyKey {
                        gap: Gap::Operation,
                        method: request.method.to_ascii_uppercase(),
                        path,
                        path_documented,
                        operation: None,
                        status: response.status,
                        media: None,
                    };
                    self.observe_body(key, Some(request), response, &base, &mut findings);
                }
                // Routing is the request's: reported with it, once.
                if halves == Halves::Response {
                    return (Matched::Undocumented, findings, false);
                }
                let message = if path_documented {
                    format!("the path is documented, but not for {}", request.method)
                } else {
                    "no operation of the document has this path".into()
                };
                findings.push(Finding {
                    kind: Kind::UndocumentedOperation,
                    message,
                    ..base
                });
                return (Matched::Undocumented, findings, false);
            }
        };
        let base = Finding {
            operation: Some(operation.operation_id.clone()),
            ..base
        };
        let request_findings = findings.list.len();
        if halves != Halves::Response {
            self.check_parameters(
                request,
                operation,
                &target,
                &path_values,
                &base,
                &mut findings,
            );
            self.check_request_body(request, operation, &base, &mut findings);
            if let Some(status) = response
                .map(|r| r.status)
                .filter(|s| (400..500).contains(s))
            {
                rejected(&mut findings.list[request_findings..], status);
            }
        }
        let mut unrecorded_body = false;
        if let (Some(response), true) = (response, halves != Halves::Request) {
            unrecorded_body = self.check_answer(request, response, operation, &base, &mut findings);
        }
        (
            Matched::Operation(operation.operation_id.clone()),
            findings,
            unrecorded_body,
        )
    }
}

/// A request the server refused with a 4xx did what the document says:
/// its violations are still shown, as warnings, so that a client's bad
/// requests do not fail a run the server handled correctly.
fn rejected(findings: &mut [Finding], status: u16) {
    for finding in findings
        .iter_mut()
        .filter(|f| f.kind == Kind::Violation && f.error)
    {
        finding.error = false;
        finding.message = format!(
            "{} (the server rejected the request with {status})",
            finding.message
        );
    }
}
