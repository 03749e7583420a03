//! Turning the bytes of one file into a JSON value: format detection (by
//! content first, extension second), UTF-8, JSON, YAML, and the YAML features
//! that JSON cannot express.

use serde_json::{Map, Number, Value};

use crate::error::{ErrorKind, LoadError, Location};
use crate::pointer;

/// The largest document accepted. GitHub's 13 MB description is the largest
/// real one we know; 256 MiB leaves room while keeping memory bounded.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// The syntax a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON.
    Json,
    /// YAML 1.2 (JSON-compatible subset).
    Yaml,
}

/// Decodes bytes as UTF-8, dropping a byte-order mark.
pub(crate) fn decode(name: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(LoadError::new(
            Location::file(name),
            ErrorKind::TooLarge {
                size: bytes.len() as u64,
                limit: MAX_DOCUMENT_BYTES,
            },
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let before = &err.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        LoadError::new(
            Location {
                file: name.into(),
                pointer: None,
                line: Some(line),
                column: Some(column),
            },
            ErrorKind::InvalidUtf8 { offset },
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Chooses the syntax: content that opens with `{` or `[` is JSON, anything
/// else YAML. The extension only breaks the tie when JSON fails (flow-style
/// YAML also opens with `{`).
pub(crate) fn sniff(text: &str) -> Format {
    match text.trim_start().chars().next() {
        Some('{' | '[') => Format::Json,
        _ => Format::Yaml,
    }
}

fn has_yaml_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Parses a file's text into a JSON value, returning the format it was in.
pub(crate) fn parse(name: &str, text: &str) -> Result<(Value, Format), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::new(Location::file(name), ErrorKind::Empty));
    }
    match sniff(text) {
        Format::Json => match parse_json(name, text) {
            Ok(value) => Ok((value, Format::Json)),
            Err(json_err) if has_yaml_extension(name) => parse_yaml(name, text)
                .map(|v| (v, Format::Yaml))
                .map_err(|_| json_err),
            Err(json_err) => Err(json_err),
        },
        Format::Yaml => parse_yaml(name, text).map(|v| (v, Format::Yaml)),
    }
}

fn parse_json(name: &str, text: &str) -> Result<Value, LoadError> {
    // serde_json refuses nesting deeper than 128 levels, so a hostile
    // document cannot overflow the stack here or in any later walk.
    serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        // serde_json appends " at line L column C"; the location says it.
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        LoadError::new(
            Location {
                file: name.into(),
                pointer: None,
                line: (err.line() > 0).then_some(err.line()),
                column: (err.line() > 0).then_some(err.column()),
            },
            ErrorKind::Json(message),
        )
    })
}

/// Deepest nesting accepted, as serde_json and serde_yaml also enforce.
const MAX_DEPTH: usize = 128;

/// libyaml (behind serde_yaml) reads all of a document before serde_yaml
/// checks its depth, and it slows down quadratically on deep flow
/// collections: 100,000 `[` take many seconds. A cheap count of brackets
/// spots the suspicious texts; for those, saphyr's event parser finds the
/// real depth, stopping at the first node too deep.
fn check_yaml_depth(name: &str, text: &str) -> Result<(), LoadError> {
    let mut depth = 0usize;
    let mut suspicious = false;
    for byte in text.bytes() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    suspicious = true;
                    break;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if !suspicious {
        return Ok(());
    }
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut depth = 0usize;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|err| {
            LoadError::new(
                Location {
                    file: name.into(),
                    pointer: None,
                    line: Some(err.marker().line()),
                    column: Some(err.marker().col() + 1),
                },
                ErrorKind::Yaml(err.info().to_owned()),
            )
        })?;
        match event {
            saphyr_parser::Event::MappingStart(..) | saphyr_parser::Event::SequenceStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(LoadError::new(
                        Location {
                            file: name.into(),
                            pointer: None,
                            line: Some(span.start.line()),
                            column: Some(span.start.col() + 1),
                        },
                        ErrorKind::Yaml(format!("nesting deeper than {MAX_DEPTH} levels")),
                    ));
                }
            }
            saphyr_parser::Event::MappingEnd | saphyr_parser::Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    Ok(())
}

