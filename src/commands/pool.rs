//! A pool of validators on NATS JetStream (`specgate-nats`): `publish
//! --to`, `validate --from` and `drift --from` (workers), the results
//! `report --from` merges, and the proxy's `--publish`.

use specgate_nats::{Address, Body, Env, Outgoing};
use specgate_validator::input::{parse_line, Item, Record};
use specgate_validator::stored::{Job, Stored};
use specgate_validator::{Redactor, Request, Validator};

use crate::cli::PublishArgs;
use crate::commands::validate::recordings;
use crate::commands::{input_error, SUCCESS};

/// A pool address from the command line, credentials from the
/// environment when it has none.
fn address(text: &str) -> Result<Address, String> {
    Address::parse(text, &Env::from_process()).map_err(|err| err.to_string())
}

/// `specgate publish --to`.
pub fn publish(args: &PublishArgs) -> i32 {
    let address = match address(&args.to) {
        Ok(address) => address,
        Err(message) => return input_error(&message),
    };
    let document = match crate::document_arg::load_for_recordings(&args.spec, &args.inputs) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let redactor = Redactor::new(&document).with_names(&args.redact.names);
    let (items, progress) = match recordings(&args.inputs) {
        Ok(read) => read,
        Err(message) => return input_error(&message),
    };
    let records = items.map(|item| outgoing(item, &redactor));
    let published = specgate_nats::publish(&address, records);
    progress.finish();
    match published {
        Ok(published) => {
            eprintln!(
                "published {} records to {address}; {} the stream already had were dropped",
                published.stored, published.duplicates
            );
            SUCCESS
        }
        Err(err) => input_error(&err.to_string()),
    }
}

/// A record as it is published: its JSON Lines line, secrets redacted,
/// or why it could not be read.
fn outgoing(item: Item, redactor: &Redactor) -> Outgoing {
    let record = item.map_or_else(|record| record, |line| parse_line(&line));
    match record {
        Record::Exchange(exchange) => Outgoing {
            body: Body::Line(specgate_validator::input::to_line(&exchange, redactor)),
            source: exchange.source,
            entry: exchange.entry,
        },
        Record::Unanswered { source, entry, url } => {
            // The reader keeps only the URL of an unanswered request, and
            // only the URL is read back: the method is never reported.
            let request = Request {
                method: "GET".into(),
                url,
                headers: Vec::new(),
                body: None,
            };
            let line = specgate_validator::input::to_incomplete_line(
                &request,
                None,
                "unanswered",
                redactor,
            );
            Outgoing {
                source,
                entry,
                body: Body::Line(line),
            }
        }
        Record::Malformed {
            source,
            entry,
            reason,
        } => Outgoing {
            source,
            entry,
            body: Body::Malformed(reason),
        },
    }
}

/// How a worker was asked to run.
pub struct Worker {
    pub until_empty: bool,
    /// Where to serve `/metrics`.
    pub metrics: Option<std::net::SocketAddr>,
}

/// `specgate validate --from` and `specgate drift --from`: one worker of
/// the pool's `job`.
pub fn work(from: &str, job: Job, worker: &Worker, validator: &Validator<'_>) -> i32 {
    let address = match address(from) {
        Ok(address) => address,
        Err(message) => return input_error(&message),
    };
    let options = specgate_nats::Options {
        until_empty: worker.until_empty,
        ack_wait: specgate_nats::ack_wait_from_env(),
    };
    let progress = std::sync::Arc::new(specgate_nats::Progress::default());
    if let Some(metrics) = worker.metrics {
        let counters = std::sync::Arc::clone(&progress);
        let text = std::sync::Arc::new(move || counters.text(job));
        match specgate_live::metrics::serve_in_background(metrics, text) {
            Ok(bound) => eprintln!(
                "specgate {}: metrics at http://{bound}/metrics",
                job.command()
            ),
            Err(message) => return input_error(&message),
        }
    }
    let fingerprint = validator.fingerprint();
    let check = |record| Stored::of(validator, &fingerprint, job, validator.check_record(record));
    match specgate_nats::work(&address, job, options, progress, check) {
        Ok(worked) => {
            eprintln!(
                "checked {} exchanges from {address} ({} messages were not records)",
                worked.checked, worked.malformed
            );
            SUCCESS
        }
        Err(err) => input_error(&err.to_string()),
    }
}

/// The results a pool's `job` workers stored, merged; a warning when
/// exchanges are still waiting.
pub fn merged(from: &str, job: Job) -> Result<specgate_validator::stored::Merged, String> {
    let address = address(from)?;
    let merged = specgate_nats::merge(&address, job).map_err(|err| err.to_string())?;
    if merged.unchecked > 0 {
        eprintln!(
            "warning: {} exchanges in {address} are not checked yet: this report is partial",
            merged.unchecked
        );
    }
    Ok(merged.results)
}

/// The proxy's publisher (`proxy --publish`): a bounded buffer and a
/// thread that publishes it.
pub struct Background {
    inner: specgate_nats::background::Background,
    /// The pool, without credentials.
    pub address: String,
}

impl Background {
    /// Publishes what is buffered (briefly) and returns (published,
    /// dropped).
    pub fn finish(&self) -> (u64, u64) {
        self.inner.finish()
    }
}

impl specgate_live::publish::Publish for Background {
    fn offer(&self, entry: usize, line: String) -> bool {
        self.inner.offer(entry, line)
    }

    fn dropped(&self) -> u64 {
        self.inner.dropped()
    }
}

/// Starts publishing to `url`. Records are named by the recording they
/// are also written to, or else by this run (the proxy's start and
/// process id), so that entries counted from 0 again by a later run are
/// not taken for this run's duplicates.
pub fn background(
    url: &str,
    record: Option<&std::path::Path>,
) -> Result<std::sync::Arc<Background>, String> {
    let address = address(url)?;
    let source = match record {
        Some(path) => path.display().to_string(),
        None => {
            let started = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            format!("<proxy {started} {}>", std::process::id())
        }
    };
    let shown = address.to_string();
    let inner = specgate_nats::background::Background::start(
        address,
        source,
        specgate_nats::background::Limits::default(),
    )?;
    Ok(std::sync::Arc::new(Background {
        inner,
        address: shown,
    }))
}
