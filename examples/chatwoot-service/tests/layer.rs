//! The layer in front of a real axum service on loopback: conforming and
//! breaking requests and responses in both modes, RFC 9457 problem
//! bodies, streamed bodies byte for byte, exclusions, a callback that
//! panics, report mode's bounded queue under load, and the contract
//! assertions a service's own tests use.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chatwoot_service::{chatwoot_validator, App};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use specgate_tower::{Finding, Mode, SpecgateLayer};

const LIST: &str = "/api/v1/accounts/3/conversations";
const TOKEN: &str = "live-token-3381";

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// The example service behind `layer`, served on loopback.
async fn serve(layer: Option<SpecgateLayer>) -> (SocketAddr, App) {
    let app = App::new();
    let router = app.router(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (address, app)
}

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

struct Got {
    status: u16,
    content_type: String,
    body: Bytes,
}

impl Got {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

async fn send(
    client: &HttpClient,
    address: SocketAddr,
    method: &str,
    path: &str,
    token: bool,
    body: Option<&str>,
) -> Got {
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("http://{address}{path}"));
    if token {
        request = request.header("api_access_token", TOKEN);
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        content_type,
        body,
    }
}

/// An RFC 9457 problem: its members, and the violations' `in` and pointer.
fn assert_problem(got: &Got, status: u16) -> serde_json::Value {
    assert_eq!(got.status, status, "{}", String::from_utf8_lossy(&got.body));
    assert_eq!(got.content_type, "application/problem+json");
    let problem = got.json();
    assert_eq!(problem["status"], status);
    for member in ["type", "title", "detail", "instance"] {
        assert!(problem[member].is_string(), "{member} in {problem:#}");
    }
    assert!(!problem["violations"].as_array().unwrap().is_empty());
    assert!(!problem.to_string().contains(TOKEN), "{problem}");
    problem
}

fn collected() -> (
    Arc<Mutex<Vec<Finding>>>,
    impl Fn(&Finding) + Send + Sync + 'static,
) {
    let findings: Arc<Mutex<Vec<Finding>>> = Arc::default();
    let sink = Arc::clone(&findings);
    (findings, move |finding: &Finding| {
        sink.lock().unwrap().push(finding.clone())
    })
}

#[tokio::test]
async fn enforce_mode_refuses_what_breaks_the_document_before_the_service_sees_it() {
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap())
        .requests(Mode::Enforce)
        .responses(Mode::Enforce)
        .exclude_path("/health");
    let (address, app) = serve(Some(layer.clone())).await;
    let client = client();

    // Conforming: the service's bytes, as they were.
    let page = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?status=open"),
        true,
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
    assert!(page.body.len() > 40 * 1024);
    assert_eq!(app.served.load(Ordering::Relaxed), 1);

    // A query value the document does not list: 400, never served.
    let bad = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?status=archived"),
        true,
        None,
    )
    .await;
    let problem = assert_problem(&bad, 400);
    assert_eq!(problem["violations"][0]["in"], "query parameter status");
    assert!(
        problem["violations"][0]["expected"].is_array(),
        "{problem:#}"
    );
    assert_eq!(problem["instance"], LIST);
    // No token at all: 401, named by the scheme's header.
    let anonymous = send(&client, address, "GET", LIST, false, None).await;
    let problem = assert_problem(&anonymous, 401);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("header api_access_token"));
    // A path the document does not have, and a method it does not
    // document on a path it has.
    assert_problem(
        &send(&client, address, "GET", "/api/v1/nothing", true, None).await,
        404,
    );
    assert_problem(
        &send(&client, address, "DELETE", LIST, true, None).await,
        405,
    );
    // A 405 names what is allowed (RFC 9110).
    let allow = client
        .request(
            http::Request::delete(format!("http://{address}{LIST}"))
                .header("api_access_token", TOKEN)
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(allow.headers()["allow"], "GET, HEAD, POST");
    // A request body that breaks its schema.
    let toggle = format!("{LIST}/101/toggle_status");
    let wrong = send(
        &client,
        address,
        "POST",
        &toggle,
        true,
        Some(r#"{"status": 7}"#),
    )
    .await;
    let problem = assert_problem(&wrong, 400);
    assert_eq!(problem["violations"][0]["in"], "request body");
    assert_eq!(problem["violations"][0]["pointer"], "/status");
    assert_eq!(
        app.served.load(Ordering::Relaxed),
        1,
        "nothing refused was served"
    );
    let fine = send(
        &client,
        address,
        "POST",
        &toggle,
        true,
        Some(r#"{"status": "resolved"}"#),
    )
    .await;
    assert_eq!(fine.status, 200, "{}", String::from_utf8_lossy(&fine.body));

    // A response that breaks the document becomes a 500 naming it.
    let broken = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?fault=body"),
        true,
        None,
    )
    .await;
    let problem = assert_problem(&broken, 500);
    assert_eq!(problem["violations"][0]["pointer"], "/data/meta/mine_count");
    assert_eq!(problem["violations"][0]["in"], "response body");
    let teapot = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?fault=status"),
        true,
        None,
    )
    .await;
    assert_problem(&teapot, 500);

    // An excluded path reaches the service unchecked.
    let health = send(&client, address, "GET", "/health", false, None).await;
    assert_eq!((health.status, &health.body[..]), (200, &b"ok"[..]));

    let metrics = layer.metrics();
    assert!(
        metrics.contains("specgate_layer_rejected_total{status=\"400\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("specgate_layer_rejected_total{status=\"500\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("specgate_layer_not_checked_total{reason=\"excluded\"} 1"),
        "{metrics}"
    );
    assert!(!metrics.contains(TOKEN));
}

#[tokio::test]
async fn report_mode_passes_everything_and_reports_it_off_the_requests_path() {
    let (findings, sink) = collected();
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap())
        .requests(Mode::Report)
        .responses(Mode::Report)
        .on_finding(sink);
    let (address, app) = serve(Some(layer.clone())).await;
    let client = client();
    let bad = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?status=archived"),
        true,
        None,
    )
    .await;
    assert_eq!(bad.status, 200, "report mode never refuses");
    let broken = send(
        &client,
        address,
        "GET",
        &format!("{LIST}?fault=body"),
        true,
        None,
    )
    .await;
    assert_eq!(broken.status, 200);
    assert!(String::from_utf8_lossy(&broken.body).contains("\"mine_count\":\"one\""));
    assert_eq!(app.served.load(Ordering::Relaxed), 2);
    assert!(layer.wait_idle(Duration::from_secs(10)));
    let findings = findings.lock().unwrap().clone();
    let at = |pointer: &str| {
        findings
            .iter()
            .any(|f| f.error && f.pointer.as_deref() == Some(pointer))
    };
    assert!(at("/data/meta/mine_count"), "{findings:#?}");
    assert!(
        findings.iter().any(|f| f.message.contains("archived")),
        "{findings:#?}"
    );
    let metrics = layer.metrics();
    assert!(
        metrics.contains("specgate_layer_checked_total 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn streamed_bodies_pass_byte_for_byte_and_are_counted() {
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap()).responses(Mode::Enforce);
    let (address, _) = serve(Some(layer.clone())).await;
    let got = send(
        &client(),
        address,
        "GET",
        &format!("{LIST}?fault=stream"),
        true,
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(&got.body[..], b"data: 0\n\ndata: 1\n\ndata: 2\n\n");
    assert!(layer
        .metrics()
        .contains("specgate_layer_not_checked_total{reason=\"streamed\"} 1"));
}

#[tokio::test]
async fn a_callback_that_panics_does_not_take_the_service_down() {
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap())
        .requests(Mode::Report)
        .on_finding(|_| panic!("a careless callback"));
    let (address, _) = serve(Some(layer.clone())).await;
    let client = client();
    for _ in 0..3 {
        let got = send(
            &client,
            address,
            "GET",
            &format!("{LIST}?fault=body"),
            true,
            None,
        )
        .await;
        assert_eq!(got.status, 200);
    }
    assert!(layer.wait_idle(Duration::from_secs(10)));
    let metrics = layer.metrics();
    // Every finding's call panicked, and was counted.
    let findings: u64 = metrics
        .lines()
        .filter(|line| line.starts_with("specgate_layer_findings_total"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert!(findings >= 3, "{metrics}");
    assert!(
        metrics.contains(&format!("specgate_layer_callback_panics_total {findings}")),
        "{metrics}"
    );
    let again = send(&client, address, "GET", LIST, true, None).await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn exclusions_and_sampling_leave_exchanges_unchecked_and_counted() {
    let (findings, sink) = collected();
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap())
        .requests(Mode::Report)
        .sample(0.5)
        .exclude_operation("conversationList")
        .exclude_status(418)
        .on_finding(sink);
    let (address, _) = serve(Some(layer.clone())).await;
    let client = client();
    // Half are sampled, evenly, on the way in: the 2nd and the 4th. The
    // 2nd answers 418, an excluded status; the 4th reaches routing, and
    // its operation is excluded. None is reported.
    for fault in ["body", "status", "body", "body"] {
        send(
            &client,
            address,
            "GET",
            &format!("{LIST}?fault={fault}"),
            true,
            None,
        )
        .await;
    }
    assert!(layer.wait_idle(Duration::from_secs(10)));
    assert!(findings.lock().unwrap().is_empty(), "excluded");
    let metrics = layer.metrics();
    assert!(
        metrics.contains("specgate_layer_not_checked_total{reason=\"not-sampled\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("specgate_layer_not_checked_total{reason=\"excluded\"} 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn report_modes_queue_stays_bounded_under_load() {
    // A slow callback and a queue of two: exchanges that find it full pass
    // unchecked, counted, and none waits for it.
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap())
        .requests(Mode::Report)
        .queue(2)
        .on_finding(|_| std::thread::sleep(Duration::from_millis(20)));
    let (address, _) = serve(Some(layer.clone())).await;
    let client = client();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    let got = send(
                        &client,
                        address,
                        "GET",
                        &format!("{LIST}?fault=body"),
                        true,
                        None,
                    )
                    .await;
                    assert_eq!(got.status, 200);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    assert!(layer.wait_idle(Duration::from_secs(30)));
    let metrics = layer.metrics();
    let count = |name: &str| -> u64 {
        metrics
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let checked = count("specgate_layer_checked_total");
    let behind = count("specgate_layer_not_checked_total{reason=\"validation-behind\"}");
    assert_eq!(count("specgate_layer_exchanges_total"), 200);
    assert_eq!(checked + behind, 200, "{metrics}");
    assert!(behind > 0, "the queue filled: {metrics}");
    // 200 checks at 20 ms each would take 4 s on the request's path.
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[tokio::test]
async fn the_services_own_tests_use_the_contract_assertions() {
    let (address, _) = serve(None).await;
    let client = client();
    let validator = chatwoot_validator().unwrap();
    let exchange = |path: &str, got: Got| {
        let request = http::Request::get(path)
            .header("api_access_token", TOKEN)
            .body(Vec::new())
            .unwrap();
        let response = http::Response::builder()
            .status(got.status)
            .header("content-type", got.content_type)
            .body(got.body.to_vec())
            .unwrap();
        (request, response)
    };
    let path = format!("{LIST}?status=open");
    let (request, response) = exchange(
        &path,
        send(&client, address, "GET", &path, true, None).await,
    );
    specgate_tower::testing::assert_conforms(&validator, &request, &response);
    let path = format!("{LIST}?fault=body");
    let (request, response) = exchange(
        &path,
        send(&client, address, "GET", &path, true, None).await,
    );
    specgate_tower::testing::assert_breaks(&validator, &request, &response, |f| {
        f.pointer.as_deref() == Some("/data/meta/mine_count")
    });
    let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        specgate_tower::testing::assert_conforms(&validator, &request, &response)
    }))
    .err()
    .and_then(|panic| panic.downcast::<String>().ok())
    .unwrap();
    assert!(report.contains("/data/meta/mine_count"), "{report}");
}

#[tokio::test]
async fn a_reqwest_call_is_checked_in_one_line() {
    let (address, _) = serve(None).await;
    let validator = chatwoot_validator().unwrap();
    let client = reqwest::Client::new();
    let request = client
        .get(format!("http://{address}{LIST}?status=open"))
        .header("api_access_token", TOKEN)
        .build()
        .unwrap();
    let page = specgate_tower::testing::send_conforming(&validator, &client, request).await;
    assert_eq!(page.status(), 200);
    assert!(page.body().len() > 40 * 1024);
    let broken = client
        .get(format!("http://{address}{LIST}?fault=body"))
        .header("api_access_token", TOKEN)
        .build()
        .unwrap();
    let failed = tokio::spawn(async move {
        specgate_tower::testing::send_conforming(&validator, &client, broken).await
    })
    .await;
    let report = failed
        .err()
        .and_then(|e| e.try_into_panic().ok())
        .and_then(|panic| panic.downcast::<String>().ok())
        .unwrap();
    assert!(report.contains("/data/meta/mine_count"), "{report}");
}

#[tokio::test]
async fn a_service_answers_refusals_in_its_own_shape() {
    // Chatwoot's own error shape: {"description", "errors": [...]}.
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap()).refuse_with(|problem| {
        let body = serde_json::json!({
            "description": problem.detail,
            "errors": problem.violations.iter().map(|v| serde_json::json!({
                "field": v.place, "message": v.message
            })).collect::<Vec<_>>(),
        });
        http::Response::builder()
            .status(problem.status)
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .unwrap()
    });
    let (address, _) = serve(Some(layer)).await;
    let got = send(
        &client(),
        address,
        "GET",
        &format!("{LIST}?status=archived"),
        true,
        None,
    )
    .await;
    assert_eq!(got.status, 400);
    assert_eq!(got.content_type, "application/json");
    let body = got.json();
    assert_eq!(
        body["errors"][0]["field"], "query parameter status",
        "{body}"
    );
}

#[tokio::test]
async fn a_response_without_a_body_to_read_is_still_checked() {
    // HEAD: the service's body is never read; the exchange is complete
    // when its head leaves, and is checked all the same.
    let layer = SpecgateLayer::new(chatwoot_validator().unwrap()).requests(Mode::Report);
    let (address, _) = serve(Some(layer.clone())).await;
    let got = send(&client(), address, "HEAD", LIST, true, None).await;
    assert_eq!(got.status, 200);
    assert!(got.body.is_empty());
    assert!(layer.wait_idle(Duration::from_secs(10)));
    let metrics = layer.metrics();
    assert!(
        metrics.contains("specgate_layer_checked_total 1"),
        "{metrics}"
    );
}
