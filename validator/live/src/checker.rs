//! Validation beside the traffic: completed exchanges wait in a queue
//! bounded in number and bytes, and one thread checks them in the order
//! they completed. When the queue is full the exchange is counted as not
//! checked instead: traffic never waits for validation, and memory stays
//! bounded however fast it comes. The report keeps every count and the
//! first findings of each problem, so it too stays bounded however long
//! the proxy runs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use specgate_validator::input::Record;
use specgate_validator::report::Report;
use specgate_validator::{Exchange, Finding, Validator};

use crate::metrics::Metrics;

/// Bytes of bodies waiting for validation, at most.
pub(crate) const QUEUE_BYTES: usize = 256 * 1024 * 1024;

/// What a proxy saw, for its report.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    /// Exchanges completed (forwarded and answered in full).
    pub exchanges: u64,
    /// Exchanges checked against the document.
    pub checked: u64,
    /// Exchanges not checked, by reason: `body-too-large`,
    /// `validation-behind` (the queue was full), `incomplete` (the client
    /// or the upstream broke off a body, or the client went away before
    /// the answer), `malformed-request` (a request body the proxy could not
    /// read), `upgraded` (a protocol switch).
    pub not_checked: BTreeMap<&'static str, u64>,
    /// Requests the upstream did not answer, by error: `refused`,
    /// `timeout`, `closed`, `failed`.
    pub upstream_errors: BTreeMap<&'static str, u64>,
    /// Lines written to the recording, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<u64>,
    /// Exchanges that could not be published, when publishing
    /// (`--publish`): the buffer was full, or the server did not take them.
    #[serde(rename = "publish-dropped", skip_serializing_if = "Option::is_none")]
    pub publish_dropped: Option<u64>,
    /// The validator's report of the exchanges checked.
    pub report: Report,
}

/// Counts kept as traffic flows; the metrics endpoint shows the same.
pub(crate) struct Counts {
    pub(crate) metrics: Metrics,
    not_checked: Mutex<BTreeMap<&'static str, u64>>,
    upstream_errors: Mutex<BTreeMap<&'static str, u64>>,
    publisher: Option<crate::publish::Publisher>,
}

impl Counts {
    pub(crate) fn new(publisher: Option<crate::publish::Publisher>) -> Self {
        Counts {
            metrics: Metrics::new(),
            not_checked: Mutex::default(),
            upstream_errors: Mutex::default(),
            publisher,
        }
    }

    /// The metrics as text, the publisher's count brought up to date.
    pub(crate) fn metrics_text(&self) -> String {
        if let Some(publisher) = &self.publisher {
            self.metrics.publish_dropped(publisher.0.dropped());
        }
        self.metrics.text()
    }

    pub(crate) fn not_checked(&self, reason: &'static str) {
        self.metrics.not_checked(reason);
        if let Ok(mut counts) = self.not_checked.lock() {
            *counts.entry(reason).or_default() += 1;
        }
    }

    pub(crate) fn upstream_error(&self, error: &'static str) {
        self.metrics.upstream_error(error);
        if let Ok(mut counts) = self.upstream_errors.lock() {
            *counts.entry(error).or_default() += 1;
        }
    }

    /// The counts, into an outcome.
    pub(crate) fn fill(&self, outcome: &mut Outcome) {
        outcome.exchanges = self.metrics.exchanges.get();
        outcome.publish_dropped = self.publisher.as_ref().map(|p| p.0.dropped());
        outcome.checked = self.metrics.checked.get();
        if let Ok(counts) = self.not_checked.lock() {
            outcome.not_checked = counts.clone();
        }
        if let Ok(counts) = self.upstream_errors.lock() {
            outcome.upstream_errors = counts.clone();
        }
    }
}

/// The sending end of the validation queue.
#[derive(Clone)]
pub(crate) struct Queue {
    sender: mpsc::SyncSender<Exchange>,
    bytes: Arc<AtomicUsize>,
}

/// The receiving end, for the checking thread.
pub(crate) struct Waiting {
    receiver: mpsc::Receiver<Exchange>,
    bytes: Arc<AtomicUsize>,
}

/// A queue for `length` exchanges.
pub(crate) fn queue(length: usize) -> (Queue, Waiting) {
    let (sender, receiver) = mpsc::sync_channel(length.max(1));
    let bytes = Arc::new(AtomicUsize::new(0));
    (
        Queue {
            sender,
            bytes: Arc::clone(&bytes),
        },
        Waiting { receiver, bytes },
    )
}

fn body_bytes(exchange: &Exchange) -> usize {
    exchange.request.body.as_ref().map_or(0, Vec::len)
        + exchange.response.body.as_ref().map_or(0, Vec::len)
}

impl Queue {
    /// Queues an exchange for checking; false when the queue is full.
    pub(crate) fn offer(&self, exchange: Exchange) -> bool {
        let size = body_bytes(&exchange);
        let before = self.bytes.fetch_add(size, Ordering::AcqRel);
        if before > 0 && before + size > QUEUE_BYTES {
            self.bytes.fetch_sub(size, Ordering::AcqRel);
            return false;
        }
        match self.sender.try_send(exchange) {
            Ok(()) => true,
            Err(_) => {
                self.bytes.fetch_sub(size, Ordering::AcqRel);
                false
            }
        }
    }
}

/// Checks what arrives until every sender is gone, printing each finding
/// as it is found when `print` is set: the report of everything checked.
pub(crate) fn check(
    validator: &Validator<'_>,
    waiting: Waiting,
    counts: &Counts,
    print: bool,
) -> Report {
    specgate_validator::yield_to_traffic();
    let mut report = Report::bounded(KEPT_PER_PROBLEM);
    for exchange in waiting.receiver {
        let size = body_bytes(&exchange);
        let checked = validator.check_record(Record::Exchange(Box::new(exchange)));
        waiting.bytes.fetch_sub(size, Ordering::AcqRel);
        counts.metrics.checked.inc();
        for finding in &checked.findings {
            let operation = finding.operation.as_deref().unwrap_or("");
            counts.metrics.finding(finding.kind.id(), operation);
            if print {
                eprintln!("{}", finding_line(finding));
            }
        }
        report.add(checked);
    }
    report
}

/// Findings the report keeps of each problem; the rest are counted.
const KEPT_PER_PROBLEM: usize = 20;

/// One finding on one line, as the proxy prints it when it is found:
/// `violation #12 GET /api/... (list-conversations) response body at
/// /data/meta/mine_count: ...`.
pub fn finding_line(finding: &Finding) -> String {
    let mut line = format!(
        "{}{} #{}",
        finding.kind.id(),
        if finding.error { "" } else { " (warning)" },
        finding.entry
    );
    if let Some(request) = &finding.request {
        line.push(' ');
        line.push_str(request);
    }
    if let Some(operation) = &finding.operation {
        line.push_str(&format!(" ({operation})"));
    }
    match (&finding.place, &finding.pointer) {
        (Some(place), Some(pointer)) => {
            let pointer = if pointer.is_empty() { "/" } else { pointer };
            line.push_str(&format!(" {place} at {pointer}"));
        }
        (Some(place), None) => line.push_str(&format!(" {place}")),
        _ => {}
    }
    line.push_str(": ");
    line.push_str(&finding.message);
    if let Some(schema) = &finding.schema {
        line.push_str(&format!(" [{} {}]", schema.position(), schema.pointer));
    }
    line
}
