//! JUnit XML, which every CI system shows as tests: one test case per
//! check, so a clean run still shows what was checked and a test keeps
//! its name from run to run. A check with findings fails, listing each;
//! unreadable records are an `<error>`; unseen members, which fail
//! nothing, go to the case's `system-out`. Valid against the JUnit 10 XSD,
//! as the validator's report is.

use std::fmt::Write as _;

use specgate_spec::Document;

use crate::findings::{findings, DriftFinding, CHECKS};
use crate::report::DriftReport;

pub fn junit(report: &DriftReport, document: &Document) -> String {
    let all = findings(report, document);
    let of = |id: &str| -> Vec<&DriftFinding> { all.iter().filter(|f| f.check == id).collect() };
    let errors = usize::from(!report.malformed.is_empty());
    let failures = CHECKS
        .iter()
        .filter(|(id, _)| *id != "malformed" && of(id).iter().any(|f| f.error))
        .count();
    let tests = CHECKS.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"specgate drift\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"specgate drift\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
    );
    for (id, description) in CHECKS {
        let found = of(id);
        let _ = writeln!(
            out,
            "    <testcase classname=\"specgate drift\" name=\"{}\">",
            xml(id)
        );
        let lines: String = found.iter().map(|f| line(f) + "\n").collect();
        let count = found.len();
        if count > 0 && id == "malformed" {
            let _ = writeln!(
                out,
                "      <error type=\"{id}\" message=\"{}\">{}</error>",
                xml(&format!(
                    "{} could not be read",
                    crate::findings::plural(report.summary.malformed, "record", "records")
                )),
                xml(&lines)
            );
        } else if found.iter().any(|f| f.error) {
            let _ = writeln!(
                out,
                "      <failure type=\"{id}\" message=\"{}\">{}</failure>",
                xml(&format!("{count} found: {description}")),
                xml(&lines)
            );
        } else if count > 0 {
            let _ = writeln!(out, "      <system-out>{}</system-out>", xml(&lines));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `file:line: message (first source#entry)`.
fn line(finding: &DriftFinding) -> String {
    let mut text = String::new();
    if let Some(location) = &finding.location {
        let _ = write!(text, "{} {}: ", location.position(), location.pointer);
    }
    text.push_str(&finding.message);
    if let Some(first) = &finding.first {
        let _ = write!(text, "; first {first}");
    }
    text
}

/// XML text or attribute content, escaped; characters XML 1.0 cannot
/// hold are dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
