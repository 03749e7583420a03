//! The JSON shape of one exchange, shared by JSON Lines and the tests:
//! `{"request": {"method", "url", "headers", "body"}, "response":
//! {"status", "headers", "body"}}`, where `headers` is an object or a list
//! of `{"name", "value"}`, and `"body_encoding": "base64"` beside a body
//! says it is base64.

use base64::Engine as _;
use serde_json::Value;

use crate::exchange::{Exchange, Request, Response};
use crate::redact::{Redactor, REDACTED};

/// An exchange from its JSON record; the error says what is missing.
/// Takes the record by value, so bodies (most of its bytes) move into the
/// exchange instead of being copied.
pub(crate) fn exchange(source: &str, entry: usize, record: Value) -> Result<Exchange, String> {
    let Value::Object(mut record) = record else {
        return Err(format!("the record is {}, not an object", kind(&record)));
    };
    let Some(Value::Object(mut request)) = record.remove("request") else {
        return Err("the record has no `request` object".into());
    };
    let Some(Value::Object(mut response)) = record.remove("response") else {
        return Err("the record has no `response` object".into());
    };
    let (method, url) = method_and_url(&request)?;
    let status =
        status(response.get("status")).ok_or("the response has no `status` between 100 and 599")?;
    Ok(Exchange {
        source: source.to_owned(),
        entry,
        request: Request {
            method,
            url,
            headers: headers(request.get("headers"))?,
            body: body(&mut request, "request")?,
        },
        response: Response {
            status,
            headers: headers(response.get("headers"))?,
            body: body(&mut response, "response")?,
        },
    })
}

/// The request's method (upper-cased) and URL.
pub(crate) fn method_and_url(
    request: &serde_json::Map<String, Value>,
) -> Result<(String, String), String> {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .ok_or("the request has no `method`")?
        .to_ascii_uppercase();
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .ok_or("the request has no `url`")?
        .to_owned();
    Ok((method, url))
}

/// A response status, when it is one (100 to 599).
pub(crate) fn status(value: Option<&Value>) -> Option<u16> {
    value
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Headers as an object (`{"name": "value"}`) or a list of
/// `{"name", "value"}` pairs.
pub(crate) fn headers(value: Option<&Value>) -> Result<Vec<(String, String)>, String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), text(v))).collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let name = item.get("name").and_then(Value::as_str);
                let value = item.get("value");
                match (name, value) {
                    (Some(name), Some(value)) => Ok((name.to_owned(), text(value))),
                    _ => Err("a header is not a {\"name\", \"value\"} pair".to_owned()),
                }
            })
            .collect(),
        Some(other) => Err(format!("`headers` is {}", kind(other))),
    }
}

fn body(
    message: &mut serde_json::Map<String, Value>,
    which: &str,
) -> Result<Option<Vec<u8>>, String> {
    let base64 = message.get("body_encoding").and_then(Value::as_str) == Some("base64");
    match message.remove("body") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if base64 => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(Some)
            .map_err(|e| format!("the {which} body is not valid base64: {e}")),
        Some(Value::String(text)) => Ok(Some(text.into_bytes())),
        Some(other) => Err(format!(
            "the {which} `body` is {}, not the raw text",
            kind(&other)
        )),
    }
}

/// One exchange as a JSON Lines record (no newline), in the shape
/// [`exchange`] reads back, with its secrets redacted: the values of secret
/// headers, and of secret query parameters in the URL. A body that is
/// UTF-8 is kept as text, any other as base64 (`"body_encoding":
/// "base64"`): compressed bodies stay as they travelled.
pub fn to_line(exchange: &Exchange, redactor: &Redactor) -> String {
    to_line_of(&exchange.request, &exchange.response, redactor)
}

/// [`to_line`] of a request and its response, borrowed: written straight
/// from them (a proxy writes one per exchange, bodies of tens of KB).
pub fn to_line_of(request: &Request, response: &Response, redactor: &Redactor) -> String {
    let record = Written {
        request: WrittenRequest::of(request, redactor),
        response: Some(WrittenResponse::of(response, redactor)),
        incomplete: None,
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// An exchange that stopped short, as a record: the request and as much
/// of the response as there was (none when the client went away first or
/// the upstream never answered), marked `"incomplete": reason` so that a
/// later run counts it without checking it as whole.
pub fn to_incomplete_line(
    request: &Request,
    response: Option<&Response>,
    reason: &str,
    redactor: &Redactor,
) -> String {
    let record = Written {
        request: WrittenRequest::of(request, redactor),
        response: response.map(|response| WrittenResponse::of(response, redactor)),
        incomplete: Some(reason),
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// A record as written: the fields in the order [`exchange`] documents,
/// borrowed from the exchange but for what redaction rewrote.
#[derive(serde::Serialize)]
struct Written<'a> {
    request: WrittenRequest<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<WrittenResponse<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incomplete: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct WrittenRequest<'a> {
    method: &'a str,
    url: std::borrow::Cow<'a, str>,
    headers: Vec<WrittenHeader<'a>>,
    #[serde(flatten)]
    body: WrittenBody<'a>,
}

#[derive(serde::Serialize)]
struct WrittenResponse<'a> {
    status: u16,
    headers: Vec<WrittenHeader<'a>>,
    #[serde(flatten)]
    body: WrittenBody<'a>,
}

#[derive(serde::Serialize)]
struct WrittenHeader<'a> {
    name: &'a str,
    value: &'a str,
}

/// A body as text when it is UTF-8, as base64 otherwise.
#[derive(serde::Serialize)]
struct WrittenBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<std::borrow::Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_encoding: Option<&'static str>,
}

