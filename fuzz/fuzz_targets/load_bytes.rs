//! One document, as JSON or YAML: the first byte picks the file name (and so
//! the tie-break between formats), the rest is the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, text)) = data.split_first() else {
        return;
    };
    let name = if first % 2 == 0 {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    if let Ok(document) = specgate_spec::Loader::new().load_bytes(name, text.to_vec(), None) {
        // Locations are computed lazily; exercise that path too.
        let _ = document.locations(document.warnings.iter().filter_map(|w| w.origin.as_ref()));
        for named in document.schemas.values() {
            let _ = document.resolve_schema(&named.schema.value);
        }
    }
});
