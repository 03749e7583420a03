//! The drift report for people: plain text for a terminal, Markdown for a
//! pull request or a CI summary. Both list the same sections in the same
//! order; JSON is the report serialized.

use std::fmt::Write as _;

use specgate_validator::SchemaLocation;

use crate::findings::plural;
use crate::report::*;

/// One section: a heading and its lines.
struct Section {
    title: String,
    lines: Vec<String>,
}

/// At most this many lines a section shows; the rest are counted (JSON
/// and the patch file have them all). GitHub's document mocked by Prism,
/// which invents members, drifts in thousands of places.
const MAX_LINES: usize = 40;

fn at(schema: &SchemaLocation) -> String {
    format!("{} {}", schema.position(), schema.pointer)
}

fn example(example: &Example) -> String {
    let mut text = format!("{}:{}", example.source, example.entry);
    if let Some(request) = &example.request {
        let _ = write!(text, " {request}");
    }
    if let Some(place) = &example.at {
        let _ = write!(text, " ({place})");
    }
    text
}

fn percent(count: u64, of: u64) -> String {
    if of == 0 {
        return String::new();
    }
    let share = count as f64 * 100.0 / of as f64;
    if share > 0.0 && share < 1.0 {
        format!(" ({share:.2}%)")
    } else {
        format!(" ({share:.0}%)")
    }
}

fn sections(report: &DriftReport) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut section = |title: String, mut lines: Vec<String>| {
        if lines.len() > MAX_LINES {
            let more = lines.len() - MAX_LINES;
            lines.truncate(MAX_LINES);
            lines.push(format!("… and {more} more (--format json lists them all)"));
        }
        if !lines.is_empty() {
            sections.push(Section { title, lines });
        }
    };
    section(
        format!("Malformed records ({})", report.summary.malformed),
        report
            .malformed
            .iter()
            .map(|m| format!("{}:{}: {}", m.source, m.entry, m.reason))
            .collect(),
    );
    section(
        "Undocumented operations".into(),
        report
            .operations
            .iter()
            .map(|o| {
                let statuses: Vec<String> = o
                    .statuses
                    .iter()
                    .map(|(s, c)| format!("{s} ×{c}"))
                    .collect();
                let path = if o.path_documented {
                    "a documented path, not for this method"
                } else {
                    "path not documented"
                };
                format!(
                    "{} {}: {} ({path}), answered {}; first {}",
                    o.method,
                    o.path,
                    plural(o.count, "exchange", "exchanges"),
                    statuses.join(", "),
                    example(&o.example)
                )
            })
            .collect(),
    );
    section(
        "Undocumented statuses".into(),
        by_count(&report.statuses, |s| s.count)
            .into_iter()
            .map(|s| {
                format!(
                    "{} answered {}: {} of {}{}; first {}",
                    s.operation,
                    s.status,
                    s.count,
                    plural(s.of, "exchange", "exchanges"),
                    percent(s.count, s.of),
                    example(&s.example)
                )
            })
            .collect(),
    );
    section(
        "Undocumented media types".into(),
        report
            .media_types
            .iter()
            .map(|m| {
                format!(
                    "{} {}: {} in {} of {}; first {}",
                    m.operation,
                    m.status,
                    m.media.as_deref().unwrap_or("(no Content-Type)"),
                    m.count,
                    plural(m.of, "exchange", "exchanges"),
                    example(&m.example)
                )
            })
            .collect(),
    );
    section(
        "Undocumented query parameters".into(),
        report
            .parameters
            .iter()
            .map(|p| {
                format!(
                    "{} `{}`: {} of {}; first {}",
                    p.operation,
                    p.name,
                    p.count,
                    plural(p.of, "request", "requests"),
                    example(&p.example)
                )
            })
            .collect(),
    );
    section(
        "Undocumented members".into(),
        by_count(&report.members, |m| m.count)
            .into_iter()
            .map(|m| {
                format!(
                    "`{}` ({}) in {} of {}{} of {}; first {}",
                    m.name,
                    m.types,
                    m.count,
                    plural(m.of, "object", "objects"),
                    percent(m.count, m.of),
                    at(&m.schema),
                    example(&m.example)
                )
            })
            .collect(),
    );
    section(
        "Types the document does not admit".into(),
        report
            .types
            .iter()
            .map(|t| {
                let observed: Vec<String> = t
                    .observed
                    .iter()
                    .map(|(types, count)| format!("{types} ×{count}"))
                    .collect();
                let documented = t
                    .documented
                    .map_or_else(|| "any".to_owned(), |d| d.to_string());
                let first: Vec<String> = t
                    .examples
                    .iter()
                    .map(|(types, e)| format!("{types} at {}", example(e)))
                    .collect();
                format!(
                    "{}: documented {documented}, observed {} over {}; first {}",
                    at(&t.schema),
                    observed.join(", "),
                    plural(t.of, "value", "values"),
                    first.join("; ")
                )
            })
            .collect(),
    );
    section(
        "Values outside an enum".into(),
        by_count(&report.enums, |e| e.count)
            .into_iter()
            .map(|e| {
                let of = match &e.operation {
                    Some(_) => plural(e.of, "request", "requests"),
                    None => plural(e.of, "value", "values"),
                };
                format!(
                    "`{}` ×{} of {of}{} at {}; first {}",
                    e.value,
                    e.count,
                    percent(e.count, e.of),
                    at(&e.schema),
                    example(&e.example)
                )
            })
            .collect(),
    );
    section(
        "Required members missing".into(),
        report
            .required
            .iter()
            .map(|r| {
                format!(
                    "`{}` absent from {} of {}{} ({})",
                    r.name,
                    r.absent,
                    plural(r.of, "object", "objects"),
                    percent(r.absent, r.of),
                    at(&r.schema)
                )
            })
            .collect(),
    );
    section(
        "Formats not met".into(),
        report
            .formats
            .iter()
            .map(|f| {
                format!(
                    "`{}` not met by {} of {}{} ({}); first {}",
                    f.format,
                    f.count,
                    plural(f.of, "value", "values"),
                    percent(f.count, f.of),
                    at(&f.schema),
                    example(&f.example)
                )
            })
            .collect(),
    );
    section(
        "Other violations (no change suggested)".into(),
        report
            .violations
            .iter()
            .map(|v| {
                let schema = v.schema.as_ref().map(at).unwrap_or_default();
                format!(
                    "×{} {} {schema}; first {}",
                    v.count,
                    v.message,
                    example(&v.example)
                )
            })
            .collect(),
    );
    section(
        "Documented members never seen".into(),
        report
            .unseen
            .iter()
            .map(|u| {
                format!(
                    "`{}` in none of {} ({})",
                    u.name,
                    plural(u.objects, "object", "objects"),
                    at(&u.schema)
                )
            })
            .collect(),
    );
    let change = |s: &Suggestion| {
        format!(
            "{} {} — {} [{} of {}]",
            s.op, s.path, s.reason, s.observations, s.of
        )
    };
    section(
        format!("Suggested changes ({})", report.suggestions.len()),
        report.suggestions.iter().map(change).collect(),
    );
    section(
        format!(
            "Outliers, kept out by --min-share ({})",
            report.outliers.len()
        ),
        report.outliers.iter().map(change).collect(),
    );
    section("Not patched".into(), report.not_patched.clone());
    sections
}

