//! One exchange as a JetStream message, and one result as a stored value:
//! pure encoding and decoding, no I/O.

use serde::{Deserialize, Serialize};
use specgate_validator::input::{parse_line, Line, Record};
use specgate_validator::Checked;

/// The header JetStream drops duplicates by.
pub const MSG_ID: &str = "Nats-Msg-Id";
/// The file the exchange was read from, so findings still name it.
pub const SOURCE: &str = "Specgate-Source";
/// Its 0-based entry in that file.
pub const ENTRY: &str = "Specgate-Entry";
/// Set when the record could not be read where it was published: the
/// reason, and the body is empty.
pub const MALFORMED: &str = "Specgate-Malformed";

/// What is published for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The JSON Lines record, secrets redacted.
    Line(String),
    /// Why the record could not be read (its text is not sent: it may
    /// hold secrets that redaction could not find).
    Malformed(String),
}

/// One record to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub source: String,
    pub entry: usize,
    pub body: Body,
}

/// The stable id of a record: the same file and entry give the same id in
/// every process, so a second publication is dropped by JetStream, and a
/// result is stored under it once. 128 bits of FNV-1a, in hex (a
/// valid subject token).
pub fn record_id(source: &str, entry: usize) -> String {
    let mut data = Vec::with_capacity(source.len() + 9);
    data.extend_from_slice(source.as_bytes());
    data.push(0);
    data.extend_from_slice(&(entry as u64).to_le_bytes());
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    let hash = data.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
    });
    format!("{hash:032x}")
}

/// The key of a message that carries no record id: its stream sequence,
/// which redelivery keeps.
pub fn sequence_key(sequence: u64) -> String {
    format!("seq-{sequence}")
}

/// What a received message holds: the key its result is stored under and
/// the record to check.
pub fn decode(
    stream: &str,
    sequence: u64,
    header: impl Fn(&str) -> Option<String>,
    payload: &[u8],
) -> (String, Record) {
    let source = header(SOURCE);
    let entry = header(ENTRY).and_then(|e| e.parse::<usize>().ok());
    let (Some(source), Some(entry)) = (source, entry) else {
        let reason = format!(
            "message {sequence} of stream {stream} is not a specgate record (no {SOURCE} and {ENTRY} headers)"
        );
        return (
            sequence_key(sequence),
            Record::Malformed {
                source: format!("nats stream {stream}"),
                entry: usize::try_from(sequence).unwrap_or(usize::MAX),
                reason,
            },
        );
    };
    let key = record_id(&source, entry);
    if let Some(reason) = header(MALFORMED) {
        return (
            key,
            Record::Malformed {
                source,
                entry,
                reason,
            },
        );
    }
    let line = Line {
        source: source.into(),
        entry,
        bytes: payload.to_vec(),
    };
    (key, parse_line(&line))
}

/// One result as stored: the record's entry (the checked record names its
/// source) and what checking it gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub entry: usize,
    pub checked: Checked,
}

impl Stored {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Stored, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// The entry of a record (its place in its input).
pub fn entry_of(record: &Record) -> usize {
    match record {
        Record::Exchange(exchange) => exchange.entry,
        Record::Unanswered { entry, .. } | Record::Malformed { entry, .. } => *entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use specgate_validator::Matched;

    #[test]
    fn ids_are_stable_distinct_and_valid_keys() {
        let a = record_id("a.jsonl", 1);
        assert_eq!(a, record_id("a.jsonl", 1));
        assert_ne!(a, record_id("a.jsonl", 2));
        assert_ne!(a, record_id("b.jsonl", 1));
        assert_ne!(record_id("a", 10), record_id("a1", 0));
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    fn headers(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn decodes_records_malformed_ones_and_strangers() {
        let line = r#"{"request":{"method":"GET","url":"/x"},"response":{"status":200}}"#;
        let (key, record) = decode(
            "s",
            9,
            headers(&[(SOURCE, "f.jsonl"), (ENTRY, "3")]),
            line.as_bytes(),
        );
        assert_eq!(key, record_id("f.jsonl", 3));
        assert!(matches!(&record, Record::Exchange(e) if e.source == "f.jsonl" && e.entry == 3));
        let (_, record) = decode(
            "s",
            9,
            headers(&[(SOURCE, "f.jsonl"), (ENTRY, "4"), (MALFORMED, "why")]),
            b"",
        );
        assert!(
            matches!(record, Record::Malformed { entry: 4, ref reason, .. } if reason == "why")
        );
        let (key, record) = decode("s", 9, headers(&[]), b"garbage");
        assert_eq!(key, "seq-9");
        assert!(
            matches!(record, Record::Malformed { entry: 9, ref source, .. } if source == "nats stream s")
        );
    }

    #[test]
    fn a_result_reads_back() {
        let stored = Stored {
            entry: 2,
            checked: Checked {
                source: "f".into(),
                operation: Matched::Operation("op".into()),
                findings: Vec::new(),
                unrecorded_body: true,
                observed: Default::default(),
            },
        };
        assert_eq!(Stored::from_bytes(&stored.to_bytes()).unwrap(), stored);
    }
}
