//! Findings for people: grouped by operation, then a summary line.

use std::fmt::Write as _;

use indexmap::IndexMap;

use super::Report;
use crate::finding::Finding;

/// The report as text; `color` adds ANSI colours (on a terminal).
pub fn human(report: &Report, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut groups: IndexMap<String, Vec<&Finding>> = IndexMap::new();
    for finding in &report.findings {
        let key = finding
            .operation
            .clone()
            .unwrap_or_else(|| "(no operation)".into());
        groups.entry(key).or_default().push(finding);
    }
    let mut out = String::new();
    for (operation, findings) in &groups {
        let _ = writeln!(out, "{}", paint("1", operation));
        for finding in findings {
            let label = if finding.error {
                paint("31", finding.kind.id())
            } else {
                paint("33", finding.kind.id())
            };
            let _ = writeln!(out, "  {label} {}#{}", finding.source, finding.entry);
            if let Some(request) = &finding.request {
                let _ = writeln!(out, "    {request}");
            }
            let place = match (&finding.place, &finding.pointer) {
                (Some(place), Some(pointer)) => {
                    let pointer = if pointer.is_empty() { "/" } else { pointer };
                    format!("{place} at {pointer}: ")
                }
                _ => String::new(),
            };
            let _ = writeln!(out, "    {place}{}", finding.message);
            if let Some(schema) = &finding.schema {
                let line = schema.line.map(|l| format!(":{l}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    schema: {}{line} ({})",
                    schema.file, schema.pointer
                );
            }
        }
    }
    let summary = &report.summary;
    let kinds: Vec<String> = summary
        .findings
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    let verdict = if summary.errors == 0 {
        paint("32", "conforms")
    } else {
        paint("31", "does not conform")
    };
    let records = if summary.records == 1 {
        "record"
    } else {
        "records"
    };
    let skipped = match summary.skipped {
        0 => String::new(),
        n => format!(" ({n} outside --base-url, skipped)"),
    };
    let _ = writeln!(
        out,
        "{} {records}{skipped}, {} conform: {verdict}{}",
        summary.records,
        summary.conforming,
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        }
    );
    out
}
