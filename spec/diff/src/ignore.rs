//! Ignore files: changes already accepted, and levels overridden.
//!
//! ```text
//! # One rule per line; `#` starts a comment.
//! # CHECK [METHOD [PATH]]: `*` matches any run of characters.
//! response-optional-property-removed GET /api/v1/accounts/*/conversations  # PR 812
//! operation-removed * /api/v1/legacy/*
//! path-trailing-slash-changed
//! # level CHECK LEVEL: rate a check (or checks, with `*`) otherwise.
//! level response-enum-value-added breaking
//! ```
//!
//! A check named without `*` must exist, so a typo is an error, not a rule
//! that silently matches nothing.

use crate::checks::{self, Level};
use crate::Change;

/// A parsed ignore file.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    rules: Vec<Rule>,
    levels: Vec<(String, Level)>,
}

#[derive(Debug, Clone)]
struct Rule {
    check: String,
    method: Option<String>,
    path: Option<String>,
}

/// A line of an ignore file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct IgnoreError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What was expected.
    pub message: String,
}

impl Ignore {
    /// Parses an ignore file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Ignore, IgnoreError> {
        let mut ignore = Ignore::default();
        for (index, raw) in text.lines().enumerate() {
            let error = |message: String| IgnoreError {
                file: file.to_owned(),
                line: index + 1,
                message,
            };
            let line = raw.split_once('#').map_or(raw, |(before, _)| before);
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [] => {}
                ["level", check, level] => {
                    known(check).map_err(&error)?;
                    let level = Level::parse(level).ok_or_else(|| {
                        error(format!(
                            "`{level}` is not a level: expected breaking, warning or info"
                        ))
                    })?;
                    ignore.levels.push(((*check).to_owned(), level));
                }
                ["level", ..] => {
                    return Err(error(
                        "expected `level CHECK LEVEL`, as in `level response-enum-value-added breaking`"
                            .to_owned(),
                    ))
                }
                [check, rest @ ..] if rest.len() <= 2 => {
                    known(check).map_err(&error)?;
                    ignore.rules.push(Rule {
                        check: (*check).to_owned(),
                        method: rest.first().map(|m| m.to_ascii_uppercase()),
                        path: rest.get(1).map(|p| (*p).to_owned()),
                    });
                }
                _ => {
                    return Err(error(
                        "expected `CHECK [METHOD [PATH]]`: too many words (a path has no spaces)"
                            .to_owned(),
                    ))
                }
            }
        }
        Ok(ignore)
    }

    /// Applies the file: levels overridden, ignored changes taken out.
    /// Returns what is left and how many were ignored.
    pub fn apply(&self, changes: Vec<Change>) -> (Vec<Change>, usize) {
        let before = changes.len();
        let kept: Vec<Change> = changes
            .into_iter()
            .filter(|change| !self.rules.iter().any(|rule| rule.matches(change)))
            .map(|mut change| {
                if let Some((_, level)) = self
                    .levels
                    .iter()
                    .rev()
                    .find(|(pattern, _)| wildcard(pattern, change.check.id))
                {
                    change.level = *level;
                }
                change
            })
            .collect();
        let ignored = before - kept.len();
        (kept, ignored)
    }
}

impl Rule {
    fn matches(&self, change: &Change) -> bool {
        if !wildcard(&self.check, change.check.id) {
            return false;
        }
        let method_matches = match (&self.method, change.method) {
            (None, _) => true,
            (Some(pattern), _) if pattern == "*" => true,
            (Some(pattern), Some(method)) => wildcard(pattern, method.as_str()),
            (Some(_), None) => false,
        };
        method_matches
            && self
                .path
                .as_deref()
                .is_none_or(|pattern| wildcard(pattern, &change.path))
    }
}

/// A check id or pattern that names something: an exact id must exist.
fn known(check: &str) -> Result<(), String> {
    if check.contains('*') || checks::find(check).is_some() {
        Ok(())
    } else {
        Err(format!(
            "`{check}` is not a check id (`specgate diff --list-checks` lists them)"
        ))
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters (`/` included) and everything else itself. Written here
/// rather than with a glob crate: paths hold `{}`, which globs read as
/// alternatives.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard(
            "/api/*/conversations",
            "/api/v1/accounts/{account_id}/conversations"
        ));
        assert!(wildcard("response-*", "response-enum-value-added"));
        assert!(wildcard("*", ""));
        assert!(wildcard("/a/{id}", "/a/{id}"));
        assert!(!wildcard("/a/*/b", "/a/b"));
        assert!(!wildcard("a*a", "a"));
        assert!(wildcard("a*a", "aa"));
    }

    #[test]
    fn unknown_checks_and_levels_are_errors_with_their_line() {
        let error = Ignore::parse("ignore.txt", "# ok\noperation-removd GET /a\n")
            .expect_err("a typo is refused");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("operation-removd"));
        let error = Ignore::parse("ignore.txt", "level operation-removed fatal")
            .expect_err("an unknown level is refused");
        assert!(error.to_string().starts_with("ignore.txt:1: `fatal`"));
    }
}
