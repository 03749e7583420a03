//! One fixture pair per check of the registry (`fixtures/checks.json`,
//! written by `fixtures/make_checks.py`): the pair's one change is reported
//! under that check, with the registry's level and direction. Refactors
//! that change nothing a client sees report nothing.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use specgate_diff::{checks, diff, Change};

mod support;

const FIXTURES: &str = include_str!("fixtures/checks.json");

/// RFC 7396: `null` removes, objects merge, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    let (Some(target_object), Some(patch_object)) = (target.as_object_mut(), patch.as_object())
    else {
        *target = patch.clone();
        return;
    };
    for (key, value) in patch_object {
        if value.is_null() {
            target_object.remove(key);
        } else {
            merge(
                target_object.entry(key.clone()).or_insert(Value::Null),
                value,
            );
        }
    }
}

fn document(base: &Value, patch: &Value, name: &str) -> specgate_spec::Document {
    let mut value = base.clone();
    merge(&mut value, patch);
    let text = serde_json::to_string(&value).expect("a JSON value serializes");
    specgate_spec::load_str(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn pair(kind: &str, name: &str) -> Vec<Change> {
    let fixtures: Value = serde_json::from_str(FIXTURES).expect("the fixtures are JSON");
    let base = &fixtures["base"];
    let pair = &fixtures[kind][name];
    assert!(pair.is_object(), "no fixture pair for {name}");
    let old = document(base, &pair["old"], &format!("{name}/old.json"));
    let new = document(base, &pair["new"], &format!("{name}/new.json"));
    diff(&old, &new)
}

fn summary(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {}", c.check.id, c.message))
        .collect()
}

#[test]
fn every_check_reports_its_fixture_pair_with_its_level_and_direction() {
    let mut failures = Vec::new();
    for check in checks::ALL {
        let changes = pair("checks", check.id);
        let found: Vec<&Change> = changes.iter().filter(|c| c.check == *check).collect();
        if found.is_empty() {
            failures.push(format!(
                "{}: not reported; got {:?}",
                check.id,
                summary(&changes)
            ));
            continue;
        }
        for change in found {
            assert_eq!(change.level, check.level, "{}", check.id);
            assert_eq!(change.check.direction, check.direction, "{}", check.id);
            assert!(!change.message.is_empty());
        }
        // The pair makes one change: nothing else may be breaking unless
        // it is the same change seen by the operation's other uses.
        let other_breaking: Vec<String> = changes
            .iter()
            .filter(|c| c.check != *check && c.level == checks::Level::Breaking)
            .map(|c| format!("{} {}", c.check.id, c.message))
            .collect();
        if !other_breaking.is_empty() {
            failures.push(format!("{}: also breaking: {other_breaking:?}", check.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn refactors_report_nothing() {
    let fixtures: Value = serde_json::from_str(FIXTURES).expect("the fixtures are JSON");
    let names: Vec<String> = fixtures["refactors"]
        .as_object()
        .expect("refactors")
        .keys()
        .cloned()
        .collect();
    assert!(names.len() >= 8);
    let mut failures = Vec::new();
    for name in names {
        let changes = pair("refactors", &name);
        if !changes.is_empty() {
            failures.push(format!("{name}: {:?}", summary(&changes)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_documentation_lists_every_check_as_the_registry_does() {
    let documented = include_str!("../CHECKS.md");
    let table = checks::markdown_table();
    assert!(
        documented.contains(&table),
        "CHECKS.md is out of date: replace its table with `specgate diff --list-checks`"
    );
    assert!(
        documented.contains(&specgate_diff::keyword_table()),
        "CHECKS.md's keyword table is out of date: replace it with `specgate_diff::keyword_table()`"
    );
    let fixtures: Value = serde_json::from_str(FIXTURES).expect("the fixtures are JSON");
    for check in checks::ALL {
        assert!(
            fixtures["checks"][check.id].is_object(),
            "{}: no fixture",
            check.id
        );
    }
}

/// The oracle over the registry's pairs: every change rated breaking has a
/// witness (an instance the validator judges apart under the two
/// documents, beside a control both accept), and none rated info has one.
#[test]
fn every_pair_rating_is_proved_by_an_instance_or_its_absence() {
    use specgate_validator::witness::Verdict;
    use support::{explained, verdict};

    let fixtures: Value = serde_json::from_str(FIXTURES).expect("the fixtures are JSON");
    let base = &fixtures["base"];
    let mut failures = Vec::new();
    let mut judged = 0;
    for check in checks::ALL {
        let pair = &fixtures["checks"][check.id];
        let old = document(base, &pair["old"], &format!("{}/old.json", check.id));
        let new = document(base, &pair["new"], &format!("{}/new.json", check.id));
        if specgate_validator::Validator::new(&old).is_err()
            || specgate_validator::Validator::new(&new).is_err()
        {
            failures.push(format!("{}: the pair does not compile", check.id));
            continue;
        }
        let changes = diff(&old, &new);
        for change in &changes {
            if change.probe.is_none() || change.level == checks::Level::Warning {
                continue;
            }
            let verdict = verdict(&old, &new, change);
            judged += 1;
            match (change.level, verdict) {
                (checks::Level::Breaking, Verdict::Witness(_) | Verdict::Shared(_)) => {}
                (checks::Level::Info, Verdict::NoneBreaks) => {}
                // A witness is attributed to a place: a breaking change at
                // the same place explains it.
                (checks::Level::Info, Verdict::Witness(_) | Verdict::Shared(_))
                    if explained(&changes, change) => {}
                // A documented rule (CHECKS.md): a new optional member of
                // an open request object constrains a name clients of the
                // old document never send; an instance that used the name
                // for something else is refused, and that is not breaking.
                (checks::Level::Info, Verdict::Witness(_))
                    if change.check == checks::REQUEST_OPTIONAL_PROPERTY_ADDED => {}
                (level, verdict) => failures.push(format!(
                    "{}: {} rated {level}, validator says {verdict:?}",
                    check.id, change.message
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(judged >= 30, "only {judged} changes were judged");
}
