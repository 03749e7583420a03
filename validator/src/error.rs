//! The validator's errors: what stops it before any exchange is checked.
//! Problems with one exchange are findings, never errors.

use std::path::PathBuf;

/// Why validation could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The document's schemas could not be registered with the JSON Schema
    /// engine (a model that loaded should always register; this names the
    /// engine's reason when it does not).
    #[error("the document's schemas cannot be registered: {0}")]
    Schemas(String),
    /// An input file or directory could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The path as given.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}
