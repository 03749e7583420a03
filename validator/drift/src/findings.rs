//! The drift report as a list of findings, for the formats CI systems
//! read (SARIF, JUnit, GitHub annotations): each with its check id, its
//! level, one line of text and where in the document it is, when the
//! document has a place for it.

use specgate_spec::{Document, Origin};
use specgate_validator::SchemaLocation;

use crate::report::*;

/// Every check a drift run makes, in the report's order, with what it
/// finds. The ids are the validator's finding kinds where one says the
/// same (`undocumented-status`), so one id means one thing in every log.
pub const CHECKS: [(&str, &str); 12] = [
    ("malformed", "A record that cannot be read."),
    (
        "undocumented-operation",
        "Requests to a method and path no operation describes.",
    ),
    (
        "undocumented-status",
        "Responses with a status their operation does not document.",
    ),
    (
        "undocumented-media-type",
        "Responses with a media type (or a body) their response does not document.",
    ),
    (
        "undocumented-query-parameter",
        "Query parameters sent that their operation does not declare.",
    ),
    (
        "undocumented-member",
        "Object members sent that their schema does not declare.",
    ),
    (
        "type-mismatch",
        "Values of a type their schema does not admit.",
    ),
    ("enum-mismatch", "Values outside their schema's enum."),
    (
        "required-missing",
        "Required members some objects did not have.",
    ),
    (
        "format-mismatch",
        "String values that do not have their schema's format.",
    ),
    (
        "violation",
        "Other schema violations, by the keyword that failed (no change suggested).",
    ),
    (
        "unseen-member",
        "Declared members no observed object had (a note: traffic may not have reached them).",
    ),
];

/// One thing a drift run found.
#[derive(Debug, Clone)]
pub struct DriftFinding {
    /// An id of [`CHECKS`].
    pub check: &'static str,
    /// Whether it fails the run (everything but unseen members).
    pub error: bool,
    /// One line, for people.
    pub message: String,
    /// Where the document says (or would say) it.
    pub location: Option<SchemaLocation>,
    /// The first exchange it was seen in: `source#entry`.
    pub first: Option<String>,
}

/// The findings, in the order of [`CHECKS`], each check's in the report's
/// order.
pub fn findings(report: &DriftReport, document: &Document) -> Vec<DriftFinding> {
    let operation_at = |id: &str| {
        document
            .operation(id)
            .map(|operation| located(document, &operation.origin))
    };
    let mut out = Vec::new();
    let mut push = |check: &'static str,
                    message: String,
                    location: Option<SchemaLocation>,
                    first: Option<&Example>| {
        out.push(DriftFinding {
            check,
            error: check != "unseen-member",
            message,
            location,
            first: first.map(|e| format!("{}#{}", e.source, e.entry)),
        });
    };
    for m in &report.malformed {
        push(
            "malformed",
            format!("{}#{}: {}", m.source, m.entry, m.reason),
            None,
            None,
        );
    }
    for o in &report.operations {
        // A documented path, for another method: its path item is where
        // the operation would go.
        let location = o
            .path_documented
            .then(|| {
                let other = document.operations.iter().find(|op| op.path == o.path)?;
                let parent = other.origin.pointer.rsplit_once('/')?.0.to_owned();
                Some(located(
                    document,
                    &Origin {
                        file: other.origin.file,
                        pointer: parent,
                    },
                ))
            })
            .flatten();
        push(
            "undocumented-operation",
            format!(
                "{} {}: {} to an operation the document does not have ({})",
                o.method,
                o.path,
                exchanges(o.count),
                if o.path_documented {
                    "a documented path, not for this method"
                } else {
                    "path not documented"
                }
            ),
            location,
            Some(&o.example),
        );
    }
    for s in &report.statuses {
        push(
            "undocumented-status",
            format!(
                "{} answered {}, which it does not document: {} of {}",
                s.operation,
                s.status,
                s.count,
                exchanges(s.of)
            ),
            operation_at(&s.operation),
            Some(&s.example),
        );
    }
    for m in &report.media_types {
        push(
            "undocumented-media-type",
            format!(
                "{} {} answered {}, which it does not document: {} of {}",
                m.operation,
                m.status,
                m.media.as_deref().unwrap_or("a body without Content-Type"),
                m.count,
                exchanges(m.of)
            ),
            operation_at(&m.operation),
            Some(&m.example),
        );
    }
    for p in &report.parameters {
        push(
            "undocumented-query-parameter",
            format!(
                "{} was sent the query parameter `{}` it does not declare: {} of {}",
                p.operation,
                p.name,
                p.count,
                plural(p.of, "request", "requests")
            ),
            operation_at(&p.operation),
            Some(&p.example),
        );
    }
    for m in &report.members {
        push(
            "undocumented-member",
            format!(
                "`{}` ({}) is not declared, yet in {} of {}",
                m.name,
                m.types,
                m.count,
                plural(m.of, "object", "objects")
            ),
            Some(m.schema.clone()),
            Some(&m.example),
        );
    }
    for t in &report.types {
        let observed: Vec<String> = t
            .observed
            .iter()
            .map(|(types, count)| format!("{types} ×{count}"))
            .collect();
        let documented = t
            .documented
            .map_or_else(|| "any".to_owned(), |d| d.to_string());
        push(
            "type-mismatch",
            format!(
                "documented {documented}, observed {} over {}",
                observed.join(", "),
                plural(t.of, "value", "values")
            ),
            Some(t.schema.clone()),
            t.examples.first().map(|(_, e)| e),
        );
    }
    for e in &report.enums {
        push(
            "enum-mismatch",
            format!(
                "`{}` is not one of the enum's values: {} of {}",
                e.value,
                e.count,
                match &e.operation {
                    Some(_) => plural(e.of, "request", "requests"),
                    None => plural(e.of, "value", "values"),
                }
            ),
            Some(e.schema.clone()),
            Some(&e.example),
        );
    }
    for r in &report.required {
        push(
            "required-missing",
            format!(
                "required `{}` absent from {} of {}",
                r.name,
                r.absent,
                plural(r.of, "object", "objects")
            ),
            Some(r.schema.clone()),
            None,
        );
    }
    for f in &report.formats {
        push(
            "format-mismatch",
            format!(
                "`{}` not met by {} of {}",
                f.format,
                f.count,
                plural(f.of, "value", "values")
            ),
            Some(f.schema.clone()),
            Some(&f.example),
        );
    }
    for v in &report.violations {
        push(
            "violation",
            format!("{} (×{})", v.message, v.count),
            v.schema.clone(),
            Some(&v.example),
        );
    }
    for u in &report.unseen {
        push(
            "unseen-member",
            format!(
                "`{}` is in none of {}",
                u.name,
                plural(u.objects, "object", "objects")
            ),
            Some(u.schema.clone()),
            None,
        );
    }
    out
}

fn located(document: &Document, origin: &Origin) -> SchemaLocation {
    let location = document.location(origin);
    SchemaLocation {
        file: location.file,
        pointer: location.pointer.unwrap_or_else(|| origin.pointer.clone()),
        line: location.line,
        column: location.column,
    }
}

/// `1 exchange`, `2 exchanges`.
pub(crate) fn exchanges(count: u64) -> String {
    plural(count, "exchange", "exchanges")
}

/// `1 value`, `2 values`.
pub(crate) fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
