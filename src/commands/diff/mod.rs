//! `specgate diff`: two versions of a document compared, changes rated by
//! the check registry, optionally replayed against recorded traffic.

mod traffic;
mod witness;

use std::path::Path;

use specgate_diff::checks::{self, Level};
use specgate_diff::ignore::Ignore;
use specgate_diff::render::{self, Report};
use specgate_spec::{Document, Loader};

use crate::cli::{DiffArgs, FailOn, Format};
use crate::commands::{input_error, print, FINDINGS, SUCCESS};
use crate::revision::{self, Revision};

pub fn run(args: &DiffArgs) -> i32 {
    if args.list_checks {
        return match print(&checks::markdown_table()) {
            Ok(()) => SUCCESS,
            Err(err) => input_error(&format!("cannot write the list: {err}")),
        };
    }
    let (Some(old_arg), Some(new_arg)) = (&args.old, &args.new) else {
        return input_error("name two documents: specgate diff OLD NEW");
    };
    let ignore = match &args.ignore {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match Ignore::parse(&path.display().to_string(), &text) {
                Ok(ignore) => Some(ignore),
                Err(error) => return input_error(&error.to_string()),
            },
            Err(error) => return input_error(&format!("{}: {error}", path.display())),
        },
        None => None,
    };
    // The two documents load side by side: most of a diff's time.
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| load(old_arg, args.root.root.as_deref()));
        let new = load(new_arg, args.root.root.as_deref());
        let old = old
            .join()
            .unwrap_or_else(|_| Err(format!("{old_arg}: the loader stopped")));
        (old, new)
    });
    let ((old, old_revision), (new, new_revision)) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => return input_error(&message),
    };
    let mut changes = specgate_diff::diff(&old, &new);
    witness::confirm(&old, &new, &mut changes);
    let (changes, ignored) = match &ignore {
        Some(ignore) => ignore.apply(changes),
        None => (changes, 0),
    };
    let replay = if args.traffic.is_empty() {
        None
    } else {
        match replay(&old, &new, &changes, &args.traffic, &args.scope.base_urls) {
            Ok(replay) => Some(replay),
            Err(message) => return input_error(&message),
        }
    };
    let mut located = specgate_diff::locate(&old, &new, &changes);
    // GitHub attaches an annotation (or a code-scanning result) to a file
    // of the pull request's diff: its path from the repository's top,
    // whatever folder the command ran in, and a revision's file as the
    // same path.
    let top = matches!(args.format, Format::Github | Format::Sarif)
        .then(revision::repository_top)
        .flatten();
    for item in &mut located {
        match &top {
            Some(top) => {
                from_top(&mut item.old, old_revision.as_ref(), top);
                from_top(&mut item.new, new_revision.as_ref(), top);
            }
            None => {
                rename(&mut item.old, old_revision.as_ref());
                rename(&mut item.new, new_revision.as_ref());
            }
        }
    }
    let fail_on = match args.fail_on {
        FailOn::Breaking => Some(Level::Breaking),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Info => Some(Level::Info),
        FailOn::Never => None,
    };
    let failed = fail_on.is_some_and(|threshold| changes.iter().any(|c| c.level >= threshold));
    let report = Report {
        changes: located,
        ignored,
        traffic: replay.as_ref(),
        fail_on,
    };
    let text = match args.format {
        Format::Human => render::human(&report),
        Format::Markdown => render::markdown(&report),
        Format::Json => render::json(&report),
        Format::Junit => render::junit(&report),
        Format::Github => render::github(&report),
        Format::Sarif => render::sarif(&report),
    };
    match &args.output.output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, text) {
                return input_error(&format!("{}: {error}", path.display()));
            }
            if args.format != Format::Human {
                eprintln!("{}", report.summary_line());
            }
        }
        None => {
            if let Err(err) = print(&text) {
                return input_error(&format!("cannot write the report: {err}"));
            }
        }
    }
    if failed {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// Loads a path, or a git revision's file (`REV:PATH`).
fn load(argument: &str, root: Option<&Path>) -> Result<(Document, Option<Revision>), String> {
    if revision::is_revision(argument) {
        let (document, revision) = revision::load(argument, root)?;
        return Ok((document, Some(revision)));
    }
    let mut loader = Loader::new();
    if let Some(root) = root {
        loader = loader.root(root);
    }
    loader
        .load(Path::new(argument))
        .map(|document| (document, None))
        .map_err(|error| error.to_string())
}

/// A site by its path from the repository's top: a revision's file by its
/// path in the repository, a working file by where it is.
fn from_top(site: &mut Option<specgate_diff::Site>, revision: Option<&Revision>, top: &Path) {
    let Some(site) = site.as_mut() else {
        return;
    };
    let path = revision
        .and_then(|revision| revision.repository_path(&site.file))
        .or_else(|| revision::from_top(&site.file, top));
    if let Some(path) = path.or_else(|| revision?.display(&site.file)) {
        site.file = path;
    }
}

/// A site in an exported revision, named `REV:path` rather than by its
/// temporary folder.
fn rename(site: &mut Option<specgate_diff::Site>, revision: Option<&Revision>) {
    if let (Some(site), Some(revision)) = (site.as_mut(), revision) {
        if let Some(name) = revision.display(&site.file) {
            site.file = name;
        }
    }
}

fn replay(
    old: &Document,
    new: &Document,
    changes: &[specgate_diff::Change],
    inputs: &[std::path::PathBuf],
    scope: &[url::Url],
) -> Result<specgate_diff::traffic::Replay, String> {
    let mut files = Vec::new();
    for input in inputs {
        files.extend(specgate_validator::input::files(input).map_err(|e| e.to_string())?);
    }
    // Every file is opened first: one that cannot be read is a usage error
    // before any work is done.
    let mut readers = Vec::new();
    for file in &files {
        readers.push(specgate_validator::input::read_file(file).map_err(|e| e.to_string())?);
    }
    traffic::replay(old, new, changes, scope, readers.into_iter().flatten())
        .map_err(|e| e.to_string())
}
