//! JSON Schema 2020-12's own names for schemas: `$id` (a base URI, and a
//! schema resource other references may name), `$anchor` and
//! `$dynamicAnchor` (a name inside a resource).
//!
//! They are read from each file before the reader moves anything out of
//! it, so a reference can find its target wherever the walk is. URIs are
//! resolved (RFC 3986) by `referencing`, the crate `jsonschema` resolves
//! with; the index is kept here because the model needs each target's file
//! and pointer (for its name, its messages and the pins that keep it in
//! place), which `referencing`'s registry does not give, and because
//! OpenAPI holds schemas at places a schema registry does not crawl.

use std::collections::HashMap;

use serde_json::Value;

use crate::pointer;
use crate::provenance::FileId;

/// A schema node: the file, and the pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Place {
    pub(crate) file: FileId,
    pub(crate) pointer: String,
}

/// A name given to a schema; `None` where two different schemas claim it.
type Claim = Option<Place>;

/// Every identifier of the files read so far.
#[derive(Default)]
pub(crate) struct Identifiers {
    /// Per file: its own URI, and the absolute URI of each node with `$id`.
    files: Vec<FileIds>,
    /// Absolute URI (no fragment) to the resource whose `$id` it is.
    resources: HashMap<String, Claim>,
    /// (resource URI, name) to the schema whose `$anchor` or
    /// `$dynamicAnchor` it is, and whether the name is dynamic.
    anchors: HashMap<(String, String), (Claim, bool)>,
    /// `$id`s that cannot name a resource: where, and why.
    pub(crate) ignored: Vec<(Place, String)>,
    /// How many `$dynamicAnchor`s each name has, over the document set.
    dynamic_names: HashMap<String, usize>,
    /// The resources that have a `$dynamicAnchor`.
    dynamic_resources: std::collections::HashSet<String>,
}

struct FileIds {
    uri: String,
    /// Pointer of a node with `$id` to that `$id`, resolved.
    bases: HashMap<String, String>,
}

/// Keywords whose value is data, never a schema: an `$id` inside is a
/// value's field.
const DATA: &[&str] = &["enum", "const", "default", "example", "examples", "value"];
/// Keywords whose value maps names (of the user's choosing) to schemas.
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
];

impl Identifiers {
    /// Reads a file's identifiers. `uri` is the file's own URI; `value`
    /// the whole file, as parsed.
    pub(crate) fn add_file(&mut self, file: FileId, uri: String, value: &Value, scan: bool) {
        let mut bases = HashMap::new();
        if scan {
            self.scan(file, &uri, value, &mut bases);
            // A schema file whose own resource has dynamic anchors is a
            // resource by its URI, as an engine reads it: its dynamic scope
            // matters to what it holds. (The OpenAPI document is no schema.)
            let schema_file = file != FileId::ROOT && value.get("$id").is_none();
            if schema_file && self.dynamic_resources.contains(&uri) {
                bases.insert(String::new(), uri.clone());
                let place = Place {
                    file,
                    pointer: String::new(),
                };
                claim(&mut self.resources, uri.clone(), place, value);
            }
        }
        if self.files.len() <= file.index() {
            self.files.resize_with(file.index() + 1, || FileIds {
                uri: String::new(),
                bases: HashMap::new(),
            });
        }
        if let Some(slot) = self.files.get_mut(file.index()) {
            *slot = FileIds { uri, bases };
        }
    }

