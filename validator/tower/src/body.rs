//! The bodies the layer passes on: whole (read to be checked), a prefix
//! read before the body turned out too large followed by the rest, copied
//! as they stream (checked once they end), or untouched.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use bytes::{Buf, Bytes};
use http_body::{Body, Frame, SizeHint};

use crate::BoxError;

pin_project_lite::pin_project! {
    /// A request or response body as the layer passes it on.
    pub struct CheckedBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project_lite::pin_project! {
    #[project = KindProj]
    enum Kind<B> {
        Whole { bytes: Option<Bytes> },
        Prefixed { prefix: Option<Bytes>, #[pin] rest: B },
        Copied { #[pin] inner: B, copy: Copy },
        Untouched { #[pin] inner: B },
    }
}

impl<B> CheckedBody<B> {
    /// A body read whole.
    pub(crate) fn whole(bytes: Bytes) -> Self {
        CheckedBody {
            kind: Kind::Whole {
                bytes: (!bytes.is_empty()).then_some(bytes),
            },
        }
    }

    /// The part already read, then the rest as it comes.
    pub(crate) fn prefixed(prefix: Bytes, rest: B) -> Self {
        CheckedBody {
            kind: Kind::Prefixed {
                prefix: (!prefix.is_empty()).then_some(prefix),
                rest,
            },
        }
    }

    /// Passed on as it streams, and copied into `copy`.
    pub(crate) fn copied(inner: B, copy: Copy) -> Self {
        CheckedBody {
            kind: Kind::Copied { inner, copy },
        }
    }

    /// Passed on untouched.
    pub(crate) fn untouched(inner: B) -> Self {
        CheckedBody {
            kind: Kind::Untouched { inner },
        }
    }
}

/// A copy of a body as it streams, up to a limit; `done` is called once,
/// with the whole body when it ended within the limit, `None` when it
/// broke off, went past the limit or was dropped before its end.
pub(crate) struct Copy {
    bytes: Vec<u8>,
    limit: usize,
    over: bool,
    done: Option<Done>,
}

/// What a copy calls when its body ends (or does not).
type Done = Box<dyn FnOnce(Option<Vec<u8>>) + Send>;

impl Copy {
    pub(crate) fn new(limit: usize, done: impl FnOnce(Option<Vec<u8>>) + Send + 'static) -> Self {
        Copy {
            bytes: Vec::new(),
            limit,
            over: false,
            done: Some(Box::new(done)),
        }
    }

    fn push(&mut self, data: &[u8]) {
        if self.over {
            return;
        }
        if self.bytes.len() + data.len() > self.limit {
            self.over = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(data);
        }
    }

    /// Ends the copy: `done` is called with the body when `whole`.
    pub(crate) fn finish(&mut self, whole: bool) {
        if let Some(done) = self.done.take() {
            let bytes = std::mem::take(&mut self.bytes);
            done((whole && !self.over).then_some(bytes));
        }
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        self.finish(false);
    }
}

/// A copy shared between a body and the exchange it belongs to: the
/// request's copy is read when the response ends.
pub(crate) type SharedBytes = Arc<Mutex<Option<Option<Vec<u8>>>>>;

impl<B> Body for CheckedBody<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.project().kind.project() {
            KindProj::Whole { bytes } => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            KindProj::Prefixed { prefix, rest } => {
                if let Some(prefix) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(prefix))));
                }
                rest.poll_frame(cx).map_err(Into::into)
            }
            KindProj::Copied { mut inner, copy } => {
                let frame = ready!(inner.as_mut().poll_frame(cx));
                match &frame {
                    Some(Ok(frame)) => {
                        if let Some(data) = frame.data_ref() {
                            copy.push(data.chunk());
                        }
                        // A server stops polling once a body of known
                        // length is written: its end is known here.
                        if inner.is_end_stream() {
                            copy.finish(true);
                        }
                    }
                    Some(Err(_)) => copy.finish(false),
                    None => copy.finish(true),
                }
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            KindProj::Untouched { inner } => inner.poll_frame(cx).map_err(Into::into),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Whole { bytes } => bytes.is_none(),
            Kind::Prefixed { prefix, rest } => prefix.is_none() && rest.is_end_stream(),
            // A copy learns of the end by polling for it.
            Kind::Copied { .. } => false,
            Kind::Untouched { inner } => inner.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Whole { bytes } => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Kind::Prefixed { prefix, rest } => {
                let extra = prefix.as_ref().map_or(0, |b| b.len() as u64);
                let rest = rest.size_hint();
                let mut hint = SizeHint::new();
                hint.set_lower(rest.lower() + extra);
                if let Some(upper) = rest.upper() {
                    hint.set_upper(upper + extra);
                }
                hint
            }
            Kind::Copied { inner, .. } | Kind::Untouched { inner } => inner.size_hint(),
        }
    }
}

/// A body read up to `limit` bytes: whole, or what was read before it went
/// past the limit (and the rest, unread), or the error that broke it.
pub(crate) enum Read<B> {
    Whole(Bytes),
    TooLarge { prefix: Bytes, rest: B },
    Broken(BoxError),
}

/// Reads `body` whole when it fits in `limit` bytes.
pub(crate) async fn read_bounded<B>(body: B, limit: usize) -> Read<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    use http_body_util::BodyExt;
    let mut body = body;
    if body.size_hint().lower() > limit as u64 {
        return Read::TooLarge {
            prefix: Bytes::new(),
            rest: body,
        };
    }
    let mut read = bytes::BytesMut::new();
    loop {
        match body.frame().await {
            None => return Read::Whole(read.freeze()),
            Some(Err(err)) => return Read::Broken(err.into()),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    read.extend_from_slice(data.chunk());
                    if read.len() > limit {
                        return Read::TooLarge {
                            prefix: read.freeze(),
                            rest: body,
                        };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Full};

    #[test]
    fn a_copy_reports_the_whole_body_once_and_nothing_past_its_limit() {
        let seen: SharedBytes = Arc::default();
        let sink = Arc::clone(&seen);
        let mut copy = Copy::new(4, move |bytes| {
            if let Ok(mut slot) = sink.lock() {
                *slot = Some(bytes);
            }
        });
        copy.push(b"ab");
        copy.push(b"cd");
        copy.finish(true);
        copy.finish(true);
        assert_eq!(
            *seen.lock().unwrap_or_else(|e| e.into_inner()),
            Some(Some(b"abcd".to_vec()))
        );
        let over: SharedBytes = Arc::default();
        let sink = Arc::clone(&over);
        let mut copy = Copy::new(2, move |bytes| {
            if let Ok(mut slot) = sink.lock() {
                *slot = Some(bytes);
            }
        });
        copy.push(b"abc");
        drop(copy);
        assert_eq!(*over.lock().unwrap_or_else(|e| e.into_inner()), Some(None));
    }

    #[test]
    fn a_prefixed_body_gives_its_prefix_then_the_rest() {
        let body = CheckedBody::prefixed(
            Bytes::from_static(b"ab"),
            Full::new(Bytes::from_static(b"cd")),
        );
        let runtime = tokio::runtime::Builder::new_current_thread().build();
        let Ok(runtime) = runtime else { return };
        let collected = runtime.block_on(body.collect());
        assert_eq!(
            collected.ok().map(|c| c.to_bytes()),
            Some(Bytes::from_static(b"abcd"))
        );
    }
}
