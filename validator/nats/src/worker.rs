//! A worker of the pool: takes exchanges from its job's durable consumer,
//! checks each, stores its result, and only then acknowledges it, so a
//! worker that dies loses nothing (JetStream gives its exchanges to
//! another after the ack wait).
//!
//! Checking and the pool's traffic overlap: the calling thread checks
//! while a thread of its own takes the next exchanges (a pull stream that
//! fetches ahead), stores results and acknowledges them. At most
//! [`IN_FLIGHT`] exchanges are between the two, so memory stays flat
//! however long the stream.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, context::PublishAckFuture};
use futures_util::StreamExt;
use specgate_validator::input::Record;
use specgate_validator::stored::{self, Job, Stored};
use specgate_validator::Matched;
use tokio::sync::{mpsc, watch};

use crate::address::Address;
use crate::message;
use crate::pool::{self, Pool};
use crate::Error;

/// How a worker runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Stop when the stream has nothing left for any worker.
    pub until_empty: bool,
    /// How long an exchange may be held unacknowledged before JetStream
    /// gives it to another worker (set when the consumer is created).
    pub ack_wait: Duration,
}

/// What one worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Worked {
    /// Exchanges checked, stored and acknowledged.
    pub checked: usize,
    /// Of those, messages that were not records (stored as malformed).
    pub malformed: usize,
}

/// A worker's counters as it runs, for `/metrics`.
#[derive(Debug, Default)]
pub struct Progress {
    /// Exchanges checked and stored (acknowledged once the server
    /// confirms).
    pub checked: AtomicU64,
    /// Of those, messages that were not records.
    pub malformed: AtomicU64,
    /// Exchanges of the job not yet acknowledged by any worker (waiting,
    /// or held): the consumer's backlog, as last asked.
    pub backlog: AtomicU64,
}

impl Progress {
    /// The counters in the Prometheus text format, labelled with the job:
    /// what a worker's `--metrics` serves.
    pub fn text(&self, job: Job) -> String {
        use prometheus_client::metrics::counter::ConstCounter;
        use prometheus_client::metrics::gauge::ConstGauge;
        let labels = [(
            std::borrow::Cow::Borrowed("job"),
            std::borrow::Cow::Borrowed(job.command()),
        )];
        let mut registry = prometheus_client::registry::Registry::with_prefix_and_labels(
            "specgate_worker",
            labels.into_iter(),
        );
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        registry.register(
            "checked",
            "Exchanges checked, their results stored and acknowledged",
            ConstCounter::new(load(&self.checked)),
        );
        registry.register(
            "malformed",
            "Messages of the stream that were not specgate records",
            ConstCounter::new(load(&self.malformed)),
        );
        registry.register(
            "backlog",
            "Exchanges of the job that no worker has acknowledged yet (waiting, or held)",
            ConstGauge::new(i64::try_from(load(&self.backlog)).unwrap_or(i64::MAX)),
        );
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &registry);
        text
    }
}

/// Exchanges taken but not yet acknowledged, at most (results wait for
/// the server's confirmation here: fewer made one worker 2.5x slower).
pub const IN_FLIGHT: usize = 1024;
/// Exchanges a pull request asks for; the stream asks for more when half
/// are taken, so the next ones are on their way while these are checked.
const BATCH: usize = 512;
/// How long the worker waits for an exchange before it asks whether the
/// stream is empty (with `until_empty`).
const WAIT: Duration = Duration::from_millis(100);
/// How often the backlog is asked for.
const BACKLOG_EVERY: Duration = Duration::from_secs(2);

/// An exchange taken from the stream, to check.
struct Taken {
    key: String,
    record: Record,
    message: jetstream::Message,
}

/// An exchange checked: its result, ready to store.
struct Checked {
    key: String,
    bytes: Vec<u8>,
    malformed: bool,
    message: jetstream::Message,
}

/// Runs one worker of the pool's `job` until SIGTERM or SIGINT (finishing
/// what it holds), or, with `until_empty`, until no exchange is waiting or
/// held by any worker. `check` runs on the calling thread.
pub fn run(
    address: &Address,
    job: Job,
    options: Options,
    progress: Arc<Progress>,
    mut check: impl FnMut(Record) -> Stored,
) -> Result<Worked, Error> {
    let (taken_tx, mut taken_rx) = mpsc::channel::<Taken>(IN_FLIGHT);
    let (checked_tx, checked_rx) = mpsc::channel::<Checked>(IN_FLIGHT);
    let address = address.clone();
    let io = std::thread::Builder::new()
        .name("specgate-pool".into())
        .spawn(move || {
            pool::runtime()?.block_on(async move {
                let pool = Pool::connect(&address).await?.for_job(job);
                serve(&pool, options, &progress, taken_tx, checked_rx).await
            })
        })
        .map_err(|err| Error::new(format!("cannot start the pool's thread: {err}")))?;
    while let Some(taken) = taken_rx.blocking_recv() {
        let stored = check(taken.record);
        let malformed =
            stored.checked.operation == Matched::Malformed && taken.key.starts_with("seq-");
        let checked = Checked {
            key: taken.key,
            bytes: stored::pack(&stored.to_line()),
            malformed,
            message: taken.message,
        };
        if checked_tx.blocking_send(checked).is_err() {
            break;
        }
    }
    drop(checked_tx);
    io.join()
        .map_err(|_| Error::new("the pool's thread stopped unexpectedly"))?
}

