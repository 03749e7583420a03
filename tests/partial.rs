//! Results that merge without a pool: `validate --partial` on shards of
//! recordings (on several machines), then `specgate report FILE...`: the
//! merged report is the one `validate` gives over every shard, in every
//! format, whatever order the result files are named in; results that do
//! not belong together are refused. (`drift --partial` is in drift.rs.)

#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use support::specgate;

/// The embedded Chatwoot recordings, with a record that cannot be read,
/// in three shards.
fn shards(dir: &Path) -> Vec<PathBuf> {
    let mut lines: Vec<&str> = specgate_validator::CHATWOOT_RECORDINGS.lines().collect();
    lines.insert(7, "{not json");
    lines
        .chunks(5)
        .enumerate()
        .map(|(n, part)| {
            let path = dir.join(format!("shard{n}.jsonl"));
            std::fs::write(&path, part.join("\n") + "\n").unwrap();
            path
        })
        .collect()
}

/// `validate --partial` of each shard; the result files, last shard first.
fn partials(dir: &Path, shards: &[PathBuf]) -> Vec<PathBuf> {
    shards
        .iter()
        .enumerate()
        .rev()
        .map(|(n, shard)| {
            let partial = dir.join(format!("shard{n}.results"));
            let output = specgate()
                .arg("validate")
                .arg(shard)
                .arg("--partial")
                .arg(&partial)
                .output()
                .unwrap();
            // Findings (1), or the malformed record (2): the report is
            // written either way, and so are the results.
            assert!(matches!(output.status.code(), Some(1 | 2)), "{output:?}");
            assert!(partial.exists());
            partial
        })
        .collect()
}

#[test]
fn shards_merge_into_the_report_of_the_whole_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let shards = shards(dir.path());
    let partials = partials(dir.path(), &shards);
    for format in ["human", "json", "sarif", "junit", "github"] {
        let whole = specgate()
            .args(["validate", "--format", format])
            .args(&shards)
            .output()
            .unwrap();
        let merged = specgate()
            .args(["report", "--format", format])
            .args(&partials)
            .output()
            .unwrap();
        assert_eq!(merged.status.code(), Some(2), "a malformed record: exit 2");
        assert_eq!(merged.status.code(), whole.status.code());
        assert_eq!(
            String::from_utf8_lossy(&merged.stdout),
            String::from_utf8_lossy(&whole.stdout),
            "{format}"
        );
    }
    // A shard named twice (or two overlapping shards) counts once.
    let mut twice = partials.clone();
    twice.push(partials[0].clone());
    let merged = specgate()
        .args(["report", "--format", "json"])
        .args(&twice)
        .output()
        .unwrap();
    let whole = specgate()
        .args(["validate", "--format", "json"])
        .args(&shards)
        .output()
        .unwrap();
    assert_eq!(merged.stdout, whole.stdout);
    assert!(String::from_utf8_lossy(&merged.stderr).contains("each record counts once"));
}

#[test]
fn results_that_do_not_belong_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shards = shards(dir.path());
    let partials = partials(dir.path(), &shards);
    // Checked with other options.
    let strict = dir.path().join("strict.results");
    specgate()
        .args(["validate", "--strict", "--partial"])
        .arg(&strict)
        .arg(&shards[0])
        .assert()
        .code(1);
    specgate()
        .arg("report")
        .arg(&partials[0])
        .arg(&strict)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "strict.results:1: it was checked against another document, or with other options",
        ));
    // Drift's results are not validate's.
    let drift = dir.path().join("drift.results");
    specgate()
        .args(["drift", "--partial"])
        .arg(&drift)
        .arg(&shards[0])
        .assert()
        .code(1);
    specgate()
        .arg("report")
        .arg(&partials[0])
        .arg(&drift)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("do not merge"));
    specgate()
        .args(["report", "--drift"])
        .arg(&partials[0])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leave out --drift"));
    specgate()
        .args(["report", "--format", "markdown"])
        .arg(&partials[0])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("markdown is for drift reports"));
    // Not a result file: the line is named; nothing is reported.
    specgate()
        .arg("report")
        .arg(&shards[0])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "shard0.jsonl:1: not a specgate result",
        ));
    specgate()
        .args(["report", "no-such.results"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no-such.results"));
    specgate()
        .arg("report")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PARTIAL"));
}
