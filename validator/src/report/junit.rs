//! JUnit XML, which every CI system shows as tests: one suite per input,
//! one test case per exchange with findings, a failure per error finding
//! (drift is a test case's `system-out` unless `--strict`).

use std::fmt::Write as _;

use indexmap::IndexMap;
use quick_xml::escape::escape;

use super::Report;
use crate::finding::Finding;

pub fn junit(report: &Report) -> String {
    let mut suites: IndexMap<&str, IndexMap<usize, Vec<&Finding>>> = IndexMap::new();
    for finding in &report.findings {
        suites
            .entry(finding.source.as_str())
            .or_default()
            .entry(finding.entry)
            .or_default()
            .push(finding);
    }
    let failing = |findings: &[&Finding]| findings.iter().any(|f| f.error);
    let failures: usize = suites
        .values()
        .map(|cases| cases.values().filter(|f| failing(f)).count())
        .sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"specgate validate\" tests=\"{}\" failures=\"{failures}\">",
        report.summary.records
    );
    for (source, cases) in &suites {
        let suite_failures = cases.values().filter(|f| failing(f)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\">",
            escape(*source),
            cases.len()
        );
        for (entry, findings) in cases {
            let first = findings.first();
            let operation = first
                .and_then(|f| f.operation.as_deref())
                .unwrap_or("(no operation)");
            let request = first.and_then(|f| f.request.as_deref()).unwrap_or_default();
            let _ = writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\">",
                escape(operation),
                escape(format!("#{entry} {request}").trim_end())
            );
            let mut warnings = String::new();
            for finding in findings {
                let text = describe(finding);
                if finding.error {
                    let _ = writeln!(
                        out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        finding.kind.id(),
                        escape(finding.message.as_str()),
                        escape(text.as_str())
                    );
                } else {
                    let _ = writeln!(warnings, "{}: {text}", finding.kind.id());
                }
            }
            if !warnings.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(warnings.as_str())
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
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
        let line = schema.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = write!(text, " (schema {}{line} {})", schema.file, schema.pointer);
    }
    text
}
