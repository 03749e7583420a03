//! Report mode's checking thread: exchanges wait in a bounded queue and one
//! thread checks them in the order they ended. A full queue is never
//! waited for: the exchange is counted as not checked (`validation-behind`)
//! and the service goes on, so no response is delayed and memory stays
//! bounded however fast traffic comes.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use specgate_validator::{Exchange, Request, Response};

use crate::config::{report, Settings};
use crate::metrics::Metrics;

/// Which halves of an exchange are left to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Halves {
    /// The request was checked (enforced) on its way in.
    Response,
    Both,
}

struct Job {
    exchange: Exchange,
    halves: Halves,
    /// Its place in the queue, given back once it is checked.
    _slot: Slot,
}

/// A place in the queue, taken before a response is copied (so no body is
/// copied that could not be queued) and given back when its exchange is
/// checked, or dropped unchecked.
pub(crate) struct Slot {
    free: Arc<AtomicUsize>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.free.fetch_add(1, Ordering::Release);
    }
}

/// The sending end, and counts of what was sent and what was checked.
pub(crate) struct Reporter {
    sender: Option<SyncSender<Job>>,
    /// Places left in the queue, counting exchanges still being copied.
    free: Arc<AtomicUsize>,
    progress: Arc<Progress>,
    /// Exchanges offered for report-mode checking, for sampling.
    offered: AtomicU64,
    sample: f64,
}

#[derive(Default)]
struct Progress {
    queued: Mutex<u64>,
    done: Mutex<u64>,
    changed: Condvar,
}

impl Reporter {
    /// Starts the checking thread (when anything is in report mode).
    pub(crate) fn start(metrics: Arc<Metrics>, settings: Settings) -> Reporter {
        let progress = Arc::new(Progress::default());
        let sample = settings.sample;
        let settings_queue = settings.queue;
        let reports =
            settings.requests == crate::Mode::Report || settings.responses == crate::Mode::Report;
        let sender = reports.then(|| {
            let (sender, receiver) = mpsc::sync_channel::<Job>(settings.queue);
            let progress = Arc::clone(&progress);
            let spawned = std::thread::Builder::new()
                .name("specgate-layer".into())
                // Deep bodies against recursive schemas, as `validate` allows.
                .stack_size(64 * 1024 * 1024)
                .spawn(move || {
                    // Checks take only the CPU the service leaves.
                    specgate_validator::yield_to_traffic();
                    for job in receiver {
                        check(&settings, &metrics, job);
                        if let Ok(mut done) = progress.done.lock() {
                            *done += 1;
                        }
                        progress.changed.notify_all();
                    }
                });
            spawned.ok().map(|_| sender)
        });
        Reporter {
            free: Arc::new(AtomicUsize::new(if sender.is_some() {
                settings_queue
            } else {
                0
            })),
            sender: sender.flatten(),
            progress,
            offered: AtomicU64::new(0),
            sample,
        }
    }

    /// Whether this exchange is one of the sampled share: every n-th,
    /// evenly (the k-th is taken when k × rate crosses a whole number).
    pub(crate) fn sampled(&self) -> bool {
        let k = self.offered.fetch_add(1, Ordering::Relaxed);
        let before = (k as f64 * self.sample).floor();
        let after = ((k + 1) as f64 * self.sample).floor();
        after > before
    }

    /// A place in the queue, when there is one: a response is copied only
    /// with one, so a layer that is behind copies nothing.
    pub(crate) fn reserve(&self) -> Option<Slot> {
        self.free
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |free| {
                free.checked_sub(1)
            })
            .ok()
            .map(|_| Slot {
                free: Arc::clone(&self.free),
            })
    }

    /// Queues an exchange for checking in its reserved place; `false` when
    /// there is no checking thread, and it is not checked.
    pub(crate) fn offer(
        &self,
        slot: Slot,
        request: Request,
        response: Response,
        halves: Halves,
    ) -> bool {
        let Some(sender) = &self.sender else {
            return false;
        };
        let job = Job {
            exchange: Exchange {
                source: "<layer>".into(),
                entry: 0,
                request,
                response,
            },
            halves,
            _slot: slot,
        };
        match sender.try_send(job) {
            Ok(()) => {
                if let Ok(mut queued) = self.progress.queued.lock() {
                    *queued += 1;
                }
                true
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        }
    }

    /// Waits until everything queued is checked, at most `timeout`.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let queued = self.progress.queued.lock().map(|q| *q).unwrap_or(0);
        let Ok(mut done) = self.progress.done.lock() else {
            return false;
        };
        while *done < queued {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.progress.changed.wait_timeout(done, left) {
                Ok((next, _)) => done = next,
                Err(_) => return false,
            }
        }
        true
    }
}

/// One exchange checked, its findings reported.
fn check(settings: &Settings, metrics: &Metrics, job: Job) {
    let validator = &settings.validator;
    let checked = match job.halves {
        Halves::Both => validator.check_record(specgate_validator::input::Record::Exchange(
            Box::new(job.exchange),
        )),
        Halves::Response => {
            let exchange = &job.exchange;
            validator.check_response(
                &exchange.source,
                exchange.entry,
                &exchange.request,
                &exchange.response,
            )
        }
    };
    if let specgate_validator::Matched::Operation(id) = &checked.operation {
        if settings.excluded_operations.contains(id) {
            metrics.not_checked("excluded");
            return;
        }
    }
    metrics.checked.inc();
    report(settings, metrics, &checked.findings);
}
