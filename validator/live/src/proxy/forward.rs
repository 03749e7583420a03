//! One request through the proxy: forwarded upstream with its hop-by-hop
//! headers handled, its answer passed back as it streams, or a `502` or
//! `504` saying why there is none.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST, VIA};
use http::{HeaderValue, Method, Request, Response, StatusCode, Uri, Version};
use http_body::Body as _;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio_util::sync::PollSender;

use super::capture::Capture;
use super::exchange::{Pending, Shared};
use super::tee::{RequestTee, ResponseTee};
use crate::headers;

/// What the proxy answers with.
pub(crate) type ProxyBody = UnsyncBoxBody<Bytes, hyper::Error>;

/// Forwards one request and answers with the upstream's response.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    mut request: Request<Incoming>,
) -> Result<Response<ProxyBody>, Infallible> {
    let started = Instant::now();
    let upgrade = headers::wants_upgrade(request.headers());
    let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut request));
    let (mut parts, body) = request.into_parts();
    if let Some(refused) = refusal(&parts) {
        return Ok(refused);
    }
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("{}{path_and_query}", shared.prefix);
    let Ok(uri) = url.parse::<Uri>() else {
        return Ok(fault(
            StatusCode::BAD_REQUEST,
            "request-target",
            &format!("the request target `{path_and_query}` cannot be forwarded"),
        ));
    };
    headers::strip_hop_by_hop(&mut parts.headers, upgrade);
    parts.headers.insert(HOST, shared.authority.clone());
    parts
        .headers
        .append(VIA, HeaderValue::from_static("1.1 specgate"));
    parts.uri = uri;
    parts.version = Version::HTTP_11;
    let method = parts.method.clone();
    let request_headers = headers::pairs(&parts.headers);
    let request_body = Arc::new(Mutex::new(Capture::new(shared.max_body)));
    // A client that gives up before the answer drops this future, and
    // with it `pending`: the exchange still counts, as incomplete.
    let mut pending = Pending::new(
        Arc::clone(&shared),
        method.as_str().to_owned(),
        url,
        request_headers,
        Arc::clone(&request_body),
    );
    let forwarded = Request::from_parts(parts, RequestTee::new(body, Arc::clone(&request_body)));
    let sent = Instant::now();
    let answer = tokio::time::timeout(shared.timeout, shared.client.request(forwarded)).await;
    let answered = Instant::now();
    let mut response = match answer {
        Err(_) => {
            shared.counts.upstream_error("timeout");
            pending.stopped("upstream-timeout");
            let message = format!(
                "the upstream {} did not answer within {} s",
                shared.prefix,
                shared.timeout.as_secs_f64()
            );
            return Ok(fault(
                StatusCode::GATEWAY_TIMEOUT,
                "upstream-timeout",
                &message,
            ));
        }
        // The client's body broke off (a malformed chunk): its fault, and
        // whatever the upstream made of the part it got is no answer to
        // the request the client sent.
        _ if request_body.lock().is_ok_and(|body| body.failed()) => {
            shared.counts.not_checked("malformed-request");
            pending.stopped("malformed-request");
            return Ok(fault(
                StatusCode::BAD_REQUEST,
                "request-body",
                "the request body is malformed (its chunked framing, say), so it was not forwarded whole",
            ));
        }
        Ok(Err(err)) => {
            let (kind, what) = describe(&err);
            shared.counts.upstream_error(kind);
            pending.stopped(match kind {
                "refused" => "upstream-refused",
                "unreachable" => "upstream-unreachable",
                _ => "upstream-closed",
            });
            let message = format!("the upstream {} {what}", shared.prefix);
            return Ok(fault(StatusCode::BAD_GATEWAY, kind, &message));
        }
        Ok(Ok(response)) => response,
    };
    if let (Some(client_upgrade), StatusCode::SWITCHING_PROTOCOLS) =
        (client_upgrade, response.status())
    {
        let upstream_upgrade = hyper::upgrade::on(&mut response);
        shared.counts.metrics.upgrades.inc();
        shared.counts.metrics.exchanges.inc();
        shared.counts.not_checked("upgraded");
        pending.answered(101, headers::pairs(response.headers()));
        pending.stopped("upgraded");
        tokio::spawn(async move {
            if let (Ok(client), Ok(upstream)) = tokio::join!(client_upgrade, upstream_upgrade) {
                let mut client = TokioIo::new(client);
                let mut upstream = TokioIo::new(upstream);
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            }
        });
        let (mut parts, _) = response.into_parts();
        headers::strip_hop_by_hop(&mut parts.headers, true);
        return Ok(Response::from_parts(parts, empty()));
    }
    if response.status() == StatusCode::SWITCHING_PROTOCOLS {
        // A switch the client never asked for: nothing could follow it.
        shared.counts.upstream_error("unasked-upgrade");
        pending.answered(101, headers::pairs(response.headers()));
        pending.stopped("unasked-upgrade");
        return Ok(fault(
            StatusCode::BAD_GATEWAY,
            "unasked-upgrade",
            &format!(
                "the upstream {} switched protocols for a request that asked for no upgrade",
                shared.prefix
            ),
        ));
    }
    let (mut parts, body) = response.into_parts();
    // Chunked framing wins over a length (RFC 9112 §6.3); the length is
    // stale once the framing is the proxy's own.
    if parts.headers.contains_key(http::header::TRANSFER_ENCODING) {
        parts.headers.remove(http::header::CONTENT_LENGTH);
    }
    headers::strip_hop_by_hop(&mut parts.headers, false);
    let status = parts.status;
    pending.answered(status.as_u16(), headers::pairs(&parts.headers));
    let bodiless = method == Method::HEAD
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || body.is_end_stream();
    let added = (sent - started) + answered.elapsed();
    shared
        .counts
        .metrics
        .added_latency
        .observe(added.as_secs_f64());
    if bodiless {
        pending.complete_now().await;
        return Ok(Response::from_parts(parts, empty()));
    }
    let recording = shared.recording.clone().map(PollSender::new);
    let body = ResponseTee::new(body, pending, recording, shared.max_body);
    Ok(Response::from_parts(parts, body.boxed_unsync()))
}

