//! Where every element of the model came from.
//!
//! An [`Origin`] is a file and a JSON pointer into the model's view of that
//! file. Swagger 2.0 documents are upgraded and 3.0 schemas normalized before
//! the model is read, which moves nodes; a [`PointerMap`] records each move so
//! messages can name the pointer the user wrote. Line and column are computed
//! only when a message asks for them (see [`crate::Document::location`]).

use std::collections::BTreeMap;

use crate::source::Format;

/// Index of a file in a loaded document's file list; the root document is 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FileId(pub(crate) u32);

impl FileId {
    /// The document the user named.
    pub const ROOT: FileId = FileId(0);

    /// The position of the file in [`crate::Document::files`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A node's file and JSON pointer, in the model's (upgraded, normalized) view.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// The JSON pointer inside the file.
    pub pointer: String,
}

impl Origin {
    pub(crate) fn new(file: FileId, pointer: impl Into<String>) -> Self {
        Self {
            file,
            pointer: pointer.into(),
        }
    }

    /// No place: for readers that gather a schema's layers for their
    /// keywords, not for where they are written.
    pub fn unplaced() -> Self {
        Self::new(FileId::ROOT, "")
    }

    /// The origin of a child node.
    pub fn child(&self, token: &str) -> Self {
        Self {
            file: self.file,
            pointer: crate::pointer::join(&self.pointer, token),
        }
    }
}

/// Records which subtrees were moved by the upgrade or normalization, from
/// their new pointer to the pointer they had in the file.
#[derive(Debug, Clone, Default)]
pub struct PointerMap {
    moves: BTreeMap<String, String>,
}

impl PointerMap {
    /// Notes that the subtree now at `new` was at `old` in the file.
    pub fn record(&mut self, new: impl Into<String>, old: impl Into<String>) {
        self.moves.insert(new.into(), old.into());
    }

    /// Notes a move of a node that may itself lie in a moved subtree: `old`
    /// is given in the current view and mapped back first, so moves compose.
    pub fn record_composed(&mut self, new: impl Into<String>, old: &str) {
        let old = self.original(old);
        self.moves.insert(new.into(), old);
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// The pointer the user wrote for a node that is now at `pointer`: the
    /// longest recorded prefix is replaced.
    pub fn original(&self, pointer: &str) -> String {
        if self.moves.is_empty() {
            return pointer.to_owned();
        }
        let mut prefix = pointer;
        loop {
            if let Some(old) = self.moves.get(prefix) {
                return format!("{old}{}", &pointer[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return pointer.to_owned(),
            }
        }
    }
}

/// The text of one file of a loaded document, kept so that line and column
/// can be computed when a message needs them.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file as the user named it, or as a `$ref` reached it.
    pub name: String,
    /// Its canonical path, for a file read from disk (not for standard
    /// input or bytes given directly): what a build script watches.
    pub path: Option<std::path::PathBuf>,
    /// Its syntax.
    pub format: Format,
    pub(crate) text: String,
    pub(crate) moves: PointerMap,
}

impl SourceFile {
    /// The file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file as its author wrote it, before any upgrade or
    /// normalization: what a patch to the document applies to. Read again
    /// from the kept text, as loading read it.
    pub fn value(&self) -> Result<serde_json::Value, crate::LoadError> {
        crate::source::parse(&self.name, &self.text).map(|(value, _)| value)
    }

    /// The pointer, in the file as written, of a node the model has at
    /// `pointer` (upgrades and normalization move some).
    pub fn original_pointer(&self, pointer: &str) -> String {
        self.moves.original(pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_moved_subtrees_back() {
        let mut map = PointerMap::default();
        map.record("/components/schemas", "/definitions");
        map.record(
            "/paths/~1pets/post/requestBody/content/application~1json/schema",
            "/paths/~1pets/post/parameters/0/schema",
        );
        assert_eq!(
            map.original("/components/schemas/Pet/properties/id"),
            "/definitions/Pet/properties/id"
        );
        assert_eq!(
            map.original("/paths/~1pets/post/requestBody/content/application~1json/schema/items"),
            "/paths/~1pets/post/parameters/0/schema/items"
        );
        assert_eq!(map.original("/info/title"), "/info/title");
    }

    #[test]
    fn composes_later_moves() {
        let mut map = PointerMap::default();
        map.record("/components/schemas", "/definitions");
        map.record_composed("/components/schemas/Pet/anyOf/0", "/components/schemas/Pet");
        assert_eq!(
            map.original("/components/schemas/Pet/anyOf/0/allOf/1"),
            "/definitions/Pet/allOf/1"
        );
    }

    #[test]
    fn does_not_match_partial_tokens() {
        let mut map = PointerMap::default();
        map.record("/components/schemas/Pet", "/definitions/Pet");
        assert_eq!(
            map.original("/components/schemas/Pets"),
            "/components/schemas/Pets"
        );
    }
}
