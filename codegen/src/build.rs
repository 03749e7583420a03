//! The build-script API: a few lines in `build.rs` generate the client of
//! an OpenAPI document into `OUT_DIR`.
//!
//! ```text
//! // build.rs
//! fn main() {
//!     specgate_codegen::build::Build::new("openapi/chatwoot.json")
//!         .out_file("chatwoot.rs")
//!         .run();
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/chatwoot.rs"));`.
//! The including crate needs `reqwest` (with `form`, and `multipart` if the
//! document sends multipart bodies), `serde` (with `derive`), `serde_json`
//! and `percent-encoding`.

use std::path::{Path, PathBuf};

use crate::{code_warnings, generate_client, Options};

/// What a build script generates, and from which document.
#[derive(Debug, Clone)]
pub struct Build {
    document: PathBuf,
    root: Option<PathBuf>,
    out_file: String,
    out_dir: Option<PathBuf>,
    options: Options,
    cargo_instructions: bool,
}

/// What [`Build::generate`] did.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file written (or left as it was, when already current).
    pub file: PathBuf,
    /// The document and every file it references: what cargo watches.
    pub watched: Vec<PathBuf>,
    /// Warnings about document mistakes the code works around.
    pub warnings: Vec<String>,
}

/// Why generation failed: the document's error, worded as the command line
/// words it, or an output that could not be written.
#[derive(Debug)]
pub struct BuildError(String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

impl Build {
    /// Generation from the document at `document` (relative to the
    /// package's directory, where build scripts run), into `client.rs`.
    pub fn new(document: impl Into<PathBuf>) -> Self {
        Build {
            document: document.into(),
            root: None,
            out_file: "client.rs".into(),
            out_dir: None,
            options: Options::default(),
            cargo_instructions: true,
        }
    }

    /// The file name in `OUT_DIR`.
    pub fn out_file(mut self, name: impl Into<String>) -> Self {
        self.out_file = name.into();
        self
    }

    /// The directory to write to, instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Lets `$ref`s reach files anywhere below `dir`.
    pub fn root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.root = Some(dir.into());
        self
    }

    /// Enums fail on values the document does not list.
    pub fn strict_enums(mut self, strict: bool) -> Self {
        self.options.strict_enums = strict;
        self
    }

    /// Whether to print `cargo:` instructions (on by default; off for
    /// tests and benchmarks that call [`Build::generate`] outside a build).
    pub fn cargo_instructions(mut self, print: bool) -> Self {
        self.cargo_instructions = print;
        self
    }

    fn cargo(&self, instruction: &str) {
        if self.cargo_instructions {
            println!("cargo:{instruction}");
        }
    }

    /// Generates the file and tells cargo to rerun when the document or any
    /// file it references changes.
    pub fn generate(&self) -> Result<Generated, BuildError> {
        // Watched before loading, so a broken document is retried when fixed.
        self.cargo(&format!("rerun-if-changed={}", self.document.display()));
        let mut loader = specgate_spec::Loader::new();
        if let Some(root) = &self.root {
            loader = loader.root(root);
        }
        let document = loader
            .load(&self.document)
            .map_err(|e| BuildError(format!("error: {e}")))?;
        let watched: Vec<PathBuf> = document
            .files()
            .iter()
            .filter_map(|file| file.path.clone())
            .collect();
        for path in &watched {
            self.cargo(&format!("rerun-if-changed={}", path.display()));
        }
        let warnings = code_warnings(&document);
        for warning in &warnings {
            self.cargo(&format!("warning={}", warning.replace('\n', " ")));
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    BuildError(
                        "error: OUT_DIR is not set: run from a build script, or set out_dir".into(),
                    )
                })?,
        };
        let out = out_dir.join(&self.out_file);
        let code = generate_client(&document, &self.options);
        write_if_changed(&out, &code)
            .map_err(|e| BuildError(format!("error: {}: cannot write: {e}", out.display())))?;
        Ok(Generated {
            file: out,
            watched,
            warnings,
        })
    }

    /// [`Build::generate`], for `main` of a build script: on error, prints
    /// the message and fails the build.
    pub fn run(&self) {
        if let Err(err) = self.generate() {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}

/// Leaves an identical file untouched, so its timestamp does not force the
/// including crate to recompile.
fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents)
}
