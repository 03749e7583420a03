//! JSON pointers (RFC 6901) and the `$ref` strings that carry them.
//!
//! Every element of the model remembers the pointer it came from, and every
//! message names one, so building and splitting pointers lives in one place.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undoes [`escape`] for one reference token.
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Appends one unescaped token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// Appends several unescaped tokens to a pointer.
pub fn join_all<'a>(pointer: &str, tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = pointer.to_owned();
    for token in tokens {
        out.push('/');
        out.push_str(&escape(token));
    }
    out
}

/// Splits a pointer into its unescaped tokens; the root pointer `""` has none.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape)
}

/// The node at `pointer` inside `value`, like `serde_json::Value::pointer`
/// but without allocating for tokens that need no unescaping: references
/// are looked up tens of thousands of times in large documents.
pub fn get<'v>(value: &'v serde_json::Value, pointer: &str) -> Option<&'v serde_json::Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let mut node = value;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = unescape(token);
        node = match node {
            serde_json::Value::Object(map) => map.get(token.as_ref())?,
            serde_json::Value::Array(items) => items.get(array_index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// [`get`], mutably.
pub fn get_mut<'v>(
    value: &'v mut serde_json::Value,
    pointer: &str,
) -> Option<&'v mut serde_json::Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let mut node = value;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = unescape(token);
        node = match node {
            serde_json::Value::Object(map) => map.get_mut(token.as_ref())?,
            serde_json::Value::Array(items) => items.get_mut(array_index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// An array index as RFC 6901 writes it: digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    (digits && (token == "0" || !token.starts_with('0')))
        .then(|| token.parse().ok())
        .flatten()
}

/// The last unescaped token of a pointer, if it has one.
pub fn last_token(pointer: &str) -> Option<Cow<'_, str>> {
    if pointer.is_empty() {
        return None;
    }
    pointer.rsplit('/').next().map(unescape)
}

/// What RFC 3986 allows in neither a path nor a fragment (`%`, `"`,
/// spaces, `#`, brackets, non-ASCII), percent-encoded in both.
pub(crate) const NOT_IN_URI: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A JSON pointer written as a URI fragment: what RFC 3986 does not allow
/// there percent-encoded.
pub fn to_fragment(pointer: &str) -> Cow<'_, str> {
    percent_encoding::utf8_percent_encode(pointer, NOT_IN_URI).into()
}

/// The fragment of a `$ref` (the part after `#`) as a JSON pointer: percent
/// escapes decoded, as URI fragments require. `None` when the fragment is not
/// a pointer (a plain name anchor such as `#foo`).
pub fn fragment_to_pointer(fragment: &str) -> Option<String> {
    let decoded = percent_decode_str(fragment).decode_utf8_lossy();
    if decoded.is_empty() || decoded.starts_with('/') {
        Some(decoded.into_owned())
    } else {
        None
    }
}

/// A `$ref` split into the file part (empty for the same file) and the pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefTarget<'a> {
    /// The file part, relative to the referring file; empty for a local ref.
    pub file: &'a str,
    /// The decoded JSON pointer of the fragment; `""` when there is none.
    pub pointer: Option<String>,
}

/// Splits a `$ref` value into file and pointer.
pub fn split_ref(reference: &str) -> RefTarget<'_> {
    match reference.split_once('#') {
        Some((file, fragment)) => RefTarget {
            file,
            pointer: fragment_to_pointer(fragment),
        },
        None => RefTarget {
            file: reference,
            pointer: Some(String::new()),
        },
    }
}

/// Whether a `$ref` names a URL that would have to be fetched.
pub fn is_remote(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    // A Windows drive letter (`C:\spec.yaml`) is a path, not a scheme.
    scheme.len() > 1
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !reference.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for token in ["plain", "a/b", "~tilde", "~1", "/~/"] {
            assert_eq!(unescape(&escape(token)), token);
        }
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("~01"), "~1");
    }

    #[test]
    fn joins_and_splits() {
        let p = join_all("", ["paths", "/pets/{id}", "get"]);
        assert_eq!(p, "/paths/~1pets~1{id}/get");
        let back: Vec<_> = tokens(&p).collect();
        assert_eq!(back, ["paths", "/pets/{id}", "get"]);
        assert_eq!(last_token(&p).as_deref(), Some("get"));
        assert_eq!(last_token(""), None);
    }

    #[test]
    fn gets_nodes_like_serde_json() {
        let value = serde_json::json!({"a/b": [1, {"c~d": 2}], "": 3, "01": 4});
        for pointer in [
            "",
            "/a~1b",
            "/a~1b/1/c~0d",
            "/",
            "/01",
            "/a~1b/01",
            "/a~1b/2",
            "/x",
            "a",
        ] {
            assert_eq!(get(&value, pointer), value.pointer(pointer), "{pointer}");
        }
        let mut copy = value.clone();
        if let Some(node) = get_mut(&mut copy, "/a~1b/0") {
            *node = serde_json::json!(9);
        }
        assert_eq!(copy["a/b"][0], 9);
    }

    #[test]
    fn splits_refs() {
        assert_eq!(
            split_ref("#/components/schemas/Pet"),
            RefTarget {
                file: "",
                pointer: Some("/components/schemas/Pet".into())
            }
        );
        assert_eq!(
            split_ref("common.yaml#/Pet%20Type"),
            RefTarget {
                file: "common.yaml",
                pointer: Some("/Pet Type".into())
            }
        );
        assert_eq!(split_ref("pet.yaml").pointer.as_deref(), Some(""));
        assert_eq!(split_ref("#anchor").pointer, None);
    }

    #[test]
    fn recognises_remote_refs() {
        assert!(is_remote("https://example.com/a.yaml#/X"));
        assert!(is_remote("file:///etc/passwd"));
        assert!(!is_remote("./a.yaml#/X"));
        assert!(!is_remote("#/components/schemas/A"));
        assert!(!is_remote("C:\\specs\\a.yaml"));
    }
}
