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
mod tests;
