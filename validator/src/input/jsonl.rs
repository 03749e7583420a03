//! JSON Lines, one exchange per line, read as a stream: memory stays flat
//! however long the file. Blank lines are skipped but counted, so `entry`
//! is always the line's 0-based index.

use std::io::BufRead;

use super::{record, Record};

/// The records of a JSON Lines stream.
pub struct JsonLines<R> {
    source: String,
    reader: R,
    line: Vec<u8>,
    index: usize,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(source: String, reader: R) -> Self {
        JsonLines {
            source,
            reader,
            line: Vec::new(),
            index: 0,
            done: false,
        }
    }

    fn malformed(&self, entry: usize, reason: String) -> Record {
        Record::Malformed {
            source: self.source.clone(),
            entry,
            reason,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            self.line.clear();
            let read = self.reader.read_until(b'\n', &mut self.line);
            let entry = self.index;
            match read {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.index += 1;
                    let text = trim(&self.line);
                    if text.is_empty() {
                        continue;
                    }
                    return Some(match serde_json::from_slice(text) {
                        Ok(value) => match record::exchange(&self.source, entry, &value) {
                            Ok(exchange) => Record::Exchange(Box::new(exchange)),
                            Err(reason) => self.malformed(entry, reason),
                        },
                        Err(err) => self.malformed(
                            entry,
                            format!("not a JSON record (column {}): {err}", err.column()),
                        ),
                    });
                }
                Err(err) => {
                    self.done = true;
                    return Some(self.malformed(entry, format!("cannot read: {err}")));
                }
            }
        }
        None
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
