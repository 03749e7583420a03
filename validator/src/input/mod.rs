//! Exchanges in: JSON Lines (streamed), HAR 1.2, or a directory of such
//! files. A record that cannot be read becomes a `malformed` finding for
//! that record; the others are still read.

mod har;
mod jsonl;
mod record;

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::exchange::Exchange;

pub use jsonl::{parse_line, JsonLines, Line, Lines};
pub use record::{to_incomplete_line, to_line, to_line_of};

/// A record read from an input: an exchange, or why it could not be read
/// (with the raw text, for the report to echo after redaction).
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Exchange(Box<Exchange>),
    /// A request recorded without a whole response (HAR's status 0:
    /// aborted by the page, blocked, failed on the network; a recording's
    /// `"incomplete"` record: the client went away, the upstream failed or
    /// cut the body off, a body too large to keep): nothing to check.
    Unanswered {
        source: String,
        entry: usize,
        url: String,
    },
    Malformed {
        source: String,
        entry: usize,
        reason: String,
    },
}

/// The error of an input that cannot be read at all.
fn unreadable(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// The files an input names: itself, or the `.jsonl`, `.ndjson`, `.json`
/// and `.har` files below a directory, sorted.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let metadata = std::fs::metadata(path).map_err(unreadable(path))?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(unreadable(&dir))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["jsonl", "ndjson", "json", "har"].contains(&e))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Work read from an input: a JSON Lines line still to parse, or a record
/// already read (HAR entries, read errors).
pub type Item = Result<Line, Record>;

/// The records of one file: HAR when it is one JSON document with a `log`
/// (or ends in `.har`), JSON Lines otherwise, streamed.
pub fn read_file(path: &Path) -> Result<Box<dyn Iterator<Item = Record>>, Error> {
    let items = read_items(path)?;
    Ok(Box::new(items.map(|item| {
        item.map_or_else(|record| record, |line| parse_line(&line))
    })))
}

/// [`read_file`], with JSON Lines left unparsed for worker threads.
pub fn read_items(path: &Path) -> Result<Box<dyn Iterator<Item = Item> + Send>, Error> {
    let file = open(path)?;
    items_from(path, file)
}

/// Opens an input file, with the message a user needs when it cannot be.
pub fn open(path: &Path) -> Result<std::fs::File, Error> {
    std::fs::File::open(path).map_err(unreadable(path))
}

/// The items of a file already opened (perhaps wrapped, to count the bytes
/// read): HAR when it ends in `.har` or starts as one, JSON Lines
/// otherwise.
pub fn items_from(
    path: &Path,
    reader: impl std::io::Read + Send + 'static,
) -> Result<Box<dyn Iterator<Item = Item> + Send>, Error> {
    let name = path.display().to_string();
    let mut reader = std::io::BufReader::new(reader);
    let is_har = path.extension().is_some_and(|e| e == "har") || {
        let start = reader.fill_buf().map_err(unreadable(path))?;
        looks_like_har(start)
    };
    if is_har {
        // A byte order mark is not JSON.
        let start = reader.fill_buf().map_err(unreadable(path))?;
        if start.starts_with(b"\xef\xbb\xbf") {
            reader.consume(3);
        }
        return Ok(Box::new(har::stream(name, reader).map(Err)));
    }
    Ok(Box::new(Lines::new(name, reader)))
}

/// A HAR file is one JSON object whose first member is `log`.
fn looks_like_har(start: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&start[..start.len().min(512)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.strip_prefix('{')
        .is_some_and(|rest| rest.trim_start().starts_with("\"log\""))
}
