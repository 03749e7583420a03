//! HAR 1.2 (browsers' developer tools, Playwright, mitmproxy, Charles):
//! one JSON document; each entry is an exchange. Bodies may be text or
//! base64 (`content.encoding`).

use base64::Engine as _;
use serde_json::Value;

use super::{record, Record};
use crate::exchange::{Exchange, Request, Response};

pub(super) fn read(source: &str, bytes: &[u8]) -> Vec<Record> {
    let malformed = |entry: usize, reason: String| Record::Malformed {
        source: source.to_owned(),
        entry,
        reason,
    };
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(err) => {
            return vec![malformed(
                0,
                format!(
                    "not a HAR file (line {}, column {}): {err}",
                    err.line(),
                    err.column()
                ),
            )]
        }
    };
    let Some(entries) = document.pointer("/log/entries").and_then(Value::as_array) else {
        return vec![malformed(0, "not a HAR file: no `log.entries` list".into())];
    };
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| match exchange(source, index, entry) {
            Ok(exchange) => Record::Exchange(Box::new(exchange)),
            Err(reason) => malformed(index, reason),
        })
        .collect()
}

fn exchange(source: &str, entry: usize, value: &Value) -> Result<Exchange, String> {
    let request = value
        .get("request")
        .and_then(Value::as_object)
        .ok_or("the entry has no `request`")?;
    let response = value.get("response").ok_or("the entry has no `response`")?;
    let (method, url) = record::method_and_url(request)?;
    // HAR writes 0 for a request that got no response (aborted, blocked).
    let status = record::status(response.get("status"))
        .ok_or("the response has no status (the request got no response)")?;
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
            headers: record::headers(response.get("headers"))?,
            body: response_body,
        },
    })
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
