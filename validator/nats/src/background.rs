//! A publisher beside live traffic (`specgate proxy --publish`): lines are
//! offered without waiting into a buffer bounded in count and bytes, and
//! a thread of its own publishes them, connecting (and, through the
//! client, reconnecting) as the server allows. What it cannot keep or
//! publish is counted, never waited for.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream::context::PublishAckFuture;
use tokio::sync::mpsc;

use crate::address::Address;
use crate::message::{self, Outgoing};
use crate::pool::Pool;

/// The buffer's bounds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Lines waiting, at most.
    pub count: usize,
    /// Bytes of lines waiting, at most.
    pub bytes: usize,
    /// After the proxy stops, how long the buffer may take to empty.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            count: 10_000,
            bytes: 64 << 20,
            grace: Duration::from_secs(5),
        }
    }
}

/// The offering end, and the thread that publishes.
pub struct Background {
    sender: Mutex<Option<mpsc::Sender<(usize, String)>>>,
    buffered: Arc<AtomicUsize>,
    dropped: Arc<AtomicU64>,
    published: Arc<AtomicU64>,
    limits: Limits,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// Acknowledgements awaited at once.
const IN_FLIGHT: usize = 256;
/// Between connection attempts.
const RETRY: Duration = Duration::from_secs(1);

impl Background {
    /// Starts publishing to `address`, naming each record's `source`.
    pub fn start(address: Address, source: String, limits: Limits) -> Result<Background, String> {
        let (sender, receiver) = mpsc::channel(limits.count.max(1));
        let buffered = Arc::new(AtomicUsize::new(0));
        let dropped = Arc::new(AtomicU64::new(0));
        let published = Arc::new(AtomicU64::new(0));
        let counters = Counters {
            buffered: Arc::clone(&buffered),
            dropped: Arc::clone(&dropped),
            published: Arc::clone(&published),
        };
        let thread = std::thread::Builder::new()
            .name("specgate-publisher".into())
            .spawn(move || {
                if let Ok(runtime) = crate::pool::runtime() {
                    runtime.block_on(drain(address, source, receiver, counters, limits.grace));
                }
            })
            .map_err(|err| format!("cannot start the publishing thread: {err}"))?;
        Ok(Background {
            sender: Mutex::new(Some(sender)),
            buffered,
            dropped,
            published,
            limits,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Takes a line without waiting; false (and counted) when the buffer
    /// is full.
    pub fn offer(&self, entry: usize, line: String) -> bool {
        let size = line.len();
        let room = self
            .buffered
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                (held + size <= self.limits.bytes).then_some(held + size)
            })
            .is_ok();
        let sent = room
            && self.sender.lock().ok().is_some_and(|sender| {
                sender
                    .as_ref()
                    .is_some_and(|s| s.try_send((entry, line)).is_ok())
            });
        if !sent {
            if room {
                self.buffered.fetch_sub(size, Ordering::AcqRel);
            }
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        sent
    }

    /// Lines dropped so far.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Stops taking lines, publishes what is buffered (within the grace
    /// period) and returns (published, dropped).
    pub fn finish(&self) -> (u64, u64) {
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = thread.join();
        }
        (
            self.published.load(Ordering::Relaxed),
            self.dropped.load(Ordering::Relaxed),
        )
    }
}

struct Counters {
    buffered: Arc<AtomicUsize>,
    dropped: Arc<AtomicU64>,
    published: Arc<AtomicU64>,
}

/// Connects (again and again while the server is away), then publishes
/// every line that comes until the offering end closes.
async fn drain(
    address: Address,
    source: String,
    mut lines: mpsc::Receiver<(usize, String)>,
    counters: Counters,
    grace: Duration,
) {
    let mut closed_at: Option<Instant> = None;
    let pool = loop {
        if let Ok(pool) = Pool::connect(&address).await {
            break Some(pool);
        }
        if lines.is_closed() {
            let closed = *closed_at.get_or_insert_with(Instant::now);
            if closed.elapsed() >= grace {
                break None;
            }
        }
        tokio::time::sleep(RETRY).await;
    };
    let Some(pool) = pool else {
        // Never connected: everything buffered is lost.
        while let Ok((_, line)) = lines.try_recv() {
            counters.buffered.fetch_sub(line.len(), Ordering::AcqRel);
            counters.dropped.fetch_add(1, Ordering::Relaxed);
        }
        return;
    };
    let mut pending: VecDeque<PublishAckFuture> = VecDeque::new();
    while let Some((entry, line)) = lines.recv().await {
        counters.buffered.fetch_sub(line.len(), Ordering::AcqRel);
        let record = Outgoing {
            source: source.clone(),
            entry,
            body: message::Body::Line(line),
        };
        match crate::publish::send(&pool, record).await {
            Ok(ack) => pending.push_back(ack),
            Err(_) => {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        while pending.len() >= IN_FLIGHT {
            if let Some(ack) = pending.pop_front() {
                settle(ack, &counters).await;
            }
        }
    }
    while let Some(ack) = pending.pop_front() {
        settle(ack, &counters).await;
    }
}

async fn settle(ack: PublishAckFuture, counters: &Counters) {
    match ack.await {
        Ok(_) => counters.published.fetch_add(1, Ordering::Relaxed),
        Err(_) => counters.dropped.fetch_add(1, Ordering::Relaxed),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_buffer_drops_and_counts_without_waiting() {
        // A server nothing listens on: lines only accumulate.
        let address = Address {
            servers: vec!["127.0.0.1:1".into()],
            name: "x".into(),
            auth: crate::address::Auth::None,
            tls: crate::address::Tls::default(),
            create: true,
        };
        let limits = Limits {
            count: 3,
            bytes: 10,
            grace: Duration::ZERO,
        };
        let background = Background::start(address, "s".into(), limits).unwrap();
        assert!(background.offer(0, "1234".into()));
        assert!(background.offer(1, "1234".into()));
        assert!(!background.offer(2, "1234".into()), "over the bytes");
        assert!(background.offer(3, "12".into()));
        assert!(!background.offer(4, "".into()), "over the count");
        assert_eq!(background.dropped(), 2);
        let (published, dropped) = background.finish();
        assert_eq!((published, dropped), (0, 5), "never connected: all lost");
    }
}
