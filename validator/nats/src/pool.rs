//! A connection to a pool: the client, its JetStream context, and the
//! stream, consumer and results stream, created with the documented settings
//! when missing.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};

use crate::address::{Address, Auth};
use crate::names::Names;
use crate::Error;

/// The stream's settings when specgate creates it (the README documents
/// them): file storage, at most this many bytes, new exchanges refused
/// (not old ones dropped unchecked) when full.
pub const STREAM_MAX_BYTES: i64 = 1 << 30;
/// How long JetStream remembers a message id to drop its duplicates.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(10 * 60);
/// The results stream's limit.
pub const RESULTS_MAX_BYTES: i64 = 1 << 30;
/// How long a worker may hold an exchange before it goes to another.
pub const ACK_WAIT: Duration = Duration::from_secs(30);
/// Deliveries of one exchange before JetStream gives up on it (a record
/// that kills every worker that reads it).
pub const MAX_DELIVER: i64 = 5;
/// Exchanges held unacknowledged by all the workers together, at most
/// (JetStream's default, 1,000, let one worker hold what its fellows
/// should have had): room for a hundred workers' [`crate::worker::IN_FLIGHT`].
pub const MAX_ACK_PENDING: i64 = 100_000;
/// How long connecting to one server may take before the command gives
/// up on it (and on the address once it gave each server this long).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A connected pool.
pub struct Pool {
    pub address: Address,
    pub names: Names,
    pub jetstream: jetstream::Context,
}

impl Pool {
    /// Connects to any of the address's servers, within
    /// [`CONNECT_TIMEOUT`] each, and makes sure the stream exists.
    pub async fn connect(address: &Address) -> Result<Pool, Error> {
        let mut options = match &address.auth {
            Auth::None => async_nats::ConnectOptions::new(),
            Auth::UserPassword { user, password } => {
                async_nats::ConnectOptions::with_user_and_password(user.clone(), password.clone())
            }
            Auth::Token(token) => async_nats::ConnectOptions::with_token(token.clone()),
        }
        .name("specgate")
        .connection_timeout(CONNECT_TIMEOUT)
        .request_timeout(Some(Duration::from_secs(10)));
        // async-nats builds its TLS with rustls's process-wide provider,
        // which rustls cannot choose by itself in a binary that has both
        // ring and aws-lc-rs (specgate-live's): ring, unless one is set.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // TLS through async-nats's own options: required for `tls://` or
        // any TLS file; otherwise async-nats upgrades when the server asks.
        if address.tls.required() {
            options = options.require_tls(true);
        }
        if let Some(ca) = &address.tls.ca {
            options = options.add_root_certificates(ca.clone());
        }
        if let Some((cert, key)) = &address.tls.client {
            options = options.add_client_certificate(cert.clone(), key.clone());
        }
        let failed = |why: String| {
            Error::new(format!(
                "cannot connect to {address}: {}{}",
                address.redact(&why),
                address.tls_hint(&why)
            ))
        };
        // Every server of the address: async-nats tries them (in random
        // order) and reconnects among them, and those the cluster
        // announces.
        let servers = address
            .servers
            .iter()
            .map(|server| format!("nats://{server}").parse::<async_nats::ServerAddr>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| failed(err.to_string()))?;
        let within = CONNECT_TIMEOUT * servers.len().max(1) as u32;
        let connecting = options.connect(servers);
        let client = tokio::time::timeout(within + Duration::from_secs(1), connecting)
            .await
            .map_err(|_| failed(format!("no answer in {} s", within.as_secs())))?
            .map_err(|err| failed(err.to_string()))?;
        let pool = Pool {
            address: address.clone(),
            names: Names::of(&address.name),
            jetstream: jetstream::new(client),
        };
        pool.stream().await?;
        Ok(pool)
    }

