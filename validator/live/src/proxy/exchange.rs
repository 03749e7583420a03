//! What the proxy shares between connections, and how one exchange is
//! completed: numbered, recorded, queued for validation, in that order
//! and under one lock, so the recording's line numbers, the findings'
//! entries and the order of checks agree.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::HeaderValue;
use specgate_validator::{Exchange, Redactor, Request, Response};
use tokio::sync::mpsc;

use super::capture::{Capture, TooLarge};
use super::tee::RequestTee;
use crate::checker::{Counts, Queue};
use crate::upstream::Upstream;

/// Everything a connection needs.
pub(crate) struct Shared {
    /// `scheme://authority/prefix`, without a trailing slash: the path and
    /// query of each request are appended to it.
    pub(crate) prefix: String,
    /// The upstream's `Host`.
    pub(crate) authority: HeaderValue,
    pub(crate) client: Upstream<RequestTee>,
    pub(crate) timeout: Duration,
    pub(crate) max_body: usize,
    pub(crate) counts: Arc<Counts>,
    pub(crate) redactor: Redactor,
    /// What findings name as their source: the recording, or `<proxy>`.
    pub(crate) source: String,
    pub(crate) recording: Option<mpsc::Sender<String>>,
    pub(crate) sequence: Mutex<Sequence>,
}

/// The next entry's number, and the validation queue, behind one lock.
pub(crate) struct Sequence {
    pub(crate) next: usize,
    pub(crate) queue: Queue,
}

/// An exchange whose response body is still on its way.
pub(crate) struct Pending {
    pub(crate) shared: Arc<Shared>,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) request_headers: Vec<(String, String)>,
    pub(crate) request_body: Arc<Mutex<Capture>>,
    pub(crate) status: u16,
    pub(crate) response_headers: Vec<(String, String)>,
}

impl Pending {
    /// Completes the exchange with its response body: `record` is handed
    /// the recording's line, when there is a recording, with room for it
    /// already reserved.
    pub(crate) fn complete(self, response_body: Capture, record: impl FnOnce(String)) {
        let Pending {
            shared,
            method,
            url,
            request_headers,
            request_body,
            status,
            response_headers,
        } = self;
        let request_body = match request_body.lock() {
            Ok(mut capture) => capture.take().into_body(),
            Err(_) => Err(TooLarge),
        };
        let too_large = request_body.is_err();
        let response_body = response_body.into_body();
        let too_large = too_large || response_body.is_err();
        let mut exchange = Exchange {
            source: shared.source.clone(),
            entry: 0,
            request: Request {
                method,
                url,
                headers: request_headers,
                body: request_body.unwrap_or_default(),
            },
            response: Response {
                status,
                headers: response_headers,
                body: response_body.unwrap_or_default(),
            },
        };
        let line = shared
            .recording
            .is_some()
            .then(|| specgate_validator::input::to_line(&exchange, &shared.redactor));
        shared.counts.metrics.exchanges.inc();
        let Ok(mut sequence) = shared.sequence.lock() else {
            return;
        };
        exchange.entry = sequence.next;
        sequence.next += 1;
        if let Some(line) = line {
            record(line);
        }
        if too_large {
            shared.counts.not_checked("body-too-large");
        } else if !sequence.queue.offer(exchange) {
            shared.counts.not_checked("validation-behind");
        }
    }

    /// Completes an exchange that has no body to wait for, waiting for
    /// room in the recording first.
    pub(crate) async fn complete_now(self) {
        let limit = self.shared.max_body;
        let recording = self.shared.recording.clone();
        match recording {
            Some(sender) => match sender.reserve().await {
                Ok(permit) => self.complete(Capture::new(limit), |line| permit.send(line)),
                Err(_) => self.complete(Capture::new(limit), |_| {}),
            },
            None => self.complete(Capture::new(limit), |_| {}),
        }
    }

    /// The body broke off (client gone, upstream reset): the exchange is
    /// counted as not checked, and not recorded.
    pub(crate) fn broke_off(self) {
        self.shared.counts.metrics.exchanges.inc();
        self.shared.counts.not_checked("incomplete");
    }
}