/// The pool's side of a worker: takes exchanges for the checking thread,
/// stores what it gives back, and has each acknowledged once stored.
async fn serve(
    pool: &Pool,
    options: Options,
    progress: &Progress,
    taken: mpsc::Sender<Taken>,
    mut checked: mpsc::Receiver<Checked>,
) -> Result<Worked, Error> {
    let consumer = pool.consumer(options.ack_wait).await?;
    pool.results().await?;
    let mut stop = stop_on_signals();
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(BATCH)
        .expires(Duration::from_secs(10))
        .heartbeat(Duration::from_secs(3))
        .messages()
        .await
        .map_err(|err| pool.error("cannot take exchanges", err))?;
    let (to_acknowledge, confirmations) = mpsc::channel(IN_FLIGHT);
    let acknowledging = tokio::spawn(acknowledge(confirmations));
    let mut taking = Some(taken);
    let mut in_flight = 0usize;
    let mut worked = Worked::default();
    let mut backlog = tokio::time::interval(BACKLOG_EVERY);
    let failed = loop {
        if taking.is_none() && in_flight == 0 {
            break None;
        }
        tokio::select! {
            biased;
            done = checked.recv() => {
                let Some(done) = done else {
                    break None;
                };
                in_flight -= 1;
                let confirmation = match pool.store(&done.key, done.bytes).await {
                    Ok(confirmation) => confirmation,
                    Err(err) => break Some(err),
                };
                worked.checked += 1;
                worked.malformed += usize::from(done.malformed);
                progress.checked.fetch_add(1, Ordering::Relaxed);
                progress.malformed.fetch_add(u64::from(done.malformed), Ordering::Relaxed);
                if to_acknowledge.send((confirmation, done.message)).await.is_err() {
                    break None;
                }
            }
            _ = stop.changed(), if taking.is_some() => taking = None,
            next = tokio::time::timeout(WAIT, messages.next()),
                if taking.is_some() && in_flight < IN_FLIGHT =>
            {
                match next {
                    Ok(Some(Ok(message))) => {
                        let sequence = message.info().map_or(0, |info| info.stream_sequence);
                        let header = |name: &str| {
                            message
                                .headers
                                .as_ref()
                                .and_then(|h| h.get(name))
                                .map(|v| v.as_str().to_owned())
                        };
                        let (key, record) =
                            message::decode(&pool.names.stream, sequence, header, &message.payload);
                        in_flight += 1;
                        let sent = match &taking {
                            Some(sender) => sender.send(Taken { key, record, message }).await,
                            None => Ok(()),
                        };
                        if sent.is_err() {
                            break None;
                        }
                    }
                    Ok(Some(Err(err))) => break Some(pool.error("cannot take exchanges", err)),
                    Ok(None) => taking = None,
                    Err(_) if options.until_empty && in_flight == 0 => {
                        match consumer.get_info().await {
                            Ok(info) if info.num_pending == 0 && info.num_ack_pending == 0 => {
                                taking = None;
                            }
                            Ok(_) => {}
                            Err(err) => {
                                break Some(pool.error("cannot read the consumer's state", err))
                            }
                        }
                    }
                    Err(_) => {}
                }
            }
            _ = backlog.tick() => {
                if let Ok(info) = consumer.get_info().await {
                    progress
                        .backlog
                        .store(info.num_pending + info.num_ack_pending as u64, Ordering::Relaxed);
                }
            }
        }
    };
    // No more exchanges for the checking thread; what was stored is
    // acknowledged before the worker ends.
    drop(taking);
    drop(to_acknowledge);
    let acknowledged = acknowledging
        .await
        .map_err(|_| Error::new("acknowledging stopped unexpectedly"))?;
    match (failed, acknowledged) {
        (Some(err), _) => Err(err),
        (None, Err(err)) => Err(pool.error("cannot store a result", err)),
        (None, Ok(())) => Ok(worked),
    }
}

/// Acknowledges each exchange once the server confirmed its result, in
/// the order stored: stored (the server has it) before acknowledged, so a
/// crash in between redelivers the exchange, and its result is written
/// again under the same key, never counted twice.
async fn acknowledge(
    mut confirmations: mpsc::Receiver<(PublishAckFuture, jetstream::Message)>,
) -> Result<(), String> {
    while let Some((confirmation, message)) = confirmations.recv().await {
        confirmation.await.map_err(|err| err.to_string())?;
        message
            .ack()
            .await
            .map_err(|err| format!("cannot acknowledge an exchange: {err}"))?;
    }
    Ok(())
}

/// Changes when SIGTERM or SIGINT comes.
fn stop_on_signals() -> watch::Receiver<bool> {
    let (raise, raised) = watch::channel(false);
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let (Ok(mut term), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
            ) else {
                // No signals to be had: the sender stays, nothing changes.
                std::future::pending::<()>().await;
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        let _ = raise.send(true);
    });
    raised
}