/// The most frequent first (stable: the document's order among equals).
fn by_count<T>(items: &[T], count: impl Fn(&T) -> u64) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by_key(|item| std::cmp::Reverse(count(item)));
    sorted
}

fn headline(report: &DriftReport) -> String {
    let s = &report.summary;
    format!(
        "{}: {} matched an operation, {} undocumented, {} malformed, {} not checked; {} of {} seen",
        plural(s.records, "record", "records"),
        s.matched,
        s.undocumented,
        s.malformed,
        s.not_checked,
        s.operations_seen,
        plural(s.operations_documented as u64, "operation", "operations")
    )
}

/// Plain text.
pub fn human(report: &DriftReport) -> String {
    let mut text = headline(report);
    text.push('\n');
    for section in sections(report) {
        let _ = write!(text, "\n{}:\n", section.title);
        for line in section.lines {
            let _ = writeln!(text, "  {line}");
        }
    }
    if !report.has_drift() {
        text.push_str("\nno drift: traffic and document agree\n");
    }
    text
}

/// Markdown.
pub fn markdown(report: &DriftReport) -> String {
    let mut text = format!("# API drift\n\n{}\n", headline(report));
    for section in sections(report) {
        let _ = write!(text, "\n## {}\n\n", section.title);
        for line in section.lines {
            let _ = writeln!(text, "- {}", line.replace('|', "\\|"));
        }
    }
    if !report.has_drift() {
        text.push_str("\nNo drift: traffic and document agree.\n");
    }
    text
}
