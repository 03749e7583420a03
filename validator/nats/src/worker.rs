//! A worker of the pool: takes exchanges from its job's durable consumer,
//! checks each, stores its result, and only then acknowledges it, so a
//! worker that dies loses nothing (JetStream gives its exchanges to
//! another after the ack wait).
//!
//! Checking and the pool's traffic overlap: the calling thread checks
//! while a thread of its own takes the next exchanges, stores results and
//! acknowledges them. At most [`IN_FLIGHT`] exchanges wait to be checked,
//! so memory stays flat however long the stream.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, context::PublishAckFuture, message::Acker};
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
    /// What the worker did, as counted so far.
    pub fn worked(&self) -> Worked {
        let load = |counter: &AtomicU64| {
            usize::try_from(counter.load(Ordering::Relaxed)).unwrap_or(usize::MAX)
        };
        Worked {
            checked: load(&self.checked),
            malformed: load(&self.malformed),
        }
    }

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
/// Exchanges taken ahead of the checking thread, at most: enough that it
/// never waits for the next request, few enough that their records (a
/// 44 KB page each) keep a worker small.
const TAKEN_AHEAD: usize = 256;
/// Exchanges a request asks for.
const BATCH: usize = 256;
/// How long a request for exchanges stays open when fewer than a batch
/// are waiting; with `until_empty`, a request that brought none asks
/// whether the stream is empty.
const FETCH_WAIT: Duration = Duration::from_millis(250);
/// How long past [`FETCH_WAIT`] a request may stay silent before the
/// worker takes it for forgotten.
const FORGOTTEN_AFTER: Duration = Duration::from_secs(2);
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
    /// What acknowledges it: the message itself (its payload) is dropped
    /// once read, so exchanges waiting their turn take their record's
    /// memory only.
    acker: Acker,
}

/// An exchange checked: its result, ready to store.
struct Checked {
    key: String,
    bytes: Vec<u8>,
    malformed: bool,
    acker: Acker,
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
    let (taken_tx, mut taken_rx) = mpsc::channel::<Taken>(TAKEN_AHEAD);
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
            acker: taken.acker,
        };
        if checked_tx.blocking_send(checked).is_err() {
            break;
        }
    }
    drop(checked_tx);
    io.join()
        .map_err(|_| Error::new("the pool's thread stopped unexpectedly"))?
}

