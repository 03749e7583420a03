//! `REV:PATH` arguments: a document as a git revision has it, read with
//! the user's own git. The revision's JSON and YAML files are written to a
//! temporary folder (`git ls-tree`, `git cat-file --batch`), so a multi-file
//! document finds the files it refers to as they were at that revision; the
//! folder is the fence for its references, as the repository is for a
//! checked-out document.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use specgate_spec::{Document, Loader};

/// A document read from a git revision, and the folder holding the
/// revision's files while the document is in use.
pub struct Revision {
    /// `origin/main:api/openapi.yaml`, as the user wrote it.
    pub name: String,
    /// The exported tree; removed when dropped.
    pub tree: tempfile::TempDir,
}

impl Revision {
    /// A file name of the exported tree as the user knows it: `REV:path`.
    pub fn display(&self, file: &str) -> Option<String> {
        let tree = self.tree.path().canonicalize().ok()?;
        let relative = Path::new(file).strip_prefix(&tree).ok()?;
        let rev = self.name.split_once(':').map_or("", |(rev, _)| rev);
        Some(format!("{rev}:{}", relative.display()))
    }

    /// A file of the exported tree by its path in the repository (no
    /// revision): how GitHub attaches an annotation to the diff.
    pub fn repository_path(&self, file: &str) -> Option<String> {
        let tree = self.tree.path().canonicalize().ok()?;
        let relative = Path::new(file).strip_prefix(&tree).ok()?;
        Some(relative.display().to_string())
    }

    /// A message naming files of the exported tree, with `REV:path` names.
    pub fn reword(&self, message: &str) -> String {
        match self.tree.path().canonicalize() {
            Ok(tree) => {
                let rev = self.name.split_once(':').map_or("", |(rev, _)| rev);
                message.replace(&format!("{}/", tree.display()), &format!("{rev}:"))
            }
            Err(_) => message.to_owned(),
        }
    }
}

/// The top folder of the git repository the current folder is in.
pub fn repository_top() -> Option<PathBuf> {
    let top = git(&["rev-parse", "--show-toplevel"], None).ok()?;
    PathBuf::from(top.trim()).canonicalize().ok()
}

/// A file of the working tree by its path from the repository's top (`/`
/// separated), whatever folder it was named from, or absolutely when it
/// is outside `top`.
pub fn from_top(file: &str, top: &Path) -> Option<String> {
    let absolute = Path::new(file).canonicalize().ok()?;
    let relative = absolute.strip_prefix(top).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Whether an argument names a git revision's file rather than a file
/// here: it does not exist as a path, and has a `:` that is not a
/// Windows drive's.
pub fn is_revision(argument: &str) -> bool {
    !Path::new(argument).exists()
        && argument
            .split_once(':')
            .is_some_and(|(rev, path)| !rev.is_empty() && !path.is_empty() && rev.len() > 1)
}

/// Loads `REV:PATH`. PATH is relative to the repository's top folder, or
/// to the current folder when it starts with `./` or `../`, as git reads
/// it.
pub fn load(argument: &str, root: Option<&Path>) -> Result<(Document, Revision), String> {
    let Some((rev, path)) = argument.split_once(':') else {
        return Err(format!("{argument}: expected REV:PATH"));
    };
    let top = git(&["rev-parse", "--show-toplevel"], None)
        .map_err(|e| format!("{argument}: not a file here, and not readable as REV:PATH: {e}"))?;
    let top = PathBuf::from(top.trim());
    let prefix = git(&["rev-parse", "--show-prefix"], None).unwrap_or_default();
    let relative = if path.starts_with("./") || path.starts_with("../") {
        normalize(&Path::new(prefix.trim()).join(path))
            .ok_or_else(|| format!("{argument}: {path} leads out of the repository"))?
    } else {
        PathBuf::from(path)
    };
    // A revision is never an option: git would read `-x` as one.
    if rev.starts_with('-') {
        return Err(format!(
            "{argument}: `{rev}` is no git revision (a revision never starts with `-`)"
        ));
    }
    let tree = format!("{rev}^{{tree}}");
    git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &tree,
        ],
        Some(&top),
    )
    .map_err(|_| format!("{argument}: git knows no revision `{rev}`"))?;
    let object = format!("{rev}:{}", relative.display());
    git(&["cat-file", "-e", &object], Some(&top)).map_err(|_| {
        format!(
            "{argument}: git has no file {} at revision {rev}",
            relative.display()
        )
    })?;
    let tree = tempfile::Builder::new()
        .prefix("specgate-rev-")
        .tempdir()
        .map_err(|e| format!("{argument}: cannot make a temporary folder: {e}"))?;
    export(rev, &top, &relative, tree.path()).map_err(|e| format!("{argument}: {e}"))?;
    let revision = Revision {
        name: argument.to_owned(),
        tree,
    };
    let fence = root.map_or_else(|| revision.tree.path().to_path_buf(), Path::to_path_buf);
    let document = Loader::new()
        .root(fence)
        .load(&revision.tree.path().join(&relative))
        .map_err(|e| revision.reword(&e.to_string()))?;
    Ok((document, revision))
}

