//! Every stored result, in the order `specgate validate` reads records
//! (by source, then entry), whatever order the workers finished in.

use std::time::Duration;

use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy};
use futures_util::StreamExt;
use specgate_validator::stored;

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

/// Reads every result of the pool's job.
pub async fn merge(pool: &Pool) -> Result<Merged, Error> {
    let results = read_results(pool).await?;
    let unchecked = match pool.consumer(crate::ack_wait_from_env()).await {
        Ok(consumer) => consumer
            .get_info()
            .await
            .map(|info| info.num_pending + info.num_ack_pending as u64)
            .unwrap_or(0),
        Err(_) => 0,
    };
    Ok(Merged { results, unchecked })
}

/// The last result of every exchange, through an ephemeral consumer that
/// delivers the last message of each subject.
async fn read_results(pool: &Pool) -> Result<stored::Merged, Error> {
    let stream = pool.results().await?;
    let config = consumer::pull::Config {
        deliver_policy: DeliverPolicy::LastPerSubject,
        filter_subject: format!("{}*", pool.names.results_prefix),
        ack_policy: AckPolicy::None,
        inactive_threshold: Duration::from_secs(60),
        ..Default::default()
    };
    let consumer = stream
        .create_consumer(config)
        .await
        .map_err(|err| pool.error("cannot read the results", err))?;
    let failed = |err: String| pool.error("cannot read the results", err);
    let total = consumer
        .get_info()
        .await
        .map_err(|err| failed(err.to_string()))?
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
            .map_err(|err| failed(err.to_string()))?;
        let before = read;
        while let Some(message) = batch.next().await {
            let message = message.map_err(|err| failed(err.to_string()))?;
            let unreadable = |why: String| {
                pool.error(
                    &format!("the result stored as {} cannot be read", message.subject),
                    why,
                )
            };
            merged.add(&message.payload).map_err(unreadable)?;
            read += 1;
        }
        if read == before {
            return Err(failed(format!(
                "{total} results were announced, {read} came"
            )));
        }
    }
    Ok(merged)
}
