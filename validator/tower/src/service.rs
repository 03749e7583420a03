//! The service the layer wraps around another: each request checked before
//! the inner service sees it (enforce) or copied on its way (report), each
//! response checked before it leaves (enforce) or after (report).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body::Body;
use specgate_validator::{Finding, Matched};
use tower_service::Service;

use crate::body::{read_bounded, CheckedBody, Copy, Read, SharedBytes};
use crate::config::{Mode, Shared};
use crate::problem::Problem;
use crate::reporter::{Halves, Slot};
use crate::BoxError;

/// A service behind a [`crate::SpecgateLayer`].
#[derive(Clone)]
pub struct SpecgateService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> SpecgateService<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        SpecgateService { inner, shared }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, RB> Service<Request<B>> for SpecgateService<S>
where
    S: Service<Request<CheckedBody<B>>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send,
    B: Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: Into<BoxError>,
    RB: Body<Data = Bytes> + Send + Unpin + 'static,
    RB::Error: Into<BoxError>,
{
    type Response = Response<CheckedBody<RB>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone that was made ready is the one that serves this call.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(handle(Arc::clone(&self.shared), inner, request))
    }
}

/// The request as the validator reads it, without its body.
fn validator_request(parts: &http::request::Parts) -> specgate_validator::Request {
    specgate_validator::Request {
        method: parts.method.as_str().to_owned(),
        url: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        headers: pairs(&parts.headers),
        body: None,
    }
}

fn pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// A body the layer does not try to read whole: a stream of events.
fn is_streamed(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("text/event-stream"))
}

/// What became of the request on its way in.
enum Inbound<B> {
    /// Refused: this is the answer.
    Refused(Response<Bytes>),
    /// Passed on; what the response's check needs to know.
    Passed {
        request: Request<CheckedBody<B>>,
        checked: RequestState,
    },
}

/// How far the request was checked, for the response's turn.
enum RequestState {
    /// Not to be checked again, nor its response (excluded).
    Excluded,
    /// Checked already (enforce), or not checkable (too large).
    Done,
    /// To be checked with the response (report): its body's copy, and its
    /// place in the queue, taken before anything was copied.
    Copied(SharedBytes, Slot),
    /// Not to be checked (not sampled, or the layer is behind): counted
    /// already, and nothing of it or its response is copied.
    Skipped,
}

async fn handle<S, B, RB>(
    shared: Arc<Shared>,
    mut inner: S,
    request: Request<B>,
) -> Result<Response<CheckedBody<RB>>, S::Error>
where
    S: Service<Request<CheckedBody<B>>, Response = Response<RB>>,
    B: Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: Into<BoxError>,
    RB: Body<Data = Bytes> + Send + Unpin + 'static,
    RB::Error: Into<BoxError>,
{
    shared.metrics.exchanges.inc();
    let (parts, body) = request.into_parts();
    let mut seen = validator_request(&parts);
    let inbound = inbound(&shared, parts, body, &mut seen).await;
    let (request, state) = match inbound {
        Inbound::Refused(refusal) => return Ok(refusal.map(CheckedBody::whole)),
        Inbound::Passed { request, checked } => (request, checked),
    };
    let response = inner.call(request).await?;
    Ok(outbound(shared, seen, state, response).await)
}

