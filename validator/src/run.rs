//! Many exchanges on all cores: the calling thread reads (only splitting
//! JSON Lines), workers parse and check, and the report takes the results
//! in input order as they come. The queue between them is bounded and
//! nothing but the report is kept, so memory stays flat however long the
//! input (the report itself grows only with findings).

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::check::{Checked, Validator};
use crate::input::{parse_line, Item};
use crate::report::Report;

/// Checks every item with `threads` workers (1: on this thread), calling
/// `progress` with the number of records done so far.
pub fn check_all(
    validator: &Validator<'_>,
    items: impl Iterator<Item = Item>,
    threads: usize,
    progress: impl FnMut(usize),
) -> Report {
    let mut report = Report::default();
    check_each(validator, items, threads, progress, |checked| {
        report.add(checked)
    });
    report
}

/// [`check_all`] with each record's result handed to `sink`, in input
/// order, as it is ready: for a caller that keeps its own summary (the
/// drift report keeps counts, not every finding).
pub fn check_each(
    validator: &Validator<'_>,
    items: impl Iterator<Item = Item>,
    threads: usize,
    mut progress: impl FnMut(usize),
    mut sink: impl FnMut(Checked),
) {
    let mut handled = 0;
    let mut items = items.enumerate();
    if threads > 1 {
        std::thread::scope(|scope| {
            let (work, queue) = mpsc::sync_channel::<(usize, Item)>(threads * 4);
            let queue = Arc::new(Mutex::new(queue));
            let (done, finished) = mpsc::channel::<(usize, Checked)>();
            let mut started = 0;
            for _ in 0..threads {
                let queue = Arc::clone(&queue);
                let done = done.clone();
                let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
                let spawned = worker.spawn_scoped(scope, move || loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok((index, item)) = job else {
                        return;
                    };
                    if done.send((index, check_item(validator, item))).is_err() {
                        return;
                    }
                });
                started += usize::from(spawned.is_ok());
            }
            // Only the workers hold the queue now: should they all stop,
            // sending fails instead of waiting forever.
            drop(queue);
            drop(done);
            if started == 0 {
                // No thread to be had: the loop below does the work here.
                return;
            }
            let mut order = InOrder::default();
            for (index, item) in items.by_ref() {
                if work.send((index, item)).is_err() {
                    break;
                }
                // Take what is ready as we go, so results do not pile up.
                while let Ok((index, checked)) = finished.try_recv() {
                    order.add(index, checked, &mut sink);
                    progress(order.count);
                }
            }
            drop(work);
            for (index, checked) in finished {
                order.add(index, checked, &mut sink);
                progress(order.count);
            }
            handled = order.next;
        });
    }
    // One thread asked for, or none could be started.
    for (_, item) in items {
        sink(check_item(validator, item));
        handled += 1;
        progress(handled);
    }
}

/// The stack of a worker thread: deep enough for JSON Schema checks of the
/// deepest body a parser accepts (128 levels) against recursive schemas,
/// in debug builds too. Memory is only touched as it is used.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// Results put back in input order as they come: only those that overtook
/// an earlier one wait, at most about the queue's length.
#[derive(Default)]
struct InOrder {
    waiting: BTreeMap<usize, Checked>,
    next: usize,
    count: usize,
}

impl InOrder {
    fn add(&mut self, index: usize, checked: Checked, sink: &mut impl FnMut(Checked)) {
        self.count += 1;
        self.waiting.insert(index, checked);
        while let Some(checked) = self.waiting.remove(&self.next) {
            sink(checked);
            self.next += 1;
        }
    }
}

/// One item checked: a parsed record's findings, or why it could not be
/// read.
pub fn check_item(validator: &Validator<'_>, item: Item) -> Checked {
    let record = match item {
        Ok(line) => parse_line(&line),
        Err(record) => record,
    };
    validator.check_record(record)
}

/// Makes the calling thread take only the time live traffic leaves: on
/// Linux it runs under `SCHED_IDLE`, so a request that wakes the service
/// takes the core from it at once (a low nice value still let it finish
/// its slice, milliseconds added to the tail), and under load the
/// exchanges it cannot reach are counted as not checked instead of
/// slowing traffic down. For the checking threads of the proxy and the
/// tower layer; elsewhere it does nothing.
pub fn yield_to_traffic() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use thread_priority::{
            set_thread_priority_and_policy, thread_native_id, NormalThreadSchedulePolicy,
            ThreadPriority, ThreadSchedulePolicy,
        };
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        );
    }
}
