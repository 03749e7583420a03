//! The layer and its settings. Settings are set once, before the layer
//! wraps a service; the checking thread and the counts are shared by every
//! service it wraps and every clone of them.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use specgate_validator::{Finding, Validator};
use tower_layer::Layer;

use crate::metrics::Metrics;
use crate::problem::Problem;
use crate::reporter::Reporter;
use crate::service::SpecgateService;

/// What the layer does with what breaks the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Refuse it: a request never reaches the service (`400` and the
    /// like); a response becomes a `500` (for tests and development). Both
    /// with an RFC 9457 problem body naming each violation.
    Enforce,
    /// Let it through and report it; checked off the request's path.
    Report,
    /// Do not check.
    Off,
}

/// A function the findings go to.
pub(crate) type Callback = Arc<dyn Fn(&Finding) + Send + Sync>;

/// A function that writes a refusal's answer from its problem.
pub(crate) type Refusal = Arc<dyn Fn(&Problem) -> http::Response<bytes::Bytes> + Send + Sync>;

/// Checks a service's traffic against its OpenAPI document.
#[derive(Clone)]
pub struct SpecgateLayer {
    settings: Settings,
    shared: Arc<OnceLock<Arc<Shared>>>,
}

#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) validator: Arc<Validator<'static>>,
    pub(crate) requests: Mode,
    pub(crate) responses: Mode,
    pub(crate) sample: f64,
    pub(crate) max_body: usize,
    pub(crate) queue: usize,
    pub(crate) excluded_paths: Vec<String>,
    pub(crate) excluded_operations: HashSet<String>,
    pub(crate) excluded_statuses: HashSet<u16>,
    pub(crate) on_finding: Option<Callback>,
    pub(crate) refusal: Option<Refusal>,
}

/// What every service the layer wraps shares.
pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) reporter: Reporter,
}

impl SpecgateLayer {
    /// A layer for `validator`'s document (see [`crate::validator`]):
    /// requests enforced, responses reported, every exchange checked,
    /// bodies up to 16 MiB, 64 exchanges waiting at most.
    pub fn new(validator: Arc<Validator<'static>>) -> Self {
        SpecgateLayer {
            settings: Settings {
                validator,
                requests: Mode::Enforce,
                responses: Mode::Report,
                sample: 1.0,
                max_body: 16 * 1024 * 1024,
                queue: 64,
                excluded_paths: Vec::new(),
                excluded_operations: HashSet::new(),
                excluded_statuses: HashSet::new(),
                on_finding: None,
                refusal: None,
            },
            shared: Arc::default(),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        change(&mut self.settings);
        // Settings changed: what was built for the old ones is not shared.
        self.shared = Arc::default();
        self
    }

    /// What happens to a request that breaks the document.
    pub fn requests(self, mode: Mode) -> Self {
        self.with(|s| s.requests = mode)
    }

    /// What happens to a response that breaks the document.
    pub fn responses(self, mode: Mode) -> Self {
        self.with(|s| s.responses = mode)
    }

    /// The share of exchanges checked in report mode, from 0 to 1: every
    /// n-th, evenly, not at random, so a rate is kept exactly.
    pub fn sample(self, rate: f64) -> Self {
        self.with(|s| s.sample = rate.clamp(0.0, 1.0))
    }

    /// The largest body checked; a larger one passes unchecked, counted.
    pub fn max_body(self, bytes: usize) -> Self {
        self.with(|s| s.max_body = bytes)
    }

    /// How many exchanges may wait to be checked in report mode; one that
    /// finds the queue full passes unchecked, counted.
    pub fn queue(self, length: usize) -> Self {
        self.with(|s| s.queue = length.max(1))
    }

    /// Requests whose path starts with `prefix` pass unchecked (`/health`).
    pub fn exclude_path(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.with(|s| s.excluded_paths.push(prefix))
    }

    /// An operation, by operationId, that is not checked.
    pub fn exclude_operation(self, operation_id: impl Into<String>) -> Self {
        let id = operation_id.into();
        self.with(|s| {
            s.excluded_operations.insert(id);
        })
    }

    /// Responses with this status are not checked (a `503` a gateway
    /// writes, say).
    pub fn exclude_status(self, status: u16) -> Self {
        self.with(|s| {
            s.excluded_statuses.insert(status);
        })
    }

    /// Where findings go, instead of `tracing` events. Called on the
    /// checking thread in report mode, on the request's task in enforce
    /// mode; a panic in it is caught and counted, never taking the service
    /// down.
    pub fn on_finding(self, callback: impl Fn(&Finding) + Send + Sync + 'static) -> Self {
        let callback: Callback = Arc::new(callback);
        self.with(|s| s.on_finding = Some(callback))
    }

    /// How a refusal is answered, instead of the RFC 9457 problem body:
    /// for a service whose errors have a shape of their own. Given the
    /// problem (status, violations), it returns the whole response.
    pub fn refuse_with(
        self,
        answer: impl Fn(&Problem) -> http::Response<bytes::Bytes> + Send + Sync + 'static,
    ) -> Self {
        let answer: Refusal = Arc::new(answer);
        self.with(|s| s.refusal = Some(answer))
    }

    /// The counts in the Prometheus text format:
    /// `specgate_layer_exchanges_total`, `_checked_total`,
    /// `_not_checked_total{reason}`, `_findings_total{kind,operation}`,
    /// `_rejected_total{status}`, `_callback_panics_total`.
    pub fn metrics(&self) -> String {
        self.shared().metrics.text()
    }

    /// Waits until every exchange queued for checking has been checked, or
    /// `timeout` passes; whether it is idle. For tests and shutdown.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        self.shared().reporter.wait_idle(timeout)
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        Arc::clone(self.shared.get_or_init(|| {
            let metrics = Arc::new(Metrics::new());
            let reporter = Reporter::start(Arc::clone(&metrics), self.settings.clone());
            Arc::new(Shared {
                settings: self.settings.clone(),
                metrics,
                reporter,
            })
        }))
    }
}

