//! JSON Lines, one exchange per line, read as a stream: memory stays flat
//! however long the file. Blank lines are skipped but counted, so `entry`
//! is always the line's 0-based index. Splitting lines ([`Lines`]) and
//! parsing them ([`parse_line`]) are apart, so parsing can run on worker
//! threads.

use std::io::{BufRead, Read};
use std::sync::Arc;

use super::{record, Record};

/// One line of a JSON Lines input, not parsed yet.
#[derive(Debug, Clone)]
pub struct Line {
    pub source: Arc<str>,
    pub entry: usize,
    pub bytes: Vec<u8>,
}

/// The non-blank lines of a stream; a read error ends it with a
/// malformed record.
pub struct Lines<R> {
    source: Arc<str>,
    reader: R,
    index: usize,
    done: bool,
    max_line: u64,
    /// The length of the last line: the next is read into a buffer that
    /// size, not grown from nothing (each growth copies what was read).
    last_length: usize,
}

/// The longest line read: a body of the largest size decoded
/// (256 MiB), base64-encoded, with room for the rest of the record. A
/// longer line is malformed and skipped, never held whole.
pub const MAX_LINE: u64 = 512 * 1024 * 1024;

impl<R: BufRead> Lines<R> {
    pub fn new(source: impl Into<Arc<str>>, reader: R) -> Self {
        Lines {
            source: source.into(),
            reader,
            index: 0,
            done: false,
            max_line: MAX_LINE,
            last_length: 0,
        }
    }

    /// Another limit than [`MAX_LINE`] on a line's length.
    pub fn max_line(mut self, bytes: u64) -> Self {
        self.max_line = bytes;
        self
    }

    /// Reads past the rest of an overlong line without keeping it.
    fn skip_line(&mut self) -> std::io::Result<()> {
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok(());
            }
            match buffer.iter().position(|b| *b == b'\n') {
                Some(end) => {
                    self.reader.consume(end + 1);
                    return Ok(());
                }
                None => {
                    let length = buffer.len();
                    self.reader.consume(length);
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Line, Record>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            // At most a few megabytes ahead: one huge line does not make
            // every later one reserve as much.
            let hint = (self.last_length + self.last_length / 8).min(8 << 20);
            let mut bytes = Vec::with_capacity(hint);
            let entry = self.index;
            let read = (&mut self.reader)
                .take(self.max_line + 1)
                .read_until(b'\n', &mut bytes);
            match read {
                Ok(0) => self.done = true,
                Ok(length) if length as u64 > self.max_line && bytes.last() != Some(&b'\n') => {
                    self.index += 1;
                    drop(bytes);
                    let skipped = self.skip_line();
                    self.done = skipped.is_err();
                    return Some(Err(Record::Malformed {
                        source: self.source.to_string(),
                        entry,
                        reason: format!(
                            "the line is longer than {} bytes; it is skipped",
                            self.max_line
                        ),
                    }));
                }
                Ok(length) => {
                    self.index += 1;
                    self.last_length = length;
                    if trim(&bytes).is_empty() {
                        continue;
                    }
                    return Some(Ok(Line {
                        source: self.source.clone(),
                        entry,
                        bytes,
                    }));
                }
                Err(err) => {
                    self.done = true;
                    return Some(Err(Record::Malformed {
                        source: self.source.to_string(),
                        entry,
                        reason: format!("cannot read: {err}"),
                    }));
                }
            }
        }
        None
    }
}

/// The record a line holds.
pub fn parse_line(line: &Line) -> Record {
    let malformed = |reason: String| Record::Malformed {
        source: line.source.to_string(),
        entry: line.entry,
        reason,
    };
    match serde_json::from_slice(trim(&line.bytes)) {
        Ok(value) => match record::incomplete(&value) {
            Some(Ok(url)) => Record::Unanswered {
                source: line.source.to_string(),
                entry: line.entry,
                url,
            },
            Some(Err(reason)) => malformed(reason),
            None => match record::exchange(&line.source, line.entry, value) {
                Ok(exchange) => Record::Exchange(Box::new(exchange)),
                Err(reason) => malformed(reason),
            },
        },
        Err(err) => malformed(format!(
            "not a JSON record (column {}): {err}",
            err.column()
        )),
    }
}

/// The records of a JSON Lines stream, parsed on the calling thread.
pub struct JsonLines<R> {
    lines: Lines<R>,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(source: impl Into<Arc<str>>, reader: R) -> Self {
        JsonLines {
            lines: Lines::new(source, reader),
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.lines
            .next()
            .map(|line| line.map_or_else(|record| record, |line| parse_line(&line)))
    }
}

fn trim(line: &[u8]) -> &[u8] {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(end);
    line.get(start..end).unwrap_or_default()
}
