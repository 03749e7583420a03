//! Media types and ranges (RFC 9110 §8.3): what a `content` key means, what
//! a `Content-Type` header means, and which documented key a received type
//! falls under. The one place specgate reads them, for codegen and the
//! validator alike.

use indexmap::IndexMap;
use serde::{Serialize, Serializer};

/// A parsed media type or range: `application/json; charset=utf-8`,
/// `application/problem+json`, `image/*`, `*/*`. Type, subtype and
/// parameter names are compared case-insensitively, as RFC 9110 says, and
/// kept lower-cased; parameter values are kept as written (unquoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaRange {
    main: String,
    sub: String,
    parameters: Vec<(String, String)>,
}

/// What kind of body a media type carries, as far as reading and writing
/// one goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// `application/json`, `application/*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: bytes.
    Binary,
}

impl MediaRange {
    /// Parses a media type or range. Text without a `/` (a mistake some
    /// documents make: `json`) is kept as a type whose subtype is empty; it
    /// only ever matches itself.
    pub fn parse(text: &str) -> MediaRange {
        let mut parts = text.split(';');
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let (main, sub) = match essence.split_once('/') {
            Some((main, sub)) => (main.trim().to_owned(), sub.trim().to_owned()),
            None => (essence, String::new()),
        };
        let parameters = parts
            .filter_map(|parameter| {
                let (name, value) = parameter.split_once('=')?;
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value);
                Some((name.trim().to_ascii_lowercase(), value.to_owned()))
            })
            .collect();
        MediaRange {
            main,
            sub,
            parameters,
        }
    }

    /// The type: `application`.
    pub fn main_type(&self) -> &str {
        &self.main
    }

    /// The subtype: `problem+json`.
    pub fn subtype(&self) -> &str {
        &self.sub
    }

    /// The structured syntax suffix: `json` for `application/problem+json`.
    pub fn suffix(&self) -> Option<&str> {
        self.sub.rsplit_once('+').map(|(_, suffix)| suffix)
    }

    /// The type without parameters: `application/json`.
    pub fn essence(&self) -> String {
        if self.sub.is_empty() {
            self.main.clone()
        } else {
            format!("{}/{}", self.main, self.sub)
        }
    }

    /// A parameter's value (`charset`, `boundary`), by case-insensitive name.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `*/*`.
    pub fn is_any(&self) -> bool {
        self.main == "*" && self.sub == "*"
    }

    /// `type/*` or `*/*`.
    pub fn is_wildcard(&self) -> bool {
        self.sub == "*"
    }

    /// JSON: `application/json` or a `+json` suffix (`application/problem+json`,
    /// `application/vnd.github+json`). Not a wildcard.
    pub fn is_json(&self) -> bool {
        (self.main == "application" && self.sub == "json") || self.suffix() == Some("json")
    }

    /// What kind of body this type carries.
    pub fn body_kind(&self) -> BodyKind {
        if self.is_json() {
            BodyKind::Json
        } else if self.main == "application" && self.sub == "x-www-form-urlencoded" {
            BodyKind::Form
        } else if self.main == "multipart" {
            BodyKind::Multipart
        } else if self.main == "text" {
            BodyKind::Text
        } else {
            BodyKind::Binary
        }
    }

    /// How well this documented range covers a received type: `None` when
    /// it does not; otherwise higher is more specific. Exact type (3), then
    /// `type/*` (2), then `application/json` for a `+json` type (1), then
    /// `*/*` (0). Parameters do not take part (`charset=utf-8` is still
    /// `application/json`).
    pub fn covers(&self, received: &MediaRange) -> Option<u8> {
        if self.main == received.main && self.sub == received.sub {
            Some(3)
        } else if self.sub == "*" && self.main == received.main {
            Some(2)
        } else if self.main == "application" && self.sub == "json" && received.is_json() {
            Some(1)
        } else if self.is_any() {
            Some(0)
        } else {
            None
        }
    }
}

impl std::fmt::Display for MediaRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.essence())?;
        for (name, value) in &self.parameters {
            write!(f, "; {name}={value}")?;
        }
        Ok(())
    }
}

impl Serialize for MediaRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The documented entry a received media type falls under: the entry that
/// covers it most specifically (first in document order on a tie). Without
/// a received type, a `content` with a single entry is that entry.
pub fn select_media<'c, T>(
    content: &'c IndexMap<String, T>,
    range_of: impl Fn(&'c T) -> &'c MediaRange,
    received: Option<&MediaRange>,
) -> Option<(&'c String, &'c T)> {
    let Some(received) = received else {
        return (content.len() == 1)
            .then(|| content.iter().next())
            .flatten();
    };
    let mut best: Option<(u8, (&String, &T))> = None;
    for (key, entry) in content {
        if let Some(rank) = range_of(entry).covers(received) {
            if best.is_none_or(|(b, _)| rank > b) {
                best = Some((rank, (key, entry)));
            }
        }
    }
    best.map(|(_, found)| found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types_parameters_and_suffixes() {
        let media = MediaRange::parse("Application/Problem+JSON; Charset=\"UTF-8\"");
        assert_eq!(media.essence(), "application/problem+json");
        assert_eq!(media.suffix(), Some("json"));
        assert_eq!(media.parameter("charset"), Some("UTF-8"));
        assert!(media.is_json());
        assert_eq!(media.to_string(), "application/problem+json; charset=UTF-8");
        assert_eq!(MediaRange::parse("json").essence(), "json");
        assert!(!MediaRange::parse("*/*").is_json());
        assert_eq!(
            MediaRange::parse("multipart/mixed").body_kind(),
            BodyKind::Multipart
        );
        assert_eq!(
            MediaRange::parse("application/x-www-form-urlencoded").body_kind(),
            BodyKind::Form
        );
        assert_eq!(MediaRange::parse("text/csv").body_kind(), BodyKind::Text);
        assert_eq!(
            MediaRange::parse("application/octet-stream").body_kind(),
            BodyKind::Binary
        );
    }

    #[test]
    fn the_most_specific_documented_range_wins() {
        let content: IndexMap<String, MediaRange> = [
            "*/*",
            "application/json",
            "image/*",
            "text/plain; charset=utf-8",
        ]
        .into_iter()
        .map(|key| (key.to_owned(), MediaRange::parse(key)))
        .collect();
        let pick = |received: &str| {
            select_media(&content, |r| r, Some(&MediaRange::parse(received)))
                .map(|(key, _)| key.as_str())
        };
        assert_eq!(
            pick("application/json; charset=utf-8"),
            Some("application/json")
        );
        assert_eq!(pick("APPLICATION/JSON"), Some("application/json"));
        assert_eq!(pick("application/problem+json"), Some("application/json"));
        assert_eq!(pick("image/png"), Some("image/*"));
        assert_eq!(pick("text/plain"), Some("text/plain; charset=utf-8"));
        assert_eq!(pick("text/html"), Some("*/*"));
        let json_only: IndexMap<String, MediaRange> = [(
            "application/json".to_owned(),
            MediaRange::parse("application/json"),
        )]
        .into_iter()
        .collect();
        assert_eq!(
            select_media(&json_only, |r| r, Some(&MediaRange::parse("text/html"))),
            None
        );
        assert!(select_media(&json_only, |r| r, None).is_some());
        assert!(select_media(&content, |r| r, None).is_none());
    }
}