    fn scan(
        &mut self,
        file: FileId,
        file_uri: &str,
        value: &Value,
        bases: &mut HashMap<String, String>,
    ) {
        // (pointer, node, base URI in effect, whether its values are
        // named schemas)
        let mut stack: Vec<(String, &Value, String, bool)> =
            vec![(String::new(), value, file_uri.to_owned(), false)];
        while let Some((at, node, mut base, named)) = stack.pop() {
            match node {
                Value::Object(map) => {
                    let place = || Place {
                        file,
                        pointer: at.clone(),
                    };
                    if let Some(Value::String(id)) = map.get("$id") {
                        match resolve(&base, id) {
                            Ok(uri) => match uri.split_once('#') {
                                Some((_, fragment)) if !fragment.is_empty() => self.ignored.push((
                                    place(),
                                    format!(
                                        "`$id: {id}` has a fragment, which 2020-12 forbids: \
                                         it names no resource (write `$anchor` for a name)"
                                    ),
                                )),
                                _ => {
                                    let uri = without_fragment(&uri).to_owned();
                                    claim(&mut self.resources, uri.clone(), place(), value);
                                    bases.insert(at.clone(), uri.clone());
                                    base = uri;
                                }
                            },
                            Err(why) => self.ignored.push((place(), why)),
                        }
                    }
                    if let Some(Value::String(name)) = map.get("$dynamicAnchor") {
                        *self.dynamic_names.entry(name.clone()).or_insert(0) += 1;
                        self.dynamic_resources.insert(base.clone());
                    }
                    for (keyword, dynamic) in [("$anchor", false), ("$dynamicAnchor", true)] {
                        if let Some(Value::String(name)) = map.get(keyword) {
                            let key = (base.clone(), name.clone());
                            let entry = self.anchors.entry(key).or_insert((Some(place()), dynamic));
                            if entry.0.as_ref().is_some_and(|p| p.pointer != at) {
                                entry.0 = None;
                            }
                            entry.1 |= dynamic;
                        }
                    }
                    for (key, child) in map {
                        if !named && DATA.contains(&key.as_str()) {
                            continue;
                        }
                        if child.is_object() || child.is_array() {
                            let path = format!("{at}/{}", pointer::escape(key));
                            let names = NAMED.contains(&key.as_str()) && !named;
                            stack.push((path, child, base.clone(), names));
                        }
                    }
                }
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if item.is_object() || item.is_array() {
                            stack.push((format!("{at}/{index}"), item, base.clone(), false));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether any file has an `$id`.
    pub(crate) fn any(&self) -> bool {
        !self.resources.is_empty()
    }

    /// The file's own URI.
    pub(crate) fn file_uri(&self, file: FileId) -> &str {
        self.files.get(file.index()).map_or("", |f| f.uri.as_str())
    }

    /// The file whose own URI is `uri`.
    pub(crate) fn file_of(&self, uri: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.uri == uri)
            .map(|index| FileId(index as u32))
    }

    /// The base URI an `$id` sets at `at`, or above it, in `file`: `None`
    /// when none does (the file's own URI is the base).
    pub(crate) fn scope(&self, file: FileId, at: &str) -> Option<&str> {
        self.resource_at(file, at).map(|(_, base)| base)
    }

    /// The nearest node at or above `at` with an `$id`: its pointer (a
    /// prefix of `at`) and its URI.
    pub(crate) fn resource_at<'p>(&self, file: FileId, at: &'p str) -> Option<(&'p str, &str)> {
        let bases = &self.files.get(file.index())?.bases;
        if bases.is_empty() {
            return None;
        }
        let mut prefix = at;
        loop {
            if let Some(base) = bases.get(prefix) {
                return Some((prefix, base));
            }
            let cut = prefix.rfind('/')?;
            prefix = &prefix[..cut];
        }
    }

    /// The `$id` of the node at `at`, resolved.
    pub(crate) fn id_at(&self, file: FileId, at: &str) -> Option<&str> {
        self.files
            .get(file.index())?
            .bases
            .get(at)
            .map(String::as_str)
    }

    /// The resource an absolute URI (no fragment) names: `Some(None)` when
    /// two different schemas claim it.
    pub(crate) fn resource(&self, uri: &str) -> Option<&Claim> {
        self.resources.get(uri)
    }

    /// The schema `name` is the anchor of in the resource `uri`, and
    /// whether it is a `$dynamicAnchor`.
    pub(crate) fn anchor(&self, uri: &str, name: &str) -> Option<(&Claim, bool)> {
        self.anchors
            .get(&(uri.to_owned(), name.to_owned()))
            .map(|(claim, dynamic)| (claim, *dynamic))
    }

    /// Whether the resource `uri` has a `$dynamicAnchor`.
    pub(crate) fn has_dynamic_anchors(&self, uri: &str) -> bool {
        self.dynamic_resources.contains(uri)
    }

    /// How many schemas of the document set are a `$dynamicAnchor` named
    /// `name`.
    pub(crate) fn dynamic_anchors_named(&self, name: &str) -> usize {
        self.dynamic_names.get(name).copied().unwrap_or(0)
    }

    /// Every node that names itself, in `file`: they stay in place while
    /// the file is read, for references to find.
    pub(crate) fn named_nodes(&self, file: FileId) -> Vec<String> {
        let ids = self
            .resources
            .values()
            .chain(self.anchors.values().map(|(c, _)| c));
        let mut nodes: Vec<String> = ids
            .flatten()
            .filter(|place| place.file == file)
            .map(|place| place.pointer.clone())
            .collect();
        if let Some(f) = self.files.get(file.index()) {
            nodes.extend(f.bases.keys().cloned());
        }
        nodes.sort();
        nodes.dedup();
        nodes
    }
}

/// Records that `place` claims `uri`; a second, different schema makes the
/// claim ambiguous (the same schema twice, as bundlers copy, is one).
fn claim(claims: &mut HashMap<String, Claim>, uri: String, place: Place, root: &Value) {
    match claims.get_mut(&uri) {
        None => {
            claims.insert(uri, Some(place));
        }
        Some(existing) => {
            let same = existing.as_ref().is_some_and(|first| {
                first.file == place.file
                    && (first.pointer == place.pointer
                        || root.pointer(&first.pointer) == root.pointer(&place.pointer))
            });
            if !same {
                *existing = None;
            }
        }
    }
}

/// Resolves a URI reference against a base (RFC 3986, with `referencing`).
pub(crate) fn resolve(base: &str, reference: &str) -> Result<String, String> {
    // What URIs may not hold but documents write (a space in a schema's
    // name), encoded as a browser would; `%` and `#` keep their meaning.
    const WRITTEN_RAW: &percent_encoding::AsciiSet = &pointer::NOT_IN_URI
        .remove(b'%')
        .remove(b'#')
        .remove(b'[')
        .remove(b']');
    let base = referencing::uri::from_str(base).map_err(|e| e.to_string())?;
    let resolve = |reference: &str| {
        referencing::uri::resolve_against(&base.borrow(), reference)
            .map(|uri| uri.as_str().to_owned())
    };
    resolve(reference).or_else(|first| {
        let encoded = percent_encoding::utf8_percent_encode(reference, WRITTEN_RAW).to_string();
        resolve(&encoded).map_err(|_| format!("`{reference}` is not a URI reference: {first}"))
    })
}

/// The URI without its fragment.
pub(crate) fn without_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(before, _)| before)
}

