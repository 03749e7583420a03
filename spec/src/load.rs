//! The entry points: load a document from a path, from bytes, or the
//! embedded Chatwoot document.

use std::path::{Path, PathBuf};

use crate::document::Document;
use crate::error::{ErrorKind, LoadError, Location};
use crate::files::Files;
use crate::model::SpecVersion;
use crate::provenance::PointerMap;
use crate::reader::Reader;
use crate::{source, upgrade, version};

/// Chatwoot's OpenAPI 3.1 document, the default of every command.
pub const CHATWOOT_DOCUMENT: &str = include_str!("../openapi/chatwoot.json");

/// The name the embedded Chatwoot document goes by in messages.
pub const CHATWOOT_NAME: &str = "<embedded chatwoot.json>";

/// Loads documents. By default, references may reach files below the
/// repository the document is in (the nearest folder above it that holds
/// `.git`: a repository's own layout, such as `../common/common.yaml`
/// beside `code/API_definitions/api.yaml`), or, outside any repository,
/// the document's own folder and below. [`Loader::root`] names another
/// fence. Paths are compared canonical, so a symbolic link cannot lead
/// out.
#[derive(Debug, Clone, Default)]
pub struct Loader {
    root: Option<PathBuf>,
}

impl Loader {
    /// A loader with the default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets references reach any file below `dir` (which must contain the
    /// document), not only the document's own directory.
    pub fn root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.root = Some(dir.into());
        self
    }

    /// Reads and loads the document at `path`.
    pub fn load(&self, path: &Path) -> Result<Document, LoadError> {
        let name = path.display().to_string();
        let io_error = |err| LoadError::new(Location::file(name.clone()), ErrorKind::Io(err));
        let metadata = std::fs::metadata(path).map_err(io_error)?;
        if metadata.len() > source::MAX_DOCUMENT_BYTES {
            return Err(LoadError::new(
                Location::file(name),
                ErrorKind::TooLarge {
                    size: metadata.len(),
                    limit: source::MAX_DOCUMENT_BYTES,
                },
            ));
        }
        let bytes = std::fs::read(path).map_err(io_error)?;
        let canonical = path.canonicalize().map_err(io_error)?;
        let dir = canonical.parent().map(Path::to_path_buf);
        self.load_with(&name, bytes, Some(canonical), dir)
    }

    /// Loads a document given as bytes (standard input, say). `name` is
    /// used in messages; relative references resolve against `base_dir`,
    /// and are refused when there is none.
    pub fn load_bytes(
        &self,
        name: &str,
        bytes: Vec<u8>,
        base_dir: Option<&Path>,
    ) -> Result<Document, LoadError> {
        let base = base_dir.map(canonical_dir).transpose()?;
        self.load_with(name, bytes, None, base)
    }

    /// Loads a document whose references resolve against `dir` (the root
    /// file's directory, or the base given for bytes), which is also the
    /// fence for references unless the loader names a root.
    fn load_with(
        &self,
        name: &str,
        bytes: Vec<u8>,
        path: Option<PathBuf>,
        dir: Option<PathBuf>,
    ) -> Result<Document, LoadError> {
        let fence = match &self.root {
            Some(root) => Some(canonical_dir(root)?),
            None => dir.as_deref().map(default_fence),
        };
        let text = source::decode(name, bytes)?;
        let (value, format) = source::parse(name, &text)?;
        let (openapi, spec_version) =
            version::detect(&value).map_err(|kind| LoadError::new(Location::file(name), kind))?;
        let mut moves = PointerMap::default();
        let mut warnings = Vec::new();
        let value = if spec_version == SpecVersion::Swagger2 {
            upgrade::swagger2::upgrade(value, &mut moves, &mut warnings)
        } else {
            value
        };
        let mut files = Files::new(fence, dir);
        files.add_root(name.to_owned(), format, text, value, moves, path);
        let mut reader = Reader::new(files, spec_version);
        reader.warnings = warnings;
        reader.into_document(openapi)
    }
}

/// The fence for a document in `dir` (canonical) when the caller names
/// none: the nearest folder at or above it holding `.git` (a folder, or
/// the file a worktree or submodule has), else `dir` itself.
pub(crate) fn default_fence(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|folder| folder.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

fn canonical_dir(dir: &Path) -> Result<PathBuf, LoadError> {
    dir.canonicalize().map_err(|err| {
        LoadError::new(
            Location::file(dir.display().to_string()),
            ErrorKind::Io(err),
        )
    })
}

/// Loads the document at `path` with the default settings.
pub fn load(path: impl AsRef<Path>) -> Result<Document, LoadError> {
    Loader::new().load(path.as_ref())
}

/// Loads a document from text; `name` is used in messages. References to
/// other files are refused, as there is no directory to resolve them in.
pub fn load_str(name: &str, text: &str) -> Result<Document, LoadError> {
    Loader::new().load_bytes(name, text.as_bytes().to_vec(), None)
}

/// The embedded Chatwoot document, loaded.
pub fn chatwoot() -> Result<Document, LoadError> {
    load_str(CHATWOOT_NAME, CHATWOOT_DOCUMENT)
}
