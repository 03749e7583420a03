//! Schema failures as findings: where in the value, which keyword of the
//! document failed (file, pointer, line, column), what it expected, what
//! was found, shortened for people.

use serde_json::Value;
use specgate_spec::Origin;

use super::{Findings, Validator};
use crate::finding::{Finding, Kind, Place, SchemaLocation};
use crate::schemas::SlotKey;

/// At most this many violations are reported per value: a wrong type in
/// every item of a long list says one thing many times.
const MAX_VIOLATIONS_PER_VALUE: usize = 20;

/// How many bytes of copies reporting one failure may cost: the size of the
/// value times the most branches a `oneOf` or `anyOf` of its schema has.
const ERROR_COPY_BUDGET: usize = 64 * 1024 * 1024;

/// The outermost `oneOf`/`anyOf` a keyword path lies in, and which of the
/// two: `/x/oneOf/3/type` is in `/x/oneOf`.
fn composition(path: &str) -> Option<(&str, &'static str)> {
    let mut offset = 0;
    for token in path.split('/') {
        let end = offset + token.len();
        if let keyword @ ("oneOf" | "anyOf") = token {
            let rest = &path[end..];
            let index = rest
                .strip_prefix('/')
                .map(|r| r.split('/').next().unwrap_or_default());
            if index.is_some_and(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit())) {
                let keyword = if keyword == "oneOf" { "oneOf" } else { "anyOf" };
                return Some((&path[..end], keyword));
            }
        }
        offset = end + 1;
    }
    None
}

/// The keyword a schema path ends at (`/properties/a/enum`: `enum`; an
/// index names the composition it is in: `/anyOf/1`: `anyOf`).
pub(crate) fn keyword_of(schema_path: &str) -> Option<String> {
    specgate_spec::pointer::tokens(schema_path)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|token| !token.bytes().all(|b| b.is_ascii_digit()))
        .map(|token| token.into_owned())
}

/// The longest value shown whole in a finding, as JSON text.
const SHOWN_VALUE_LENGTH: usize = 200;

impl Validator<'_> {
    /// The schema violations of a value (`size`: its bytes as received,
    /// about), each with its pointer, the schema keyword's place in the
    /// document, and what it expected.
    pub(super) fn violations(
        &self,
        key: &SlotKey,
        value: &Value,
        size: usize,
        place: &Place,
        base: &Finding,
        findings: &mut Findings,
    ) {
        // A value whose schema is not checked whole is never taken for
        // one that conforms.
        let compiled = self.schemas.get(key);
        if let Some(reason) = self.schemas.unchecked(key) {
            findings.push(Finding {
                kind: Kind::NotChecked,
                error: true,
                place: Some(place.clone()),
                message: format!("{place} was not fully checked: {reason}"),
                ..base.clone()
            });
        }
        let Some((validator, _)) = compiled else {
            return;
        };
        // Most values conform: the yes-or-no check is much cheaper than
        // collecting errors.
        if validator.is_valid(value) {
            return;
        }
        let failure =
            |schema_path: &str, instance_path: &str, message: String, member: Option<String>| {
                let found = value.pointer(instance_path);
                Finding {
                    kind: Kind::Violation,
                    place: Some(place.clone()),
                    pointer: Some(instance_path.to_owned()),
                    schema: self
                        .schemas
                        .origin(self.document, schema_path)
                        .map(|origin| self.schema_location(&origin)),
                    expected: self.schemas.node(schema_path).map(truncate),
                    message: shortened(message, found),
                    found: found.map(truncate),
                    keyword: keyword_of(schema_path),
                    member,
                    ..base.clone()
                }
            };
        if size.saturating_mul(self.schemas.widest(key)) <= ERROR_COPY_BUDGET {
            for error in validator.iter_errors(value).take(MAX_VIOLATIONS_PER_VALUE) {
                let member = match error.kind() {
                    jsonschema::error::ValidationErrorKind::Required { property } => {
                        property.as_str().map(str::to_owned)
                    }
                    _ => None,
                };
                findings.push(failure(
                    &self.schemas.failure_path(&error),
                    error.instance_path().as_str(),
                    error.to_string(),
                    member,
                ));
            }
            return;
        }
        // A wide `oneOf` or `anyOf` over a large value: `jsonschema`'s
        // errors would copy the value once per branch. Its evaluation
        // output does not; a branch's failure is reported, as an error
        // would be, at the composition that failed.
        let evaluation = validator.evaluate(value);
        let mut reported: Vec<(String, String)> = Vec::new();
        for entry in evaluation.iter_errors() {
            if reported.len() >= MAX_VIOLATIONS_PER_VALUE {
                break;
            }
            let Some(path) = self.schemas.document_pointer(entry.schema_location) else {
                continue;
            };
            let instance_path = entry.instance_location.as_str().to_owned();
            let (path, message) = match composition(&path) {
                Some((composition, keyword)) => {
                    let shown = value
                        .pointer(&instance_path)
                        .map(truncate)
                        .unwrap_or_default();
                    let message = format!(
                        "{shown} is not valid under any of the schemas listed in the '{keyword}' keyword"
                    );
                    (composition.to_owned(), message)
                }
                None => (path.clone(), entry.error.message().to_owned()),
            };
            if reported.contains(&(path.clone(), instance_path.clone())) {
                continue;
            }
            findings.push(failure(&path, &instance_path, message, None));
            reported.push((path, instance_path));
        }
    }

    /// Where the document wrote a schema node, as findings show it. A line
    /// costs a pass over the file, so each node's is kept: the same few
    /// schema nodes are named by finding after finding.
    pub(super) fn schema_location(&self, origin: &Origin) -> SchemaLocation {
        if let Some(known) = self
            .locations
            .read()
            .ok()
            .and_then(|l| l.get(origin).cloned())
        {
            return known;
        }
        let location = self.document.location(origin);
        let location = SchemaLocation {
            file: location.file,
            pointer: location.pointer.unwrap_or_else(|| origin.pointer.clone()),
            line: location.line,
            column: location.column,
        };
        if let Ok(mut locations) = self.locations.write() {
            locations.insert(origin.clone(), location.clone());
        }
        location
    }
}

