//! JUnit XML, which every CI system shows as tests: one suite per input,
//! one test case per operation the input's records matched (so a clean
//! run still shows its tests), one `<failure>` listing every error finding
//! of that operation's records, and `<error>` for records that could not
//! be read. Drift that is not an error goes to the case's `system-out`.
//! Valid against the JUnit 10 XSD (Jenkins xunit, as pytest ships it).

use std::fmt::Write as _;

use indexmap::IndexMap;
use quick_xml::escape::escape;

use super::{describe, Report, Tally};
use crate::check::Matched;
use crate::finding::{Finding, Kind};

pub fn junit(report: &Report) -> String {
    let mut by_case: IndexMap<(&str, Matched), Vec<&Finding>> = IndexMap::new();
    for finding in &report.findings {
        by_case
            .entry((finding.source.as_str(), matched(finding)))
            .or_default()
            .push(finding);
    }
    let count = |wanted: fn(&Matched, &Tally) -> bool| -> usize {
        report
            .tally
            .values()
            .flat_map(|cases| cases.iter())
            .filter(|(matched, tally)| wanted(matched, tally))
            .count()
    };
    let tests = count(|_, _| true);
    let errors = count(|matched, _| *matched == Matched::Malformed);
    let failures = count(|matched, tally| *matched != Matched::Malformed && tally.failing > 0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"specgate validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for (source, cases) in &report.tally {
        let errors = usize::from(cases.contains_key(&Matched::Malformed));
        let failures = cases
            .iter()
            .filter(|(matched, tally)| **matched != Matched::Malformed && tally.failing > 0)
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">",
            escape(source.as_str()),
            cases.len()
        );
        for (matched, tally) in cases {
            let findings = by_case
                .get(&(source.as_str(), matched.clone()))
                .map_or(&[][..], Vec::as_slice);
            test_case(&mut out, source, matched, *tally, findings);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// One operation's records in one input.
fn test_case(
    out: &mut String,
    source: &str,
    matched: &Matched,
    tally: Tally,
    findings: &[&Finding],
) {
    let name = match matched {
        Matched::Operation(id) => id.as_str(),
        Matched::Undocumented => "(undocumented operations)",
        Matched::Malformed => "(malformed records)",
        // Not tallied: records not checked are not tests.
        Matched::Skipped => "(skipped)",
        Matched::Preflight => "(CORS preflights)",
        Matched::Unanswered => "(unanswered requests)",
    };
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\">",
        escape(source),
        escape(name)
    );
    let records = plural(tally.records, "record");
    let mut errors = String::new();
    let mut warnings = String::new();
    for finding in findings {
        let line = format!("{}\n", entry_line(finding));
        if finding.error {
            errors.push_str(&line);
        } else {
            warnings.push_str(&line);
        }
    }
    if *matched == Matched::Malformed {
        let _ = writeln!(
            out,
            "      <error type=\"malformed\" message=\"{} could not be read\">{}</error>",
            records,
            escape(errors.as_str())
        );
    } else if tally.failing > 0 {
        let mut kinds: Vec<&str> = findings
            .iter()
            .filter(|f| f.error)
            .map(|f| f.kind.id())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let verb = if tally.failing == 1 { "does" } else { "do" };
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{} of {records} {verb} not conform\">{}</failure>",
            kinds.join(" "),
            tally.failing,
            escape(errors.as_str())
        );
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

/// What a finding's record matched, as the tally counts it.
fn matched(finding: &Finding) -> Matched {
    match (&finding.operation, finding.kind) {
        (_, Kind::Malformed) => Matched::Malformed,
        (Some(id), _) => Matched::Operation(id.clone()),
        (None, _) => Matched::Undocumented,
    }
}

/// `#3 GET /api/v1/...: violation: response body at /data: ...`.
fn entry_line(finding: &Finding) -> String {
    let mut line = format!("#{}", finding.entry);
    if let Some(request) = &finding.request {
        let _ = write!(line, " {request}");
    }
    let _ = write!(line, ": {}: {}", finding.kind.id(), describe(finding));
    line
}

pub(super) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
