//! A Chatwoot-like upstream on loopback for the proxy's tests and
//! benchmark: the list-conversations endpoint with a 44 KB page of
//! recorded conversations, and, chosen by the request's `x-fixture`
//! header, the ways real servers answer: `gzip` (compressed, streamed),
//! `chunked` (streamed in 1 KB chunks without a length), `large` (an 8 MB
//! page), `small` (an empty account's page, which conforms), `drift` (a status the document does not list), `reset` (the
//! connection cut in the middle of the body), `slow` (three seconds
//! before answering); and `/echo`, which switches protocols on `Upgrade`
//! and echoes every byte.
//!
//! `cargo run --release -p specgate-live --example upstream [ADDR]`
//! serves until killed; tests include this file and call [`spawn`].
#![allow(dead_code)]
// A fixture: a server that cannot start has nothing to do but stop.
#![allow(clippy::expect_used, clippy::new_without_default)]

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// The bodies served.
pub struct Pages {
    /// About 44 KB: the recorded page's conversations, repeated.
    pub list: Bytes,
    /// The same with one conversation `snoozed`, a status the document
    /// does not list.
    pub drift: Bytes,
    /// About 8 MB.
    pub large: Bytes,
    /// `list`, gzip-compressed.
    pub gzip: Bytes,
    /// An empty account's page, as recorded: it conforms.
    pub small: Bytes,
}

impl Pages {
    pub fn new() -> Pages {
        let recorded = |index: usize| -> serde_json::Value {
            let record = specgate_validator::CHATWOOT_RECORDINGS
                .lines()
                .nth(index)
                .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .unwrap_or_default();
            record["response"]["body"]
                .as_str()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default()
        };
        let body = recorded(0);
        let page = |bytes: usize, drift: bool| {
            let mut page = body.clone();
            let conversations = page["data"]["payload"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let each = serde_json::to_vec(&conversations).map_or(1, |v| v.len().max(1));
            let mut payload = Vec::new();
            for _ in 0..bytes.div_ceil(each) {
                payload.extend(conversations.iter().cloned());
            }
            if drift {
                payload[0]["status"] = "snoozed".into();
            }
            page["data"]["payload"] = payload.into();
            Bytes::from(serde_json::to_vec(&page).unwrap_or_default())
        };
        let list = page(44 * 1024, false);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = encoder.write_all(&list);
        let gzip = Bytes::from(encoder.finish().unwrap_or_default());
        Pages {
            drift: page(44 * 1024, true),
            large: page(8 * 1024 * 1024, false),
            small: Bytes::from(serde_json::to_vec(&recorded(4)).unwrap_or_default()),
            list,
            gzip,
        }
    }
}

/// Starts serving on `address` (port 0: any) on a thread of its own and
/// returns where.
pub fn spawn(address: SocketAddr) -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    let pages = Arc::new(Pages::new());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .expect("a port");
            sender
                .send(listener.local_addr().expect("an address"))
                .expect("the caller waits");
            serve(listener, pages).await;
        });
    });
    receiver.recv().expect("the server started")
}

async fn serve(listener: tokio::net::TcpListener, pages: Arc<Pages>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let pages = Arc::clone(&pages);
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(Arc::clone(&pages), request));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// `bytes` in chunks of `size`, then, with `cut`, an error instead of the end.
fn streamed(bytes: Bytes, size: usize, cut: bool) -> Body {
    let mut chunks: Vec<Result<Frame<Bytes>, std::io::Error>> = bytes
        .chunks(size)
        .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
        .collect();
    if !cut {
        return StreamBody::new(futures_util::stream::iter(chunks)).boxed_unsync();
    }
    // Two chunks, a pause so that they reach the client, then the cut.
    chunks.truncate(2);
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        Err(std::io::Error::other("cut"))
    });
    StreamBody::new(futures_util::StreamExt::chain(
        futures_util::stream::iter(chunks),
        cut,
    ))
    .boxed_unsync()
}

async fn answer(
    pages: Arc<Pages>,
    mut request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    if request.uri().path() == "/echo" && request.headers().contains_key("upgrade") {
        // Switches to a protocol that echoes every byte back.
        let upgrade = hyper::upgrade::on(&mut request);
        tokio::spawn(async move {
            if let Ok(upgraded) = upgrade.await {
                let (mut reading, mut writing) = tokio::io::split(TokioIo::new(upgraded));
                let _ = tokio::io::copy(&mut reading, &mut writing).await;
            }
        });
        let response = Response::builder()
            .status(hyper::StatusCode::SWITCHING_PROTOCOLS)
            .header("connection", "upgrade")
            .header("upgrade", "echo")
            .body(full(Bytes::new()))
            .expect("a response");
        return Ok(response);
    }
    let fixture = request
        .headers()
        .get("x-fixture")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let path = request.uri().path().to_owned();
    // Request bodies are read whole and echoed in a header, so tests see
    // what arrived.
    let received = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().len())
        .unwrap_or(0);
    let json = |body: Body| {
        Response::builder()
            .header("content-type", "application/json; charset=utf-8")
            .header("x-received-bytes", received.to_string())
            .body(body)
            .expect("a response")
    };
    let is_list = path.starts_with("/api/v1/accounts/") && path.ends_with("/conversations");
    if !is_list {
        let mut response = json(full(Bytes::from_static(
            br#"{"error":"Resource could not be found"}"#,
        )));
        *response.status_mut() = hyper::StatusCode::NOT_FOUND;
        return Ok(response);
    }
    Ok(match fixture.as_str() {
        "gzip" => {
            let mut response = json(streamed(pages.gzip.clone(), 4096, false));
            response
                .headers_mut()
                .insert("content-encoding", "gzip".parse().expect("a value"));
            response
        }
        "chunked" => json(streamed(pages.list.clone(), 1024, false)),
        "large" => json(streamed(pages.large.clone(), 64 * 1024, false)),
        "drift" => json(full(pages.drift.clone())),
        "small" => json(full(pages.small.clone())),
        "reset" => json(streamed(pages.list.clone(), 1024, true)),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            json(full(pages.list.clone()))
        }
        _ => json(full(pages.list.clone())),
    })
}

fn main() {
    let address = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let bound = spawn(address);
    println!("listening on http://{bound}");
    loop {
        std::thread::park();
    }
}
