//! The bodies the proxy passes on: each frame goes through untouched as
//! soon as it arrives, and a copy is kept for validation. The response
//! body completes its exchange when its last frame arrives, before that
//! frame is passed on: that is where the recording may hold traffic back
//! (waiting for room in its queue), and nowhere else.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio_util::sync::PollSender;

use super::capture::Capture;
use super::exchange::Pending;

/// A request body on its way upstream, copied as it goes.
pub(crate) struct RequestTee {
    inner: Incoming,
    capture: Arc<Mutex<Capture>>,
}

impl RequestTee {
    pub(crate) fn new(inner: Incoming, capture: Arc<Mutex<Capture>>) -> Self {
        RequestTee { inner, capture }
    }
}

impl Body for RequestTee {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        if let Ok(mut capture) = self.capture.lock() {
            match &frame {
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        capture.push(data);
                    }
                }
                // The client's body is malformed: its fault, not the
                // upstream's, whatever the upstream connection then says.
                Some(Err(_)) => capture.fail(),
                None => {}
            }
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body on its way to the client, copied as it goes; it
/// completes its exchange when the upstream's body ends.
pub(crate) struct ResponseTee {
    inner: Incoming,
    capture: Capture,
    /// The exchange, until it is completed or broken off.
    pending: Option<Pending>,
    /// Where the recording's lines go, when there is one.
    recording: Option<PollSender<String>>,
    /// The last frame, held until the exchange is completed.
    held: Option<Frame<Bytes>>,
    /// The upstream's body has ended.
    ended: bool,
}

impl ResponseTee {
    pub(crate) fn new(
        inner: Incoming,
        pending: Pending,
        recording: Option<PollSender<String>>,
        limit: usize,
    ) -> Self {
        ResponseTee {
            inner,
            capture: Capture::new(limit),
            pending: Some(pending),
            recording,
            held: None,
            ended: false,
        }
    }
}

impl Body for ResponseTee {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        loop {
            if this.pending.is_none() {
                return Poll::Ready(this.held.take().map(Ok));
            }
            if this.ended {
                if let Some(recording) = this.recording.as_mut() {
                    if ready!(recording.poll_reserve(cx)).is_err() {
                        // The recording stopped (its error is reported at
                        // shutdown); the traffic goes on without it.
                        this.recording = None;
                    }
                }
                if let Some(pending) = this.pending.take() {
                    pending.complete(this.capture.take(), |line| {
                        if let Some(recording) = this.recording.as_mut() {
                            let _ = recording.send_item(line);
                        }
                    });
                }
                continue;
            }
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        this.capture.push(data);
                    }
                    if !this.inner.is_end_stream() {
                        return Poll::Ready(Some(Ok(frame)));
                    }
                    this.held = Some(frame);
                    this.ended = true;
                }
                Some(Err(err)) => {
                    if let Some(pending) = this.pending.take() {
                        pending.broke_off("upstream-cut", Some(this.capture.take()));
                    }
                    return Poll::Ready(Some(Err(err)));
                }
                None => this.ended = true,
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_none() && self.held.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match &self.held {
            Some(frame) => SizeHint::with_exact(frame.data_ref().map_or(0, |d| d.len() as u64)),
            None => self.inner.size_hint(),
        }
    }
}

impl Drop for ResponseTee {
    /// A body dropped before its end: the client went away, or the
    /// connection was cut. The exchange is counted, not checked, and
    /// recorded as far as it got.
    fn drop(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.broke_off("client-gone", Some(self.capture.take()));
        }
    }
}
