//! Path templates (`/api/v1/accounts/{account_id}/conversations`): their
//! segments, parameter names and shape, and matching a request path against
//! them. Read once here for the loader's lints, the generated client and
//! the validator's router.

/// A path template, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathTemplate {
    segments: Vec<Segment>,
    trailing_slash: bool,
    balanced: bool,
}

/// One `/`-separated segment: `{id}.json` is a parameter, then `.json`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segment {
    pieces: Vec<Piece>,
}

/// A piece of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    /// Text matched as written.
    Literal(String),
    /// `{name}`: one or more characters of the segment.
    Parameter(String),
}

impl PathTemplate {
    /// Parses a template. Unbalanced braces (`/a/{id`) are kept as literal
    /// text from the unpaired brace on, and [`PathTemplate::is_balanced`]
    /// says so.
    pub fn parse(path: &str) -> PathTemplate {
        let mut balanced = true;
        let segments = split_path(path)
            .into_iter()
            .map(|segment| {
                let (segment, ok) = Segment::parse(segment);
                balanced &= ok;
                segment
            })
            .collect();
        PathTemplate {
            segments,
            trailing_slash: has_trailing_slash(path),
            balanced,
        }
    }

    /// The segments, without empty ones.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether it ends with `/` (and is not `/` itself): Chatwoot has both
    /// `/reports/conversations` and `/reports/conversations/`.
    pub fn trailing_slash(&self) -> bool {
        self.trailing_slash
    }

    /// Whether every `{` pairs with a `}`.
    pub fn is_balanced(&self) -> bool {
        self.balanced
    }

    /// The parameter names, in order, each once.
    pub fn parameter_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for piece in self.segments.iter().flat_map(|s| &s.pieces) {
            if let Piece::Parameter(name) = piece {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// Whether `{name}` is one of its parameters.
    pub fn has_parameter(&self, name: &str) -> bool {
        self.parameter_names().contains(&name)
    }

    /// The template with its parameters' names taken out (`/a/{}.json`):
    /// OpenAPI counts `/a/{id}` and `/a/{key}` as the same path.
    pub fn shape(&self) -> String {
        let mut shape = String::new();
        for segment in &self.segments {
            shape.push('/');
            for piece in &segment.pieces {
                match piece {
                    Piece::Literal(text) => shape.push_str(text),
                    Piece::Parameter(_) => shape.push_str("{}"),
                }
            }
        }
        if self.trailing_slash || self.segments.is_empty() {
            shape.push('/');
        }
        shape
    }

    /// How well a request path (split with [`split_path`]) matches: `None`
    /// when it does not; otherwise a score to compare with other matches,
    /// per segment 2 for a literal, 1 for a template with literal text
    /// (`{base}...{head}`), 0 for a bare `{name}`, then 1 when the trailing
    /// slash is the request's. The more literal template wins, and of two
    /// that differ only by a trailing slash, the one written as requested.
    pub fn score(&self, segments: &[&str], trailing_slash: bool) -> Option<Vec<u8>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let slash = u8::from(self.trailing_slash == trailing_slash);
        self.segments
            .iter()
            .zip(segments)
            .map(|(template, segment)| template.matches(segment).then(|| template.rank()))
            .chain(std::iter::once(Some(slash)))
            .collect()
    }

    /// The parameters' raw (still percent-encoded) values in a request path
    /// that [`PathTemplate::score`] matched.
    pub fn capture<'p>(&self, segments: &[&'p str]) -> Vec<(&str, &'p str)> {
        let mut values = Vec::new();
        for (template, segment) in self.segments.iter().zip(segments) {
            capture(&template.pieces, segment, &mut values);
        }
        values
    }
}

