//! `specgate-validator`: recorded HTTP exchanges in, findings out.
//!
//! Exchanges come from JSON Lines (streamed) or HAR files ([`input`]); each
//! is routed to its operation ([`route`]), and its bodies are checked
//! against schemas compiled once for the whole document ([`schemas`]).
//! Secrets are redacted before anything is reported ([`redact`]).

mod check;
mod discriminator;
mod drift;
mod encoding;
pub mod exchange;
pub mod finding;
mod form;
pub mod input;
mod params;
pub mod redact;
pub mod report;
pub mod route;
mod run;
pub mod schemas;

pub use check::{Checked, Matched, Validator};
pub use exchange::Exchange;
pub use finding::{Finding, Kind};
pub use run::{check_all, check_item};

/// Recorded Chatwoot exchanges (JSON Lines): the list-conversations
/// endpoint with every filter, pages, an empty account, documented and
/// undocumented errors, and a few other endpoints. What `specgate
/// validate` checks when given no input.
pub const CHATWOOT_RECORDINGS: &str = include_str!("../recordings/chatwoot.jsonl");

/// The name findings give the embedded recordings.
pub const CHATWOOT_RECORDINGS_NAME: &str = "<embedded chatwoot.jsonl>";
