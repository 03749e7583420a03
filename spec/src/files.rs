//! The files of a document: the root and every file its `$ref`s reach.
//!
//! References are resolved against the referring file's directory. Nothing
//! is ever fetched: a `$ref` to a URL is an error, and a `$ref` that climbs
//! out of the allowed root directory is refused.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{describe, ErrorKind, LoadError, Location};
use crate::pointer;
use crate::provenance::{FileId, PointerMap, SourceFile};
use crate::source::{self, Format};

/// A file that has been read and parsed.
pub(crate) struct LoadedFile {
    pub(crate) source: SourceFile,
    /// The parsed value. The reader moves subtrees out of it (see
    /// [`Files::take`]), so what remains is only what it has not read yet.
    pub(crate) value: Value,
    /// The canonical path, for files that have one.
    pub(crate) path: Option<PathBuf>,
}

/// All files of a document, addressed by [`FileId`].
pub(crate) struct Files {
    files: Vec<LoadedFile>,
    by_path: HashMap<PathBuf, FileId>,
    /// References may not leave this directory.
    root_dir: Option<PathBuf>,
    /// Where references of a root without a path (standard input) resolve.
    fallback_dir: Option<PathBuf>,
    /// Pointers into the root that local `$ref`s target, with how many
    /// references name each. Subtrees holding one are copied, not moved,
    /// when read, so the target stays in place.
    pins: BTreeMap<String, usize>,
    /// Resolved references by referring file and text: the same `$ref`
    /// (`#/components/schemas/simple-user`) recurs thousands of times.
    resolved: HashMap<FileId, HashMap<String, Target>>,
    /// Per file, the schemas a `$anchor` (or `$dynamicAnchor`) names, read
    /// before anything is moved out: name to pointer, `None` when two
    /// schemas of the file give the same name.
    anchors: Vec<HashMap<String, Option<String>>>,
}

/// A resolved reference: the file and the pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub(crate) file: FileId,
    pub(crate) pointer: String,
}

impl Files {
    pub(crate) fn new(root_dir: Option<PathBuf>, fallback_dir: Option<PathBuf>) -> Self {
        Self {
            files: Vec::new(),
            by_path: HashMap::new(),
            root_dir,
            fallback_dir,
            pins: BTreeMap::new(),
            resolved: HashMap::new(),
            anchors: Vec::new(),
        }
    }

    /// Adds the root document, already parsed (and perhaps upgraded).
    pub(crate) fn add_root(
        &mut self,
        name: String,
        format: Format,
        text: String,
        value: Value,
        moves: PointerMap,
        path: Option<PathBuf>,
    ) -> FileId {
        let id = self.push(
            SourceFile {
                name,
                path: path.clone(),
                format,
                text,
                moves,
            },
            value,
            path,
        );
        if let (FileId::ROOT, Some(root)) = (id, self.files.first()) {
            let anchors = self.anchors.first();
            self.pins = local_ref_targets(&root.value, anchors);
        }
        id
    }

    /// Moves out the target of a reference that is its only reference, made
    /// from a part of the root that is read once (a path item or webhook
    /// that nothing refers to). Large examples are usually referred to once,
    /// from one operation; moving them spares a copy. `None`: copy instead.
    pub(crate) fn take_sole_target(&mut self, target: &Target, referrer: &Target) -> Option<Value> {
        if target.file != FileId::ROOT || referrer.file != FileId::ROOT {
            return None;
        }
        if self.pins.get(&target.pointer) != Some(&1) {
            return None;
        }
        let read_once = ["/paths/", "/webhooks/"]
            .iter()
            .any(|region| referrer.pointer.starts_with(region));
        if !read_once {
            return None;
        }
        // A path item or operation that a `$ref` targets is read twice.
        let mut ancestor = referrer.pointer.as_str();
        while let Some(cut) = ancestor.rfind('/') {
            ancestor = &ancestor[..cut];
            if self.pins.contains_key(ancestor) {
                return None;
            }
        }
        self.take(target.file, &target.pointer, true)
    }

    /// The node at `pointer` in `file`, as it is now.
    pub(crate) fn get(&self, file: FileId, pointer: &str) -> Option<&Value> {
        pointer::get(&self.files.get(file.index())?.value, pointer)
    }

    /// Moves the node at `pointer` out of `file`, leaving `null` in its
    /// place, so the model owns it without a copy. A node that a local
    /// `$ref` targets, or that holds such a target deeper down (other than
    /// itself when `self_ref_ok`), is copied instead.
    pub(crate) fn take(&mut self, file: FileId, pointer: &str, self_ref_ok: bool) -> Option<Value> {
        let pinned = file == FileId::ROOT && {
            let below = format!("{pointer}/");
            let mut end = below.clone();
            end.pop();
            end.push('0'); // the character after '/'
            (!self_ref_ok && self.pins.contains_key(pointer))
                || self.pins.range(below..end).next().is_some()
        };
        let node = pointer::get_mut(&mut self.files.get_mut(file.index())?.value, pointer)?;
        Some(if pinned || file != FileId::ROOT {
            node.clone()
        } else {
            std::mem::take(node)
        })
    }

