//! Findings for people: grouped by operation, then a summary line. A long
//! run repeats itself (one wrong enum in every list item of every page):
//! each problem is shown a few times, then counted, the JSON report keeps
//! every one.

use std::fmt::Write as _;

use indexmap::{IndexMap, IndexSet};

use super::Report;
use crate::finding::{Finding, Kind, Place};

/// How many findings of one problem are shown before the rest is counted.
const SHOWN_PER_PROBLEM: usize = 5;

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
        let mut problems: IndexMap<Problem<'_>, Seen<'_>> = IndexMap::new();
        for finding in findings {
            let seen = problems.entry(problem(finding)).or_default();
            seen.count += 1;
            if seen.count > SHOWN_PER_PROBLEM {
                if let Some(member) = undocumented_member(finding) {
                    seen.hidden_members.insert(member);
                }
                continue;
            }
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
                let _ = writeln!(
                    out,
                    "    schema: {} ({})",
                    schema.position(),
                    schema.pointer
                );
            }
        }
        for ((kind, place, pointer, schema), seen) in &problems {
            if seen.count <= SHOWN_PER_PROBLEM {
                continue;
            }
            let pointer = if pointer.is_empty() { "/" } else { pointer };
            let at = place
                .map(|p| format!(", {p} at {pointer}"))
                .unwrap_or_default();
            let schema = schema.map(|s| format!(" (schema {s})")).unwrap_or_default();
            let named: Vec<&str> = seen
                .hidden_members
                .iter()
                .take(MEMBERS_NAMED)
                .copied()
                .collect();
            let members = match seen.hidden_members.len() - named.len() {
                _ if named.is_empty() => String::new(),
                0 => format!("; members {}", named.join(", ")),
                others => format!("; members {} and {others} others", named.join(", ")),
            };
            let _ = writeln!(
                out,
                "  … and {} more like it: {kind}{at}{schema}{members} (--format json lists every one)",
                seen.count - SHOWN_PER_PROBLEM
            );
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
    let mut not_checked = Vec::new();
    if summary.skipped > 0 {
        not_checked.push(format!("{} outside --base-url, skipped", summary.skipped));
    }
    match summary.preflights {
        0 => {}
        1 => not_checked.push("1 CORS preflight, not checked".into()),
        n => not_checked.push(format!("{n} CORS preflights, not checked")),
    }
    if summary.unanswered > 0 {
        not_checked.push(format!(
            "{} without a whole response, not checked",
            summary.unanswered
        ));
    }
    let skipped = if not_checked.is_empty() {
        String::new()
    } else {
        format!(" ({})", not_checked.join("; "))
    };
    // Conformance is claimed for what was checked: say what was not.
    let unrecorded = match summary.unrecorded_bodies {
        0 => String::new(),
        1 => "; 1 documented response body was not recorded, so not checked".into(),
        n => format!("; {n} documented response bodies were not recorded, so not checked"),
    };
    let omitted = match summary.omitted {
        0 => String::new(),
        1 => "; 1 more finding of the problems above was counted, not kept".into(),
        n => format!("; {n} more findings of the problems above were counted, not kept"),
    };
    let _ = writeln!(
        out,
        "{} {records}{skipped}, {} conform: {verdict}{}{unrecorded}{omitted}",
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

/// How many undocumented member names a folded line lists.
const MEMBERS_NAMED: usize = 8;

/// What makes two findings the same problem: kind, place, pointer with its
/// array indices as `*`, and the schema keyword. Undocumented members of
/// one object are one problem whatever their names (a server that adds
/// fields adds many), so drift is keyed by the object's pointer.
pub(super) type Problem<'f> = (&'f str, Option<&'f Place>, String, Option<&'f str>);

/// One problem's findings in one operation so far, and the names of the
/// undocumented members among those not shown.
#[derive(Default)]
struct Seen<'f> {
    count: usize,
    hidden_members: IndexSet<&'f str>,
}

/// The member an undocumented-member finding is about.
fn undocumented_member(finding: &Finding) -> Option<&str> {
    if finding.kind != Kind::Drift {
        return None;
    }
    finding.member.as_deref()
}

pub(super) fn problem(finding: &Finding) -> Problem<'_> {
    let mut pointer = finding.pointer.as_deref().unwrap_or_default();
    if undocumented_member(finding).is_some() {
        pointer = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
    let pointer = pointer
        .split('/')
        .map(|token| {
            if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                token
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    (
        finding.kind.id(),
        finding.place.as_ref(),
        pointer,
        finding.schema.as_ref().map(|s| s.pointer.as_str()),
    )
}
