//! The recording: each completed exchange appended to a JSON Lines file
//! as one record, in order, by a thread of its own. Lines are flushed
//! whenever the queue runs dry, so a killed proxy leaves every exchange it
//! finished before the kill on disk. The queue is bounded and senders wait
//! for room: a disk that cannot keep up slows the traffic down, and no
//! exchange is dropped.

use std::io::Write;
use std::path::Path;

use tokio::sync::mpsc;

/// Lines waiting for the disk, at most.
pub(crate) const QUEUE: usize = 256;

/// The writing thread's handle.
pub(crate) struct Recorder {
    thread: std::thread::JoinHandle<Result<u64, String>>,
}

impl Recorder {
    /// Opens `path` for appending (creating it) and starts writing what
    /// arrives on the returned sender.
    pub(crate) fn start(path: &Path) -> Result<(Recorder, mpsc::Sender<String>), String> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|err| format!("{}: cannot open the recording: {err}", path.display()))?;
        let (sender, receiver) = mpsc::channel(QUEUE);
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("specgate-recorder".into())
            .spawn(move || write_all(file, &path, receiver))
            .map_err(|err| format!("cannot start the recording thread: {err}"))?;
        Ok((Recorder { thread }, sender))
    }

    /// Waits until every line sent before the senders were dropped is on
    /// disk: the number of lines, or why writing failed.
    pub(crate) fn finish(self) -> Result<u64, String> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err("the recording thread stopped unexpectedly".into()))
    }
}

fn write_all(
    file: std::fs::File,
    path: &Path,
    mut lines: mpsc::Receiver<String>,
) -> Result<u64, String> {
    let failed =
        |err: std::io::Error| format!("{}: cannot write the recording: {err}", path.display());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let mut written = 0;
    while let Some(line) = lines.blocking_recv() {
        let mut next = Some(line);
        while let Some(line) = next {
            out.write_all(line.as_bytes()).map_err(failed)?;
            out.write_all(b"\n").map_err(failed)?;
            written += 1;
            next = lines.try_recv().ok();
        }
        out.flush().map_err(failed)?;
    }
    out.flush().map_err(failed)?;
    Ok(written)
}
