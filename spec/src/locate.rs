//! Finding the line and column of a JSON pointer in the original text.
//!
//! Documents are loaded into `serde_json::Value`, which keeps no positions, so
//! errors and warnings carry a JSON pointer. When a message has to show a
//! line (in a terminal, or as an editor link), this module scans the text
//! again and follows the pointer through it. That happens only on this cold
//! path, so nothing is kept parsed; but files can be large (GitHub's is 13 MB)
//! and hostile, so both scanners are linear, allocate little, never recurse,
//! and give up with `None` on anything they cannot follow.
//!
//! Positions reported:
//! - an object member: where its key starts (`"200":` in JSON, `200:` in
//!   YAML, including a YAML anchor or tag written before the key), since
//!   that is what a reader looks for;
//! - an array element: where the element starts; for a YAML block sequence
//!   that is the item's content after `- `, not the dash;
//! - the root pointer `""`: where the root value starts;
//! - a YAML alias the pointer passes through (`*a`): the walk continues in
//!   the anchored node, so the position is inside that node; a pointer that
//!   ends at the alias gives the alias itself.
//!
//! When a key appears twice, the first occurrence is used. YAML merge keys
//! (`<<`) are not followed, and only the first YAML document is searched.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, Span, StrInput};

use crate::source::Format;

/// How many aliases one pointer may pass through; `&a [*a]` could otherwise
/// make each token re-scan the file from the start.
const MAX_ALIAS_HOPS: usize = 64;

/// 1-based line and column (column counted in characters, not bytes) of the
/// node at `pointer`, or `None` if the pointer leads nowhere in `text` (or the
/// text is too broken to follow it).
pub(crate) fn line_column(text: &str, format: Format, pointer: &str) -> Option<(usize, usize)> {
    let tokens = split_pointer(pointer)?;
    match format {
        Format::Json => {
            json_offset(text.as_bytes(), &tokens).map(|at| offset_to_line_column(text, at))
        }
        Format::Yaml => yaml_position(text, &tokens),
    }
}

/// [`line_column`] for many pointers into one file at once. A JSON text is
/// scanned once, descending only into nodes on the way to a wanted pointer,
/// so a report with hundreds of warnings on a 13 MB document costs one pass
/// instead of hundreds.
pub(crate) fn line_columns(
    text: &str,
    format: Format,
    pointers: &[&str],
) -> Vec<Option<(usize, usize)>> {
    if format == Format::Yaml || pointers.len() < 2 {
        return pointers
            .iter()
            .map(|pointer| line_column(text, format, pointer))
            .collect();
    }
    let mut wanted: HashMap<&str, Option<usize>> = pointers.iter().map(|p| (*p, None)).collect();
    let mut prefixes: HashSet<&str> = HashSet::new();
    for pointer in pointers {
        let mut prefix = *pointer;
        while let Some(cut) = prefix.rfind('/') {
            prefix = &prefix[..cut];
            if !prefixes.insert(prefix) {
                break;
            }
        }
    }
    let mut cursor = JsonCursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    cursor.skip_whitespace();
    if let Some(slot) = wanted.get_mut("") {
        *slot = Some(cursor.pos);
    }
    let mut path = String::new();
    // The walk stops at the first syntax error; what it found stays found.
    let _ = collect_offsets(&mut cursor, &mut path, &mut wanted, &prefixes, 0);
    let mut offsets: Vec<(usize, usize)> = pointers
        .iter()
        .enumerate()
        .filter_map(|(index, pointer)| wanted.get(pointer).copied().flatten().map(|at| (at, index)))
        .collect();
    offsets.sort_unstable();
    let mut result = vec![None; pointers.len()];
    // Offsets in order: newlines are counted once, from one offset to the next.
    let (mut line, mut line_start, mut scanned) = (1usize, 0usize, 0usize);
    for (offset, index) in offsets {
        let Some(between) = text.as_bytes().get(scanned..offset) else {
            continue;
        };
        for (i, byte) in between.iter().enumerate() {
            if *byte == b'\n' {
                line += 1;
                line_start = scanned + i + 1;
            }
        }
        scanned = offset;
        let column = text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        if let Some(slot) = result.get_mut(index) {
            *slot = Some((line, column));
        }
    }
    result
}

