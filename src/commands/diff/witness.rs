//! Every breaking change to what a schema accepts is proved: the diff
//! proposes instances (the documents' examples, values at each
//! constraint's edge), and the validator, which this binary sees beside
//! the diff, judges them under both documents. The first instance that
//! breaks clients, beside a control both documents accept, becomes the
//! change's witness. A breaking change none of them shows is rated a
//! warning that says so, but only when the search was conclusive: some
//! control fitted both documents. Where none did (a body whose constraints
//! the generator cannot satisfy), the change stays breaking, without a
//! witness: a gate must not let a breaking change through because its
//! search failed.

use specgate_diff::{checks::Level, Change};
use specgate_spec::{Document, SchemaPart};
use specgate_validator::witness::{self, Verdict, Version};
use specgate_validator::Validator;

/// Candidates tried per change: enough for every edge of one schema and
/// its parent, few enough that GitHub's diff stays fast.
const CANDIDATES: usize = 200;

/// Sets the witness of each breaking change that has a probe, and rates a
/// warning each one whose controls both documents accept and none of whose
/// variants breaks. The two documents compile side by side, and the
/// changes are searched on as many threads as there are cores: a
/// `Validator` is shared across threads.
pub(super) fn confirm(old: &Document, new: &Document, changes: &mut [Change]) {
    if !changes
        .iter()
        .any(|c| c.probe.is_some() && (c.level == Level::Breaking || rated_by_witness(c)))
    {
        return;
    }
    let (old_validator, new_validator) = std::thread::scope(|scope| {
        let old_validator = scope.spawn(|| Validator::new(old));
        let new_validator = Validator::new(new);
        (
            old_validator.join().ok().and_then(Result::ok),
            new_validator.ok(),
        )
    });
    let (Some(old_validator), Some(new_validator)) = (old_validator, new_validator) else {
        return;
    };
    // A witness is attributed to a place: where a breaking change stands,
    // it explains whatever breaks there, and a change the comparer could
    // not rate is not rated by that change's witness.
    let breaking: Vec<(SchemaPart, SchemaPart, Vec<String>)> = changes
        .iter()
        .filter(|c| c.level == Level::Breaking)
        .filter_map(|c| c.probe.as_ref())
        .map(|p| (p.old_part.clone(), p.new_part.clone(), p.at.clone()))
        .collect();
    let explained = |change: &Change| {
        change.probe.as_ref().is_some_and(|p| {
            breaking
                .iter()
                .any(|(o, n, at)| *o == p.old_part && *n == p.new_part && p.at.starts_with(at))
        })
    };
    let mut work: Vec<&mut Change> = changes
        .iter_mut()
        .filter(|c| {
            c.probe.is_some()
                && (c.level == Level::Breaking || (rated_by_witness(c) && !explained(c)))
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = work.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in work.chunks_mut(chunk) {
            let (old_validator, new_validator) = (&old_validator, &new_validator);
            scope.spawn(move || {
                for change in part.iter_mut() {
                    confirm_one(old, new, old_validator, new_validator, change);
                }
            });
        }
    });
}

/// The witness search for one change.
fn confirm_one(
    old: &Document,
    new: &Document,
    old_validator: &Validator,
    new_validator: &Validator,
    change: &mut Change,
) {
    let Some(probe) = change.probe.clone() else {
        return;
    };
    // A change the comparer could not rate (two unrelated patterns,
    // formats neither of which covers the other) is breaking when an
    // instance shows it, and stays a warning otherwise.
    if rated_by_witness(change) {
        if let Verdict::Witness(value) =
            search(old, new, old_validator, new_validator, change, &probe)
        {
            change.level = Level::Breaking;
            change.witness = Some(value);
            change.message.push_str(if probe.sent {
                " (rated breaking: its witness is accepted by the old document and refused by the new one)"
            } else {
                " (rated breaking: its witness is admitted by the new document and was refused by the old one)"
            });
        }
        return;
    }
    if change.level != Level::Breaking {
        return;
    }
    match search(old, new, old_validator, new_validator, change, &probe) {
        Verdict::Witness(value) => change.witness = Some(value),
        Verdict::NoneBreaks => {
            change.level = Level::Warning;
            change.message.push_str(if probe.sent {
                " (rated a warning: no instance was found that the old document accepts and the new one refuses)"
            } else {
                " (rated a warning: no instance was found that the new document admits and the old one refused)"
            });
        }
        Verdict::Shared(value) => {
            change.witness = Some(value);
            change
                .message
                .push_str(" (its witness breaks for other changes of the same body too)");
        }
        Verdict::Inconclusive => {}
    }
}

/// Whether a change is a warning because the comparer could not rate it,
/// so that a witness decides.
fn rated_by_witness(change: &Change) -> bool {
    use specgate_diff::checks as c;
    change.level == Level::Warning
        && [
            c::REQUEST_CONSTRAINT_CHANGED,
            c::RESPONSE_CONSTRAINT_CHANGED,
            c::PARAMETER_CONSTRAINT_CHANGED,
            c::REQUEST_FORMAT_CHANGED,
            c::RESPONSE_FORMAT_CHANGED,
            c::PARAMETER_FORMAT_CHANGED,
        ]
        .contains(&change.check)
}

/// The validator's verdict on a change's candidates.
fn search(
    old: &Document,
    new: &Document,
    old_validator: &Validator,
    new_validator: &Validator,
    change: &Change,
    probe: &specgate_diff::Probe,
) -> Verdict {
    let old_id = change.old_operation_id.clone().unwrap_or_default();
    let candidates = specgate_diff::witness_candidates(old, new, change, CANDIDATES);
    witness::search(
        Version {
            validator: old_validator,
            operation_id: &old_id,
            part: &probe.old_part,
        },
        Version {
            validator: new_validator,
            operation_id: &probe.new_operation_id,
            part: &probe.new_part,
        },
        probe.sent,
        &candidates,
    )
}
