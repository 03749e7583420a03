//! GitHub Actions workflow commands: one annotation per drift finding, on
//! the document's line where it has one; unseen members as notices.

use std::fmt::Write as _;

use specgate_spec::Document;
use specgate_validator::report::{workflow_data as data, workflow_property as property};

use crate::findings::{findings, plural};
use crate::report::DriftReport;

pub fn github(report: &DriftReport, document: &Document) -> String {
    let mut out = String::new();
    for finding in findings(report, document) {
        let command = if finding.error { "error" } else { "notice" };
        let mut properties = Vec::new();
        if let Some(location) = &finding.location {
            properties.push(format!("file={}", property(&location.file)));
            if let Some(line) = location.line {
                properties.push(format!("line={line}"));
                if let Some(column) = location.column {
                    properties.push(format!("col={column}"));
                }
            }
        }
        properties.push(format!("title={}", property(finding.check)));
        let mut message = finding.message;
        if let Some(first) = &finding.first {
            let _ = write!(message, "; first {first}");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(&message)
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "::notice title=specgate drift::{}",
        data(&format!(
            "{}: {} matched an operation, {} undocumented, {} malformed, {} not checked; {} of {} seen",
            plural(s.records, "record", "records"),
            s.matched,
            s.undocumented,
            s.malformed,
            s.not_checked,
            s.operations_seen,
            plural(s.operations_documented as u64, "operation", "operations"),
        ))
    );
    out
}