    pub(crate) fn name(&self, file: FileId) -> &str {
        self.files
            .get(file.index())
            .map_or("<unknown>", |f| f.source.name.as_str())
    }

    /// A location for messages: the file's name and the pointer the user
    /// wrote, with line and column.
    pub(crate) fn location(&self, file: FileId, pointer: &str) -> Location {
        match self.files.get(file.index()) {
            Some(f) => source_location(&f.source, pointer),
            None => Location::file("<unknown>"),
        }
    }

    pub(crate) fn error(&self, file: FileId, pointer: &str, kind: ErrorKind) -> LoadError {
        LoadError::new(self.location(file, pointer), kind)
    }

    /// An error for a node of the wrong shape.
    pub(crate) fn shape_error(
        &self,
        file: FileId,
        pointer: &str,
        expected: &str,
        found: &Value,
    ) -> LoadError {
        self.error(
            file,
            pointer,
            ErrorKind::Shape {
                expected: expected.into(),
                found: describe(found),
            },
        )
    }

    /// Resolves `reference`, written at `pointer` in `from`, to a file and a
    /// pointer that exists, loading the file if needed.
    pub(crate) fn resolve(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
    ) -> Result<Target, LoadError> {
        if let Some(target) = self.resolved.get(&from).and_then(|m| m.get(reference)) {
            return Ok(target.clone());
        }
        let target = self.resolve_uncached(from, at, reference)?;
        self.resolved
            .entry(from)
            .or_default()
            .insert(reference.to_owned(), target.clone());
        Ok(target)
    }

    fn resolve_uncached(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
    ) -> Result<Target, LoadError> {
        if pointer::is_remote(reference) {
            return Err(self.error(from, at, ErrorKind::RemoteRef(reference.into())));
        }
        let split = pointer::split_ref(reference);
        let file = if split.file.is_empty() {
            from
        } else {
            self.load_relative(from, at, reference, split.file)?
        };
        let target_pointer = match split.pointer {
            Some(target_pointer) => target_pointer,
            // A plain-name fragment: the schema of that file whose
            // `$anchor` (or `$dynamicAnchor`) it is.
            None => {
                let name = reference.split_once('#').map_or("", |(_, name)| name);
                match self.anchors.get(file.index()).and_then(|a| a.get(name)) {
                    Some(Some(pointer)) => pointer.clone(),
                    found => {
                        let detail = if found.is_some() {
                            format!(
                                "two schemas of {} name themselves `{name}`",
                                self.name(file)
                            )
                        } else {
                            format!("no schema of {} has `$anchor: {name}`", self.name(file))
                        };
                        return Err(self.error(
                            from,
                            at,
                            ErrorKind::DanglingRef {
                                reference: reference.into(),
                                detail: Some(detail),
                            },
                        ));
                    }
                }
            }
        };
        let exists = self
            .files
            .get(file.index())
            .is_some_and(|f| pointer::get(&f.value, &target_pointer).is_some());
        if !exists {
            let detail = format!(
                "{} has nothing at {}",
                self.name(file),
                if target_pointer.is_empty() {
                    "/"
                } else {
                    &target_pointer
                }
            );
            return Err(self.error(
                from,
                at,
                ErrorKind::DanglingRef {
                    reference: reference.into(),
                    detail: Some(detail),
                },
            ));
        }
        Ok(Target {
            file,
            pointer: target_pointer,
        })
    }

    fn base_dir(&self, from: FileId) -> Option<PathBuf> {
        match self.files.get(from.index()).and_then(|f| f.path.as_ref()) {
            Some(path) => path.parent().map(Path::to_path_buf),
            None => self.fallback_dir.clone(),
        }
    }

