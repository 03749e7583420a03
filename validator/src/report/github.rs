//! GitHub Actions workflow commands: one annotation per finding, on the
//! document's line when known.

use std::fmt::Write as _;

use super::Report;

pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let level = if finding.error { "error" } else { "warning" };
        let mut properties = vec![format!("title={}", property(finding.kind.id()))];
        if let Some(schema) = &finding.schema {
            properties.insert(0, format!("file={}", property(&schema.file)));
            if let Some(line) = schema.line {
                properties.insert(1, format!("line={line}"));
                if let Some(column) = schema.column {
                    properties.insert(2, format!("col={column}"));
                }
            }
        }
        let exchange = format!("{}#{}", finding.source, finding.entry);
        let request = finding.request.as_deref().unwrap_or_default();
        let message = format!("{exchange} {request}: {}", super::describe(finding));
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            properties.join(","),
            data(&message)
        );
    }
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "::notice title=specgate::{}, {} conform, {}, {}, {} not recorded",
        super::junit::plural(summary.records, "record"),
        summary.conforming,
        super::junit::plural(summary.errors, "error"),
        super::junit::plural(summary.warnings, "warning"),
        match summary.unrecorded_bodies {
            1 => "1 response body".to_owned(),
            n => format!("{n} response bodies"),
        }
    );
    out
}

/// A workflow command's message: `%`, CR and LF escaped.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
