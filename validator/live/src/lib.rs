//! `specgate-live`: the validator on live traffic.
//!
//! - [`proxy`]: a reverse proxy that forwards every exchange unchanged and
//!   checks a copy of it beside the traffic, records it as JSON Lines and
//!   reports it on shutdown.
//! - [`probe`]: calls a document's safe operations against a running API
//!   and checks each response.
//!
//! Both keep tokio and hyper out of `specgate-validator`, which stays a
//! synchronous library: exchanges in, findings out.

mod checker;
mod headers;
pub mod metrics;
pub mod probe;
pub mod proxy;
pub mod publish;
mod recorder;
mod upstream;

pub use checker::finding_line;