/// The pool's side of a worker: a task takes exchanges for the checking
/// thread, this loop stores what it gives back, and another task
/// acknowledges each once the server confirmed its result.
async fn serve(
    pool: &Pool,
    options: Options,
    progress: &Progress,
    taken: mpsc::Sender<Taken>,
    mut checked: mpsc::Receiver<Checked>,
) -> Result<Worked, Error> {
    let stop = stop_on_signals();
    let consumer = open(pool, options).await?;
    let taking = tokio::spawn(take(
        consumer.clone(),
        pool.names.stream.clone(),
        pool.address.clone(),
        options.until_empty,
        stop,
        taken,
    ));
    let (to_acknowledge, confirmations) = mpsc::channel(IN_FLIGHT);
    let acknowledging = tokio::spawn(acknowledge(
        pool.jetstream.clone(),
        confirmations,
        pool.address.clone(),
    ));
    let mut backlog = tokio::time::interval(BACKLOG_EVERY);
    let failed = loop {
        tokio::select! {
            biased;
            done = checked.recv() => {
                // None: taking ended (stopped, empty, or failed) and the
                // checking thread checked everything taken.
                let Some(done) = done else {
                    break false;
                };
                let subject = format!("{}{}", pool.names.results_prefix, done.key);
                let bytes = bytes::Bytes::from(done.bytes);
                // When it cannot be sent, the acknowledging task sends it
                // again, and waits.
                let confirmation = pool.jetstream.publish(subject.clone(), bytes.clone()).await.ok();
                progress.checked.fetch_add(1, Ordering::Relaxed);
                progress.malformed.fetch_add(u64::from(done.malformed), Ordering::Relaxed);
                let stored = Storing { subject, bytes, confirmation, acker: done.acker };
                if to_acknowledge.send(stored).await.is_err() {
                    break true;
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
    // Whatever ended the loop, the checking thread and the taking task end
    // too (their sends fail), and what was stored is acknowledged.
    drop(checked);
    drop(to_acknowledge);
    let acknowledged = acknowledging
        .await
        .map_err(|_| Error::new("acknowledging stopped unexpectedly"))?;
    let took = taking
        .await
        .map_err(|_| Error::new("taking exchanges stopped unexpectedly"))?;
    took?;
    match acknowledged {
        Err(err) => Err(pool.error("cannot store a result", err)),
        Ok(()) if failed => Err(Error::new("acknowledging stopped unexpectedly")),
        Ok(()) => Ok(progress.worked()),
    }
}

/// Takes exchanges for the checking thread, batch after batch, until
/// SIGTERM or SIGINT (the rest of the batch in hand is given back at once,
/// not after the ack wait), or, with `until_empty`, until no exchange is
/// waiting or held by any worker. The channel to the checking thread holds
/// up to [`IN_FLIGHT`]: the next exchanges are there while these are
/// checked.
async fn take(
    consumer: jetstream::consumer::PullConsumer,
    stream: String,
    address: Address,
    until_empty: bool,
    mut stop: watch::Receiver<bool>,
    taken: mpsc::Sender<Taken>,
) -> Result<(), Error> {
    let fail = |doing: &str, why: String| {
        Error::new(format!("{doing} ({address}): {}", address.redact(&why)))
    };
    let mut patience = Patience::default();
    loop {
        if *stop.borrow() {
            return Ok(());
        }
        let batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(FETCH_WAIT)
            .messages()
            .await;
        let mut batch = match batch {
            Ok(batch) => batch,
            Err(err) => {
                let why = || fail("cannot take exchanges", err.to_string());
                tokio::time::sleep(patience.failed(why)?).await;
                continue;
            }
        };
        let mut got = 0usize;
        // The server ends a request that expired; one it forgot (it died,
        // the client reconnected elsewhere) would never end: past the
        // wait and a margin, the worker asks again.
        while let Ok(Some(message)) =
            tokio::time::timeout(FETCH_WAIT + FORGOTTEN_AFTER, batch.next()).await
        {
            let message = match message {
                Ok(message) => message,
                // A leader elected anew, a reconnection: a new batch, a
                // while later.
                Err(err) => {
                    let why = || fail("cannot take exchanges", err.to_string());
                    tokio::time::sleep(patience.failed(why)?).await;
                    break;
                }
            };
            patience.succeeded();
            got += 1;
            if *stop.borrow() {
                give_back(message).await;
                continue;
            }
            let permit = tokio::select! {
                permit = taken.reserve() => permit,
                _ = stop.changed() => {
                    give_back(message).await;
                    continue;
                }
            };
            let Ok(permit) = permit else {
                // The checking thread is gone: the worker is ending.
                give_back(message).await;
                return Ok(());
            };
            let sequence = message.info().map_or(0, |info| info.stream_sequence);
            let header = |name: &str| {
                message
                    .headers
                    .as_ref()
                    .and_then(|h| h.get(name))
                    .map(|v| v.as_str().to_owned())
            };
            let (key, record) = message::decode(&stream, sequence, header, &message.payload);
            let (_, acker) = message.split();
            permit.send(Taken { key, record, acker });
        }
        if got == 0 && until_empty {
            match consumer.get_info().await {
                Ok(info) if info.num_pending == 0 && info.num_ack_pending == 0 => return Ok(()),
                Ok(_) => patience.succeeded(),
                Err(err) => {
                    let why = || fail("cannot read the consumer's state", err.to_string());
                    tokio::time::sleep(patience.failed(why)?).await;
                }
            }
        }
    }
}

/// The consumer and the results stream, tried again for [`RETRY_FOR`] (a
/// worker restarted while its cluster elects leaders).
async fn open(pool: &Pool, options: Options) -> Result<jetstream::consumer::PullConsumer, Error> {
    let mut patience = Patience::default();
    loop {
        let opened = async {
            let consumer = pool.consumer(options.ack_wait).await?;
            pool.results().await?;
            Ok::<_, Error>(consumer)
        };
        match opened.await {
            Ok(consumer) => return Ok(consumer),
            Err(err) => tokio::time::sleep(patience.failed(|| err)?).await,
        }
    }
}

/// An exchange the worker will not check (it is stopping): given back at
/// once, for another worker, not after the ack wait.
async fn give_back(message: jetstream::Message) {
    let _ = message.ack_with(jetstream::AckKind::Nak(None)).await;
}

/// A result sent to be stored, and the exchange it is for.
struct Storing {
    subject: String,
    bytes: bytes::Bytes,
    /// The server's confirmation to come; `None` when sending failed.
    confirmation: Option<PublishAckFuture>,
    acker: Acker,
}

/// Acknowledges each exchange once the server confirmed its result:
/// stored (the server has it) before acknowledged, so a crash in between
/// redelivers the exchange, and its result is written again under the same
/// key, never counted twice. Confirmations are awaited together (each
/// waits its own timeout: after a server restart, those it lost expire at
/// once, not one after another), and a result the server did not confirm
/// (a node that died, a stream without a leader for a while) is sent again
/// for [`RETRY_FOR`].
async fn acknowledge(
    jetstream: jetstream::Context,
    mut incoming: mpsc::Receiver<Storing>,
    address: Address,
) -> Result<(), String> {
    let mut confirming = futures_util::stream::FuturesUnordered::new();
    let mut open = true;
    loop {
        tokio::select! {
            storing = incoming.recv(), if open && confirming.len() < IN_FLIGHT => match storing {
                Some(storing) => confirming.push(confirm(jetstream.clone(), storing, &address)),
                None => open = false,
            },
            Some(confirmed) = confirming.next(), if !confirming.is_empty() => {
                let acker = confirmed?;
                acker
                    .ack()
                    .await
                    .map_err(|err| format!("cannot acknowledge an exchange: {err}"))?;
            }
            else => return Ok(()),
        }
    }
}

/// One result confirmed by the server, sent again while it is not; the
/// exchange to acknowledge.
async fn confirm(
    jetstream: jetstream::Context,
    storing: Storing,
    address: &Address,
) -> Result<Acker, String> {
    let mut patience = Patience::default();
    let mut confirmation = storing.confirmation;
    loop {
        let why = match confirmation.take() {
            Some(confirmation) => match confirmation.await {
                Ok(_) => return Ok(storing.acker),
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
