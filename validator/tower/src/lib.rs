//! `specgate-tower`: the contract checked inside a Rust service. A tower
//! [`Layer`](tower_layer::Layer) that wraps any `Service<http::Request<B>>`
//! (an axum `Router`, a hyper or tonic service) and checks each request and
//! response against the OpenAPI document, with [`specgate_validator`]'s
//! reading of it.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use specgate_tower::{Mode, SpecgateLayer};
//!
//! let document = specgate_spec::load("openapi.yaml")?;
//! let layer = SpecgateLayer::new(specgate_tower::validator(document)?)
//!     .requests(Mode::Enforce) // a request that breaks the document gets a 400 problem
//!     .responses(Mode::Report) // responses are checked after they leave, off the request's path
//!     .sample(0.1);
//! let app: axum::Router = axum::Router::new().layer(layer);
//! # Ok(()) }
//! ```
//!
//! - [`Mode::Enforce`] for requests: a request that breaks the document
//!   never reaches the service; it gets `400` (`404`, `405`, `415`, `401`
//!   where those fit) with an RFC 9457 `application/problem+json` body
//!   naming each violation. For responses (in tests and development): a
//!   response that breaks the document becomes a `500` problem.
//! - [`Mode::Report`]: the exchange goes through untouched; its bodies are
//!   copied as they stream and checked on a thread of its own from a
//!   bounded queue (an exchange that finds it full is counted, not
//!   waited for), so no response is delayed and memory stays bounded.
//! - Findings go to [`SpecgateLayer::on_finding`], and to `tracing` events
//!   when no callback is given; [`SpecgateLayer::metrics`] gives the counts
//!   in the Prometheus text format. Streamed bodies (`text/event-stream`)
//!   and bodies past [`SpecgateLayer::max_body`] pass unchecked and are
//!   counted; paths, operations and statuses can be excluded.
//! - Security requirements are checked for presence only: the credential a
//!   scheme names is there. Whether it is valid is the service's business.

mod body;
mod config;
mod metrics;
mod problem;
mod reporter;
mod security;
mod service;
pub mod testing;

use std::sync::Arc;

pub use body::CheckedBody;
pub use config::{Mode, SpecgateLayer};
pub use problem::{Problem, Violation};
pub use service::SpecgateService;
pub use specgate_validator::{Finding, Kind, Validator};

/// The error type of the bodies the layer passes on.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A validator for the life of the process, as a layer needs one: the
/// document is kept alive for as long as the program runs (a service
/// builds its layer once, at start-up).
pub fn validator(
    document: specgate_spec::Document,
) -> Result<Arc<Validator<'static>>, specgate_validator::Error> {
    let document: &'static specgate_spec::Document = Box::leak(Box::new(document));
    Validator::new(document).map(Arc::new)
}
