//! Loads the document a command names with `--spec`, or the embedded
//! Chatwoot document.

use std::io::Read;

use specgate_spec::{Document, LoadError, Loader};

use crate::cli::SpecArgs;

/// Loads the document; the error is already worded for the user.
pub fn load(args: &SpecArgs) -> Result<Document, String> {
    let mut loader = Loader::new();
    if let Some(root) = &args.root.root {
        loader = loader.root(root);
    }
    let result: Result<Document, LoadError> = match args.spec.as_deref() {
        None => specgate_spec::chatwoot(),
        Some(path) if path.as_os_str() == "-" => {
            let mut bytes = Vec::new();
            if let Err(err) = std::io::stdin().lock().read_to_end(&mut bytes) {
                return Err(format!("<stdin>: cannot read standard input: {err}"));
            }
            let cwd = std::env::current_dir().ok();
            loader.load_bytes("<stdin>", bytes, cwd.as_deref())
        }
        Some(path) => loader.load(path),
    };
    result.map_err(|err| err.to_string())
}

/// Loads the document recordings are checked against. The document comes
/// first: a `--spec` that cannot be read is what the user must hear about,
/// whatever else is missing. With `--spec` and no recordings there is
/// nothing to check: the embedded recordings describe the embedded
/// document only.
pub fn load_for_recordings(
    args: &SpecArgs,
    inputs: &[std::path::PathBuf],
) -> Result<Document, String> {
    let document = load(args)?;
    if inputs.is_empty() && args.spec.is_some() {
        return Err(
            "no recordings given: name JSON Lines or HAR files, directories, or `-` for standard input"
                .into(),
        );
    }
    Ok(document)
}
