//! `specgate probe`: calls a running API's safe operations as the
//! document describes them and checks every response. Requests go one at
//! a time, at a bounded rate, each within a timeout, and no more than a
//! bounded number of them.

mod body;
mod dry_run;
mod plan;
mod values;

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use serde::Serialize;
use specgate_validator::input::Record;
use specgate_validator::report::Report;
use specgate_validator::{Exchange, Request, Response, Validator};

pub use dry_run::dry_run;
pub use plan::{plan, Call, NotCallable, Plan, Selection};

/// How a probe runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the API is: operation paths are appended to it.
    pub base_url: url::Url,
    pub selection: Selection,
    /// Requests sent, at most.
    pub max_requests: usize,
    /// Requests per second, at most.
    pub rate: f64,
    /// How long one request may take, body included.
    pub timeout: Duration,
    /// Response bodies larger than this are not checked.
    pub max_body: usize,
}

/// One request sent.
#[derive(Debug, Clone, Serialize)]
pub struct Called {
    pub operation: String,
    pub method: String,
    /// With secret query values redacted.
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why no response could be checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a probe did and found.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    pub called: Vec<Called>,
    pub not_callable: Vec<NotCallable>,
    /// Operations left out because --max-requests was reached.
    pub not_called: Vec<String>,
    pub report: Report,
}

impl Outcome {
    /// Requests that got no response that could be checked.
    pub fn failed(&self) -> usize {
        self.called.iter().filter(|c| c.error.is_some()).count()
    }
}

/// Sends the plan's calls and checks each response.
pub fn run(validator: &Validator<'_>, plan: Plan, options: &Options) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the probe's runtime: {err}"))?;
    let client = crate::upstream::client::<Full<Bytes>>()?;
    let redactor = validator.redactor().clone();
    let mut outcome = Outcome {
        not_callable: plan.not_callable,
        ..Outcome::default()
    };
    let mut calls = plan.calls;
    if calls.len() > options.max_requests {
        outcome.not_called = calls
            .split_off(options.max_requests)
            .into_iter()
            .map(|c| c.operation)
            .collect();
    }
    let period = Duration::from_secs_f64(1.0 / options.rate.max(0.001));
    runtime.block_on(async {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        for (entry, call) in calls.into_iter().enumerate() {
            ticks.tick().await;
            let sent =
                tokio::time::timeout(options.timeout, send(&client, &call, options.max_body));
            let mut called = Called {
                operation: call.operation.clone(),
                method: call.method.clone(),
                url: redactor.url(&call.url),
                status: None,
                error: None,
            };
            match sent.await {
                Err(_) => {
                    called.error = Some(format!(
                        "no complete response within {} s",
                        options.timeout.as_secs_f64()
                    ))
                }
                Ok(Err(err)) => called.error = Some(err),
                Ok(Ok(response)) => {
                    called.status = Some(response.status);
                    let exchange = Exchange {
                        source: "probe".into(),
                        entry,
                        request: Request {
                            method: call.method,
                            url: call.url,
                            headers: call.headers,
                            body: call.body,
                        },
                        response,
                    };
                    outcome
                        .report
                        .add(validator.check_record(Record::Exchange(Box::new(exchange))));
                }
            }
            outcome.called.push(called);
        }
    });
    Ok(outcome)
}

async fn send(
    client: &crate::upstream::Upstream<Full<Bytes>>,
    call: &Call,
    max_body: usize,
) -> Result<Response, String> {
    let url: http::Uri = call
        .url
        .parse()
        .map_err(|err| format!("cannot send to {}: {err}", call.url))?;
    let mut request = http::Request::builder()
        .method(call.method.as_str())
        .uri(&url);
    if let Some(authority) = url.authority() {
        request = request.header(http::header::HOST, authority.as_str());
    }
    for (name, value) in &call.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let body = Full::new(Bytes::from(call.body.clone().unwrap_or_default()));
    let request = request
        .body(body)
        .map_err(|err| format!("cannot build the request: {err}"))?;
    let response = client.request(request).await.map_err(|err| {
        let mut text = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(inner) = cause {
            text = format!("{text}: {inner}");
            cause = inner.source();
        }
        text
    })?;
    let (parts, body) = response.into_parts();
    let bytes = Limited::new(body, max_body)
        .collect()
        .await
        .map_err(|err| format!("cannot read the response body: {err}"))?
        .to_bytes();
    Ok(Response {
        status: parts.status.as_u16(),
        headers: crate::headers::pairs(&parts.headers),
        body: (!bytes.is_empty()).then(|| bytes.to_vec()),
    })
}
