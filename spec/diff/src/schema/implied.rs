//! What a schema already says without a keyword: the bounds its `format`
//! or `pattern` implies (a `maxLength: 36` on a `uuid` changes nothing),
//! which patterns accept every string, and how two patterns or two
//! formats compare.

use regex_syntax::hir::{Hir, Look};

/// The value of a bound the format implies: `int32` bounds `maximum`,
/// `uuid` bounds `maxLength`.
pub(crate) fn format_bound(format: &str, keyword: &str) -> Option<f64> {
    let value = match (format, keyword) {
        ("int32", "maximum") => i32::MAX as f64,
        ("int32", "minimum") => i32::MIN as f64,
        ("int64", "maximum") => i64::MAX as f64,
        ("int64", "minimum") => i64::MIN as f64,
        ("uuid", "maxLength" | "minLength") => 36.0,
        ("date", "maxLength" | "minLength") => 10.0,
        ("ipv4", "maxLength") => 15.0,
        ("ipv4", "minLength") => 7.0,
        ("ipv6", "maxLength") => 45.0,
        ("ipv6", "minLength") => 2.0,
        _ => return None,
    };
    Some(value)
}

fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(true)
        .build()
        .parse(pattern)
        .ok()
}

/// The longest string (in characters, bounded by its UTF-8 length) an
/// anchored pattern matches: `^[a-z]{0,256}$` implies `maxLength: 256`.
pub(crate) fn pattern_max_length(pattern: &str) -> Option<f64> {
    let hir = parse(pattern)?;
    let properties = hir.properties();
    let anchored = properties.look_set_prefix().contains(Look::Start)
        && properties.look_set_suffix().contains(Look::End);
    if !anchored {
        return None;
    }
    properties.maximum_len().map(|bytes| bytes as f64)
}

/// Whether a pattern matches every string: it can match the empty string
/// and asserts nothing about where (`''`, `.*`, `a*`).
pub(crate) fn accepts_everything(pattern: &str) -> bool {
    let Some(hir) = parse(pattern) else {
        return false;
    };
    let properties = hir.properties();
    properties.minimum_len() == Some(0) && properties.look_set().is_empty()
}

/// How a new pattern compares with an old one: `Some(true)` when it
/// provably accepts more (emptied, or an anchor dropped), `Some(false)`
/// when provably less (an anchor added), `None` when it cannot be told.
pub(crate) fn pattern_loosened(old: &str, new: &str) -> Option<bool> {
    if accepts_everything(new) {
        return Some(true);
    }
    if accepts_everything(old) {
        return Some(false);
    }
    let (old_start, old_core, old_end) = anchors(old);
    let (new_start, new_core, new_end) = anchors(new);
    if old_core != new_core {
        return None;
    }
    let dropped = (old_start || !new_start) && (old_end || !new_end);
    let added = (new_start || !old_start) && (new_end || !old_end);
    match (dropped, added) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// A pattern's leading `^`, its core, and its trailing unescaped `$`.
fn anchors(pattern: &str) -> (bool, &str, bool) {
    let (start, rest) = match pattern.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let escaped = rest.ends_with("\\$") && !rest.ends_with("\\\\$");
    match rest.strip_suffix('$') {
        Some(core) if !escaped => (start, core, true),
        _ => (start, rest, false),
    }
}

/// How a new integer format compares with an old one, where one covers
/// the other: `Greater` when the new one accepts more (`int32` to
/// `int64`). No format ranks as `int64`: an integer without one is read
/// as a 64-bit integer by the clients specgate generates (and by every
/// JSON parser that keeps integers exact), so spelling `int64` out, or
/// dropping it, changes no client.
pub(crate) fn format_widened(old: Option<&str>, new: Option<&str>) -> Option<std::cmp::Ordering> {
    let rank = |format: Option<&str>| match format {
        Some("int32") => Some(0),
        Some("int64") | None => Some(1),
        _ => None,
    };
    if old.is_none() && new.is_none() {
        return None;
    }
    Some(rank(new)?.cmp(&rank(old)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_imply_a_max_length() {
        assert_eq!(pattern_max_length("^[a-z]{0,256}$"), Some(256.0));
        assert_eq!(pattern_max_length("[a-z]{0,256}"), None);
        assert_eq!(pattern_max_length("^https://.+$"), None);
    }

    #[test]
    fn empty_and_star_patterns_accept_everything() {
        assert!(accepts_everything(""));
        assert!(accepts_everything(".*"));
        assert!(!accepts_everything("^\\w+$"));
        assert!(!accepts_everything("^.*$"));
    }

    #[test]
    fn patterns_compare_by_their_anchors() {
        assert_eq!(pattern_loosened("^\\w+$", ""), Some(true));
        assert_eq!(pattern_loosened("^abc$", "^abc"), Some(true));
        assert_eq!(pattern_loosened("abc", "^abc$"), Some(false));
        assert_eq!(pattern_loosened("^abc$", "^abd$"), None);
        assert_eq!(pattern_loosened("^a\\$", "^a"), None);
    }

    #[test]
    fn integer_formats_rank() {
        use std::cmp::Ordering::*;
        assert_eq!(format_widened(Some("int32"), Some("int64")), Some(Greater));
        assert_eq!(format_widened(Some("int64"), Some("int32")), Some(Less));
        assert_eq!(format_widened(Some("int32"), None), Some(Greater));
        assert_eq!(format_widened(None, Some("int64")), Some(Equal));
        assert_eq!(format_widened(None, Some("int32")), Some(Less));
        assert_eq!(format_widened(Some("date"), Some("date-time")), None);
    }
}
