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
use specgate_spec::Document;
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
        .any(|c| c.level == Level::Breaking && c.probe.is_some())
    {
        return;
    }
    let (old_validator, new_validator) = std::thread::scope(|scope| {
        let old_validator = scope.spawn(|| Validator::new(old));
        let new_validator = Validator::new(new);
        (old_validator.join().ok().and_then(Result::ok), new_validator.ok())
    });
    let (Some(old_validator), Some(new_validator)) = (old_validator, new_validator) else {
        return;
    };
    let mut work: Vec<&mut Change> = changes
        .iter_mut()
        .filter(|c| c.level == Level::Breaking && c.probe.is_some())
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
    if change.level != Level::Breaking {
        return;
    }
    let Some(probe) = change.probe.clone() else {
        return;
    };
    let old_id = change.old_operation_id.clone().unwrap_or_default();
    let candidates = specgate_diff::witness_candidates(old, new, change, CANDIDATES);
    let verdict = witness::search(
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
    );
    match verdict {
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
