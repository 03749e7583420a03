//! Reports of a diff: for a person (`human`), a pull request or a
//! changelog (`markdown`), a program (`json`), a CI test report (`junit`),
//! GitHub Actions annotations (`github`) and code scanning (`sarif`).

mod sarif;

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::checks::Level;
use crate::traffic::{ChangeTraffic, Replay};
use crate::{Located, Site};
// GitHub's escaping of workflow commands, as the validator's reports apply it.
use crate::workflow::{data, property};

pub use sarif::sarif;

/// What a report shows.
pub struct Report<'c> {
    /// The changes, located, in the order found.
    pub changes: Vec<Located<'c>>,
    /// How many changes an ignore file accepted.
    pub ignored: usize,
    /// The replayed traffic, when `--traffic` was given.
    pub traffic: Option<&'c Replay>,
    /// The level from which a change fails the run (`None`: never).
    pub fail_on: Option<Level>,
}

impl Report<'_> {
    fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|c| c.change.level == level)
            .count()
    }

    /// The changes from the most to the least severe, each level in the
    /// order found.
    fn by_level(&self) -> Vec<(usize, &Located<'_>)> {
        let mut ordered: Vec<(usize, &Located)> = self.changes.iter().enumerate().collect();
        ordered.sort_by_key(|(index, c)| (std::cmp::Reverse(c.change.level), *index));
        ordered
    }

    fn traffic_of(&self, index: usize) -> Option<&ChangeTraffic> {
        self.traffic.and_then(|t| t.changes.get(index))
    }

    fn fails(&self, level: Level) -> bool {
        self.fail_on.is_some_and(|threshold| level >= threshold)
    }

    /// `3 breaking, 1 warning, 12 info (2 ignored)`.
    pub fn summary_line(&self) -> String {
        let warnings = self.count(Level::Warning);
        let mut line = format!(
            "{} breaking, {} warning{}, {} info",
            self.count(Level::Breaking),
            warnings,
            if warnings == 1 { "" } else { "s" },
            self.count(Level::Info)
        );
        if self.ignored > 0 {
            let _ = write!(line, " ({} ignored)", self.ignored);
        }
        line
    }
}

/// What an operation is called in reports: `GET /pets/{id}`, the path
/// alone for a change to a whole path, `webhook name` for a webhook.
fn operation(located: &Located) -> String {
    let change = located.change;
    let path = if change.webhook {
        format!("webhook {}", change.path)
    } else {
        change.path.clone()
    };
    match change.method {
        Some(method) => format!("{method} {path}"),
        None => path,
    }
}

fn site(site: &Site) -> String {
    match site.line {
        Some(line) => format!("{}:{line}", site.file),
        None => format!("{}#{}", site.file, site.pointer),
    }
}

/// `in 1,204 of 1,310 recorded exchanges of the operation`, and the
/// exchanges that conform to the old document and fail the new.
fn traffic_sentence(traffic: &ChangeTraffic) -> String {
    if traffic.routed == 0 {
        return "never seen in traffic: no recorded exchange of this operation".to_owned();
    }
    let mut sentence = if traffic.touched == 0 {
        match traffic.routed {
            1 => {
                "never seen in traffic (the 1 recorded exchange of the operation does not touch it)"
                    .to_owned()
            }
            n => format!(
                "never seen in traffic ({n} recorded exchanges of the operation do not touch it)"
            ),
        }
    } else {
        format!(
            "in {} of {} of the operation",
            traffic.touched,
            match traffic.routed {
                1 => "1 recorded exchange".to_owned(),
                n => format!("{n} recorded exchanges"),
            }
        )
    };
    if !traffic.broken.is_empty() {
        let _ = write!(
            sentence,
            "; {} {} to the old document and {} the new: {}",
            traffic.broken.len(),
            if traffic.broken.len() == 1 {
                "conforms"
            } else {
                "conform"
            },
            if traffic.broken.len() == 1 {
                "fails"
            } else {
                "fail"
            },
            listed(&traffic.broken)
        );
    }
    sentence
}