impl<S> Layer<S> for SpecgateLayer {
    type Service = SpecgateService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SpecgateService::new(inner, self.shared())
    }
}

impl Shared {
    /// Whether requests to `path` pass unchecked.
    pub(crate) fn excluded_path(&self, path: &str) -> bool {
        self.settings
            .excluded_paths
            .iter()
            .any(|prefix| path.starts_with(prefix.as_str()))
    }

    pub(crate) fn report(&self, findings: &[Finding]) {
        report(&self.settings, &self.metrics, findings);
    }

    /// The answer to a refusal: the user's, or the problem as RFC 9457
    /// has it.
    pub(crate) fn refusal(&self, problem: Problem) -> http::Response<bytes::Bytes> {
        match &self.settings.refusal {
            Some(answer) => answer(&problem),
            None => problem.into_response(|bytes| bytes),
        }
    }
}

/// Reports findings: to the callback (a panic in it caught and counted),
/// else as `tracing` events; and to the counts.
pub(crate) fn report(settings: &Settings, metrics: &Metrics, findings: &[Finding]) {
    for finding in findings {
        let operation = finding.operation.as_deref().unwrap_or("");
        metrics.finding(finding.kind.id(), operation);
        match &settings.on_finding {
            Some(callback) => {
                let called =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(finding)));
                if called.is_err() {
                    metrics.callback_panics.inc();
                }
            }
            None => trace(finding),
        }
    }
}

/// A finding as a `tracing` event: errors as warnings, drift as info.
fn trace(finding: &Finding) {
    let operation = finding.operation.as_deref().unwrap_or("");
    let place = finding
        .place
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let pointer = finding.pointer.as_deref().unwrap_or("");
    if finding.error {
        tracing::warn!(
            target: "specgate",
            kind = finding.kind.id(),
            operation,
            place = place.as_str(),
            pointer,
            "{}",
            finding.message
        );
    } else {
        tracing::info!(
            target: "specgate",
            kind = finding.kind.id(),
            operation,
            place = place.as_str(),
            pointer,
            "{}",
            finding.message
        );
    }
}