/// Descends into the value at the cursor, recording the offsets of wanted
/// pointers. Only nodes on the way to one are entered, so the depth is at
/// most that of the deepest wanted pointer.
fn collect_offsets<'p>(
    cursor: &mut JsonCursor<'_>,
    path: &mut String,
    wanted: &mut HashMap<&'p str, Option<usize>>,
    prefixes: &HashSet<&'p str>,
    depth: usize,
) -> Option<()> {
    if depth > MAX_BATCH_DEPTH {
        return None;
    }
    cursor.skip_whitespace();
    let close = match cursor.peek()? {
        b'{' => b'}',
        b'[' => b']',
        _ => return cursor.skip_value(),
    };
    cursor.pos += 1;
    let mut index = 0usize;
    loop {
        cursor.skip_whitespace();
        if cursor.peek()? == close {
            cursor.pos += 1;
            return Some(());
        }
        let start = cursor.pos;
        let len = path.len();
        path.push('/');
        if close == b'}' {
            let key = cursor.string()?;
            let key = if key.contains(&b'\\') {
                unescape_json(key)
            } else {
                String::from_utf8_lossy(key).into_owned()
            };
            path.push_str(&key.replace('~', "~0").replace('/', "~1"));
            cursor.expect(b':')?;
        } else {
            path.push_str(&index.to_string());
            index += 1;
        }
        if let Some(slot) = wanted.get_mut(path.as_str()) {
            slot.get_or_insert(start);
        }
        if prefixes.contains(path.as_str()) {
            collect_offsets(cursor, path, wanted, prefixes, depth + 1)?;
        } else {
            cursor.skip_value()?;
        }
        path.truncate(len);
        cursor.skip_whitespace();
        if cursor.peek()? == b',' {
            cursor.pos += 1;
        }
    }
}

/// Pointers in a model are never deeper than the parsers allow (128).
const MAX_BATCH_DEPTH: usize = 256;

/// Splits an RFC 6901 pointer into unescaped reference tokens.
fn split_pointer(pointer: &str) -> Option<Vec<Cow<'_, str>>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let tokens = pointer.strip_prefix('/')?.split('/').map(|token| {
        if token.contains('~') {
            // `~1` first, so that `~01` becomes `~1` and not `/`.
            Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(token)
        }
    });
    Some(tokens.collect())
}

/// An array index as RFC 6901 writes it: digits, no leading zero. `-` (one
/// past the end) names no existing element.
fn array_index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if digits && (token == "0" || !token.starts_with('0')) {
        token.parse().ok()
    } else {
        None
    }
}

/// 1-based line and character column of a byte offset.
fn offset_to_line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = text
        .get(line_start..offset)
        .map_or(0, |s| s.chars().count())
        + 1;
    (line, column)
}

// ---------------------------------------------------------------- JSON