    fn load_relative(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
        relative: &str,
    ) -> Result<FileId, LoadError> {
        let dangling = |files: &Self, detail: String| {
            files.error(
                from,
                at,
                ErrorKind::DanglingRef {
                    reference: reference.into(),
                    detail: Some(detail),
                },
            )
        };
        let Some(base) = self.base_dir(from) else {
            return Err(dangling(
                self,
                "the document has no directory to resolve other files against".into(),
            ));
        };
        let relative = percent_encoding::percent_decode_str(relative).decode_utf8_lossy();
        let joined = base.join(relative.as_ref());
        let path = joined
            .canonicalize()
            .map_err(|err| dangling(self, format!("cannot open {}: {err}", joined.display())))?;
        if let Some(root) = &self.root_dir {
            if !path.starts_with(root) {
                return Err(self.error(
                    from,
                    at,
                    ErrorKind::OutsideRoot {
                        reference: reference.into(),
                        root: root.display().to_string(),
                    },
                ));
            }
        }
        if let Some(&id) = self.by_path.get(&path) {
            return Ok(id);
        }
        let name = display_name(&path);
        let bytes = std::fs::read(&path)
            .map_err(|err| LoadError::new(Location::file(name.clone()), ErrorKind::Io(err)))?;
        let text = source::decode(&name, bytes)?;
        let (value, format) = source::parse(&name, &text)?;
        let source = SourceFile {
            name,
            path: Some(path.clone()),
            format,
            text,
            moves: PointerMap::default(),
        };
        let id = self.push(source, value, Some(path));
        Ok(id)
    }

    fn push(&mut self, source: SourceFile, value: Value, path: Option<PathBuf>) -> FileId {
        let id = FileId(self.files.len() as u32);
        if let Some(path) = &path {
            self.by_path.insert(path.clone(), id);
        }
        // Most documents name no schema so: their text says so at once.
        let named = source.text.contains("$anchor") || source.text.contains("$dynamicAnchor");
        self.anchors.push(if named {
            anchors_of(&value)
        } else {
            HashMap::new()
        });
        self.files.push(LoadedFile {
            source,
            value,
            path,
        });
        id
    }

    /// Notes a move made by normalization in one file.
    pub(crate) fn record_move(&mut self, file: FileId, new: String, old: &str) {
        if let Some(f) = self.files.get_mut(file.index()) {
            f.source.moves.record_composed(new, old);
        }
    }

    /// Gives up the values, keeping the texts for lazy line numbers.
    pub(crate) fn into_sources(self) -> Vec<SourceFile> {
        self.files.into_iter().map(|f| f.source).collect()
    }
}

/// The schemas of a file that name themselves with `$anchor` or
/// `$dynamicAnchor`: name to pointer, `None` for a name given twice.
fn anchors_of(value: &Value) -> HashMap<String, Option<String>> {
    let mut anchors: HashMap<String, Option<String>> = HashMap::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((at, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for keyword in ["$anchor", "$dynamicAnchor"] {
                    if let Some(Value::String(name)) = map.get(keyword) {
                        anchors
                            .entry(name.clone())
                            .and_modify(|seen| {
                                if seen.as_deref() != Some(at.as_str()) {
                                    *seen = None;
                                }
                            })
                            .or_insert_with(|| Some(at.clone()));
                    }
                }
                for (key, child) in map {
                    if child.is_object() || child.is_array() {
                        stack.push((format!("{at}/{}", pointer::escape(key)), child));
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if item.is_object() || item.is_array() {
                        stack.push((format!("{at}/{index}"), item));
                    }
                }
            }
            _ => {}
        }
    }
    anchors
}

/// Every local `$ref` target in a document (`#/components/...`, or `#name`
/// for a schema its `$anchor` names), as a decoded pointer. Any string that
/// starts with `#/` counts (discriminator mappings hold references too): a
/// few extra pins only cost a copy.
fn local_ref_targets(
    root: &Value,
    anchors: Option<&HashMap<String, Option<String>>>,
) -> BTreeMap<String, usize> {
    let mut pins = BTreeMap::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for child in map.values() {
                    match child {
                        Value::String(reference) if reference.starts_with("#/") => {
                            if let Some(pointer) = pointer::fragment_to_pointer(&reference[1..]) {
                                *pins.entry(pointer).or_insert(0) += 1;
                            }
                        }
                        Value::String(reference) if reference.starts_with('#') => {
                            let anchored = anchors
                                .and_then(|a| a.get(&reference[1..]))
                                .and_then(Option::as_ref);
                            if let Some(pointer) = anchored {
                                *pins.entry(pointer.clone()).or_insert(0) += 1;
                            }
                        }
                        Value::Object(_) | Value::Array(_) => stack.push(child),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => {
                stack.extend(items.iter().filter(|v| v.is_object() || v.is_array()))
            }
            _ => {}
        }
    }
    pins
}

/// The location of a node, in the pointer the user wrote, with line and
/// column computed from the text.
pub(crate) fn source_location(source: &SourceFile, pointer: &str) -> Location {
    let original = source.moves.original(pointer);
    let line_column = crate::locate::line_column(&source.text, source.format, &original);
    Location {
        file: source.name.clone(),
        line: line_column.map(|(line, _)| line),
        column: line_column.map(|(_, column)| column),
        pointer: Some(original),
    }
}

/// Names a file relative to the working directory when it is below it, so
/// messages stay short.
fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
