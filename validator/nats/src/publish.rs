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
    let body = fit(
        record.body,
        pool.jetstream.client().server_info().max_payload,
    );
    let payload = match body {
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

/// A record too large for one message of this server goes out as a
/// malformed one that says so: counted and named in the report, instead of
/// failing the whole publication or vanishing.
fn fit(body: Body, max_payload: usize) -> Body {
    match body {
        // Room for the headers, which count towards the limit.
        Body::Line(line) if max_payload > 0 && line.len() + 1024 > max_payload => {
            Body::Malformed(format!(
                "the record is {} bytes, more than the NATS server takes in one message ({max_payload} bytes: its max_payload); it was not published",
                line.len()
            ))
        }
        body => body,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_over_the_servers_limit_is_sent_as_malformed() {
        let small = Body::Line("x".repeat(10));
        assert_eq!(fit(small.clone(), 1 << 20), small);
        let large = fit(Body::Line("x".repeat(1 << 20)), 1 << 20);
        assert!(matches!(large, Body::Malformed(ref why) if why.contains("1048576 bytes")));
        // A server that says nothing of a limit.
        assert_eq!(fit(small.clone(), 0), small);
    }
}
