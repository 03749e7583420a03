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
    mut progress: impl FnMut(usize),
) -> Report {
    let mut report = Report::default();
    if threads <= 1 {
        for (done, item) in items.enumerate() {
            report.add(check_item(validator, item));
            progress(done + 1);
        }
        return report;
    }
    std::thread::scope(|scope| {
        let (work, queue) = mpsc::sync_channel::<(usize, Item)>(threads * 4);
        let queue = Arc::new(Mutex::new(queue));
        let (done, finished) = mpsc::channel::<(usize, Checked)>();
        for _ in 0..threads {
            let queue = Arc::clone(&queue);
            let done = done.clone();
            scope.spawn(move || loop {
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
        }
        drop(done);
        let mut order = InOrder::default();
        for (index, item) in items.enumerate() {
            if work.send((index, item)).is_err() {
                break;
            }
            // Take what is ready as we go, so results do not pile up.
            while let Ok((index, checked)) = finished.try_recv() {
                order.add(index, checked, &mut report);
                progress(order.count);
            }
        }
        drop(work);
        for (index, checked) in finished {
            order.add(index, checked, &mut report);
            progress(order.count);
        }
    });
    report
}

/// Results put back in input order as they come: only those that overtook
/// an earlier one wait, at most about the queue's length.
#[derive(Default)]
struct InOrder {
    waiting: BTreeMap<usize, Checked>,
    next: usize,
    count: usize,
}

impl InOrder {
    fn add(&mut self, index: usize, checked: Checked, report: &mut Report) {
        self.count += 1;
        self.waiting.insert(index, checked);
        while let Some(checked) = self.waiting.remove(&self.next) {
            report.add(checked);
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
