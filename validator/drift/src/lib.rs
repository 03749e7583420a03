//! `specgate-drift`: what recorded traffic showed against an OpenAPI
//! document, summed over every exchange, and the changes that would make
//! the document say it.
//!
//! A [`Tally`] takes each [`Checked`] record of a run (checked with
//! [`Validator::observing`]) and keeps counts, never the records: memory
//! grows with the variety of the traffic, not its length. [`Tally::finish`]
//! makes the [`DriftReport`]: undocumented operations, statuses, media
//! types, query parameters and members; documented members never seen;
//! values whose type, enum value or requiredness disagree; and the
//! suggested changes ([`suggest`]), an RFC 6902 JSON Patch against the
//! document as its author wrote it, each change with the observations that
//! support it.
//!
//! ```
//! use specgate_validator::{check_item, input::Lines, Validator};
//!
//! let document = specgate_spec::chatwoot().expect("the embedded document");
//! let validator = Validator::new(&document).expect("schemas").observing(true);
//! let recordings = specgate_validator::CHATWOOT_RECORDINGS.as_bytes();
//! let mut tally = specgate_drift::Tally::default();
//! for item in Lines::new("chatwoot.jsonl", recordings) {
//!     tally.add(check_item(&validator, item));
//! }
//! let report = tally.finish(&document, &validator, &specgate_drift::Options::default());
//! assert!(report.enums.iter().any(|e| e.value == "snoozed"));
//! ```

mod findings;
mod github;
mod infer;
mod junit;
mod render;
mod report;
mod sarif;
mod suggest;
mod tally;

pub use findings::{findings, DriftFinding, CHECKS};
pub use github::github;
pub use junit::junit;
pub use render::{human, markdown};
pub use report::*;
pub use sarif::sarif;
pub use suggest::{apply, write_document, Dialect};
pub use tally::Tally;

/// How the report is made.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A change supported by a smaller share of its observations than this
    /// (0 to 1) is not suggested: it is reported as an outlier.
    pub min_share: f64,
}
