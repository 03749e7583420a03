//! Helpers shared by the end-to-end tests.
#![allow(dead_code, clippy::panic)]

pub mod nats;

use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository's test data.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The bytes of a corpus document (stored gzipped), by its path in the
/// corpus manifest, such as `github/api.github.com.json`.
pub fn corpus_bytes(path: &str) -> Vec<u8> {
    let file = data_dir().join("corpus").join(format!("{path}.gz"));
    let compressed = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    bytes
}

/// A corpus document, loaded.
pub fn load_corpus(path: &str) -> specgate_spec::Document {
    specgate_spec::Loader::new()
        .load_bytes(path, corpus_bytes(path), None)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The `specgate` binary, ready to run.
pub fn specgate() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("specgate").unwrap_or_else(|e| panic!("{e}"))
}