    /// The pool as one job's workers and reports see it: that job's
    /// consumer and results (see [`Names::for_job`]).
    pub fn for_job(mut self, job: specgate_validator::stored::Job) -> Pool {
        self.names = Names::for_job(&self.address.name, job);
        self
    }

    /// An error about this pool, its secrets redacted.
    pub fn error(&self, doing: &str, why: impl std::fmt::Display) -> Error {
        Error::new(format!(
            "{doing} ({}): {}",
            self.address,
            self.address.redact(&why.to_string())
        ))
    }

    /// The stream of exchanges, created when missing.
    pub async fn stream(&self) -> Result<stream::Stream, Error> {
        let config = stream::Config {
            name: self.names.stream.clone(),
            subjects: vec![self.names.subject.clone()],
            storage: stream::StorageType::File,
            max_bytes: STREAM_MAX_BYTES,
            discard: stream::DiscardPolicy::New,
            duplicate_window: DUPLICATE_WINDOW,
            ..Default::default()
        };
        self.open_stream(config, "cannot open the stream").await
    }

    /// The workers' durable consumer, created when missing: explicit acks,
    /// `ack_wait` before an exchange goes to another worker.
    pub async fn consumer(
        &self,
        ack_wait: Duration,
    ) -> Result<consumer::Consumer<consumer::pull::Config>, Error> {
        let stream = self.stream().await?;
        let config = consumer::pull::Config {
            durable_name: Some(self.names.consumer.clone()),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait,
            max_deliver: MAX_DELIVER,
            max_ack_pending: MAX_ACK_PENDING,
            ..Default::default()
        };
        match stream
            .get_or_create_consumer(&self.names.consumer, config)
            .await
        {
            Ok(consumer) => Ok(consumer),
            // Made by another worker meanwhile (see `open_stream`).
            Err(first) => stream
                .get_consumer(&self.names.consumer)
                .await
                .map_err(|_| self.error("cannot open the workers' consumer", first)),
        }
    }

    /// The stream of results, created when missing: one subject per
    /// exchange, of which it keeps the last, so a result stored again
    /// (after a redelivery) replaces the first. A stream, not a key-value
    /// bucket: a bucket is the same thing, but the client's bucket calls
    /// need a newer server than Debian's.
    pub async fn results(&self) -> Result<stream::Stream, Error> {
        let config = stream::Config {
            name: self.names.results.clone(),
            subjects: vec![format!("{}*", self.names.results_prefix)],
            storage: stream::StorageType::File,
            max_bytes: RESULTS_MAX_BYTES,
            max_messages_per_subject: 1,
            discard: stream::DiscardPolicy::New,
            ..Default::default()
        };
        self.open_stream(config, "cannot open the results stream")
            .await
    }

    /// The stream, created when missing. Workers starting together may
    /// all find it missing: whoever loses the race to create it finds it
    /// made by another.
    async fn open_stream(
        &self,
        config: stream::Config,
        doing: &str,
    ) -> Result<stream::Stream, Error> {
        let name = config.name.clone();
        if !self.address.create {
            return match self.jetstream.get_stream(&name).await {
                Ok(stream) => Ok(stream),
                Err(err)
                    if matches!(
                        err.kind(),
                        jetstream::context::GetStreamErrorKind::JetStream(ref js)
                            if js.error_code() == jetstream::ErrorCode::STREAM_NOT_FOUND
                    ) =>
                {
                    Err(self.error(
                        doing,
                        format!(
                            "the stream {name} does not exist, and the address says ?create=false: \
                             create it (the README gives its settings), or leave ?create=false out"
                        ),
                    ))
                }
                Err(err) => Err(self.error(doing, err)),
            };
        }
        match self.jetstream.get_or_create_stream(config).await {
            Ok(stream) => Ok(stream),
            Err(first) => self
                .jetstream
                .get_stream(&name)
                .await
                .map_err(|_| self.error(doing, first)),
        }
    }
}

/// A current-thread runtime for one blocking call.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::new(format!("cannot start the async runtime: {err}")))
}
