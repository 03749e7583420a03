//! The layer's counts, in the Prometheus text format the proxy writes.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

/// Cheap to update from any thread.
pub(crate) struct Metrics {
    registry: Registry,
    pub(crate) exchanges: Counter,
    pub(crate) checked: Counter,
    not_checked: Family<Labels, Counter>,
    findings: Family<Labels, Counter>,
    rejected: Family<Labels, Counter>,
    pub(crate) callback_panics: Counter,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("specgate_layer");
        let metrics = Metrics {
            exchanges: Counter::default(),
            checked: Counter::default(),
            not_checked: Family::default(),
            findings: Family::default(),
            rejected: Family::default(),
            callback_panics: Counter::default(),
            registry: Registry::default(),
        };
        registry.register(
            "exchanges",
            "Exchanges the layer saw",
            metrics.exchanges.clone(),
        );
        registry.register(
            "checked",
            "Exchanges checked against the document",
            metrics.checked.clone(),
        );
        registry.register(
            "not_checked",
            "Exchanges or halves not checked, by reason",
            metrics.not_checked.clone(),
        );
        registry.register(
            "findings",
            "Findings, by kind and operation",
            metrics.findings.clone(),
        );
        registry.register(
            "rejected",
            "Requests or responses refused in enforce mode, by the status given",
            metrics.rejected.clone(),
        );
        registry.register(
            "callback_panics",
            "Findings whose callback panicked",
            metrics.callback_panics.clone(),
        );
        Metrics {
            registry,
            ..metrics
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

    pub(crate) fn rejected(&self, status: u16) {
        self.rejected
            .get_or_create(&vec![("status", status.to_string())])
            .inc();
    }

    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
