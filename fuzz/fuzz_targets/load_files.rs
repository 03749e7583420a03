//! Several files that refer to each other: the input is split at `\0` into
//! `api.yaml`, `b.yaml`, `c.json` and `sub/d.yaml`, written to a temporary
//! directory, and `api.yaml` is loaded.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["api.yaml", "b.yaml", "c.json", "sub/d.yaml"];

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if std::fs::create_dir(dir.path().join("sub")).is_err() {
        return;
    }
    for (name, part) in NAMES.iter().zip(data.split(|&b| b == 0)) {
        if std::fs::write(dir.path().join(name), part).is_err() {
            return;
        }
    }
    if let Ok(document) = specgate_spec::load(dir.path().join("api.yaml")) {
        let _ = document.locations(document.warnings.iter().filter_map(|w| w.origin.as_ref()));
    }
});
