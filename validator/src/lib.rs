//! `specgate-validator`: recorded or live HTTP exchanges in, findings out.
//!
//! Build a [`Validator`] once for a loaded document and share it: each
//! exchange is routed to its operation, and its parameters, bodies and
//! headers are checked against schemas registered once for the whole
//! document, with OpenAPI's meaning (3.0 `nullable`, `readOnly`,
//! `writeOnly`, integer formats, discriminators). Exchanges come from
//! JSON Lines or HAR files ([`input`]) or from a caller (a proxy checks a
//! [`Request`] before its [`Response`] exists); findings go to [`report`].
//! Secrets never reach a finding.
//!
//! ```
//! use specgate_validator::{Exchange, Kind, Request, Response, Validator};
//!
//! let document = specgate_spec::chatwoot().expect("the embedded document");
//! let validator = Validator::new(&document).expect("its schemas register");
//! let exchange = Exchange {
//!     source: "example".into(),
//!     entry: 0,
//!     request: Request {
//!         method: "GET".into(),
//!         url: "/api/v1/accounts/1/conversations?status=open".into(),
//!         headers: vec![("api_access_token".into(), "secret".into())],
//!         body: None,
//!     },
//!     response: Response {
//!         status: 200,
//!         headers: vec![("Content-Type".into(), "application/json".into())],
//!         body: Some(br#"{"data": {"meta": {"mine_count": "one"}, "payload": []}}"#.to_vec()),
//!     },
//! };
//! let findings = validator.check(&exchange);
//! assert!(findings.iter().any(|f| f.kind == Kind::Violation
//!     && f.pointer.as_deref() == Some("/data/meta/mine_count")));
//! ```

mod check;
mod drift;
mod encoding;
mod error;
mod exchange;
mod finding;
mod form;
pub mod input;
mod json;
pub mod observe;
mod params;
mod redact;
pub mod report;
mod route;
mod run;
mod schemas;
pub mod stored;
pub mod witness;

pub use check::{Checked, Matched, Validator};
pub use error::Error;
pub use exchange::{cookie, header, Exchange, Request, Response};
pub use finding::{Finding, Kind, Place, SchemaLocation};
pub use redact::{Redactor, REDACTED};
pub use run::{check_all, check_each, check_item, yield_to_traffic};
pub use schemas::Formats;

/// Recorded Chatwoot exchanges (JSON Lines): the list-conversations
/// endpoint with every filter, pages, an empty account, documented and
/// undocumented errors, and a few other endpoints. What `specgate
/// validate` checks when given no input.
pub const CHATWOOT_RECORDINGS: &str = include_str!("../recordings/chatwoot.jsonl");

/// The name findings give the embedded recordings.
pub const CHATWOOT_RECORDINGS_NAME: &str = "<embedded chatwoot.jsonl>";
