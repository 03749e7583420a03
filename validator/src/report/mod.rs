//! Findings out: the summary and each output format.

mod github;
mod human;
mod junit;
mod sarif;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::{Finding, Kind};

pub use github::github;
pub use human::human;
pub use junit::junit;
pub use sarif::sarif;

/// Everything one run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

/// Counts: exchanges read, and findings by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records read, malformed ones included.
    pub records: usize,
    /// Records that conform (no finding that is an error).
    pub conforming: usize,
    /// Findings by kind id.
    pub findings: BTreeMap<&'static str, usize>,
    /// Findings that fail the run.
    pub errors: usize,
    /// Findings that do not (drift, unless `--strict`).
    pub warnings: usize,
}

impl Report {
    /// Adds the findings of one record.
    pub fn add(&mut self, findings: Vec<Finding>) {
        self.summary.records += 1;
        if findings.iter().all(|f| !f.error) {
            self.summary.conforming += 1;
        }
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
