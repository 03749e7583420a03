//! Contract assertions for a service's own tests: one line per call checks
//! the request and the response it got against the document, and a test
//! that breaks the contract fails with the validator's human report.
//!
//! ```no_run
//! # fn demo(request: http::Request<Vec<u8>>, response: http::Response<Vec<u8>>) {
//! let document = specgate_spec::chatwoot().expect("the embedded document");
//! let validator = specgate_validator::Validator::new(&document).expect("it compiles");
//! specgate_tower::testing::assert_conforms(&validator, &request, &response);
//! # }
//! ```

use specgate_validator::report::{human, Report};
use specgate_validator::{Exchange, Finding, Validator};

/// The findings of one exchange given as `http` types (bodies as bytes).
pub fn check<Q: AsRef<[u8]>, R: AsRef<[u8]>>(
    validator: &Validator<'_>,
    request: &http::Request<Q>,
    response: &http::Response<R>,
) -> Vec<Finding> {
    validator.check(&exchange(request, response))
}

/// Panics, with the validator's human report, when the exchange breaks
/// the document (a finding that is an error: drift alone passes).
#[track_caller]
// An assertion fails a test by panicking; that is its job.
#[allow(clippy::panic)]
pub fn assert_conforms<Q: AsRef<[u8]>, R: AsRef<[u8]>>(
    validator: &Validator<'_>,
    request: &http::Request<Q>,
    response: &http::Response<R>,
) {
    let exchange = exchange(request, response);
    let checked = validator.check_record(specgate_validator::input::Record::Exchange(Box::new(
        exchange,
    )));
    if checked.findings.iter().any(|f| f.error) {
        let mut report = Report::default();
        report.add(checked);
        panic!(
            "the exchange breaks the document:\n{}",
            human(&report, false)
        );
    }
}

/// Panics unless the exchange breaks the document with a finding that
/// `matches`: for tests of the refusals themselves.
#[track_caller]
pub fn assert_breaks<Q: AsRef<[u8]>, R: AsRef<[u8]>>(
    validator: &Validator<'_>,
    request: &http::Request<Q>,
    response: &http::Response<R>,
    matches: impl Fn(&Finding) -> bool,
) {
    let findings = check(validator, request, response);
    assert!(
        findings.iter().any(|f| f.error && matches(f)),
        "no such finding among {findings:#?}"
    );
}

/// Sends `request` with `client`, checks the exchange against the
/// document and returns the response (its body read): one line per call
/// in a service's tests. Panics with the validator's report when the
/// exchange breaks the document, or when the call fails.
#[cfg(feature = "reqwest")]
// An assertion fails a test by panicking; that is its job.
#[allow(clippy::panic)]
pub async fn send_conforming(
    validator: &Validator<'_>,
    client: &reqwest::Client,
    request: reqwest::Request,
) -> http::Response<bytes::Bytes> {
    let mut sent = http::Request::builder()
        .method(request.method().as_str())
        .uri(request.url().as_str());
    for (name, value) in request.headers() {
        sent = sent.header(name.as_str(), value.as_bytes());
    }
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let sent = match sent.body(body) {
        Ok(sent) => sent,
        Err(err) => panic!("the request cannot be checked: {err}"),
    };
    let response = match client.execute(request).await {
        Ok(response) => response,
        Err(err) => panic!("the request failed: {err}"),
    };
    let mut got = http::Response::builder().status(response.status().as_u16());
    for (name, value) in response.headers() {
        got = got.header(name.as_str(), value.as_bytes());
    }
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(err) => panic!("the response body could not be read: {err}"),
    };
    let got = match got.body(bytes) {
        Ok(got) => got,
        Err(err) => panic!("the response cannot be checked: {err}"),
    };
    assert_conforms(validator, &sent, &got);
    got
}

fn exchange<Q: AsRef<[u8]>, R: AsRef<[u8]>>(
    request: &http::Request<Q>,
    response: &http::Response<R>,
) -> Exchange {
    let pairs = |headers: &http::HeaderMap| {
        headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    };
    let body = |bytes: &[u8]| (!bytes.is_empty()).then(|| bytes.to_vec());
    Exchange {
        source: "<test>".into(),
        entry: 0,
        request: specgate_validator::Request {
            method: request.method().as_str().to_owned(),
            url: request.uri().to_string(),
            headers: pairs(request.headers()),
            body: body(request.body().as_ref()),
        },
        response: specgate_validator::Response {
            status: response.status().as_u16(),
            headers: pairs(response.headers()),
            body: body(response.body().as_ref()),
        },
    }
}
