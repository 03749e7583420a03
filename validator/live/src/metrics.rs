//! What a long-running proxy tells its operator, in the Prometheus text
//! format: exchanges, findings by kind and operation, exchanges not
//! checked and why, upstream errors, and the latency the proxy adds; and
//! the `/metrics` endpoint that serves it (or a pool worker's counters).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderValue, Response};
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

/// The proxy's counters; cheap to update from any thread.
pub(crate) struct Metrics {
    registry: Registry,
    pub(crate) exchanges: Counter,
    pub(crate) checked: Counter,
    not_checked: Family<Labels, Counter>,
    findings: Family<Labels, Counter>,
    upstream_errors: Family<Labels, Counter>,
    pub(crate) upgrades: Counter,
    pub(crate) added_latency: Histogram,
    /// Exchanges a publisher (`--publish`) could not publish.
    publish_dropped: Counter,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("specgate_proxy");
        let exchanges = Counter::default();
        let checked = Counter::default();
        let not_checked = Family::<Labels, Counter>::default();
        let findings = Family::<Labels, Counter>::default();
        let upstream_errors = Family::<Labels, Counter>::default();
        let upgrades = Counter::default();
        let publish_dropped = Counter::default();
        // 10 µs to about 80 ms.
        let added_latency = Histogram::new(exponential_buckets(0.000_01, 2.0, 14));
        registry.register(
            "exchanges",
            "Exchanges forwarded and completed",
            exchanges.clone(),
        );
        registry.register(
            "checked",
            "Exchanges checked against the document",
            checked.clone(),
        );
        registry.register(
            "not_checked",
            "Exchanges forwarded but not checked, by reason",
            not_checked.clone(),
        );
        registry.register(
            "findings",
            "Findings, by kind and operation",
            findings.clone(),
        );
        registry.register(
            "upstream_errors",
            "Requests the upstream did not answer, by error",
            upstream_errors.clone(),
        );
        registry.register(
            "upgrades",
            "Connections switched to another protocol, passed through unchecked",
            upgrades.clone(),
        );
        registry.register(
            "added_latency_seconds",
            "Time the proxy spent on a request and its response head, upstream time excluded",
            added_latency.clone(),
        );
        registry.register(
            "publish_dropped",
            "Exchanges that could not be published to the pool (--publish)",
            publish_dropped.clone(),
        );
        Metrics {
            registry,
            exchanges,
            checked,
            not_checked,
            findings,
            upstream_errors,
            upgrades,
            added_latency,
            publish_dropped,
        }
    }

    /// Brings the publisher's count of dropped exchanges up to `dropped`.
    pub(crate) fn publish_dropped(&self, dropped: u64) {
        let shown = self.publish_dropped.get();
        if dropped > shown {
            self.publish_dropped.inc_by(dropped - shown);
        }
    }

    pub(crate) fn not_checked(&self, reason: &'static str) {
        self.not_checked
            .get_or_create(&vec![("reason", reason.to_owned())])
            .inc();
    }

    pub(crate) fn finding(&self, kind: &'static str, operation: &str) {
        self.findings
            .get_or_create(&vec![
                ("kind", kind.to_owned()),
                ("operation", operation.to_owned()),
            ])
            .inc();
    }

    pub(crate) fn upstream_error(&self, error: &'static str) {
        self.upstream_errors
            .get_or_create(&vec![("error", error.to_owned())])
            .inc();
    }

    /// Everything, in the Prometheus text format.
    pub(crate) fn text(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// What `/metrics` serves: the text, made when asked.
pub type Text = Arc<dyn Fn() -> String + Send + Sync>;

/// Serves `/metrics` on its own address until the runtime stops; returns
/// the address bound (port 0 asks for a free one).
pub async fn serve(address: SocketAddr, text: Text) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot serve metrics on {address}: {err}"))?;
    let bound = listener
        .local_addr()
        .map_err(|err| format!("cannot serve metrics on {address}: {err}"))?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let text = Arc::clone(&text);
            tokio::spawn(async move {
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let text = Arc::clone(&text);
                    async move {
                        let found = request.uri().path() == "/metrics";
                        let body = if found {
                            text()
                        } else {
                            "not found: the metrics are at /metrics\n".to_owned()
                        };
                        let mut response = Response::new(Full::new(bytes::Bytes::from(body)));
                        if found {
                            response.headers_mut().insert(
                                http::header::CONTENT_TYPE,
                                HeaderValue::from_static(
                                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                                ),
                            );
                        } else {
                            *response.status_mut() = http::StatusCode::NOT_FOUND;
                        }
                        Ok::<_, std::convert::Infallible>(response.map(|b| b.boxed()))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(bound)
}

/// [`serve`] on a thread of its own, for a synchronous caller (a pool
/// worker): serves until the process ends.
pub fn serve_in_background(address: SocketAddr, text: Text) -> Result<SocketAddr, String> {
    let (bound, bound_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("specgate-metrics".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = bound.send(Err(format!("cannot serve metrics: {err}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let served = serve(address, text).await;
                let failed = served.is_err();
                let _ = bound.send(served);
                if !failed {
                    std::future::pending::<()>().await;
                }
            });
        })
        .map_err(|err| format!("cannot serve metrics: {err}"))?;
    bound_rx
        .recv()
        .map_err(|_| "cannot serve metrics: its thread stopped".to_owned())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_come_out_in_the_text_format() {
        let metrics = Metrics::new();
        metrics.exchanges.inc();
        metrics.finding("violation", "list-conversations");
        metrics.not_checked("queue-full");
        metrics.upstream_error("refused");
        metrics.added_latency.observe(0.000_2);
        metrics.publish_dropped(3);
        metrics.publish_dropped(2);
        let text = metrics.text();
        for line in [
            "specgate_proxy_exchanges_total 1",
            "specgate_proxy_findings_total{kind=\"violation\",operation=\"list-conversations\"} 1",
            "specgate_proxy_not_checked_total{reason=\"queue-full\"} 1",
            "specgate_proxy_upstream_errors_total{error=\"refused\"} 1",
            "specgate_proxy_added_latency_seconds_count 1",
            "specgate_proxy_publish_dropped_total 3",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
    }
}