impl Segment {
    /// A segment and whether its braces pair up.
    fn parse(segment: &str) -> (Segment, bool) {
        let mut pieces = Vec::new();
        let mut rest = segment;
        let mut balanced = true;
        while let Some(start) = rest.find(['{', '}']) {
            let Some(end) = rest[start..]
                .find('}')
                .filter(|_| rest[start..].starts_with('{'))
            else {
                balanced = false;
                break;
            };
            let name = &rest[start + 1..start + end];
            if name.contains('{') {
                balanced = false;
                break;
            }
            if start > 0 {
                pieces.push(Piece::Literal(rest[..start].to_owned()));
            }
            pieces.push(Piece::Parameter(name.to_owned()));
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_owned()));
        }
        (Segment { pieces }, balanced)
    }

    /// Its pieces.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// 2 for a literal segment, 1 for one with a parameter and literal
    /// text, 0 for a bare parameter.
    fn rank(&self) -> u8 {
        let literals = self
            .pieces
            .iter()
            .filter(|p| matches!(p, Piece::Literal(_)))
            .count();
        match literals {
            0 => 0,
            _ if literals == self.pieces.len() => 2,
            _ => 1,
        }
    }

    /// Whether a request segment matches; a parameter takes at least one
    /// character, as few as the rest allows.
    pub fn matches(&self, segment: &str) -> bool {
        matches(&self.pieces, segment)
    }
}

/// The non-empty segments of a path: `/a//b/` is `a`, `b`.
pub fn split_path(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Whether a path ends with `/` and is more than `/`.
pub fn has_trailing_slash(path: &str) -> bool {
    path.len() > 1 && path.ends_with('/')
}

fn matches(pieces: &[Piece], segment: &str) -> bool {
    match pieces.split_first() {
        None => segment.is_empty(),
        Some((Piece::Literal(literal), rest)) => segment
            .strip_prefix(literal.as_str())
            .is_some_and(|after| matches(rest, after)),
        Some((Piece::Parameter(_), [])) => !segment.is_empty(),
        Some((Piece::Parameter(_), rest)) => segment
            .char_indices()
            .skip(1)
            .any(|(i, _)| matches(rest, &segment[i..])),
    }
}

fn capture<'t, 'p>(pieces: &'t [Piece], segment: &'p str, values: &mut Vec<(&'t str, &'p str)>) {
    match pieces.split_first() {
        None => {}
        Some((Piece::Literal(literal), rest)) => {
            if let Some(after) = segment.strip_prefix(literal.as_str()) {
                capture(rest, after, values);
            }
        }
        Some((Piece::Parameter(name), [])) => values.push((name, segment)),
        Some((Piece::Parameter(name), rest)) => {
            if let Some((i, _)) = segment
                .char_indices()
                .skip(1)
                .find(|(i, _)| matches(rest, &segment[*i..]))
            {
                values.push((name, &segment[..i]));
                capture(rest, &segment[i..], values);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_shapes_and_balance() {
        let template = PathTemplate::parse("/api/v1/accounts/{account_id}/conversations");
        assert_eq!(template.parameter_names(), ["account_id"]);
        assert_eq!(template.shape(), "/api/v1/accounts/{}/conversations");
        assert!(template.is_balanced());
        assert_eq!(
            PathTemplate::parse("/a/{id}").shape(),
            PathTemplate::parse("/a/{key}").shape()
        );
        assert_ne!(
            PathTemplate::parse("/a/{id}/").shape(),
            PathTemplate::parse("/a/{id}").shape()
        );
        assert_eq!(
            PathTemplate::parse("/compare/{base}...{head}").parameter_names(),
            ["base", "head"]
        );
        assert_eq!(PathTemplate::parse("/").shape(), "/");
        for unbalanced in ["/a/{id", "/a/id}", "/a/{{id}}", "/a/{i{d}"] {
            assert!(
                !PathTemplate::parse(unbalanced).is_balanced(),
                "{unbalanced}"
            );
        }
    }

    #[test]
    fn matches_and_captures() {
        let template = PathTemplate::parse("/files/{name}.json");
        let segments = split_path("/files/a.b.json");
        assert_eq!(template.score(&segments, false), Some(vec![2, 1, 1]));
        assert_eq!(template.capture(&segments), [("name", "a.b")]);
        assert_eq!(template.score(&split_path("/files/.json"), false), None);
        let two = PathTemplate::parse("/compare/{base}...{head}");
        let segments = split_path("/compare/main...topic");
        assert_eq!(
            two.capture(&segments),
            [("base", "main"), ("head", "topic")]
        );
        assert!(
            PathTemplate::parse("/users/me").score(&split_path("/users/me"), false)
                > PathTemplate::parse("/users/{id}").score(&split_path("/users/me"), false)
        );
    }
}
