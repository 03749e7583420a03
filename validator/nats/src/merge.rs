//! Every stored result, in the order `specgate validate` reads records
//! (by source, then entry), whatever order the workers finished in.
//!
//! In a cluster, a killed node takes with it the leadership of the
//! streams it led (and the ephemeral consumer reading them) until the
//! others elect new leaders, which takes seconds: meanwhile requests time
//! out or are answered 503. Such failures are retried, from the start,
//! for up to [`RETRY_FOR`]; any other fails at once.

use std::time::{Duration, Instant};

use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy};
use futures_util::StreamExt;
use specgate_validator::stored;

use crate::address::Address;
use crate::pool::Pool;
use crate::Error;

/// What the pool holds.
#[derive(Debug, Default)]
pub struct Merged {
    /// The results, in the order one run over the records reads them.
    pub results: stored::Merged,
    /// Exchanges in the stream not yet checked (waiting, or held by a
    /// worker): the report is partial while this is not zero.
    pub unchecked: u64,
}

/// Results read per request.
const BATCH: usize = 512;
/// How long transient failures are retried, from the first.
pub const RETRY_FOR: Duration = Duration::from_secs(30);
/// The first wait before trying again; it doubles up to [`BACKOFF_MAX`].
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

/// Connects to the pool and reads every result of `job`. Opening the
/// stream is retried as reading is; not reaching any server, or being
/// refused by it, fails at once.
pub async fn connect_and_merge(address: &Address, job: stored::Job) -> Result<Merged, Error> {
    let mut retry = Retry::new(RETRY_FOR);
    let pool = loop {
        let connecting = async {
            Pool::connect(address).await.map_err(|error| {
                let why = error.to_string();
                Failure {
                    transient: !why.starts_with("cannot connect to") && transient(&why),
                    error,
                }
            })
        };
        match retry
            .bound(connecting, || {
                Error::new(format!("cannot open the stream ({address}): timed out"))
            })
            .await
        {
            Ok(pool) => break pool.for_job(job),
            Err(failure) => retry.after(failure).await?,
        }
    };
    merge_retrying(&pool, retry).await
}

/// Reads every result of the pool's job.
pub async fn merge(pool: &Pool) -> Result<Merged, Error> {
    merge_retrying(pool, Retry::new(RETRY_FOR)).await
}

async fn merge_retrying(pool: &Pool, mut retry: Retry) -> Result<Merged, Error> {
    let results = loop {
        let reading = read_results(pool);
        match retry
            .bound(reading, || {
                pool.error("cannot read the results", "timed out")
            })
            .await
        {
            Ok(results) => break results,
            Err(failure) => retry.after(failure).await?,
        }
    };
    let unchecked = loop {
        let counting = unchecked(pool);
        match retry
            .bound(counting, || {
                pool.error("cannot count the unchecked exchanges", "timed out")
            })
            .await
        {
            Ok(unchecked) => break unchecked,
            // As before: a count that cannot be had is no error.
            Err(failure) => match retry.after(failure).await {
                Ok(()) => {}
                Err(_) => break 0,
            },
        }
    };
    Ok(Merged { results, unchecked })
}

/// Exchanges waiting or held by a worker.
async fn unchecked(pool: &Pool) -> Result<u64, Failure> {
    let consumer = pool
        .consumer(crate::ack_wait_from_env())
        .await
        .map_err(Failure::from_error)?;
    let info = consumer.get_info().await.map_err(|err| {
        Failure::of(
            pool.error("cannot count the unchecked exchanges", &err),
            &err,
        )
    })?;
    Ok(info.num_pending + info.num_ack_pending as u64)
}

/// Why one try failed, and whether trying again may help.
#[derive(Debug)]
struct Failure {
    error: Error,
    transient: bool,
}

impl Failure {
    /// `error`, made of what async-nats said (`why`).
    fn of(error: Error, why: &impl std::fmt::Display) -> Failure {
        Failure {
            transient: transient(&why.to_string()),
            error,
        }
    }

    /// An error of this crate's, whose text holds async-nats's.
    fn from_error(error: Error) -> Failure {
        Failure {
            transient: transient(&error.to_string()),
            error,
        }
    }

    fn permanent(error: Error) -> Failure {
        Failure {
            error,
            transient: false,
        }
    }
}

/// Whether async-nats's words `why` tell of a cluster between leaders
/// (or a node lost), which passes: a request that timed out or found no
/// responder, JetStream's 503s (no leader, no quorum, temporarily
/// unavailable), a stream or consumer offline, the reading consumer lost
/// with its node.
fn transient(why: &str) -> bool {
    let why = why.to_ascii_lowercase();
    [
        "timed out",
        "no responders",
        // async-nats's words for a JetStream request without responders.
        "requested jetstream resource does not exist",
        "(code 503,",
        "temporarily unavailable",
        "is offline",
        "no leader",
        "missed idle heartbeat",
        "consumer deleted",
    ]
    .iter()
    .any(|words| why.contains(words))
}

/// Tries again after transient failures, waiting a little longer each
/// time, until `limit` has passed since the first.
struct Retry {
    limit: Duration,
    first: Option<Instant>,
    wait: Duration,
}

impl Retry {
    fn new(limit: Duration) -> Retry {
        Retry {
            limit,
            first: None,
            wait: BACKOFF_FIRST,
        }
    }

