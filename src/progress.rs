//! The progress of long `specgate validate` runs: a bar over the bytes of
//! the inputs (a spinner when one is standard input, whose size is
//! unknown), with the records checked and their rate. Drawn on standard
//! error only when it is a terminal: indicatif draws nothing otherwise, so
//! logs and pipes stay clean.

use std::io::{IsTerminal, Read};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Redraw the record count this often: often enough to look alive, rarely
/// enough to cost nothing next to checking.
const RECORDS_PER_UPDATE: usize = 100;

/// Clones share one bar.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
}

impl Progress {
    /// A bar over `total` input bytes, or a spinner when it is unknown.
    pub fn new(total: Option<u64>) -> Self {
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} {msg}, eta {eta}",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {elapsed_precise} {bytes} read, {msg}",
            ),
        };
        // The templates are constants; a bad one would only lose the style.
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("0 records");
        if std::io::stderr().is_terminal() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// `reader`, counting what is read from it on the bar.
    pub fn wrap<R: Read>(&self, reader: R) -> impl Read {
        self.bar.wrap_read(reader)
    }

    /// Shows how many records are done.
    pub fn records(&self, done: usize) {
        if done % RECORDS_PER_UPDATE == 0 {
            let rate = done as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            self.bar
                .set_message(format!("{done} records ({rate:.0}/s)"));
        }
    }

    /// Takes the bar off the terminal before the report is written.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
