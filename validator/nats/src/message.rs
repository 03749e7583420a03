//! One exchange as a JetStream message, and one result as a stored value:
//! pure encoding and decoding, no I/O.

use specgate_validator::input::{parse_line, Line, Record};

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
    specgate_validator::stored::hash(&data)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