/// Byte offset of the node at `tokens`: the key for a member, the value
/// otherwise.
fn json_offset(bytes: &[u8], tokens: &[Cow<'_, str>]) -> Option<usize> {
    let mut cursor = JsonCursor { bytes, pos: 0 };
    cursor.skip_whitespace();
    let mut found = cursor.pos;
    for token in tokens {
        cursor.skip_whitespace();
        match cursor.peek()? {
            b'{' => {
                cursor.pos += 1;
                found = cursor.find_member(token)?;
            }
            b'[' => {
                cursor.pos += 1;
                found = cursor.find_element(array_index(token)?)?;
            }
            _ => return None,
        }
    }
    Some(found)
}

/// A position in JSON text. Every method either moves forward or returns
/// `None`, so no loop over it can spin, and nesting is only ever counted.
struct JsonCursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> JsonCursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace and then `byte`, or fails.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        if self.peek()? != byte {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    /// Just after an opening `{`: finds the member `name` and returns the
    /// offset of its key, leaving the cursor before its value.
    fn find_member(&mut self, name: &str) -> Option<usize> {
        loop {
            self.skip_whitespace();
            let key_start = self.pos;
            // `}` (or anything but a key) ends the search.
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.expect(b':')?;
            if key_equals(key, name) {
                return Some(key_start);
            }
            self.skip_value()?;
            self.expect(b',')?;
        }
    }

    /// Just after an opening `[`: finds element `index` and returns its
    /// offset, leaving the cursor on it.
    fn find_element(&mut self, index: usize) -> Option<usize> {
        // Each round consumes at least the comma, so a huge index just runs
        // into the end of the array or of the text.
        for _ in 0..index {
            self.skip_whitespace();
            if self.peek()? == b']' {
                return None;
            }
            self.skip_value()?;
            self.expect(b',')?;
        }
        self.skip_whitespace();
        match self.peek()? {
            b']' | b',' => None,
            _ => Some(self.pos),
        }
    }

    /// On an opening quote: moves past the closing one and returns the raw
    /// (still escaped) contents.
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.pos + 1;
        let mut at = start;
        loop {
            let rest = self.bytes.get(at..)?;
            at += rest.iter().position(|&b| b == b'"' || b == b'\\')?;
            if self.bytes.get(at) == Some(&b'\\') {
                at += 2;
            } else {
                self.pos = at + 1;
                return self.bytes.get(start..at);
            }
        }
    }

    /// Skips one value. Containers are skipped by counting brackets (strings
    /// aside), without checking what is inside them.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    let rest = self.bytes.get(self.pos..)?;
                    self.pos += rest
                        .iter()
                        .position(|&b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'))?;
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        _ => depth = depth.saturating_sub(1),
                    }
                    self.pos += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
            _ => {
                // A number or literal: runs to the next delimiter.
                let rest = self.bytes.get(self.pos..)?;
                self.pos += rest
                    .iter()
                    .position(|&b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                Some(())
            }
        }
    }
}

/// Whether a raw JSON string (between its quotes) spells `name` once
/// unescaped. Keys without a backslash, nearly all of them, are compared as
/// bytes without allocating.
fn key_equals(raw: &[u8], name: &str) -> bool {
    if raw.contains(&b'\\') {
        unescape_json(raw) == name
    } else {
        raw == name.as_bytes()
    }
}