/// The first few exchange names, and how many more.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(text, " and {} more", names.len() - SHOWN);
    }
    text
}

/// A change's witness as compact JSON, cut short when long.
fn witness(change: &crate::Change) -> Option<String> {
    const SHOWN: usize = 200;
    let text = serde_json::to_string(change.witness.as_ref()?).ok()?;
    if text.chars().count() <= SHOWN {
        return Some(text);
    }
    let cut: String = text.chars().take(SHOWN).collect();
    Some(format!("{cut}…"))
}

/// For a terminal or a log.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for (index, located) in report.by_level() {
        let change = located.change;
        let _ = writeln!(
            out,
            "{:<9} {}  [{}]",
            change.level.as_str(),
            operation(located),
            change.check.id
        );
        let _ = writeln!(out, "          {}", change.message);
        let sites: Vec<String> = [("old", &located.old), ("new", &located.new)]
            .into_iter()
            .filter_map(|(name, s)| s.as_ref().map(|s| format!("{name} {}", site(s))))
            .collect();
        if !sites.is_empty() {
            let _ = writeln!(out, "          {}", sites.join(", "));
        }
        if let Some(witness) = witness(change) {
            let _ = writeln!(out, "          witness: {witness}");
        }
        if let Some(traffic) = report.traffic_of(index) {
            let _ = writeln!(out, "          traffic: {}", traffic_sentence(traffic));
        }
    }
    if let Some(traffic) = report.traffic {
        let _ = writeln!(out, "{}", traffic.summary_line());
    }
    let _ = writeln!(out, "{}", report.summary_line());
    out
}

/// For a pull-request comment or a changelog: a table per level.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("## API changes: {}\n", report.summary_line());
    if report.changes.is_empty() {
        out.push_str("\nNo change to the API's contract.\n");
    }
    for level in [Level::Breaking, Level::Warning, Level::Info] {
        let rows: Vec<(usize, &Located)> = report
            .by_level()
            .into_iter()
            .filter(|(_, c)| c.change.level == level)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let title = match level {
            Level::Breaking => "Breaking changes",
            Level::Warning => "Warnings",
            Level::Info => "Other changes",
        };
        let traffic_column = report.traffic.is_some();
        let _ = writeln!(out, "\n### {title}\n");
        if traffic_column {
            out.push_str("| Operation | Change | Check | Traffic |\n|---|---|---|---|\n");
        } else {
            out.push_str("| Operation | Change | Check |\n|---|---|---|\n");
        }
        for (index, located) in rows {
            let mut text = cell(&located.change.message);
            if let Some(witness) = witness(located.change) {
                let _ = write!(text, "<br>witness: `{}`", cell(&witness).replace('`', "'"));
            }
            let _ = write!(
                out,
                "| `{}` | {} | `{}` |",
                cell(&operation(located)),
                text,
                located.change.check.id
            );
            if traffic_column {
                let text = report
                    .traffic_of(index)
                    .map(traffic_sentence)
                    .unwrap_or_default();
                let _ = write!(out, " {} |", cell(&text));
            }
            out.push('\n');
        }
    }
    if let Some(traffic) = report.traffic {
        let _ = writeln!(out, "\n{}", traffic.summary_line());
    }
    out
}