fn parse_yaml(name: &str, text: &str) -> Result<Value, LoadError> {
    check_yaml_depth(name, text)?;
    // serde_yaml bounds both nesting (128 levels) and alias expansion
    // ("repetition limit exceeded"), which stops billion-laughs documents.
    let yaml_error = |err: serde_yaml::Error| {
        let location = err.location();
        let mut message = err.to_string();
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        LoadError::new(
            Location {
                file: name.into(),
                pointer: None,
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
            },
            ErrorKind::Yaml(message),
        )
    };
    let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(yaml_error)?;
    value.apply_merge().map_err(yaml_error)?;
    yaml_to_json(value, &mut String::new(), name)
}

/// Converts YAML to JSON: keys become strings (`200:` is the status "200"),
/// tags and non-finite numbers are refused with the pointer of the node.
fn yaml_to_json(value: serde_yaml::Value, at: &mut String, name: &str) -> Result<Value, LoadError> {
    use serde_yaml::Value as Y;
    let here = |at: &str, kind| {
        LoadError::new(
            Location {
                file: name.into(),
                pointer: Some(at.to_owned()),
                line: None,
                column: None,
            },
            kind,
        )
    };
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Number::from_f64(f).map(Value::Number).ok_or_else(|| {
                    here(
                        at,
                        ErrorKind::Yaml(format!("the number {n} has no JSON equivalent")),
                    )
                })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&index.to_string());
                out.push(yaml_to_json(item, at, name)?);
                at.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut out = Map::with_capacity(mapping.len());
            for (key, item) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    Y::Tagged(tagged) => {
                        return Err(here(at, ErrorKind::YamlTag(tagged.tag.to_string())))
                    }
                    Y::Sequence(_) | Y::Mapping(_) => {
                        return Err(here(
                            at,
                            ErrorKind::Yaml(
                                "a mapping key is a collection; JSON keys are strings".into(),
                            ),
                        ))
                    }
                };
                let len = at.len();
                at.push('/');
                at.push_str(&pointer::escape(&key));
                let item = yaml_to_json(item, at, name)?;
                at.truncate(len);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => return Err(here(at, ErrorKind::YamlTag(tagged.tag.to_string()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(name: &str, text: &str) -> (Value, Format) {
        match parse(name, text) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn recognises_json_and_yaml_by_content() {
        let (v, f) = parse_ok("spec", "{\"openapi\": \"3.1.0\"}");
        assert_eq!((f, v["openapi"].as_str()), (Format::Json, Some("3.1.0")));
        let (v, f) = parse_ok("spec.json", "openapi: 3.1.0\n");
        assert_eq!((f, v["openapi"].as_str()), (Format::Yaml, Some("3.1.0")));
        let (_, f) = parse_ok("flow.yaml", "{openapi: 3.1.0}");
        assert_eq!(f, Format::Yaml);
    }

    #[test]
    fn yaml_keys_become_strings() {
        let (v, _) = parse_ok(
            "a.yaml",
            "responses:\n  200: {description: ok}\n  true: x\n",
        );
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["true"], "x");
    }

    #[test]
    fn yaml_merge_keys_are_applied() {
        let (v, _) = parse_ok(
            "a.yaml",
            "base: &b {type: string}\nname:\n  <<: *b\n  maxLength: 3\n",
        );
        assert_eq!(v["name"]["type"], "string");
        assert_eq!(v["name"]["maxLength"], 3);
    }

    #[test]
    fn refuses_tags_with_pointer() {
        let err = parse("a.yaml", "paths:\n  /x: !include x.yaml\n").err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("!include"), "{err}");
        assert!(err.contains("/paths/~1x"), "{err}");
    }

    #[test]
    fn reports_line_and_column_of_json_errors() {
        let err = parse("a.json", "{\n  \"openapi\": \"3.1.0\",\n  oops\n}").err();
        let loc = err.map(|e| e.location().clone()).unwrap_or_default();
        assert_eq!((loc.line, loc.column), (Some(3), Some(3)));
    }

    #[test]
    fn reports_invalid_utf8_position() {
        let err = decode("a.yaml", b"openapi: 3.1.0\ninfo: \xff\n".to_vec()).err();
        let loc = err.map(|e| e.location().clone()).unwrap_or_default();
        assert_eq!((loc.line, loc.column), (Some(2), Some(7)));
    }

    #[test]
    fn strips_byte_order_mark() {
        let text = decode("a.json", b"\xef\xbb\xbf{}".to_vec()).unwrap_or_default();
        assert_eq!(text, "{}");
    }
}
