//! `specgate proxy`: a reverse proxy in front of an API that passes every
//! exchange on unchanged and checks a copy of it beside the traffic.
//!
//! - [`forward`]: one request forwarded, or a `502`/`504` saying why not;
//! - [`tee`]: bodies passed on frame by frame, copied for validation;
//! - [`exchange`]: a completed exchange numbered, recorded and queued;
//! - [`capture`]: the bounded copy of a body.

mod capture;
mod exchange;
mod forward;
mod tee;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::HeaderValue;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use specgate_validator::Validator;
use tokio::net::TcpListener;
use tokio_util::task::TaskTracker;

pub use crate::checker::Outcome;

use crate::checker::{self, Counts};
use crate::recorder::Recorder;
use exchange::{Sequence, Shared};

/// How the proxy runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where requests go: scheme, host, port, and a path prefix put before
    /// each request's path.
    pub upstream: url::Url,
    /// Where clients connect.
    pub listen: SocketAddr,
    /// Append each exchange to this JSON Lines file.
    pub record: Option<PathBuf>,
    /// Offer each exchange's line (as `record` writes it) to this
    /// publisher, which never makes traffic wait.
    pub publish: Option<crate::publish::Publisher>,
    /// Bodies larger than this are passed on but not checked.
    pub max_body: usize,
    /// How long the upstream may take to start answering.
    pub timeout: Duration,
    /// Serve metrics (Prometheus text format) at `/metrics` here.
    pub metrics: Option<SocketAddr>,
    /// Exchanges waiting for validation, at most; past that they are
    /// counted as not checked. A burst's worth: a longer queue validates
    /// no more under steady load, and the bodies it holds cost memory and,
    /// measured, the traffic's tail latency.
    pub queue: usize,
    /// Print each finding on standard error as it is found.
    pub print_findings: bool,
    /// On shutdown, how long exchanges in flight may take to finish.
    pub grace: Duration,
}

impl Options {
    /// The defaults, for an upstream.
    pub fn new(upstream: url::Url) -> Self {
        Options {
            upstream,
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            record: None,
            publish: None,
            max_body: 16 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            metrics: None,
            queue: 64,
            print_findings: true,
            grace: Duration::from_secs(10),
        }
    }
}

/// Where a running proxy listens.
#[derive(Debug, Clone, Copy)]
pub struct Listening {
    pub proxy: SocketAddr,
    pub metrics: Option<SocketAddr>,
}

/// Runs the proxy until `shutdown` completes, then lets exchanges in
/// flight finish (for `grace` at most), checks every exchange still
/// queued and returns what was seen. `listening` is told the addresses
/// once the proxy accepts connections. The error is worded for the user.
pub fn run(
    validator: &Validator<'_>,
    options: &Options,
    listening: impl FnOnce(Listening),
    shutdown: impl Future<Output = ()>,
) -> Result<Outcome, String> {
    let upstream = &options.upstream;
    if !matches!(upstream.scheme(), "http" | "https") || upstream.host_str().is_none() {
        return Err(format!(
            "--upstream {upstream}: expected an http:// or https:// URL with a host"
        ));
    }
    let authority = match upstream.port() {
        Some(port) => format!("{}:{port}", upstream.host_str().unwrap_or_default()),
        None => upstream.host_str().unwrap_or_default().to_owned(),
    };
    let authority = HeaderValue::from_str(&authority)
        .map_err(|_| format!("--upstream {upstream}: the host cannot be sent as a header"))?;
    let prefix = format!(
        "{}://{}{}",
        upstream.scheme(),
        authority.to_str().unwrap_or_default(),
        upstream.path().trim_end_matches('/')
    );
    let client = crate::upstream::client()?;
    let counts = Arc::new(Counts::new(options.publish.clone()));
    let (queue, waiting) = checker::queue(options.queue);
    let (recorder, recording, first_entry) = match &options.record {
        Some(path) => {
            let first = existing_lines(path)?;
            let (recorder, sender) = Recorder::start(path)?;
            (Some(recorder), Some(sender), first)
        }
        None => (None, None, 0),
    };
    let source = options
        .record
        .as_ref()
        .map_or_else(|| "<proxy>".to_owned(), |path| path.display().to_string());
    let shared = Arc::new(Shared {
        prefix,
        authority,
        client,
        timeout: options.timeout,
        max_body: options.max_body,
        counts: Arc::clone(&counts),
        redactor: validator.redactor().clone(),
        source,
        recording,
        publish: options.publish.clone(),
        sequence: Mutex::new(Sequence {
            next: first_entry,
            queue,
        }),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("specgate-proxy")
        .build()
        .map_err(|err| format!("cannot start the proxy's runtime: {err}"))?;
    let served = std::thread::scope(|scope| {
        let checking = std::thread::Builder::new()
            .name("specgate-checker".into())
            // Deep bodies against recursive schemas, as `validate` allows.
            .stack_size(64 * 1024 * 1024)
            .spawn_scoped(scope, || {
                checker::check(validator, waiting, &counts, options.print_findings)
            })
            .map_err(|err| format!("cannot start the validation thread: {err}"))?;
        let served = runtime.block_on(serve(shared, options, &counts, listening, shutdown));
        // Connections still open past the grace period end here, and with
        // them the last senders of the validation queue.
        runtime.shutdown_timeout(Duration::from_millis(200));
        let report = checking
            .join()
            .map_err(|_| "the validation thread stopped unexpectedly".to_owned())?;
        served.map(|()| report)
    });
    let report = served?;
    let mut outcome = Outcome {
        report,
        ..Outcome::default()
    };
    counts.fill(&mut outcome);
    if let Some(recorder) = recorder {
        outcome.recorded = Some(recorder.finish()?);
    }
    Ok(outcome)
}

/// Lines already in a recording the proxy appends to: the first new
/// exchange's entry, so that findings name the line `validate` will.
fn existing_lines(path: &std::path::Path) -> Result<usize, String> {
    use std::io::BufRead;
    match std::fs::File::open(path) {
        Ok(file) => {
            let mut reader = std::io::BufReader::new(file);
            let mut lines = 0;
            loop {
                let buffer = reader.fill_buf().map_err(|err| {
                    format!("{}: cannot read the recording: {err}", path.display())
                })?;
                if buffer.is_empty() {
                    return Ok(lines);
                }
                lines += buffer.iter().filter(|&&b| b == b'\n').count();
                let length = buffer.len();
                reader.consume(length);
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(err) => Err(format!(
            "{}: cannot read the recording: {err}",
            path.display()
        )),
    }
}

async fn serve(
    shared: Arc<Shared>,
    options: &Options,
    counts: &Arc<Counts>,
    listening: impl FnOnce(Listening),
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|err| format!("cannot listen on {}: {err}", options.listen))?;
    let proxy = listener
        .local_addr()
        .map_err(|err| format!("cannot listen on {}: {err}", options.listen))?;
    let metrics = match options.metrics {
        Some(address) => {
            let counts = Arc::clone(counts);
            let text = Arc::new(move || counts.metrics_text());
            Some(crate::metrics::serve(address, text).await?)
        }
        None => None,
    };
    listening(Listening { proxy, metrics });
    let connections = TaskTracker::new();
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors, most likely: wait for some
                    // to be freed instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let mut stopping = stopping.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| forward::handle(Arc::clone(&shared), request));
                    let connection = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades();
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stopping.changed() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
        }
    }
    drop(listener);
    drop(shared);
    let _ = stop.send(true);
    connections.close();
    let _ = tokio::time::timeout(options.grace, connections.wait()).await;
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM where there are signals: what ends
/// `specgate proxy`.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