impl<'a> WrittenBody<'a> {
    fn of(body: Option<&'a [u8]>) -> WrittenBody<'a> {
        match body.map(std::str::from_utf8) {
            None => WrittenBody {
                body: None,
                body_encoding: None,
            },
            Some(Ok(text)) => WrittenBody {
                body: Some(text.into()),
                body_encoding: None,
            },
            Some(Err(_)) => WrittenBody {
                body: body.map(|bytes| {
                    base64::engine::general_purpose::STANDARD
                        .encode(bytes)
                        .into()
                }),
                body_encoding: Some("base64"),
            },
        }
    }
}

fn written_headers<'a>(
    headers: &'a [(String, String)],
    redactor: &Redactor,
) -> Vec<WrittenHeader<'a>> {
    headers
        .iter()
        .map(|(name, value)| WrittenHeader {
            name,
            value: if redactor.is_secret_header(name) {
                REDACTED
            } else {
                value
            },
        })
        .collect()
}

impl<'a> WrittenRequest<'a> {
    fn of(request: &'a Request, redactor: &Redactor) -> WrittenRequest<'a> {
        // A form's secret fields, as a query's.
        let form = request
            .headers
            .iter()
            .any(|(name, value)| {
                name.eq_ignore_ascii_case("content-type")
                    && value
                        .to_ascii_lowercase()
                        .starts_with("application/x-www-form-urlencoded")
            })
            .then(|| std::str::from_utf8(request.body.as_deref()?).ok())
            .flatten()
            .and_then(|text| redactor.form(text));
        let body = match form {
            Some(redacted) => WrittenBody {
                body: Some(redacted.into()),
                body_encoding: None,
            },
            None => WrittenBody::of(request.body.as_deref()),
        };
        WrittenRequest {
            method: &request.method,
            url: redactor.url(&request.url).into(),
            headers: written_headers(&request.headers, redactor),
            body,
        }
    }
}

impl<'a> WrittenResponse<'a> {
    fn of(response: &'a Response, redactor: &Redactor) -> WrittenResponse<'a> {
        WrittenResponse {
            status: response.status,
            headers: written_headers(&response.headers, redactor),
            body: WrittenBody::of(response.body.as_deref()),
        }
    }
}

/// The URL of a record marked `"incomplete"` ([`to_incomplete_line`]),
/// when it is one: nothing in it is checked.
pub(crate) fn incomplete(record: &Value) -> Option<Result<String, String>> {
    record.get("incomplete")?;
    let request = record
        .get("request")
        .and_then(Value::as_object)
        .ok_or_else(|| "the record has no `request` object".to_owned());
    Some(request.and_then(|request| method_and_url(request).map(|(_, url)| url)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use specgate_spec::chatwoot;

    fn sample() -> Exchange {
        Exchange {
            source: "live".into(),
            entry: 3,
            request: Request {
                method: "GET".into(),
                url:
                    "http://127.0.0.1:1/api/v1/accounts/1/conversations?api_access_token=abc&page=2"
                        .into(),
                headers: vec![
                    ("api_access_token".into(), "secret-token".into()),
                    ("Accept".into(), "application/json".into()),
                    ("Accept".into(), "text/plain".into()),
                ],
                body: None,
            },
            response: Response {
                status: 200,
                headers: vec![("Content-Encoding".into(), "gzip".into())],
                body: Some(vec![0x1f, 0x8b, 0xff, 0x00]),
            },
        }
    }

    #[test]
    fn a_line_reads_back_as_the_exchange_without_its_secrets() {
        let document = chatwoot().expect("embedded");
        let redactor = Redactor::new(&document);
        let original = sample();
        let line = to_line(&original, &redactor);
        assert!(
            !line.contains("secret-token") && !line.contains("=abc"),
            "{line}"
        );
        let value: Value = serde_json::from_str(&line).expect("one JSON value");
        let read = exchange("live", 3, value).expect("reads back");
        assert_eq!(read.response, original.response, "binary bodies survive");
        assert_eq!(read.request.headers.len(), 3, "repeated headers kept");
        assert_eq!(read.request.headers[0].1, REDACTED);
        assert_eq!(
            read.request.url,
            "http://127.0.0.1:1/api/v1/accounts/1/conversations?api_access_token=REDACTED&page=2"
        );
    }

    #[test]
    fn an_incomplete_line_is_read_as_a_url_to_count_not_an_exchange_to_check() {
        let document = chatwoot().expect("embedded");
        let redactor = Redactor::new(&document);
        let original = sample();
        let gone = to_incomplete_line(&original.request, None, "client-gone", &redactor);
        assert!(!gone.contains("secret-token"), "{gone}");
        let value: Value = serde_json::from_str(&gone).expect("one JSON value");
        assert_eq!(value["incomplete"], "client-gone");
        assert!(value.get("response").is_none());
        let url = incomplete(&value).expect("marked").expect("has a URL");
        assert!(url.ends_with("api_access_token=REDACTED&page=2"), "{url}");
        let cut = to_incomplete_line(
            &original.request,
            Some(&original.response),
            "upstream-cut",
            &redactor,
        );
        let value: Value = serde_json::from_str(&cut).expect("one JSON value");
        assert_eq!(value["response"]["status"], 200);
        let whole: Value = serde_json::from_str(&to_line(&original, &redactor)).expect("JSON");
        assert!(incomplete(&whole).is_none());
        let broken = serde_json::json!({"incomplete": "client-gone"});
        assert!(incomplete(&broken).expect("marked").is_err());
    }
}
