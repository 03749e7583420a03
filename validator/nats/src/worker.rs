//! A worker of the pool: takes exchanges from the shared durable consumer,
//! checks each, stores its result, and only then acknowledges it, so a
//! worker that dies loses nothing (JetStream gives its exchanges to
//! another after the ack wait).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use specgate_validator::input::Record;
use specgate_validator::stored::Stored;
use specgate_validator::Matched;

use crate::message;
use crate::pool::Pool;
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
    /// Exchanges checked and stored.
    pub checked: usize,
    /// Of those, messages that were not records (stored as malformed).
    pub malformed: usize,
}

/// Exchanges taken per request.
const BATCH: usize = 64;
/// How long a request waits for exchanges to come.
const WAIT: Duration = Duration::from_millis(500);

/// Runs until SIGTERM or SIGINT (finishing the batch in hand), or, with
/// `until_empty`, until no exchange is waiting or held by any worker.
pub async fn work(
    pool: &Pool,
    options: Options,
    check: &mut dyn FnMut(Record) -> Stored,
) -> Result<Worked, Error> {
    let consumer = pool.consumer(options.ack_wait).await?;
    pool.results().await?;
    let stop = stop_on_signals();
    let mut worked = Worked::default();
    while !stop.load(Ordering::Relaxed) {
        let mut batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(WAIT)
            .messages()
            .await
            .map_err(|err| pool.error("cannot take exchanges", err))?;
        // Each result is sent as soon as it is checked; the batch's
        // exchanges are acknowledged once the server confirmed each one's
        // result, so stores overlap instead of taking a round trip each.
        let mut stored_then_ack = Vec::new();
        while let Some(message) = batch.next().await {
            let message = message.map_err(|err| pool.error("cannot take an exchange", err))?;
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
            let stored = check(record);
            worked.checked += 1;
            worked.malformed += usize::from(
                stored.checked.operation == Matched::Malformed && key.starts_with("seq-"),
            );
            let confirmation = pool
                .store(&key, specgate_validator::stored::pack(&stored.to_line()))
                .await?;
            stored_then_ack.push((confirmation, message));
        }
        let got = stored_then_ack.len();
        for (confirmation, message) in stored_then_ack {
            // Stored (the server has it) before acknowledged: a crash in
            // between redelivers the exchange, and its result is written
            // again under the same key, never counted twice.
            confirmation
                .await
                .map_err(|err| pool.error("cannot store a result", err))?;
            message
                .ack()
                .await
                .map_err(|err| pool.error("cannot acknowledge an exchange", err))?;
        }
        if got == 0 && options.until_empty {
            let info = consumer
                .get_info()
                .await
                .map_err(|err| pool.error("cannot read the consumer's state", err))?;
            if info.num_pending == 0 && info.num_ack_pending == 0 {
                break;
            }
        }
    }
    Ok(worked)
}

/// A flag raised by SIGTERM or SIGINT.
fn stop_on_signals() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let raised = Arc::clone(&stop);
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let (Ok(mut term), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
            ) else {
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
        raised.store(true, Ordering::Relaxed);
    });
    stop
}
