//! The one error type of loading: what went wrong, and where.

use std::fmt;

/// Where a problem is: a file, a JSON pointer into it, and where known the
/// line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Location {
    /// The file as the user named it (`<stdin>` and `<embedded chatwoot.json>`
    /// for input that has no path).
    pub file: String,
    /// A JSON pointer into the file, when the problem is at a node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Location {
    /// A location that names only a file.
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            ..Self::default()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() { "/" } else { pointer };
            write!(f, " (at {shown})")?;
        }
        Ok(())
    }
}

/// A document that could not be loaded: where, and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", .0.location, .0.kind)]
pub struct LoadError(Box<Problem>);

#[derive(Debug)]
struct Problem {
    location: Location,
    kind: ErrorKind,
}

impl LoadError {
    pub(crate) fn new(location: Location, kind: ErrorKind) -> Self {
        Self(Box::new(Problem { location, kind }))
    }

    /// Where the problem is.
    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// What the problem is.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
}

/// What went wrong while loading a document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    /// The file holds no document at all.
    #[error("the file is empty; expected an OpenAPI document in JSON or YAML")]
    Empty,
    /// The bytes are not UTF-8.
    #[error("the file is not valid UTF-8 (byte {offset}); OpenAPI documents are UTF-8 text")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The text is not well-formed JSON.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// The text is not well-formed YAML, or uses YAML that JSON cannot express.
    #[error("malformed YAML: {0}")]
    Yaml(String),
    /// A YAML tag such as `!include`, which OpenAPI does not define.
    #[error("unsupported YAML tag `{0}`: OpenAPI documents are plain JSON-compatible YAML")]
    YamlTag(String),
    /// The document is larger than the loader accepts.
    #[error("the file is {size} bytes; the largest document accepted is {limit} bytes")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The document parses but is not an OpenAPI or Swagger document.
    #[error("not an OpenAPI document: {0}")]
    NotOpenApi(String),
    /// The document declares a version this tool does not read.
    #[error(
        "unsupported version {found}: specgate reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2"
    )]
    UnsupportedVersion {
        /// The version the document declares.
        found: String,
    },
    /// A node has the wrong shape.
    #[error("expected {expected}, found {found}")]
    Shape {
        /// What the specification requires here.
        expected: String,
        /// What the document holds.
        found: String,
    },
    /// A `$ref` whose target does not exist.
    #[error("`$ref` \"{reference}\" points to nothing{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    DanglingRef {
        /// The reference as written.
        reference: String,
        /// Why: no such file, or no such node.
        detail: Option<String>,
    },
    /// A `$ref` to a URL, which specgate never fetches.
    #[error("`$ref` \"{0}\" names a URL; specgate never fetches URLs found in a document (save the file beside the document and refer to it by a relative path)")]
    RemoteRef(String),
    /// A `$ref` that leaves the directory the caller allowed.
    #[error("`$ref` \"{reference}\" leads outside {root}, the folder references may reach (by default the repository holding the document, or its own folder outside one); name a wider one with --root")]
    OutsideRoot {
        /// The reference as written.
        reference: String,
        /// The directory references must stay in.
        root: String,
    },
    /// `$ref`s that only point at each other.
    #[error("`$ref` cycle with no content: {}", .0.join(" -> "))]
    RefCycle(Vec<String>),
}

/// Describes the kind of a JSON value for "found ..." messages.
pub(crate) fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        // Short, and escaped: a message never carries a file's text nor
        // control characters to a terminal.
        Value::String(s) if s.len() <= 40 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// A value as a message may quote it: its JSON text (escaped), cut to a
/// few dozen characters.
pub(crate) fn excerpt(value: &serde_json::Value) -> String {
    const SHOWN: usize = 40;
    let text = value.to_string();
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_short_and_escaped() {
        let long = serde_json::Value::String("x".repeat(100));
        assert_eq!(excerpt(&long).chars().count(), 41);
        let control = serde_json::json!("a\u{1b}[31mb");
        assert_eq!(describe(&control), r#"the string "a\u{1b}[31mb""#);
        assert_eq!(excerpt(&control), r#""a\u001b[31mb""#);
    }

    #[test]
    fn displays_file_line_column_and_pointer() {
        let err = LoadError::new(
            Location {
                file: "api.yaml".into(),
                pointer: Some("/paths/~1pets/get".into()),
                line: Some(12),
                column: Some(5),
            },
            ErrorKind::Shape {
                expected: "an object".into(),
                found: "the number 3".into(),
            },
        );
        assert_eq!(
            err.to_string(),
            "api.yaml:12:5 (at /paths/~1pets/get): expected an object, found the number 3"
        );
    }
}
