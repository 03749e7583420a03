//! Findings out: the summary and each output format.

mod github;
mod human;
mod junit;
mod sarif;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::Serialize;

use crate::check::{Checked, Matched};
use crate::finding::{Finding, Kind};

pub use github::{data as workflow_data, github, property as workflow_property};
pub use human::human;
pub use junit::junit;
pub use sarif::sarif;

/// Everything one run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub findings: Vec<Finding>,
    /// Records per input and operation, in the order first seen: what CI
    /// formats show as tests. Bounded by inputs × operations, however
    /// many records.
    #[serde(skip)]
    pub tally: IndexMap<String, IndexMap<Matched, Tally>>,
}

/// The records of one input that matched one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub records: usize,
    /// Records with a finding that is an error.
    pub failing: usize,
}

/// Counts: exchanges read, and findings by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records read, malformed ones included.
    pub records: usize,
    /// Records that conform (no finding that is an error).
    pub conforming: usize,
    /// Records sent outside the run's scope (`--base-url`), not checked.
    pub skipped: usize,
    /// Browsers' CORS preflights the document does not describe, not
    /// checked.
    pub preflights: usize,
    /// Requests recorded without a response (HAR status 0), not checked.
    pub unanswered: usize,
    /// Responses whose documented body was not recorded, so not checked.
    pub unrecorded_bodies: usize,
    /// Findings by kind id.
    pub findings: BTreeMap<&'static str, usize>,
    /// Findings that fail the run.
    pub errors: usize,
    /// Findings that do not (drift, unless `--strict`).
    pub warnings: usize,
}

impl Report {
    /// Adds one checked record.
    pub fn add(&mut self, checked: Checked) {
        let Checked {
            source,
            operation,
            findings,
            unrecorded_body,
            observed: _,
        } = checked;
        self.summary.records += 1;
        self.summary.unrecorded_bodies += usize::from(unrecorded_body);
        match operation {
            Matched::Skipped => {
                self.summary.skipped += 1;
                return;
            }
            Matched::Preflight => {
                self.summary.preflights += 1;
                return;
            }
            Matched::Unanswered => {
                self.summary.unanswered += 1;
                return;
            }
            _ => {}
        }
        let failing = findings.iter().any(|f| f.error);
        if !failing {
            self.summary.conforming += 1;
        }
        let tally = self
            .tally
            .entry(source)
            .or_default()
            .entry(operation)
            .or_default();
        tally.records += 1;
        tally.failing += usize::from(failing);
        for finding in &findings {
            *self.summary.findings.entry(finding.kind.id()).or_default() += 1;
            if finding.error {
                self.summary.errors += 1;
            } else {
                self.summary.warnings += 1;
            }
        }
        self.findings.extend(findings);
    }

    /// Whether any record was malformed.
    pub fn has_malformed(&self) -> bool {
        self.findings.iter().any(|f| f.kind == Kind::Malformed)
    }

    /// `--format json`: one object, `{"summary": ..., "findings": [...]}`.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A finding on one line: where in the body, the message, the schema.
pub(crate) fn describe(finding: &Finding) -> String {
    let mut text = String::new();
    if let (Some(place), Some(pointer)) = (&finding.place, &finding.pointer) {
        let pointer = if pointer.is_empty() { "/" } else { pointer };
        let _ = write!(text, "{place} at {pointer}: ");
    }
    text.push_str(&finding.message);
    if let Some(schema) = &finding.schema {
        let _ = write!(text, " (schema {} {})", schema.position(), schema.pointer);
    }
    text
}