/// The request's turn: excluded, refused, or passed on (read whole and
/// checked in enforce mode; copied as it streams in report mode).
async fn inbound<B>(
    shared: &Shared,
    parts: http::request::Parts,
    body: B,
    seen: &mut specgate_validator::Request,
) -> Inbound<B>
where
    B: Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: Into<BoxError>,
{
    let settings = &shared.settings;
    if shared.excluded_path(parts.uri.path()) {
        shared.metrics.not_checked("excluded");
        return Inbound::Passed {
            request: Request::from_parts(parts, CheckedBody::untouched(body)),
            checked: RequestState::Excluded,
        };
    }
    match settings.requests {
        Mode::Enforce => {}
        Mode::Report => {
            // Taken before anything is copied: a layer that is behind, or
            // an exchange outside the sample, costs nothing but a count.
            let slot = if shared.reporter.sampled() {
                shared.reporter.reserve().ok_or("validation-behind")
            } else {
                Err("not-sampled")
            };
            let slot = match slot {
                Ok(slot) => slot,
                Err(reason) => {
                    shared.metrics.not_checked(reason);
                    return Inbound::Passed {
                        request: Request::from_parts(parts, CheckedBody::untouched(body)),
                        checked: RequestState::Skipped,
                    };
                }
            };
            if body.is_end_stream() {
                // No body to copy (a GET): whole already, whether or not
                // the service reads it.
                let copy: SharedBytes = Arc::new(std::sync::Mutex::new(Some(Some(Vec::new()))));
                return Inbound::Passed {
                    request: Request::from_parts(parts, CheckedBody::untouched(body)),
                    checked: RequestState::Copied(copy, slot),
                };
            }
            let copy: SharedBytes = Arc::default();
            let sink = Arc::clone(&copy);
            let body = CheckedBody::copied(
                body,
                Copy::new(settings.max_body, move |bytes| {
                    if let Ok(mut slot) = sink.lock() {
                        *slot = Some(bytes);
                    }
                }),
            );
            return Inbound::Passed {
                request: Request::from_parts(parts, body),
                checked: RequestState::Copied(copy, slot),
            };
        }
        Mode::Off => {
            return Inbound::Passed {
                request: Request::from_parts(parts, CheckedBody::untouched(body)),
                checked: RequestState::Done,
            }
        }
    }
    let body = match read_bounded(body, settings.max_body).await {
        Read::Whole(bytes) => bytes,
        Read::TooLarge { prefix, rest } => {
            shared.metrics.not_checked("body-too-large");
            return Inbound::Passed {
                request: Request::from_parts(parts, CheckedBody::prefixed(prefix, rest)),
                checked: RequestState::Done,
            };
        }
        Read::Broken(err) => {
            shared.metrics.not_checked("malformed-request");
            let refusal = Response::builder()
                .status(StatusCode::BAD_REQUEST)
                .body(Bytes::from(format!(
                    "the request body could not be read: {err}"
                )))
                .unwrap_or_default();
            return Inbound::Refused(refusal);
        }
    };
    seen.body = (!body.is_empty()).then(|| body.to_vec());
    let validator = &settings.validator;
    let mut checked = validator.check_request("<layer>", 0, seen);
    if let Matched::Operation(id) = &checked.operation {
        if settings.excluded_operations.contains(id) {
            shared.metrics.not_checked("excluded");
            seen.body = None;
            return Inbound::Passed {
                request: Request::from_parts(parts, CheckedBody::whole(body)),
                checked: RequestState::Excluded,
            };
        }
        if let Some(missing) = crate::security::missing_credential(validator.document(), id, seen) {
            checked.findings.push(missing);
        }
    }
    // The validator has redacted the request line's secrets already.
    let findings = checked.findings;
    shared.report(&findings);
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.error).collect();
    if !errors.is_empty() {
        let documented = validator.documents_path(&seen.url);
        let status = crate::problem::request_status(&errors, documented);
        shared.metrics.rejected(status.as_u16());
        let problem = Problem::request(status, parts.uri.path(), &errors);
        let mut refusal = shared.refusal(problem);
        if status == StatusCode::METHOD_NOT_ALLOWED {
            // RFC 9110 §15.5.6: a 405 names the methods that are allowed.
            let allowed = validator.allowed_methods(&seen.url).join(", ");
            if let Ok(value) = http::HeaderValue::from_str(&allowed) {
                refusal.headers_mut().insert(http::header::ALLOW, value);
            }
        }
        return Inbound::Refused(refusal);
    }
    Inbound::Passed {
        request: Request::from_parts(parts, CheckedBody::whole(body)),
        checked: RequestState::Done,
    }
}