/// A `jsonschema` message with the value it quotes shortened as `found` is:
/// it quotes the whole value, and a `oneOf` over GitHub's event payloads
/// quoted 21 KB of one.
fn shortened(message: String, found: Option<&Value>) -> String {
    let Some(found) = found else {
        return message;
    };
    let Value::String(short) = truncate(found) else {
        return message;
    };
    let quoted = found.to_string();
    if quoted.len() <= SHOWN_VALUE_LENGTH {
        return message;
    }
    let short = if found.is_string() {
        Value::String(short).to_string()
    } else {
        short
    };
    message.replacen(&quoted, &short, 1)
}

/// A found value, shortened when large: a finding names the value, it does
/// not copy the whole body.
pub(super) fn truncate(value: &Value) -> Value {
    let long = match value {
        // Measured without writing a 10 MB string out again.
        Value::String(s) => s.len() > SHOWN_VALUE_LENGTH,
        Value::Array(items) => {
            items.len() > SHOWN_VALUE_LENGTH || value.to_string().len() > SHOWN_VALUE_LENGTH
        }
        Value::Object(members) => {
            members.len() > SHOWN_VALUE_LENGTH || value.to_string().len() > SHOWN_VALUE_LENGTH
        }
        _ => false,
    };
    if !long {
        return value.clone();
    }
    match value {
        Value::String(s) => Value::String(format!("{}…", s.chars().take(120).collect::<String>())),
        Value::Array(items) => Value::String(format!("[an array of {} items]", items.len())),
        Value::Object(members) => {
            Value::String(format!("{{an object of {} members}}", members.len()))
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_values_are_shown_whole() {
        assert_eq!(truncate(&json!("open")), json!("open"));
        assert_eq!(truncate(&json!({"a": 1})), json!({"a": 1}));
        assert_eq!(truncate(&json!(12)), json!(12));
    }

    #[test]
    fn long_values_are_named_not_copied() {
        let long = "x".repeat(5000);
        let shown = truncate(&json!(long));
        assert_eq!(shown.as_str().map(|s| s.chars().count()), Some(121));
        assert_eq!(
            truncate(&json!((0..300).collect::<Vec<_>>())),
            json!("[an array of 300 items]")
        );
        let members: serde_json::Map<String, Value> = (0..100)
            .map(|i| (format!("member_{i}"), json!(i)))
            .collect();
        assert_eq!(
            truncate(&Value::Object(members)),
            json!("{an object of 100 members}")
        );
    }

    #[test]
    fn finds_the_outermost_composition() {
        assert_eq!(
            composition("/components/schemas/A/oneOf/3/anyOf/0/type"),
            Some(("/components/schemas/A/oneOf", "oneOf"))
        );
        assert_eq!(
            composition("/$defs/2/properties/oneOf/type"),
            None,
            "a property named oneOf is no composition"
        );
        assert_eq!(
            composition("/$defs/0/anyOf/12"),
            Some(("/$defs/0/anyOf", "anyOf"))
        );
    }

    #[test]
    fn messages_quote_values_as_briefly() {
        let long = json!("y".repeat(300));
        let message = format!("{long} is not of type \"integer\"");
        let short = shortened(message, Some(&long));
        assert!(short.len() < 200, "{short}");
        assert!(short.ends_with("…\" is not of type \"integer\""), "{short}");
        let kept = shortened("1 is less than 2".into(), Some(&json!(1)));
        assert_eq!(kept, "1 is less than 2");
    }
}
