//! Records into the stream, many acknowledgements in flight at once.

use std::collections::VecDeque;

use async_nats::jetstream::context::PublishAckFuture;
use async_nats::HeaderMap;

use crate::message::{self, Body, Outgoing};
use crate::pool::Pool;
use crate::Error;

/// Acknowledgements awaited at once: enough to keep loopback busy.
const IN_FLIGHT: usize = 256;

/// What a publication did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Records the stream stored.
    pub stored: usize,
    /// Records it dropped as duplicates of ones it already had.
    pub duplicates: usize,
}

/// Publishes every record, each with its stable id; returns once the
/// stream has acknowledged all of them.
pub async fn publish(
    pool: &Pool,
    records: impl Iterator<Item = Outgoing>,
) -> Result<Published, Error> {
    let mut counts = Published::default();
    let mut pending: VecDeque<PublishAckFuture> = VecDeque::new();
    for record in records {
        let sent = send(pool, record).await?;
        pending.push_back(sent);
        if pending.len() >= IN_FLIGHT {
            if let Some(oldest) = pending.pop_front() {
                confirm(pool, oldest, &mut counts).await?;
            }
        }
    }
    while let Some(oldest) = pending.pop_front() {
        confirm(pool, oldest, &mut counts).await?;
    }
    Ok(counts)
}

/// Sends one record with its id, source and entry; the future resolves
/// when the stream stored it.
pub async fn send(pool: &Pool, record: Outgoing) -> Result<PublishAckFuture, Error> {
    let mut headers = HeaderMap::new();
    headers.insert(
        message::MSG_ID,
        message::record_id(&record.source, record.entry).as_str(),
    );
    headers.insert(message::SOURCE, record.source.as_str());
    headers.insert(message::ENTRY, record.entry.to_string().as_str());
    let payload = match record.body {
        Body::Line(line) => line.into_bytes(),
        Body::Malformed(reason) => {
            // A header is one line.
            headers.insert(
                message::MALFORMED,
                reason.replace(['\r', '\n'], " ").as_str(),
            );
            Vec::new()
        }
    };
    pool.jetstream
        .publish_with_headers(pool.names.subject.clone(), headers, payload.into())
        .await
        .map_err(|err| pool.error("cannot publish", err))
}

async fn confirm(pool: &Pool, ack: PublishAckFuture, counts: &mut Published) -> Result<(), Error> {
    let ack = ack
        .await
        .map_err(|err| pool.error("the stream did not store a record", err))?;
    if ack.duplicate {
        counts.duplicates += 1;
    } else {
        counts.stored += 1;
    }
    Ok(())
}