/// `a/./b/../c` → `a/c`; `None` when `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

/// Runs git and returns its standard output, or its standard error.
fn git(args: &[&str], dir: Option<&Path>) -> Result<String, String> {
    let mut command = Command::new("git");
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Whether a file of the revision is written out: JSON and YAML files,
/// which is what references reach. Binaries (images, slides) are left in
/// git: reading them would cost time, and a partial clone may not have
/// them at all.
fn wanted(path: &str, document: &Path) -> bool {
    let lower = path.to_ascii_lowercase();
    Path::new(path) == document
        || [".json", ".yaml", ".yml"]
            .iter()
            .any(|extension| lower.ends_with(extension))
}

/// A path of the revision's tree as a relative path below the export
/// folder; `None` for anything that could lead out of it.
fn below(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in Path::new(path).components() {
        match component {
            std::path::Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Writes the revision's JSON and YAML files into `into`: the tree listed
/// with `git ls-tree`, the blobs read in one `git cat-file --batch`.
fn export(rev: &str, top: &Path, document: &Path, into: &Path) -> Result<(), String> {
    use std::io::{BufRead, BufReader, Read, Write};
    let listing = git(&["ls-tree", "-r", "-z", "--end-of-options", rev], Some(top))
        .map_err(|e| format!("git ls-tree {rev}: {e}"))?;
    // `<mode> blob <object>\t<path>`; symbolic links (120000) and
    // submodules are not followed.
    let files: Vec<(String, PathBuf)> = listing
        .split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            let mut fields = meta.split(' ');
            let (mode, kind, object) = (fields.next()?, fields.next()?, fields.next()?);
            (kind == "blob" && mode != "120000" && wanted(path, document))
                .then(|| Some((object.to_owned(), below(path)?)))
                .flatten()
        })
        .collect();
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(top)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
    let stdout = child.stdout.take().ok_or("git cat-file has no output")?;
    let objects: Vec<String> = files.iter().map(|(object, _)| object.clone()).collect();
    // Written from a thread of its own: git answers while it reads, and a
    // full pipe either way would stall both.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for object in objects {
            writeln!(stdin, "{object}")?;
        }
        Ok(())
    });
    let mut reader = BufReader::new(stdout);
    for (object, path) in &files {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| format!("git cat-file: {e}"))?;
        // `<object> blob <size>`, or `<object> missing` in a partial clone.
        let size = match header.trim_end().split(' ').collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size.parse::<u64>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            continue;
        };
        let mut contents = Vec::new();
        reader
            .by_ref()
            .take(size + 1) // the blob and the newline after it
            .read_to_end(&mut contents)
            .map_err(|e| format!("git cat-file {object}: {e}"))?;
        contents.truncate(size as usize);
        let target = into.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, contents).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_without_leaving_the_start() {
        assert_eq!(
            normalize(Path::new("a/./b/../c")),
            Some(PathBuf::from("a/c"))
        );
        assert_eq!(normalize(Path::new("../a")), None);
    }

    #[test]
    fn exports_json_and_yaml_below_the_folder_only() {
        let document = Path::new("api/openapi");
        assert!(wanted("common/schemas.YML", document));
        assert!(wanted("api/openapi", document));
        assert!(!wanted("docs/slides.pptx", document));
        assert_eq!(below("a/b.yaml"), Some(PathBuf::from("a/b.yaml")));
        assert_eq!(below("../b.yaml"), None);
        assert_eq!(below("/etc/b.yaml"), None);
    }

    #[test]
    fn revisions_are_rev_colon_path() {
        assert!(is_revision("origin/main:api/openapi.yaml"));
        assert!(is_revision("HEAD~1:openapi.json"));
        assert!(!is_revision("openapi.json"));
        assert!(!is_revision("C:openapi.json"));
        assert!(!is_revision(":openapi.json"));
    }
}
