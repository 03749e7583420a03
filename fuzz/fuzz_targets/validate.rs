//! A document and a batch of recorded exchanges in, findings and reports
//! out. The first byte chooses the document: even, the text up to the
//! first NUL byte is the document (JSON or YAML) and the rest the JSON
//! Lines records; odd, the embedded Chatwoot document, and all the rest is
//! records. Nothing may panic, overflow the stack or hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use specgate_validator::input::JsonLines;
use specgate_validator::{report, Validator};

/// The embedded Chatwoot document's validator, built once: registering
/// its schemas for every input would leave little time for the records.
fn chatwoot() -> Option<&'static Validator<'static>> {
    static DOCUMENT: OnceLock<Option<specgate_spec::Document>> = OnceLock::new();
    static VALIDATOR: OnceLock<Option<Validator<'static>>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let document = DOCUMENT
                .get_or_init(|| specgate_spec::chatwoot().ok())
                .as_ref()?;
            Validator::new(document).ok()
        })
        .as_ref()
}

fn check(document: &specgate_spec::Document, records: &[u8]) {
    let Ok(validator) = Validator::new(document) else {
        return;
    };
    check_with(&validator.strict(records.len() % 2 == 0), records);
}

fn check_with(validator: &Validator<'_>, records: &[u8]) {
    let mut report = report::Report::default();
    for record in JsonLines::new("fuzz.jsonl", records) {
        report.add(validator.check_record(record));
    }
    let _ = validator.schema_problems();
    let _ = report::human(&report, false);
    let _ = report.json();
    let _ = report::sarif(&report);
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 1 {
        if let Some(validator) = chatwoot() {
            check_with(validator, rest);
        }
        return;
    }
    let (text, records) = match rest.iter().position(|b| *b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let name = if first % 4 == 0 {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    if let Ok(document) = specgate_spec::Loader::new().load_bytes(name, text.to_vec(), None) {
        check(&document, records);
    }
});
