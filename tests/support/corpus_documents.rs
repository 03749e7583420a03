//! Every corpus document (tests/corpus, gzipped), for the corpus tests of
//! each crate: included with `#[path]`, since tests of one crate cannot
//! import another's.

use std::io::Read;
use std::path::Path;

/// (path below tests/corpus without `.gz`, the document's bytes), sorted.
pub fn corpus_documents() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "gz") {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .trim_end_matches(".gz")
                    .to_owned();
                let mut bytes = Vec::new();
                flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
                    .read_to_end(&mut bytes)
                    .unwrap();
                found.push((name, bytes));
            }
        }
    }
    found.sort();
    found
}
