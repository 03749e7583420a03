//! `specgate-nats`: exchanges over NATS JetStream to a pool of validators,
//! and reports that merge.
//!
//! One name, `NAME`, gives every other ([`names::Names`]): producers
//! publish records ([`publish`]) to the stream `NAME`; workers ([`work`])
//! share its durable consumer, so each exchange is checked by one of them,
//! and store each result in the results stream under the record's stable
//! id before acknowledging it; [`merge`] reads those results back, in the
//! order one run over the records would have read them
//! ([`specgate_validator::stored`]). `specgate validate` and `specgate
//! drift` are two jobs on the same stream, each with its own consumer and
//! results. The calls here block: each runs
//! on a runtime of its own, so the binary and the validator stay
//! synchronous.

pub mod address;
pub mod background;
pub mod merge;
pub mod message;
pub mod names;
pub mod pool;
pub mod publish;
pub mod worker;

use specgate_validator::input::Record;
use specgate_validator::stored::{Job, Stored};

pub use address::{Address, Env};
pub use merge::Merged;
pub use message::{Body, Outgoing};
pub use publish::Published;
pub use worker::{Options, Progress, Worked};

/// Why a pool could not be used. Its text never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

/// Publishes records to the pool's stream.
pub fn publish(
    address: &Address,
    records: impl Iterator<Item = Outgoing>,
) -> Result<Published, Error> {
    pool::runtime()?.block_on(async {
        let pool = pool::Pool::connect(address).await?;
        publish::publish(&pool, records).await
    })
}

/// Runs one worker of the pool for `job` (see [`worker::run`]); `check`
/// runs on the calling thread.
pub fn work(
    address: &Address,
    job: Job,
    options: Options,
    progress: std::sync::Arc<Progress>,
    check: impl FnMut(Record) -> Stored,
) -> Result<Worked, Error> {
    worker::run(address, job, options, progress, check)
}

/// Every result `job`'s workers stored.
pub fn merge(address: &Address, job: Job) -> Result<Merged, Error> {
    pool::runtime()?.block_on(merge::connect_and_merge(address, job))
}

/// The ack wait workers create the consumer with: `SPECGATE_NATS_ACK_WAIT`
/// seconds when set (tests use a short one), [`pool::ACK_WAIT`] otherwise.
pub fn ack_wait_from_env() -> std::time::Duration {
    std::env::var("SPECGATE_NATS_ACK_WAIT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(pool::ACK_WAIT, std::time::Duration::from_secs_f64)
}