/// The response's turn: passed on, checked whole (enforce) or copied and
/// queued for checking (report).
async fn outbound<RB>(
    shared: Arc<Shared>,
    mut seen: specgate_validator::Request,
    state: RequestState,
    response: Response<RB>,
) -> Response<CheckedBody<RB>>
where
    RB: Body<Data = Bytes> + Send + Unpin + 'static,
    RB::Error: Into<BoxError>,
{
    let settings = &shared.settings;
    let status = response.status().as_u16();
    if matches!(state, RequestState::Skipped) {
        return response.map(CheckedBody::untouched);
    }
    if matches!(state, RequestState::Excluded) || settings.excluded_statuses.contains(&status) {
        if !matches!(state, RequestState::Excluded) {
            shared.metrics.not_checked("excluded");
        }
        return response.map(CheckedBody::untouched);
    }
    if is_streamed(response.headers()) {
        shared.metrics.not_checked("streamed");
        return response.map(CheckedBody::untouched);
    }
    let (parts, body) = response.into_parts();
    let halves = match &state {
        RequestState::Copied(..) => Halves::Both,
        _ => Halves::Response,
    };
    let mode = match (settings.responses, halves) {
        // The request is still to be checked: with its response, off the
        // request's path, whatever the responses' mode.
        (Mode::Off | Mode::Enforce, Halves::Both) => Mode::Report,
        (mode, _) => mode,
    };
    match mode {
        Mode::Off => Response::from_parts(parts, CheckedBody::untouched(body)),
        Mode::Enforce => enforce_response(&shared, &seen, parts, body).await,
        Mode::Report => {
            let (request_copy, slot) = match state {
                // Sampled and given its place on the way in.
                RequestState::Copied(copy, slot) => (Some(copy), slot),
                _ => {
                    if !shared.reporter.sampled() {
                        shared.metrics.not_checked("not-sampled");
                        return Response::from_parts(parts, CheckedBody::untouched(body));
                    }
                    // Behind: nothing is copied that could not be checked.
                    let Some(slot) = shared.reporter.reserve() else {
                        shared.metrics.not_checked("validation-behind");
                        return Response::from_parts(parts, CheckedBody::untouched(body));
                    };
                    (None, slot)
                }
            };
            let status = parts.status.as_u16();
            let headers = pairs(&parts.headers);
            let reporting = Arc::clone(&shared);
            // A body with nothing to read (a 204's, a HEAD's: the server
            // sends none) is never polled: its exchange is complete now.
            let empty = body.is_end_stream()
                || seen.method.eq_ignore_ascii_case("HEAD")
                || matches!(status, 204 | 304);
            let mut copy = Copy::new(settings.max_body, move |bytes| {
                let Some(body) = bytes else {
                    reporting.metrics.not_checked("incomplete-or-too-large");
                    return;
                };
                if let Some(copy) = request_copy {
                    match copy.lock().ok().and_then(|mut slot| slot.take()) {
                        Some(Some(bytes)) => seen.body = (!bytes.is_empty()).then_some(bytes),
                        Some(None) => {
                            reporting.metrics.not_checked("incomplete-or-too-large");
                            return;
                        }
                        // The service answered without reading the request
                        // body whole: what it was is not known, and a
                        // request is never checked without it.
                        None => {
                            reporting.metrics.not_checked("request-body-unread");
                            return;
                        }
                    }
                }
                let response = specgate_validator::Response {
                    status,
                    headers,
                    body: (!body.is_empty()).then_some(body),
                };
                if !reporting.reporter.offer(slot, seen, response, halves) {
                    reporting.metrics.not_checked("validation-behind");
                }
            });
            if empty {
                copy.finish(true);
                return Response::from_parts(parts, CheckedBody::untouched(body));
            }
            Response::from_parts(parts, CheckedBody::copied(body, copy))
        }
    }
}

/// A response read whole and checked before it leaves: passed on as it
/// was, or replaced by a `500` problem naming what breaks the document.
async fn enforce_response<RB>(
    shared: &Shared,
    seen: &specgate_validator::Request,
    parts: http::response::Parts,
    body: RB,
) -> Response<CheckedBody<RB>>
where
    RB: Body<Data = Bytes> + Send + Unpin + 'static,
    RB::Error: Into<BoxError>,
{
    let bytes = match read_bounded(body, shared.settings.max_body).await {
        Read::Whole(bytes) => bytes,
        Read::TooLarge { prefix, rest } => {
            shared.metrics.not_checked("body-too-large");
            return Response::from_parts(parts, CheckedBody::prefixed(prefix, rest));
        }
        Read::Broken(err) => {
            // The service's own body broke: nothing whole to check or send.
            shared.metrics.not_checked("incomplete");
            let problem = Problem {
                problem_type: "urn:specgate:response-broke-off".into(),
                title: "The service's response broke off".into(),
                status: 500,
                detail: err.to_string(),
                instance: seen.url.split('?').next().unwrap_or_default().to_owned(),
                violations: Vec::new(),
            };
            return shared.refusal(problem).map(CheckedBody::whole);
        }
    };
    let response = specgate_validator::Response {
        status: parts.status.as_u16(),
        headers: pairs(&parts.headers),
        body: (!bytes.is_empty()).then(|| bytes.to_vec()),
    };
    let checked = shared
        .settings
        .validator
        .check_response("<layer>", 0, seen, &response);
    if let Matched::Operation(id) = &checked.operation {
        if shared.settings.excluded_operations.contains(id) {
            shared.metrics.not_checked("excluded");
            return Response::from_parts(parts, CheckedBody::whole(bytes));
        }
    }
    shared.metrics.checked.inc();
    shared.report(&checked.findings);
    let errors: Vec<&Finding> = checked.findings.iter().filter(|f| f.error).collect();
    if errors.is_empty() {
        return Response::from_parts(parts, CheckedBody::whole(bytes));
    }
    shared.metrics.rejected(500);
    let path = seen.url.split('?').next().unwrap_or_default();
    shared
        .refusal(Problem::response(response.status, path, &errors))
        .map(CheckedBody::whole)
}
