//! Every stored result, in the order `specgate validate` reads records
//! (by source, then entry), whatever order the workers finished in.

use std::time::Duration;

use async_nats::jetstream::consumer::{self, AckPolicy, DeliverPolicy};
use futures_util::StreamExt;
use specgate_validator::report::Report;

use crate::message::Stored;
use crate::pool::Pool;
use crate::Error;

/// What the pool holds.
#[derive(Debug, Default)]
pub struct Merged {
    /// The results, as one run over the records would have made them.
    pub report: Report,
    /// Exchanges in the stream not yet checked (waiting, or held by a
    /// worker): the report is partial while this is not zero.
    pub unchecked: u64,
}

/// Results read per request.
const BATCH: usize = 512;

/// Reads every result into one report.
pub async fn merge(pool: &Pool) -> Result<Merged, Error> {
    let stored = read_results(pool).await?;
    let mut report = Report::default();
    for result in sorted(stored) {
        report.add(result.checked);
    }
    let unchecked = match pool.consumer(crate::ack_wait_from_env()).await {
        Ok(consumer) => consumer
            .get_info()
            .await
            .map(|info| info.num_pending + info.num_ack_pending as u64)
            .unwrap_or(0),
        Err(_) => 0,
    };
    Ok(Merged { report, unchecked })
}

/// In the order one run over the inputs adds them: by source, then
/// entry.
pub fn sorted(mut stored: Vec<Stored>) -> Vec<Stored> {
    stored.sort_by(|a, b| {
        (a.checked.source.as_str(), a.entry).cmp(&(b.checked.source.as_str(), b.entry))
    });
    stored
}

/// The last result of every exchange, through an ephemeral consumer that
/// delivers the last message of each subject.
async fn read_results(pool: &Pool) -> Result<Vec<Stored>, Error> {
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
    let mut stored = Vec::new();
    while (stored.len() as u64) < total {
        let mut batch = consumer
            .fetch()
            .max_messages(BATCH)
            .expires(Duration::from_secs(2))
            .messages()
            .await
            .map_err(|err| failed(err.to_string()))?;
        let before = stored.len();
        while let Some(message) = batch.next().await {
            let message = message.map_err(|err| failed(err.to_string()))?;
            let result = Stored::from_bytes(&message.payload).map_err(|err| {
                pool.error(
                    &format!("the result stored as {} cannot be read", message.subject),
                    err,
                )
            })?;
            stored.push(result);
        }
        if stored.len() == before {
            return Err(failed(format!(
                "{} results were announced, {} came",
                total,
                stored.len()
            )));
        }
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use specgate_validator::{Checked, Matched};

    fn stored(source: &str, entry: usize) -> Stored {
        Stored {
            entry,
            checked: Checked {
                source: source.into(),
                operation: Matched::Undocumented,
                findings: Vec::new(),
                unrecorded_body: false,
                observed: Default::default(),
            },
        }
    }

    #[test]
    fn results_sort_by_source_then_entry() {
        let order: Vec<(String, usize)> =
            sorted(vec![stored("b", 1), stored("a", 10), stored("a", 2)])
                .into_iter()
                .map(|s| (s.checked.source, s.entry))
                .collect();
        assert_eq!(order, [("a".into(), 2), ("a".into(), 10), ("b".into(), 1)]);
    }
}
