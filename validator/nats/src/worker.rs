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
/// How long a worker keeps trying when the pool fails it (a cluster
/// electing a new leader for a stream, a node that died with a request in
/// flight, a reconnection) before it gives up with an error.
pub const RETRY_FOR: Duration = Duration::from_secs(60);

/// Failures in a row, forgiven for [`RETRY_FOR`]: the wait before the
/// next try, doubling from 100 ms to 2 s, or the error once it is past.
#[derive(Default)]
struct Patience {
    since: Option<std::time::Instant>,
    tries: u32,
}

impl Patience {
    fn failed(&mut self, why: impl FnOnce() -> Error) -> Result<Duration, Error> {
        let since = *self.since.get_or_insert_with(std::time::Instant::now);
        if since.elapsed() > RETRY_FOR {
            return Err(why());
        }
        self.tries += 1;
        Ok(Duration::from_millis(100 << self.tries.min(5)).min(Duration::from_secs(2)))
    }

    fn succeeded(&mut self) {
        *self = Patience::default();
    }
}

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
    let mut stop = stop_on_signals();
    let (consumer, stream) = open(pool, options).await?;
    let mut messages = Some(stream);
    // Taking failed: when to try again.
    let mut reopen = tokio::time::Instant::now();
    let mut taking_patience = Patience::default();
    let mut asking_patience = Patience::default();
    let (to_acknowledge, confirmations) = mpsc::channel(IN_FLIGHT);
    let acknowledging = tokio::spawn(acknowledge(
        pool.jetstream.clone(),
        confirmations,
        pool.address.clone(),
    ));
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
                let subject = format!("{}{}", pool.names.results_prefix, done.key);
                let bytes = bytes::Bytes::from(done.bytes);
                // When it cannot be sent, the acknowledging task sends it
                // again, and waits.
                let confirmation = pool.jetstream.publish(subject.clone(), bytes.clone()).await.ok();
                worked.checked += 1;
                worked.malformed += usize::from(done.malformed);
                progress.checked.fetch_add(1, Ordering::Relaxed);
                progress.malformed.fetch_add(u64::from(done.malformed), Ordering::Relaxed);
                let stored = Storing { subject, bytes, confirmation, message: done.message };
                if to_acknowledge.send(stored).await.is_err() {
                    break None;
                }
            }
            _ = stop.changed(), if taking.is_some() => taking = None,
            _ = tokio::time::sleep_until(reopen), if messages.is_none() && taking.is_some() => {
                match take_from(&consumer, pool).await {
                    Ok(stream) => messages = Some(stream),
                    Err(err) => match taking_patience.failed(|| err) {
                        Ok(wait) => reopen = tokio::time::Instant::now() + wait,
                        Err(err) => break Some(err),
                    },
                }
            }
            next = next_message(&mut messages),
                if messages.is_some() && taking.is_some() && in_flight < IN_FLIGHT =>
            {
                match next {
                    Ok(Some(Ok(message))) => {
                        taking_patience.succeeded();
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
                    // A missed heartbeat, a leader elected anew, a
                    // reconnection: take from a new pull stream, a while
                    // later.
                    Ok(Some(Err(err))) => {
                        messages = None;
                        match taking_patience.failed(|| pool.error("cannot take exchanges", err)) {
                            Ok(wait) => reopen = tokio::time::Instant::now() + wait,
                            Err(err) => break Some(err),
                        }
                    }
                    Ok(None) => taking = None,
                    Err(_) if options.until_empty && in_flight == 0 => {
                        match consumer.get_info().await {
                            Ok(info) => {
                                asking_patience.succeeded();
                                if info.num_pending == 0 && info.num_ack_pending == 0 {
                                    taking = None;
                                }
                            }
                            Err(err) => {
                                let why = || pool.error("cannot read the consumer's state", err);
                                if let Err(err) = asking_patience.failed(why) {
                                    break Some(err);
                                }
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

/// A result sent to be stored, and the exchange it is for.
struct Storing {
    subject: String,
    bytes: bytes::Bytes,
    /// The server's confirmation to come; `None` when sending failed.
    confirmation: Option<PublishAckFuture>,
    message: jetstream::Message,
}

/// The consumer, the results stream and a pull stream, tried again for
/// [`RETRY_FOR`] (a worker restarted while its cluster elects leaders).
async fn open(
    pool: &Pool,
    options: Options,
) -> Result<
    (
        jetstream::consumer::PullConsumer,
        jetstream::consumer::pull::Stream,
    ),
    Error,
> {
    let mut patience = Patience::default();
    loop {
        let opened = async {
            let consumer = pool.consumer(options.ack_wait).await?;
            pool.results().await?;
            let stream = take_from(&consumer, pool).await?;
            Ok::<_, Error>((consumer, stream))
        };
        match opened.await {
            Ok(opened) => return Ok(opened),
            Err(err) => tokio::time::sleep(patience.failed(|| err)?).await,
        }
    }
}

/// A pull stream of the consumer's exchanges, asking ahead.
async fn take_from(
    consumer: &jetstream::consumer::PullConsumer,
    pool: &Pool,
) -> Result<jetstream::consumer::pull::Stream, Error> {
    consumer
        .stream()
        .max_messages_per_batch(BATCH)
        .expires(Duration::from_secs(10))
        .heartbeat(Duration::from_secs(3))
        .messages()
        .await
        .map_err(|err| pool.error("cannot take exchanges", err))
}

/// The next exchange, or nothing within [`WAIT`].
async fn next_message(
    messages: &mut Option<jetstream::consumer::pull::Stream>,
) -> Result<
    Option<
        Result<
            jetstream::Message,
            async_nats::error::Error<jetstream::consumer::pull::MessagesErrorKind>,
        >,
    >,
    tokio::time::error::Elapsed,
> {
    match messages {
        Some(messages) => tokio::time::timeout(WAIT, messages.next()).await,
        None => Ok(None),
    }
}

/// Acknowledges each exchange once the server confirmed its result, in
/// the order stored: stored (the server has it) before acknowledged, so a
/// crash in between redelivers the exchange, and its result is written
/// again under the same key, never counted twice. A result the server did
/// not confirm (a node that died, a stream without a leader for a while)
/// is sent again for [`RETRY_FOR`].
async fn acknowledge(
    jetstream: jetstream::Context,
    mut confirmations: mpsc::Receiver<Storing>,
    address: Address,
) -> Result<(), String> {
    while let Some(storing) = confirmations.recv().await {
        let mut patience = Patience::default();
        let mut confirmation = storing.confirmation;
        loop {
            let why = match confirmation.take() {
                Some(confirmation) => match confirmation.await {
                    Ok(_) => break,
                    Err(err) => err.to_string(),
                },
                None => "it could not be sent".to_owned(),
            };
            let wait = patience
                .failed(|| Error::new(format!("the server did not confirm it: {why}")))
                .map_err(|err| address.redact(&err.to_string()))?;
            tokio::time::sleep(wait).await;
            confirmation = jetstream
                .publish(storing.subject.clone(), storing.bytes.clone())
                .await
                .ok();
        }
        storing
            .message
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