/// The `file:` URI of a path (or of a name in a folder).
pub(crate) fn file_uri(path: &std::path::Path) -> String {
    // A path's `?` too would end it.
    const PATH: &percent_encoding::AsciiSet = &pointer::NOT_IN_URI.add(b'?');
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!(
        "file://{}",
        percent_encoding::utf8_percent_encode(&text, PATH)
    )
}

/// The path a `file:` URI names.
pub(crate) fn uri_path(uri: &str) -> Option<std::path::PathBuf> {
    let path = uri.strip_prefix("file://")?;
    let path = without_fragment(path);
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned()
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn index(value: &Value) -> Identifiers {
        let mut ids = Identifiers::default();
        ids.add_file(FileId::ROOT, "file:///d/api.json".into(), value, true);
        ids
    }

    #[test]
    fn ids_nest_and_resolve_against_the_nearest_parent() {
        let ids = index(&json!({"components": {"schemas": {"A": {
            "$id": "https://example.com/a/root.json",
            "$defs": {"B": {"$id": "b.json", "$defs": {"C": {"$id": "c/", "$anchor": "here"}}}}
        }}}}));
        let at = "/components/schemas/A/$defs/B/$defs/C";
        assert_eq!(
            ids.scope(FileId::ROOT, at),
            Some("https://example.com/a/c/")
        );
        assert_eq!(
            ids.scope(FileId::ROOT, "/components/schemas/A/$defs/B/type"),
            Some("https://example.com/a/b.json")
        );
        assert_eq!(ids.scope(FileId::ROOT, "/components"), None);
        let (anchor, dynamic) = ids.anchor("https://example.com/a/c/", "here").unwrap();
        assert_eq!(anchor.as_ref().unwrap().pointer, at);
        assert!(!dynamic);
    }

    #[test]
    fn ids_in_data_are_not_identifiers() {
        let ids = index(
            &json!({"schema": {"enum": [{"$id": "x"}], "examples": [{"$id": "y"}],
            "properties": {"enum": {"$id": "z"}}}}),
        );
        assert!(ids.resource("file:///d/x").is_none());
        assert!(ids.resource("file:///d/y").is_none());
        assert!(ids.resource("file:///d/z").is_some());
    }

    #[test]
    fn two_different_schemas_with_one_id_are_ambiguous_but_copies_are_not() {
        let ids = index(
            &json!({"a": {"$id": "urn:x", "type": "string"}, "b": {"$id": "urn:x", "type": "string"},
            "c": {"$id": "urn:y", "type": "string"}, "d": {"$id": "urn:y"}}),
        );
        assert!(matches!(ids.resource("urn:x"), Some(Some(_))));
        assert!(matches!(ids.resource("urn:y"), Some(None)));
    }

    #[test]
    fn an_id_with_a_fragment_names_nothing() {
        let ids = index(&json!({"a": {"$id": "#/components/schemas/a"}}));
        assert!(!ids.any());
        assert_eq!(ids.ignored.len(), 1);
    }

    #[test]
    fn file_uris_round_trip() {
        let uri = file_uri(std::path::Path::new("/tmp/a b/#1.json"));
        assert_eq!(uri, "file:///tmp/a%20b/%231.json");
        assert_eq!(
            uri_path(&uri).unwrap(),
            std::path::PathBuf::from("/tmp/a b/#1.json")
        );
        assert_eq!(
            resolve(&uri, "c.json#/x").unwrap(),
            "file:///tmp/a%20b/c.json#/x"
        );
        assert_eq!(resolve("urn:uuid:1", "#foo").unwrap(), "urn:uuid:1#foo");
        // As documents write names: a space is encoded, not refused.
        assert_eq!(
            resolve("https://x/a", "#/$defs/Tree Kind").unwrap(),
            "https://x/a#/$defs/Tree%20Kind"
        );
    }
}