/// Unescapes the contents of a JSON string; bad escapes become U+FFFD.
fn unescape_json(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied();
    while let Some(byte) = bytes.next() {
        if byte != b'\\' {
            out.push(byte);
            continue;
        }
        let unescaped = match bytes.next() {
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = hex4(&mut bytes);
                let code = match high {
                    Some(high @ 0xD800..=0xDBFF) => {
                        // A surrogate pair is written as two `\u` escapes.
                        let low = match (bytes.next(), bytes.next()) {
                            (Some(b'\\'), Some(b'u')) => hex4(&mut bytes),
                            _ => None,
                        };
                        match low {
                            Some(low @ 0xDC00..=0xDFFF) => {
                                Some(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                            }
                            _ => None,
                        }
                    }
                    other => other,
                };
                code.and_then(char::from_u32).unwrap_or('\u{fffd}')
            }
            // `\"`, `\\`, `\/`: the character itself.
            Some(other) => char::from(other),
            None => '\u{fffd}',
        };
        let mut buf = [0; 4];
        out.extend_from_slice(unescaped.encode_utf8(&mut buf).as_bytes());
    }
    // The raw bytes came from a `&str` and were only split at ASCII bytes.
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads four hex digits.
fn hex4(bytes: &mut impl Iterator<Item = u8>) -> Option<u32> {
    (0..4).try_fold(0, |acc, _| {
        let digit = char::from(bytes.next()?).to_digit(16)?;
        Some(acc * 16 + digit)
    })
}

// ---------------------------------------------------------------- YAML

/// Follows `tokens` through the YAML event stream.
fn yaml_position(text: &str, tokens: &[Cow<'_, str>]) -> Option<(usize, usize)> {
    let mut events = YamlEvents::new(text);
    let (mut node, span) = events.root()?;
    let mut found = span;
    let mut hops = 0;
    let mut rest = tokens;
    while let Some((token, tail)) = rest.split_first() {
        match node {
            Event::MappingStart(..) => {
                let (key, value) = events.find_member(token)?;
                found = key;
                node = value.0;
            }
            Event::SequenceStart(..) => {
                let (element, span) = events.find_element(array_index(token)?)?;
                found = span;
                node = element;
            }
            Event::Alias(id) => {
                // Anchors come before their aliases, so scanning again from
                // the start finds the anchored node; the same token is then
                // looked up inside it.
                hops += 1;
                if hops > MAX_ALIAS_HOPS {
                    return None;
                }
                events = YamlEvents::new(text);
                node = events.find_anchor(id)?;
                continue;
            }
            _ => return None,
        }
        rest = tail;
    }
    // saphyr's markers have 1-based lines and 0-based character columns.
    Some((found.start.line(), found.start.col() + 1))
}

/// The event stream of a YAML text; a scan error ends it.
struct YamlEvents<'a> {
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> YamlEvents<'a> {
    fn new(text: &'a str) -> Self {
        YamlEvents {
            parser: Parser::new_from_str(text),
        }
    }

    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        self.parser.next_event()?.ok()
    }

    /// The first event of the first document's root node.
    fn root(&mut self) -> Option<(Event<'a>, Span)> {
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
                Event::StreamEnd | Event::DocumentEnd => return None,
                _ => return Some((event, span)),
            }
        }
    }

    /// Skips the rest of the node that `first` starts, by counting depth.
    fn skip(&mut self, first: &Event<'a>) -> Option<()> {
        if !matches!(first, Event::MappingStart(..) | Event::SequenceStart(..)) {
            return Some(());
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()?.0 {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth -= 1,
                Event::StreamEnd | Event::DocumentEnd => return None,
                _ => {}
            }
        }
        Some(())
    }

    /// Just after a `MappingStart`: finds the member whose key is the scalar
    /// `name`, returning the key's span and the value's first event.
    fn find_member(&mut self, name: &str) -> Option<(Span, (Event<'a>, Span))> {
        loop {
            let (key, key_span) = self.next()?;
            match &key {
                Event::MappingEnd => return None,
                Event::Scalar(value, ..) if value == name => {
                    return Some((key_span, self.next()?));
                }
                // Other scalars, aliases, and complex (collection) keys.
                _ => self.skip(&key)?,
            }
            let (value, _) = self.next()?;
            self.skip(&value)?;
        }
    }

    /// Just after a `SequenceStart`: the first event of element `index`.
    fn find_element(&mut self, index: usize) -> Option<(Event<'a>, Span)> {
        for _ in 0..index {
            let (element, _) = self.next()?;
            if matches!(element, Event::SequenceEnd) {
                return None;
            }
            self.skip(&element)?;
        }
        let (element, span) = self.next()?;
        match element {
            Event::SequenceEnd => None,
            _ => Some((element, span)),
        }
    }

    /// The first event of the node that carries anchor `id`.
    fn find_anchor(&mut self, id: usize) -> Option<Event<'a>> {
        loop {
            let (event, _) = self.next()?;
            let anchor = match &event {
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => *anchor,
                Event::Scalar(_, _, anchor, _) => *anchor,
                Event::StreamEnd => return None,
                _ => 0,
            };
            if anchor == id {
                return Some(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case<'a> = (&'a str, &'a str, Option<(usize, usize)>);

    const JSON: &str = r#"{
  "paths": {
    "/pets/{id}": {"get": 1},
    "a~b": 2,
    "esc\/aped": 3,
    "\u00e9t\u00E9": 4,
    "\ud83d\ude00": 5
  },
  "ünïcödé": "ö", "x": [
    "é", {"y": null}
  ]
}"#;

    #[test]
    fn json_pointers() {
        let one_line = r#"{"a": {"b": [10, 20, {"c": true}]}}"#;
        let cases: &[Case<'_>] = &[
            (one_line, "", Some((1, 1))),
            (one_line, "/a", Some((1, 2))),
            (one_line, "/a/b", Some((1, 8))),
            (one_line, "/a/b/0", Some((1, 14))),
            (one_line, "/a/b/1", Some((1, 18))),
            (one_line, "/a/b/2/c", Some((1, 23))),
            (one_line, "/a/b/3", None),
            (one_line, "/a/b/01", None),
            (one_line, "/a/b/-", None),
            (one_line, "/a/b/x", None),
            (one_line, "/a/x", None),
            (one_line, "/a/b/2/c/d", None),
            (one_line, "a", None),
            (JSON, "/paths", Some((2, 3))),
            (JSON, "/paths/~1pets~1{id}/get", Some((3, 20))),
            (JSON, "/paths/a~0b", Some((4, 5))),
            (JSON, "/paths/esc~1aped", Some((5, 5))),
            (JSON, "/paths/été", Some((6, 5))),
            (JSON, "/paths/😀", Some((7, 5))),
            (JSON, "/paths/a~1b", None),
            (JSON, "/x", Some((9, 19))),
            (JSON, "/x/0", Some((10, 5))),
            (JSON, "/x/1/y", Some((10, 11))),
            (JSON, "/x/1/y/0", None),
            ("\n  [1, [2]]", "", Some((2, 3))),
            ("\n  [1, [2]]", "/1/0", Some((2, 8))),
            ("\r\n[\r\n 1]", "/0", Some((3, 2))),
            ("{\"\": {\"\": 1}}", "//", Some((1, 7))),
            ("{}", "/a", None),
            ("[]", "/0", None),
            ("3", "/0", None),
            ("", "", Some((1, 1))),
        ];
        for &(text, pointer, expected) in cases {
            assert_eq!(
                line_column(text, Format::Json, pointer),
                expected,
                "{pointer} in {text}"
            );
        }
    }

    #[test]
    fn batch_agrees_with_single_lookups() {
        let text =
            "{\n  \"a\": {\"b/c\": [1, {\"d\": 2}]},\n  \"e~f\": \"\\u00e9\",\n  \"g\": [true]\n}";
        let pointers = [
            "/a/b~1c/1/d",
            "/e~0f",
            "/g/0",
            "/missing",
            "",
            "/a",
            "/a/b~1c/0",
        ];
        let batch = line_columns(text, Format::Json, &pointers);
        for (pointer, found) in pointers.iter().zip(&batch) {
            assert_eq!(
                *found,
                line_column(text, Format::Json, pointer),
                "{pointer}"
            );
        }
        assert_eq!(batch[0], Some((2, 21)));
        assert_eq!(batch[3], None);
    }

    #[test]
    fn json_hostile() {
        let deep = "[".repeat(100_000);
        assert_eq!(line_column(&deep, Format::Json, ""), Some((1, 1)));
        assert_eq!(line_column(&deep, Format::Json, "/0/0/0"), Some((1, 4)));
        assert_eq!(line_column(&deep, Format::Json, "/1"), None);
        let balanced = format!(
            r#"{{"a": {}{}, "b": 1}}"#,
            "[{\"]\":".repeat(50_000),
            "}]".repeat(50_000)
        );
        assert_eq!(
            line_column(&balanced, Format::Json, "/b"),
            Some((1, balanced.len() - 6))
        );
        let truncated = r#"{"a": {"b": 1}, "c": [1, 2"#;
        assert_eq!(line_column(truncated, Format::Json, "/a/b"), Some((1, 8)));
        assert_eq!(line_column(truncated, Format::Json, "/c/1"), Some((1, 26)));
        assert_eq!(line_column(truncated, Format::Json, "/c/2"), None);
        assert_eq!(line_column(r#"{"a": "open"#, Format::Json, "/b"), None);
        assert_eq!(line_column(r#"{"a\"#, Format::Json, "/a"), None);
        for garbage in [
            "not json",
            "}}}]]]",
            ":::",
            "{\"a\" 1}",
            "{1: 2}",
            "[,,,",
            "\"\\u12",
        ] {
            assert_eq!(
                line_column(garbage, Format::Json, "/a/0"),
                None,
                "{garbage}"
            );
            assert_eq!(line_column(garbage, Format::Json, "/0"), None, "{garbage}");
        }
        // Every prefix of a document, with every pointer: no panic.
        let pointers = ["", "/paths/é", "/x/1/y", "/x/9", "/paths/😀"];
        for end in (0..=JSON.len()).filter(|&end| JSON.is_char_boundary(end)) {
            for pointer in pointers {
                let _ = line_column(&JSON[..end], Format::Json, pointer);
            }
        }
    }

    /// The rest of the line at a 1-based position.
    fn text_at(text: &str, (line, column): (usize, usize)) -> String {
        let line = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
        line.chars().skip(column.saturating_sub(1)).collect()
    }

    /// Every pointer into a pretty-printed document lands on the member's
    /// key or on the element itself.
    #[test]
    fn json_agrees_with_serde() {
        use serde_json::Value;
        let value = serde_json::json!({
            "a": {"b/c": [1, {"d~e": "x\"y", "é": [[], {}, null, [2]]}], "f": "\u{1F600}"},
            "g": [true, false, "s", 2.5, {"z": 0}],
            "h\\i": {"j": {"k": {"l": [0]}}}
        });
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        let mut stack = vec![(String::new(), &value)];
        let mut checked = 0;
        while let Some((pointer, node)) = stack.pop() {
            let children: Vec<(String, &Value, String)> = match node {
                Value::Object(map) => map
                    .iter()
                    .map(|(key, child)| {
                        let token = key.replace('~', "~0").replace('/', "~1");
                        (token, child, serde_json::to_string(key).unwrap_or_default())
                    })
                    .collect(),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(index, child)| {
                        // Pretty-printed containers span lines: compare the bracket.
                        let mut written = serde_json::to_string(child).unwrap_or_default();
                        if child.is_array() || child.is_object() {
                            written.truncate(1);
                        }
                        (index.to_string(), child, written)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for (token, child, written) in children {
                let pointer = format!("{pointer}/{token}");
                let position = line_column(&text, Format::Json, &pointer).unwrap_or_default();
                let at = text_at(&text, position);
                assert!(at.starts_with(&written), "{pointer}: {at}");
                checked += 1;
                stack.push((pointer, child));
            }
        }
        assert_eq!(checked, 24);
    }

    const YAML: &str = r#"openapi: 3.0.0
info:
  title: "Pets"
  description: |
    A block scalar
    with: colons: and - dashes
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: ok
        "404":
          description: missing
      tags: [a, b]
      flags: {true: yes, 'a/b': 1}
list:
  - first
  - name: second
    value: 2
  -   - nested
flow: {a: [1, 2]}
café: {ü: x, k: é}
~tilde: 1
"#;

    #[test]
    fn yaml_pointers() {
        let get = "/paths/~1pets~1{id}/get";
        let cases: Vec<(String, Option<(usize, usize)>)> = vec![
            (String::new(), Some((1, 1))),
            ("/openapi".into(), Some((1, 1))),
            ("/info/description".into(), Some((4, 3))),
            ("/paths".into(), Some((7, 1))),
            (format!("{get}/responses/200"), Some((11, 9))),
            (format!("{get}/responses/404"), Some((13, 9))),
            (format!("{get}/responses/404/description"), Some((14, 11))),
            (format!("{get}/tags/1"), Some((15, 17))),
            (format!("{get}/flags/true"), Some((16, 15))),
            (format!("{get}/flags/a~1b"), Some((16, 26))),
            ("/list/0".into(), Some((18, 5))),
            ("/list/1".into(), Some((19, 5))),
            ("/list/1/value".into(), Some((20, 5))),
            ("/list/2".into(), Some((21, 7))),
            ("/list/2/0".into(), Some((21, 9))),
            ("/flow/a/1".into(), Some((22, 15))),
            ("/café/k".into(), Some((23, 14))),
            ("/~0tilde".into(), Some((24, 1))),
            (format!("{get}/post"), None),
            (format!("{get}/responses/0200"), None),
            ("/list/3".into(), None),
            ("/list/x".into(), None),
            ("/openapi/x".into(), None),
            ("/nothing".into(), None),
        ];
        for (pointer, expected) in cases {
            assert_eq!(
                line_column(YAML, Format::Yaml, &pointer),
                expected,
                "{pointer}"
            );
        }
    }

    #[test]
    fn yaml_aliases_and_documents() {
        let text = "base: &b\n  x: 1\n  y: [a, b]\nother: *b\nseq: &s [p, q]\nref: *s\nself: &loop [*loop]\nmerged: {<<: *b, z: 1}\n";
        let cases: &[(&str, Option<(usize, usize)>)] = &[
            ("/other", Some((4, 1))),
            ("/other/y", Some((3, 3))),
            ("/other/y/1", Some((3, 10))),
            ("/ref/1", Some((5, 13))),
            ("/self/0", Some((7, 14))),
            ("/self/0/0/0", Some((7, 14))),
            ("/merged/z", Some((8, 18))),
            ("/merged/x", None),
        ];
        for &(pointer, expected) in cases {
            assert_eq!(
                line_column(text, Format::Yaml, pointer),
                expected,
                "{pointer}"
            );
        }
        let endless = format!("/self{}", "/0".repeat(200));
        assert_eq!(line_column(text, Format::Yaml, &endless), None);

        let text = "# comment\n---\na: 1\n---\nb: 2\n";
        assert_eq!(line_column(text, Format::Yaml, ""), Some((3, 1)));
        assert_eq!(line_column(text, Format::Yaml, "/a"), Some((3, 1)));
        assert_eq!(line_column(text, Format::Yaml, "/b"), None);
        assert_eq!(line_column("", Format::Yaml, ""), None);
    }

    #[test]
    fn yaml_hostile() {
        let deep = "[".repeat(100_000);
        let _ = line_column(&deep, Format::Yaml, "/0/0/0");
        let _ = line_column(&deep, Format::Yaml, "/1");
        let deep_block: String = (0..2_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let _ = line_column(&deep_block, Format::Yaml, "/k/k/x");
        assert_eq!(line_column("a: [1, 2\nb: 3\n", Format::Yaml, "/b"), None);
        assert_eq!(line_column("a: b: c: d\n", Format::Yaml, "/a/b"), None);
        assert_eq!(line_column("a: *nowhere\n", Format::Yaml, "/a/0"), None);
        for garbage in ["{{{", "- - - [", ":\n:\n\t- x", "'open", "&a\n*a: *a"] {
            let _ = line_column(garbage, Format::Yaml, "/a/0");
        }
        let pointers = ["", "/paths/~1pets~1{id}/get/tags/1", "/list/2/0", "/café/k"];
        for end in (0..=YAML.len()).filter(|&end| YAML.is_char_boundary(end)) {
            for pointer in pointers {
                let _ = line_column(&YAML[..end], Format::Yaml, pointer);
            }
        }
    }
}