/// A table cell: pipes escaped, lines joined.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One JSON object: counts by level, then every change.
pub fn json(report: &Report) -> String {
    let site = |s: &Option<Site>| match s {
        Some(s) => json!({"file": s.file, "pointer": s.pointer, "line": s.line}),
        None => Value::Null,
    };
    let changes: Vec<Value> = report
        .changes
        .iter()
        .enumerate()
        .map(|(index, located)| {
            let change = located.change;
            let mut value = json!({
                "id": change.check.id,
                "level": change.level,
                "direction": change.check.direction,
                "method": change.method.map(|m| m.key()),
                "path": change.path,
                "webhook": change.webhook,
                "old": site(&located.old),
                "new": site(&located.new),
                "message": change.message,
            });
            if let (Some(witness), Some(object)) = (&change.witness, value.as_object_mut()) {
                object.insert("witness".to_owned(), witness.clone());
            }
            if let (Some(traffic), Some(object)) = (report.traffic_of(index), value.as_object_mut())
            {
                object.insert(
                    "traffic".to_owned(),
                    json!({
                        "touched": traffic.touched,
                        "of": traffic.routed,
                        "broken": traffic.broken,
                    }),
                );
            }
            value
        })
        .collect();
    let mut summary = json!({
        "breaking": report.count(Level::Breaking),
        "warning": report.count(Level::Warning),
        "info": report.count(Level::Info),
        "ignored": report.ignored,
    });
    if let (Some(traffic), Some(object)) = (report.traffic, summary.as_object_mut()) {
        object.insert(
            "traffic".to_owned(),
            json!({
                "records": traffic.records,
                "exchanges": traffic.exchanges,
                "conform_old": traffic.conform_old,
                "conform_old_fail_new": traffic.broken.len(),
            }),
        );
    }
    let document = json!({"summary": summary, "changes": changes});
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// JUnit XML: one test case per change, failed at or above `--fail-on`.
pub fn junit(report: &Report) -> String {
    let failures = report
        .changes
        .iter()
        .filter(|c| report.fails(c.change.level))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"specgate diff\" tests=\"{}\" failures=\"{failures}\">",
        report.changes.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"specgate diff\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        report.changes.len()
    );
    for (index, located) in report.changes.iter().enumerate() {
        let change = located.change;
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&operation(located)),
            xml(&format!("{}: {}", change.check.id, change.message))
        );
        if report.fails(change.level) {
            let mut body = change.message.clone();
            for (name, s) in [("old", &located.old), ("new", &located.new)] {
                if let Some(s) = s {
                    let _ = write!(body, "\n{name}: {}", site(s));
                }
            }
            if let Some(witness) = witness(change) {
                let _ = write!(body, "\nwitness: {witness}");
            }
            if let Some(traffic) = report.traffic_of(index) {
                let _ = write!(body, "\ntraffic: {}", traffic_sentence(traffic));
            }
            let _ = writeln!(
                out,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                change.level,
                xml(&change.message),
                xml(&body)
            );
        } else {
            out.push_str("/>\n");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
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
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions workflow commands: an annotation per change on the new
/// document's line (the old one's for a removal).
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for (index, located) in report.by_level() {
        let change = located.change;
        let command = if report.fails(change.level) {
            "error"
        } else if change.level == Level::Info {
            "notice"
        } else {
            "warning"
        };
        let mut properties = Vec::new();
        if let Some(s) = located.new.as_ref().or(located.old.as_ref()) {
            properties.push(format!("file={}", property(&s.file)));
            if let Some(line) = s.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", property(change.check.id)));
        let mut message = format!("{}: {}", operation(located), change.message);
        if let Some(witness) = witness(change) {
            let _ = write!(message, " (witness: {witness})");
        }
        if let Some(traffic) = report.traffic_of(index) {
            let _ = write!(message, " (traffic: {})", traffic_sentence(traffic));
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(&message)
        );
    }
    let _ = writeln!(
        out,
        "::notice title=specgate diff::{}",
        data(&report.summary_line())
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_each_format_needs() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn lists_a_few_names_and_counts_the_rest() {
        let names: Vec<String> = (0..7).map(|i| format!("t.jsonl#{i}")).collect();
        assert_eq!(
            listed(&names),
            "t.jsonl#0, t.jsonl#1, t.jsonl#2, t.jsonl#3, t.jsonl#4 and 2 more"
        );
    }
}