    /// `work`, within what is left of the time once a try failed (a
    /// first try, which may read many results, is not bounded): past
    /// that, the failure `timed_out` makes.
    async fn bound<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, Failure>>,
        timed_out: impl FnOnce() -> Error,
    ) -> Result<T, Failure> {
        let Some(first) = self.first else {
            return work.await;
        };
        let left = self.limit.saturating_sub(first.elapsed());
        tokio::time::timeout(left, work).await.unwrap_or_else(|_| {
            Err(Failure {
                error: timed_out(),
                transient: true,
            })
        })
    }

    /// Waits before the next try, or returns the error when it is
    /// permanent or the time is up.
    async fn after(&mut self, failure: Failure) -> Result<(), Error> {
        let first = *self.first.get_or_insert_with(Instant::now);
        if !failure.transient {
            return Err(failure.error);
        }
        if first.elapsed() + self.wait > self.limit {
            return Err(Error::new(format!(
                "{} (still failing after {} s of retries)",
                failure.error,
                first.elapsed().as_secs()
            )));
        }
        tokio::time::sleep(self.wait).await;
        self.wait = (self.wait * 2).min(BACKOFF_MAX);
        Ok(())
    }
}

/// The last result of every exchange, through an ephemeral consumer that
/// delivers the last message of each subject (a new one on each try).
async fn read_results(pool: &Pool) -> Result<stored::Merged, Failure> {
    let stream = pool.results().await.map_err(Failure::from_error)?;
    let config = consumer::pull::Config {
        deliver_policy: DeliverPolicy::LastPerSubject,
        filter_subject: format!("{}*", pool.names.results_prefix),
        ack_policy: AckPolicy::None,
        inactive_threshold: Duration::from_secs(60),
        ..Default::default()
    };
    let failed = |err: &dyn std::fmt::Display| {
        let err = err.to_string();
        Failure::of(pool.error("cannot read the results", &err), &err)
    };
    let consumer = stream
        .create_consumer(config)
        .await
        .map_err(|e| failed(&e))?;
    let total = consumer
        .get_info()
        .await
        .map_err(|e| failed(&e))?
        .num_pending;
    let mut merged = stored::Merged::default();
    let mut read = 0u64;
    while read < total {
        let mut batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(Duration::from_secs(2))
            .messages()
            .await
            .map_err(|e| failed(&e))?;
        let before = read;
        while let Some(message) = batch.next().await {
            let message = message.map_err(|e| failed(&e))?;
            let unreadable = |why: String| {
                Failure::permanent(pool.error(
                    &format!("the result stored as {} cannot be read", message.subject),
                    why,
                ))
            };
            merged.add(&message.payload).map_err(unreadable)?;
            read += 1;
        }
        if read == before {
            // The consumer stalled (its stream between leaders, say): a
            // new one, from the start, is tried while time allows.
            let error = pool.error(
                "cannot read the results",
                format!("{total} results were announced, {read} came"),
            );
            return Err(Failure {
                error,
                transient: true,
            });
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_between_leaders_is_transient_anything_else_is_not() {
        for why in [
            "timed out",
            "request failed: timed out",
            "jetstream error: JetStream system temporarily unavailable (code 503, error code 10008)",
            "jetstream error: stream is offline (code 500, error code 10118)",
            "Requested JetStream resource does not exist",
            "no responders",
            "missed idle heartbeat",
            "cannot open the results stream (nats://h:1/n): timed out",
        ] {
            assert!(transient(why), "{why}");
        }
        for why in [
            "jetstream error: stream not found (code 404, error code 10059)",
            "jetstream error: maximum consumers limit reached (code 400, error code 10026)",
            "authorization violation",
            "the result stored as x cannot be read: not gzip",
        ] {
            assert!(!transient(why), "{why}");
        }
    }

    fn failure(text: &str, transient: bool) -> Failure {
        Failure {
            error: Error::new(text),
            transient,
        }
    }

    #[tokio::test]
    async fn transient_failures_are_retried_for_a_bounded_time() {
        let started = Instant::now();
        // Waits of 0.25 s, then 0.5 s, which would end past 0.6 s.
        let mut retry = Retry::new(Duration::from_millis(600));
        let mut tries = 0;
        let err = loop {
            tries += 1;
            if let Err(err) = retry.after(failure("timed out", true)).await {
                break err;
            }
        };
        assert_eq!(tries, 2);
        assert!(started.elapsed() < Duration::from_millis(600));
        assert!(
            err.to_string()
                .starts_with("timed out (still failing after 0 s"),
            "{err}"
        );

        // Once a try failed, the next is cut short when the time is up.
        let started = Instant::now();
        let mut retry = Retry::new(Duration::from_millis(400));
        let first = retry.bound(async { Ok(1) }, || Error::new("cut")).await;
        assert_eq!(first.unwrap(), 1);
        retry.after(failure("timed out", true)).await.unwrap();
        let hung = retry
            .bound(std::future::pending::<Result<(), Failure>>(), || {
                Error::new("cut")
            })
            .await
            .unwrap_err();
        assert!(hung.transient);
        assert_eq!(hung.error.to_string(), "cut");
        assert!(started.elapsed() < Duration::from_millis(600));
        let err = retry.after(hung).await.unwrap_err();
        assert!(err.to_string().starts_with("cut (still failing"), "{err}");

        let started = Instant::now();
        let mut retry = Retry::new(Duration::from_secs(30));
        let err = retry
            .after(failure("authorization violation", false))
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "authorization violation");
        assert!(started.elapsed() < Duration::from_millis(100));
    }
}
