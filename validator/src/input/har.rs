//! HAR 1.2 (browsers' developer tools, Playwright, mitmproxy, Charles):
//! one JSON document; each entry is an exchange, read one at a time.
//! Bodies may be text or base64 (`content.encoding`).

use std::sync::mpsc::SyncSender;

use base64::Engine as _;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{record, Record};
use crate::exchange::{Exchange, Request, Response};

/// Entries read ahead of the checks, at most: a HAR file of any size is
/// read in flat memory.
const READ_AHEAD: usize = 64;

/// The records of a HAR file, read entry by entry on a thread of their own
/// as the checks take them. A file that breaks off (a recorder stopped
/// mid-write) keeps the entries before the break; the break is one
/// `malformed` record.
pub(super) fn stream(
    source: String,
    reader: impl std::io::Read + Send + 'static,
) -> impl Iterator<Item = Record> + Send {
    let (sender, receiver) = std::sync::mpsc::sync_channel(READ_AHEAD);
    std::thread::spawn(move || read(&source, reader, &sender));
    receiver.into_iter()
}

fn read(source: &str, reader: impl std::io::Read, sender: &SyncSender<Record>) {
    let malformed = |entry: usize, reason: String| Record::Malformed {
        source: source.to_owned(),
        entry,
        reason,
    };
    let mut state = Entries {
        source,
        sender,
        read: 0,
        found: false,
        hung_up: false,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let har = Member {
        name: "log",
        inner: Member {
            name: "entries",
            inner: EntryList(&mut state),
        },
    };
    let outcome = har
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    let reason = match outcome {
        // The reader went away: nothing is waiting for the rest.
        Err(_) if state.hung_up => return,
        Err(err) if state.found => format!(
            "entry {} cannot be read, and the file is read no further (line {}, column {}): {err}",
            state.read,
            err.line(),
            err.column()
        ),
        Err(err) => format!(
            "not a HAR file (line {}, column {}): {err}",
            err.line(),
            err.column()
        ),
        Ok(()) if state.found => return,
        Ok(()) => "not a HAR file: no `log.entries` list".into(),
    };
    let _ = sender.send(malformed(state.read, reason));
}

/// Where the entries go, and how many have gone.
struct Entries<'s> {
    source: &'s str,
    sender: &'s SyncSender<Record>,
    read: usize,
    /// Whether `log.entries` was reached.
    found: bool,
    /// Whether the receiving end went away.
    hung_up: bool,
}

impl Entries<'_> {
    fn send(&mut self, entry: &Value) -> bool {
        let record = match unanswered(entry) {
            Some(url) => Record::Unanswered {
                source: self.source.to_owned(),
                entry: self.read,
                url,
            },
            None => match exchange(self.source, self.read, entry) {
                Ok(exchange) => Record::Exchange(Box::new(exchange)),
                Err(reason) => Record::Malformed {
                    source: self.source.to_owned(),
                    entry: self.read,
                    reason,
                },
            },
        };
        self.read += 1;
        self.hung_up = self.sender.send(record).is_err();
        !self.hung_up
    }
}

/// An object of which only the member `name` is read, by `inner`; the
/// others are skipped unread. The HAR document is `{"log": {"entries":
/// [...], ...}, ...}`: two of them around the entry list.
struct Member<S> {
    name: &'static str,
    inner: S,
}

/// The list of entries, each sent as it is read.
struct EntryList<'a, 's>(&'a mut Entries<'s>);

impl<'de, S: DeserializeSeed<'de, Value = ()>> DeserializeSeed<'de> for Member<S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> Visitor<'de> for Member<S> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a HAR object with `{}`", self.name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut inner = Some(self.inner);
        while let Some(key) = map.next_key::<String>()? {
            match inner.take_if(|_| key == self.name) {
                Some(seed) => map.next_value_seed(seed)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for EntryList<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntryList<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the HAR `log.entries` list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.found = true;
        while let Some(entry) = seq.next_element::<Value>()? {
            if !self.0.send(&entry) {
                return Err(serde::de::Error::custom(
                    "nothing reads the entries any more",
                ));
            }
        }
        Ok(())
    }
}

/// The URL of an entry whose request got no response: browsers write
/// status 0 for one the page aborted, one blocked, one that failed.
fn unanswered(entry: &Value) -> Option<String> {
    let status = entry.get("response")?.get("status")?;
    if status.as_u64() != Some(0) {
        return None;
    }
    let request = entry.get("request")?.as_object()?;
    record::method_and_url(request).ok().map(|(_, url)| url)
}

fn exchange(source: &str, entry: usize, value: &Value) -> Result<Exchange, String> {
    let request = value
        .get("request")
        .and_then(Value::as_object)
        .ok_or("the entry has no `request`")?;
    let response = value.get("response").ok_or("the entry has no `response`")?;
    let (method, url) = record::method_and_url(request)?;
    let status = record::status(response.get("status"))
        .ok_or("the response has no status from 100 to 599")?;
    let request_body = request
        .get("postData")
        .and_then(|data| data.get("text"))
        .and_then(Value::as_str)
        .map(|t| t.as_bytes().to_vec());
    let response_body = match response.get("content") {
        Some(content) => content_body(content)?,
        None => None,
    };
    Ok(Exchange {
        source: source.to_owned(),
        entry,
        request: Request {
            method,
            url,
            headers: record::headers(request.get("headers"))?,
            body: request_body,
        },
        response: Response {
            status,
            headers: decoded_headers(record::headers(response.get("headers"))?),
            body: response_body,
        },
    })
}

/// A HAR's `content.text` is the body with its HTTP content coding already
/// undone (HAR 1.2), while the headers keep the `Content-Encoding` it
/// travelled with (every gzipped API response a browser records): the
/// header no longer describes the recorded body.
fn decoded_headers(mut headers: Vec<(String, String)>) -> Vec<(String, String)> {
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-encoding"));
    headers
}

fn content_body(content: &Value) -> Result<Option<Vec<u8>>, String> {
    let Some(text) = content.get("text").and_then(Value::as_str) else {
        return Ok(None);
    };
    match content.get("encoding").and_then(Value::as_str) {
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(Some)
            .map_err(|e| format!("the response body is not valid base64: {e}")),
        _ => Ok(Some(text.as_bytes().to_vec())),
    }
}
