//! What the proxy shares between connections, and how one exchange is
//! completed: numbered, recorded, queued for validation, in that order
//! and under one lock, so the recording's line numbers, the findings'
//! entries and the order of checks agree.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::HeaderValue;
use specgate_validator::input::to_incomplete_line;
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
    pub(crate) publish: Option<crate::publish::Publisher>,
    pub(crate) sequence: Mutex<Sequence>,
}

impl Shared {
    /// Offers the line of exchange `entry` to the publisher, if any: never
    /// waits (the publisher counts what it drops). The line is copied only
    /// when the recording needs it too.
    fn publish(&self, entry: usize, line: &str) {
        if let Some(publisher) = &self.publish {
            publisher.0.offer(entry, line.to_owned());
        }
    }

    /// [`Shared::publish`] of a line nothing else needs.
    fn publish_owned(&self, entry: usize, line: String) {
        if let Some(publisher) = &self.publish {
            publisher.0.offer(entry, line);
        }
    }
}

/// The next entry's number, and the validation queue, behind one lock.
pub(crate) struct Sequence {
    pub(crate) next: usize,
    pub(crate) queue: Queue,
}

/// An exchange on its way: its request sent upstream, its response head
/// (once the upstream answered) and body still to come. It ends
/// completed, or stopped short; dropped before either (the client went
/// away while it waited), it counts as incomplete and is recorded so.
pub(crate) struct Pending(Option<Parts>);

struct Parts {
    shared: Arc<Shared>,
    method: String,
    url: String,
    request_headers: Vec<(String, String)>,
    request_body: Arc<Mutex<Capture>>,
    /// The response's status and headers, once they arrived.
    head: Option<(u16, Vec<(String, String)>)>,
}

impl Pending {
    pub(crate) fn new(
        shared: Arc<Shared>,
        method: String,
        url: String,
        request_headers: Vec<(String, String)>,
        request_body: Arc<Mutex<Capture>>,
    ) -> Self {
        Pending(Some(Parts {
            shared,
            method,
            url,
            request_headers,
            request_body,
            head: None,
        }))
    }

    /// The upstream answered with this status and these headers.
    pub(crate) fn answered(&mut self, status: u16, headers: Vec<(String, String)>) {
        if let Some(parts) = self.0.as_mut() {
            parts.head = Some((status, headers));
        }
    }

    /// Completes the exchange with its response body: `record` is handed
    /// the recording's line, when there is a recording, with room for it
    /// already reserved.
    pub(crate) fn complete(mut self, response_body: Capture, record: impl FnOnce(String)) {
        let Some(parts) = self.0.take() else {
            return;
        };
        let shared = Arc::clone(&parts.shared);
        let (request, response) = parts.into_messages(Some(response_body));
        let whole = request.body.is_ok() && response.body.is_ok();
        let request = request.into_request();
        let response = response.into_response();
        shared.counts.metrics.exchanges.inc();
        let line = (shared.recording.is_some() || shared.publish.is_some()).then(|| {
            if whole {
                specgate_validator::input::to_line_of(&request, &response, &shared.redactor)
            } else {
                // Bodies too large to keep: a replay must not check the
                // exchange as if it had none.
                to_incomplete_line(
                    &request,
                    Some(&response),
                    "body-too-large",
                    &shared.redactor,
                )
            }
        });
        let Ok(mut sequence) = shared.sequence.lock() else {
            return;
        };
        let entry = sequence.next;
        sequence.next += 1;
        if let Some(line) = line {
            if shared.recording.is_some() {
                shared.publish(entry, &line);
                record(line);
            } else {
                shared.publish_owned(entry, line);
            }
        }
        let exchange = Exchange {
            source: shared.source.clone(),
            entry,
            request,
            response,
        };
        if !whole {
            shared.counts.not_checked("body-too-large");
        } else if !sequence.queue.offer(exchange) {
            shared.counts.not_checked("validation-behind");
        }
    }

    /// Completes an exchange that has no body to wait for, waiting for
    /// room in the recording first.
    pub(crate) async fn complete_now(self) {
        let Some(limit) = self.0.as_ref().map(|parts| parts.shared.max_body) else {
            return;
        };
        let recording = self.0.as_ref().and_then(|p| p.shared.recording.clone());
        match recording {
            Some(sender) => match sender.reserve().await {
                Ok(permit) => self.complete(Capture::new(limit), |line| permit.send(line)),
                Err(_) => self.complete(Capture::new(limit), |_| {}),
            },
            None => self.complete(Capture::new(limit), |_| {}),
        }
    }

