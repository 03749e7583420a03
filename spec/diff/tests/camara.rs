//! A real repository's history (CAMARA QualityOnDemand r3.1, r3.2, r4.1;
//! `fixtures/camara/`), diffed release by release: the base path moves,
//! the `sink` that became https-only is found, no bound a format already
//! implies is a change, and every breaking change to a schema has a
//! witness the validator confirms.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use specgate_diff::{diff, Change, Level};
use specgate_spec::Document;
use specgate_validator::witness::Verdict;

mod support;
use support::verdict;

fn release(tag: &str) -> Document {
    let path = format!(
        "{}/tests/fixtures/camara/quality-on-demand-{tag}.yaml.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    specgate_spec::load_str(&format!("quality-on-demand-{tag}.yaml"), &text)
        .unwrap_or_else(|e| panic!("{tag}: {e}"))
}

fn breaking(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| c.level == Level::Breaking)
        .collect()
}

/// The breaking changes to a schema that `specgate diff` would report
/// without a witness: those whose candidates neither show one (alone, or
/// shared with other changes of a body) nor show that none breaks (which
/// rates the change a warning).
fn unwitnessed(old: &Document, new: &Document, changes: &[Change]) -> Vec<String> {
    breaking(changes)
        .into_iter()
        .filter(|c| c.probe.is_some())
        .filter(|c| matches!(verdict(old, new, c), Verdict::Inconclusive))
        .map(|c| c.message.clone())
        .collect()
}

#[test]
fn r3_1_to_r3_2_moves_the_base_path_and_makes_the_sink_https_only() {
    let (old, new) = (release("r3.1"), release("r3.2"));
    let changes = diff(&old, &new);
    let ids: Vec<&str> = breaking(&changes).iter().map(|c| c.check.id).collect();
    assert!(ids.contains(&"server-base-path-changed"), "{ids:?}");
    let sink = changes
        .iter()
        .find(|c| c.message.contains("`sink` pattern tightened"))
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                changes.iter().map(|c| &c.message).collect::<Vec<_>>()
            )
        });
    assert_eq!(sink.level, Level::Breaking);
    match verdict(&old, &new, sink) {
        Verdict::Witness(value) => {
            let sink = value["sink"].as_str().unwrap();
            assert!(!sink.starts_with("https://"), "{value}");
        }
        other => panic!("no witness for the https-only sink: {other:?}"),
    }
    assert!(unwitnessed(&old, &new, &changes).is_empty());
}

#[test]
fn r3_2_to_r4_1_reports_no_bound_a_format_implies_and_proves_every_breaking_change() {
    let (old, new) = (release("r3.2"), release("r4.1"));
    let changes = diff(&old, &new);
    // Ports (0 to 65535) gaining `format: int32` change nothing.
    let formats: Vec<&String> = changes
        .iter()
        .filter(|c| c.message.contains("format tightened"))
        .map(|c| &c.message)
        .collect();
    assert!(formats.is_empty(), "{formats:?}");
    // A real tightening beside it stays: a port of 0 is refused now.
    assert!(changes.iter().any(|c| c
        .message
        .contains("publicPort` minimum tightened from `0` to `1`")
        && c.level == Level::Breaking));
    let missing = unwitnessed(&old, &new, &changes);
    assert!(
        missing.is_empty(),
        "breaking without a witness: {missing:#?}"
    );
}