/// A request the proxy refuses to forward, as a gateway must (RFC 9110,
/// 9112): one only it can mean (`CONNECT`, `OPTIONS *`), one with no
/// `Host` or two, and a path with dot segments, which would climb out of
/// the upstream's path prefix.
fn refusal(parts: &http::request::Parts) -> Option<Response<ProxyBody>> {
    if parts.method == Method::CONNECT {
        return Some(fault(
            StatusCode::METHOD_NOT_ALLOWED,
            "request-target",
            "CONNECT is not forwarded: this proxy speaks for one upstream",
        ));
    }
    let path = parts.uri.path();
    if !path.starts_with('/') {
        return Some(fault(
            StatusCode::BAD_REQUEST,
            "request-target",
            &format!("the request target `{path}` is not a path, and is not forwarded"),
        ));
    }
    let dotted = path.split('/').any(|segment| {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        decoded == "." || decoded == ".."
    });
    if dotted {
        return Some(fault(
            StatusCode::BAD_REQUEST,
            "request-target",
            "a path with `.` or `..` segments is not forwarded",
        ));
    }
    let hosts = parts.headers.get_all(HOST).iter().count();
    let needs_host = parts.version == Version::HTTP_11;
    if hosts > 1 || (needs_host && hosts == 0 && parts.uri.authority().is_none()) {
        return Some(fault(
            StatusCode::BAD_REQUEST,
            "host",
            "an HTTP/1.1 request needs exactly one Host header",
        ));
    }
    None
}

fn empty() -> ProxyBody {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// The proxy's own answer when the upstream gave none: plain text saying
/// what happened, and `X-Specgate-Error` naming it for programs.
fn fault(status: StatusCode, kind: &'static str, message: &str) -> Response<ProxyBody> {
    let body = Full::new(Bytes::from(format!("specgate proxy: {message}\n")))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert("x-specgate-error", HeaderValue::from_static(kind));
    response
}

/// Why the upstream gave no answer: a short id and the words for it.
fn describe(error: &hyper_util::client::legacy::Error) -> (&'static str, String) {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    let mut io_kind = None;
    let mut innermost = error.to_string();
    while let Some(err) = cause {
        innermost = err.to_string();
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            io_kind = Some(io.kind());
        }
        cause = err.source();
    }
    if error.is_connect() {
        return match io_kind {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                ("refused", "refused the connection".to_owned())
            }
            _ => ("unreachable", format!("could not be reached ({innermost})")),
        };
    }
    (
        "closed",
        format!("closed the connection before answering ({innermost})"),
    )
}
