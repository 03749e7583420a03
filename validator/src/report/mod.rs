//! Findings out: the summary and each output format.

mod github;
mod human;
mod junit;
mod sarif;

use std::collections::{BTreeMap, HashMap};
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
    /// When set, findings kept per problem ([`Report::bounded`]).
    #[serde(skip)]
    keep_per_problem: Option<usize>,
    /// Findings seen per problem, when bounded.
    #[serde(skip)]
    problems: HashMap<String, usize>,
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
    /// Requests recorded without a whole response (HAR status 0, a
    /// recording's `incomplete` records), not checked.
    pub unanswered: usize,
    /// Responses whose documented body was not recorded, so not checked.
    pub unrecorded_bodies: usize,
    /// Findings by kind id.
    pub findings: BTreeMap<&'static str, usize>,
    /// Findings that fail the run.
    pub errors: usize,
    /// Findings that do not (drift, unless `--strict`).
    pub warnings: usize,
    /// Findings counted above but not kept in the list: a bounded report
    /// ([`Report::bounded`]) keeps the first few of each problem.
    #[serde(skip_serializing_if = "is_zero")]
    pub omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// A report for a process that runs as long as traffic flows (a
    /// proxy): every count stays exact, but only the first `per_problem`
    /// findings of each problem (operation, kind, place, pointer with its
    /// array indices as `*`, schema keyword) are kept, so memory grows
    /// with the problems found, not with the traffic.
    pub fn bounded(per_problem: usize) -> Report {
        Report {
            keep_per_problem: Some(per_problem),
            ..Report::default()
        }
    }

    /// Adds one checked record.
    pub fn add(&mut self, checked: Checked) {
        let Checked {
            source,
            operation,
            findings,
            unrecorded_body,
            observed: _,
            entry: _,
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
        let Some(limit) = self.keep_per_problem else {
            self.findings.extend(findings);
            return;
        };
        for finding in findings {
            let (kind, place, pointer, schema) = human::problem(&finding);
            let key = format!(
                "{}\u{0}{kind}\u{0}{}\u{0}{pointer}\u{0}{}",
                finding.operation.as_deref().unwrap_or_default(),
                place.map(ToString::to_string).unwrap_or_default(),
                schema.unwrap_or_default()
            );
            let seen = self.problems.entry(key).or_default();
            *seen += 1;
            if *seen <= limit {
                self.findings.push(finding);
            } else {
                self.summary.omitted += 1;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Checked, Matched};
    use crate::observe::Observed;

    fn checked(index: usize) -> Checked {
        let finding = Finding {
            source: "live".into(),
            entry: index,
            kind: Kind::Violation,
            error: true,
            operation: Some("conversationList".into()),
            request: None,
            place: Some(crate::finding::Place::ResponseBody),
            pointer: Some(format!("/data/payload/{index}/status")),
            schema: None,
            expected: None,
            found: None,
            keyword: None,
            member: None,
            message: "not one of".into(),
        };
        Checked {
            source: "live".into(),
            entry: index,
            operation: Matched::Operation("conversationList".into()),
            findings: vec![finding],
            unrecorded_body: false,
            observed: Observed::default(),
        }
    }

    #[test]
    fn a_bounded_report_counts_everything_and_keeps_the_first_of_each_problem() {
        let mut report = Report::bounded(3);
        for index in 0..10 {
            report.add(checked(index));
        }
        assert_eq!(report.summary.records, 10);
        assert_eq!(report.summary.errors, 10);
        assert_eq!(report.summary.findings["violation"], 10);
        assert_eq!(
            report.findings.len(),
            3,
            "items of one array are one problem"
        );
        assert_eq!(report.summary.omitted, 7);
        assert!(
            human(&report, false).contains("7 more findings of the problems above were counted")
        );
        let mut unbounded = Report::default();
        for index in 0..10 {
            unbounded.add(checked(index));
        }
        assert_eq!(unbounded.findings.len(), 10);
        assert!(!unbounded.json().contains("omitted"));
    }
}
