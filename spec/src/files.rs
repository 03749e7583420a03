//! The files of a document: the root and every file its `$ref`s reach.
//!
//! References are resolved against the referring file's directory. Nothing
//! is ever fetched: a `$ref` to a URL is an error, and a `$ref` that climbs
//! out of the allowed root directory is refused.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{describe, ErrorKind, LoadError, Location};
use crate::identifiers::{self, Identifiers};
use crate::pointer;
use crate::provenance::{FileId, PointerMap, SourceFile};
use crate::source::{self, Format};
use crate::warning::{Warning, WarningKind};

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
    /// 2020-12's names for schemas (`$id`, `$anchor`, `$dynamicAnchor`),
    /// read before anything is moved out.
    ids: Identifiers,
    /// The nodes of the root that name themselves so: always copied.
    named: std::collections::HashSet<String>,
    /// Oddities met while resolving, for the reader to report.
    pub(crate) warnings: Vec<Warning>,
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
            ids: Identifiers::default(),
            named: std::collections::HashSet::new(),
            warnings: Vec::new(),
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
            self.pins = local_ref_targets(&root.value);
            // A schema that names itself stays in place for references by
            // name; counted twice, so it is never taken as a sole target.
            for node in self.ids.named_nodes(FileId::ROOT) {
                *self.pins.entry(node.clone()).or_insert(0) += 2;
                self.named.insert(node);
            }
            // A reference by URI may name an `$id` of a file the document
            // reaches only later: every file is read first, while the
            // document is whole.
            if names_by_uri(&root.source.text) {
                self.discover_files();
            }
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
                // References by `$id` or anchor may reach into it later.
                || self.named.contains(pointer)
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

    /// Resolves `reference`, written at `at` in `from`, to a file and a
    /// pointer that exists, loading the file if needed. Inside a schema
    /// resource (an `$id` at or above `at`) it resolves against that
    /// resource's URI, as JSON Schema 2020-12 says.
    pub(crate) fn resolve(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
    ) -> Result<Target, LoadError> {
        let scope = self.ids.scope(from, at).map(str::to_owned);
        if scope.is_none() {
            if let Some(target) = self.resolved.get(&from).and_then(|m| m.get(reference)) {
                return Ok(target.clone());
            }
        }
        let target = self.resolve_uncached(from, at, reference, scope.as_deref())?;
        if scope.is_none() {
            self.resolved
                .entry(from)
                .or_default()
                .insert(reference.to_owned(), target.clone());
        }
        Ok(target)
    }

    /// Whether the schema resource whose root is at `root` in `file` has a
    /// `$dynamicAnchor`: its dynamic scope then matters to what it holds.
    pub(crate) fn has_dynamic_anchors(&self, file: FileId, root: &str) -> bool {
        self.ids
            .id_at(file, root)
            .is_some_and(|uri| self.ids.has_dynamic_anchors(uri))
    }

    /// How many schemas are a `$dynamicAnchor` named `name`: more than one,
    /// and a `$dynamicRef` to it depends on the path that reaches it.
    pub(crate) fn dynamic_anchors_named(&self, name: &str) -> usize {
        self.ids.dynamic_anchors_named(name)
    }

    /// Whether some schema of the files read so far has an `$id`.
    pub(crate) fn has_ids(&self) -> bool {
        self.ids.any()
    }

    /// Whether `at` in `file` is inside a schema resource (an `$id` at or
    /// above it), where the same reference text may mean another target.
    pub(crate) fn in_resource(&self, file: FileId, at: &str) -> bool {
        self.ids.scope(file, at).is_some()
    }

    /// The `$id` at `at`, resolved to an absolute URI.
    pub(crate) fn id_at(&self, file: FileId, at: &str) -> Option<&str> {
        self.ids.id_at(file, at)
    }

    /// The base URI at `at`: the nearest `$id`'s, else the file's own.
    pub(crate) fn base_at(&self, file: FileId, at: &str) -> &str {
        self.ids
            .scope(file, at)
            .unwrap_or_else(|| self.ids.file_uri(file))
    }

    /// The pointer of the schema resource (the nearest node with an `$id`)
    /// holding `pointer`, or `None` when the file itself is the resource.
    pub(crate) fn resource_root(&self, file: FileId, pointer: &str) -> Option<String> {
        self.ids
            .resource_at(file, pointer)
            .map(|(root, _)| root.to_owned())
    }

    fn dangling(&self, from: FileId, at: &str, reference: &str, detail: String) -> LoadError {
        self.error(
            from,
            at,
            ErrorKind::DanglingRef {
                reference: reference.into(),
                detail: Some(detail),
            },
        )
    }

    fn resolve_uncached(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
        scope: Option<&str>,
    ) -> Result<Target, LoadError> {
        let absolute = pointer::is_remote(reference);
        if scope.is_some() || absolute || self.ids.any() {
            // 2020-12: the reference, resolved against the base URI, names
            // a resource some `$id` of the document set defines.
            let base = self.base_at(from, at).to_owned();
            let uri = match identifiers::resolve(&base, reference) {
                Ok(uri) => uri,
                // Outside any `$id`, a reference that is no URI is read as
                // a path and a pointer, as before.
                Err(_) if scope.is_none() && !absolute => {
                    return self.resolve_as_path(from, at, reference);
                }
                Err(why) => return Err(self.dangling(from, at, reference, why)),
            };
            let (resource, fragment) = uri.split_once('#').unwrap_or((&uri, ""));
            if self.ids.resource(resource).is_none() {
                self.add_metaschemas(resource);
            }
            let root = match self.ids.resource(resource) {
                Some(Some(place)) => Some(Target {
                    file: place.file,
                    pointer: place.pointer.clone(),
                }),
                Some(None) => {
                    let detail = format!("two different schemas have `$id: {resource}`");
                    return Err(self.dangling(from, at, reference, detail));
                }
                None => self.ids.file_of(resource).map(|file| Target {
                    file,
                    pointer: String::new(),
                }),
            };
            if let Some(root) = root {
                return self.within(from, at, reference, resource, &root, fragment, scope);
            }
            if absolute || (scope.is_some() && !resource.starts_with("file:")) {
                // The `$id` may be in a file the document refers to but that
                // has not been read yet.
                if self.discover_files() {
                    return self.resolve_uncached(from, at, reference, scope);
                }
                return Err(self.error(from, at, ErrorKind::RemoteRef(reference.into())));
            }
            if scope.is_some() {
                // A relative `$id` kept the file's folder: another file.
                let Some(path) = identifiers::uri_path(resource) else {
                    return Err(self.error(from, at, ErrorKind::RemoteRef(reference.into())));
                };
                let file = self.load_path(from, at, reference, path)?;
                let root = Target {
                    file,
                    pointer: String::new(),
                };
                let resource = self.ids.file_uri(file).to_owned();
                return self.within(from, at, reference, &resource, &root, fragment, None);
            }
        }
        self.resolve_as_path(from, at, reference)
    }

    /// A reference as OpenAPI reads it outside any `$id`: a file path
    /// relative to the referring file, and a pointer or anchor.
    fn resolve_as_path(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
    ) -> Result<Target, LoadError> {
        let split = pointer::split_ref(reference);
        let file = if split.file.is_empty() {
            from
        } else {
            self.load_relative(from, at, reference, split.file)?
        };
        let root = Target {
            file,
            pointer: String::new(),
        };
        let resource = self.ids.file_uri(file).to_owned();
        let fragment = reference.split_once('#').map_or("", |(_, f)| f);
        self.within(from, at, reference, &resource, &root, fragment, None)
    }

    /// The node `fragment` names in the resource `uri` whose root is
    /// `root`: a JSON pointer (percent-decoded) below it, or an anchor.
    #[allow(clippy::too_many_arguments)]
    fn within(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
        uri: &str,
        root: &Target,
        fragment: &str,
        scope: Option<&str>,
    ) -> Result<Target, LoadError> {
        let target = match pointer::fragment_to_pointer(fragment) {
            Some(inner) => Target {
                file: root.file,
                pointer: format!("{}{inner}", root.pointer),
            },
            None => {
                let name = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
                match self.ids.anchor(uri, &name) {
                    Some((Some(place), _)) => Target {
                        file: place.file,
                        pointer: place.pointer.clone(),
                    },
                    Some((None, _)) => {
                        let detail = format!(
                            "two schemas of {} name themselves `{name}`",
                            self.resource_name(uri, root)
                        );
                        return Err(self.dangling(from, at, reference, detail));
                    }
                    None => {
                        let detail = format!(
                            "no schema of {} has `$anchor: {name}`",
                            self.resource_name(uri, root)
                        );
                        return Err(self.dangling(from, at, reference, detail));
                    }
                }
            }
        };
        if let Some(found) = self.get(target.file, &target.pointer) {
            // What a reference reaches is an object (or a boolean schema);
            // in another file, anything else is not quoted: it may be a
            // secret in a configuration file, not a part of a document.
            let quotable = found.is_object() || found.is_boolean();
            if quotable || target.file == FileId::ROOT {
                return Ok(target);
            }
            let shown = &target.pointer[root.pointer.len()..];
            let detail = format!(
                "{} holds no object at {} (its content is not shown)",
                self.resource_name(uri, root),
                if shown.is_empty() { "/" } else { shown }
            );
            return Err(self.dangling(from, at, reference, detail));
        }
        // Bundlers often leave `#/components/...` inside a schema with an
        // `$id`: strictly relative to that resource, meant for the document.
        let meant = Target {
            file: from,
            pointer: target.pointer[root.pointer.len()..].to_owned(),
        };
        let into_document = scope.is_some()
            && !root.pointer.is_empty()
            && meant.pointer.starts_with("/components/")
            && self.get(meant.file, &meant.pointer).is_some();
        if into_document {
            let origin = crate::provenance::Origin::new(from, at);
            self.warnings.push(Warning::new(
                WarningKind::AmbiguousReference,
                format!(
                    "`$ref: {reference}` sits in the schema resource `{uri}`, which has nothing \
                     at {}; it was read as the document's {} (write it as an absolute reference, \
                     or drop the `$id`)",
                    meant.pointer, meant.pointer
                ),
                Some(origin),
            ));
            return Ok(meant);
        }
        let shown = &target.pointer[root.pointer.len()..];
        let detail = format!(
            "{} has nothing at {}",
            self.resource_name(uri, root),
            if shown.is_empty() { "/" } else { shown }
        );
        Err(self.dangling(from, at, reference, detail))
    }

    /// How messages name a resource: the file, or the `$id`.
    fn resource_name(&self, uri: &str, root: &Target) -> String {
        if root.pointer.is_empty() {
            self.name(root.file).to_owned()
        } else {
            format!("the schema with `$id: {uri}`")
        }
    }

    /// Loads every file that the files read so far refer to by a relative
    /// path (outside any `$id`, where a path names a file), so that each
    /// `$id` of the document set is known. Whether any file was new. Files
    /// that cannot be read are left for the reference that needs them to
    /// report.
    fn discover_files(&mut self) -> bool {
        let before = self.files.len();
        let mut next = 0;
        while next < self.files.len() {
            let file = FileId(next as u32);
            next += 1;
            let mut found = Vec::new();
            if let Some(loaded) = self.files.get(file.index()) {
                let mut stack = vec![(String::new(), &loaded.value)];
                while let Some((at, value)) = stack.pop() {
                    match value {
                        Value::Object(map) => {
                            for (key, child) in map {
                                let path = format!("{at}/{}", pointer::escape(key));
                                match child {
                                    Value::String(reference) if key == "$ref" => {
                                        let split = pointer::split_ref(reference);
                                        let relative = !split.file.is_empty()
                                            && !pointer::is_remote(reference);
                                        if relative && self.ids.scope(file, &at).is_none() {
                                            found.push((path, reference.clone()));
                                        }
                                    }
                                    Value::Object(_) | Value::Array(_) => stack.push((path, child)),
                                    _ => {}
                                }
                            }
                        }
                        Value::Array(items) => {
                            for (index, item) in items.iter().enumerate() {
                                stack.push((format!("{at}/{index}"), item));
                            }
                        }
                        _ => {}
                    }
                }
            }
            for (at, reference) in found {
                let split = pointer::split_ref(&reference);
                let _ = self.load_relative(file, &at, &reference, split.file);
            }
        }
        self.files.len() > before
    }

    /// JSON Schema 2020-12's own meta-schemas, which a schema may refer to
    /// (`$ref: https://json-schema.org/draft/2020-12/schema`): built in
    /// (from `referencing`), never fetched, added once when first named.
    fn add_metaschemas(&mut self, uri: &str) {
        use referencing::meta;
        const PREFIX: &str = "https://json-schema.org/draft/2020-12/";
        if !uri.starts_with(PREFIX) || self.ids.resource(&format!("{PREFIX}schema")).is_some() {
            return;
        }
        let schemas = [
            &meta::DRAFT202012,
            &meta::DRAFT202012_CORE,
            &meta::DRAFT202012_APPLICATOR,
            &meta::DRAFT202012_UNEVALUATED,
            &meta::DRAFT202012_VALIDATION,
            &meta::DRAFT202012_META_DATA,
            &meta::DRAFT202012_FORMAT_ANNOTATION,
            &meta::DRAFT202012_CONTENT,
        ];
        for schema in schemas {
            let value: Value = (***schema).clone();
            let name = value
                .get("$id")
                .and_then(Value::as_str)
                .unwrap_or(PREFIX)
                .to_owned();
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            let source = SourceFile {
                name,
                path: None,
                format: Format::Json,
                text,
                moves: PointerMap::default(),
            };
            self.push(source, value, None);
        }
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
        let dangling = |files: &Self, detail: String| files.dangling(from, at, reference, detail);
        let Some(base) = self.base_dir(from) else {
            return Err(dangling(
                self,
                "the document has no directory to resolve other files against".into(),
            ));
        };
        let relative = percent_encoding::percent_decode_str(relative).decode_utf8_lossy();
        self.load_path(from, at, reference, base.join(relative.as_ref()))
    }

    /// Loads the file at `joined` (once), if it lies inside the folder
    /// references may reach.
    fn load_path(
        &mut self,
        from: FileId,
        at: &str,
        reference: &str,
        joined: PathBuf,
    ) -> Result<FileId, LoadError> {
        let dangling = |files: &Self, detail: String| files.dangling(from, at, reference, detail);
        if self.base_dir(from).is_none() {
            return Err(dangling(
                self,
                "the document has no directory to resolve other files against".into(),
            ));
        }
        let outside = |files: &Self, path: &Path| match &files.root_dir {
            Some(root) if !path.starts_with(root) => Some(files.error(
                from,
                at,
                ErrorKind::OutsideRoot {
                    reference: reference.into(),
                    root: root.display().to_string(),
                },
            )),
            _ => None,
        };
        // The fence first, on the path as written (`..` applied): a file
        // outside gets one answer, whether it exists or not.
        if let Some(err) = outside(self, &lexically_normal(&joined)) {
            return Err(err);
        }
        let path = joined
            .canonicalize()
            .map_err(|err| dangling(self, format!("cannot open {}: {err}", joined.display())))?;
        // Then on the real path: a symbolic link cannot lead out either.
        if let Some(err) = outside(self, &path) {
            return Err(err);
        }
        if let Some(&id) = self.by_path.get(&path) {
            return Ok(id);
        }
        let name = display_name(&path);
        let bytes = std::fs::read(&path)
            .map_err(|err| LoadError::new(Location::file(name.clone()), ErrorKind::Io(err)))?;
        let text = source::decode(&name, bytes)?;
        let (value, format) = source::parse(&name, &text)?;
        // A file a reference reaches is part of a document: an object (or
        // a boolean schema). Anything else (`.env`, a key, a text) is not
        // quoted: a document any change can edit must not print files.
        if !(value.is_object() || value.is_array() || value.is_boolean()) {
            return Err(dangling(
                self,
                format!(
                    "{name} is no OpenAPI or JSON Schema document (not an object; its content is not shown)"
                ),
            ));
        }
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
        // Most documents name no schema: their text says so at once.
        let named = ["$id", "$anchor", "$dynamicAnchor"]
            .iter()
            .any(|keyword| source.text.contains(keyword));
        let uri = match (&path, &self.fallback_dir) {
            (Some(path), _) => identifiers::file_uri(path),
            (None, Some(dir)) => identifiers::file_uri(&dir.join(&source.name)),
            (None, None) => identifiers::file_uri(Path::new(&source.name)),
        };
        self.ids.add_file(id, uri, &value, named);
        for (place, why) in std::mem::take(&mut self.ids.ignored) {
            let origin = crate::provenance::Origin::new(place.file, &place.pointer);
            self.warnings
                .push(Warning::new(WarningKind::Ignored, why, Some(origin)));
        }
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

/// Whether a document's text has a `$ref` that is an absolute URI
/// (`"$ref": "https://..."`, `$ref: urn:...`): a cheap look before a walk.
fn names_by_uri(text: &str) -> bool {
    text.match_indices("$ref").any(|(at, _)| {
        let rest = text[at + 4..].trim_start_matches(['"', '\'', ':', ' ', '\t']);
        let scheme_end = rest.find(':').unwrap_or(0);
        scheme_end > 1
            && rest[..scheme_end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Every local `$ref` target in a document (`#/components/...`), as a
/// decoded pointer. Any string that
/// starts with `#/` counts (discriminator mappings hold references too): a
/// few extra pins only cost a copy.
fn local_ref_targets(root: &Value) -> BTreeMap<String, usize> {
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

/// `a/./b/../c` → `a/c`, without reading the file system.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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