    /// The exchange broke off (the client went away, the upstream cut the
    /// body): counted as not checked, and recorded as far as it got.
    pub(crate) fn broke_off(mut self, reason: &'static str, response_body: Option<Capture>) {
        if let Some(parts) = self.0.take() {
            parts.shared.counts.metrics.exchanges.inc();
            parts.shared.counts.not_checked("incomplete");
            parts.record_stopped(reason, response_body);
        }
    }

    /// The exchange stopped for a reason counted elsewhere (an upstream
    /// error, a malformed request, a protocol switch): recorded as far as
    /// it got, for a replay to count and not check.
    pub(crate) fn stopped(mut self, reason: &'static str) {
        if let Some(parts) = self.0.take() {
            parts.record_stopped(reason, None);
        }
    }
}

impl Drop for Pending {
    /// Dropped before it ended: the client went away while the proxy
    /// waited (for the upstream, or for room in the recording).
    fn drop(&mut self) {
        if let Some(parts) = self.0.take() {
            parts.shared.counts.metrics.exchanges.inc();
            parts.shared.counts.not_checked("incomplete");
            parts.record_stopped("client-gone", None);
        }
    }
}

/// A message's parts before its body is known to be whole.
struct Message<T> {
    head: T,
    headers: Vec<(String, String)>,
    body: Result<Option<Vec<u8>>, TooLarge>,
}

impl Message<(String, String)> {
    fn into_request(self) -> Request {
        let (method, url) = self.head;
        Request {
            method,
            url,
            headers: self.headers,
            body: self.body.unwrap_or_default(),
        }
    }
}

impl Message<u16> {
    fn into_response(self) -> Response {
        Response {
            status: self.head,
            headers: self.headers,
            body: self.body.unwrap_or_default(),
        }
    }
}

impl Parts {
    /// The request, and the response (a `0` status before any arrived).
    fn into_messages(
        self,
        response_body: Option<Capture>,
    ) -> (Message<(String, String)>, Message<u16>) {
        let request_body = match self.request_body.lock() {
            Ok(mut capture) => capture.take().into_body(),
            Err(_) => Err(TooLarge),
        };
        let (status, response_headers) = self.head.unwrap_or_default();
        let response_body = response_body.map_or(Ok(None), Capture::into_body);
        (
            Message {
                head: (self.method, self.url),
                headers: self.request_headers,
                body: request_body,
            },
            Message {
                head: status,
                headers: response_headers,
                body: response_body,
            },
        )
    }

    /// Numbers the exchange and writes it to the recording, when there is
    /// one, marked incomplete: the numbers of later exchanges keep
    /// matching the recording's lines.
    fn record_stopped(self, reason: &'static str, response_body: Option<Capture>) {
        let shared = Arc::clone(&self.shared);
        let answered = self.head.is_some();
        let (request, response) = self.into_messages(response_body);
        let request = request.into_request();
        let response = answered.then(|| response.into_response());
        let line = if shared.recording.is_some() || shared.publish.is_some() {
            to_incomplete_line(&request, response.as_ref(), reason, &shared.redactor)
        } else {
            String::new()
        };
        let Some(sender) = shared.recording.clone() else {
            if let Ok(mut sequence) = shared.sequence.lock() {
                shared.publish_owned(sequence.next, line);
                sequence.next += 1;
            }
            return;
        };
        let write = move |line: String, permit: Option<mpsc::OwnedPermit<String>>| {
            if let Ok(mut sequence) = shared.sequence.lock() {
                shared.publish(sequence.next, &line);
                sequence.next += 1;
                if let Some(permit) = permit {
                    permit.send(line);
                }
            }
        };
        // Called where nothing can wait (a drop): written now when there is
        // room, else on a task of its own that waits for it.
        match sender.try_reserve_owned() {
            Ok(permit) => write(line, Some(permit)),
            Err(full) => {
                let sender = full.into_inner();
                match tokio::runtime::Handle::try_current() {
                    Ok(runtime) => {
                        runtime.spawn(async move {
                            let permit = sender.reserve_owned().await.ok();
                            write(line, permit);
                        });
                    }
                    Err(_) => write(line, None),
                }
            }
        }
    }
}
