//! What a long-running proxy tells its operator, in the Prometheus text
//! format: exchanges, findings by kind and operation, exchanges not
//! checked and why, upstream errors, and the latency the proxy adds.

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
