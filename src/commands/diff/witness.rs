//! Every breaking change to what a schema accepts is proved: the diff
//! proposes instances (the documents' examples, values at each
//! constraint's edge), and the validator, which this binary sees beside
//! the diff, judges them under both documents. The first instance that
//! breaks clients becomes the change's witness. A breaking change none of
//! them shows says so in its message but keeps its level: on GitHub's
//! documents the generator still misses witnesses of real breaking changes
//! (alternatives of a `oneOf` a body matches twice, deep required members
//! it cannot satisfy), and a gate that lets a breaking change through on
//! that account would be worse than one that asks a reviewer to look.

use specgate_diff::{checks::Level, Change};
use specgate_spec::Document;
use specgate_validator::Validator;

/// Candidates tried per change: enough for every edge of one schema and
/// its parent, few enough that GitHub's diff stays fast.
const CANDIDATES: usize = 200;

/// Sets the witness of each breaking change that has a probe, and says
/// so where the validator judged candidates and none broke.
pub(super) fn confirm(old: &Document, new: &Document, changes: &mut [Change]) {
    if !changes
        .iter()
        .any(|c| c.level == Level::Breaking && c.probe.is_some())
    {
        return;
    }
    let (Ok(old_validator), Ok(new_validator)) = (Validator::new(old), Validator::new(new)) else {
        return;
    };
    for change in changes.iter_mut() {
        if change.level != Level::Breaking {
            continue;
        }
        let Some(probe) = change.probe.clone() else {
            continue;
        };
        let old_id = change.old_operation_id.clone().unwrap_or_default();
        // Whether a candidate fitted the schema clients rely on: only
        // then does finding no witness say something.
        let mut judged = false;
        for value in specgate_diff::witness_candidates(old, new, change, CANDIDATES) {
            let (Some(before), Some(after)) = (
                old_validator.accepts(&old_id, &probe.old_part, &value),
                new_validator.accepts(&probe.new_operation_id, &probe.new_part, &value),
            ) else {
                continue;
            };
            judged |= if probe.sent { before } else { after };
            let breaks = if probe.sent {
                before && !after
            } else {
                after && !before
            };
            if breaks {
                change.witness = Some(value);
                break;
            }
        }
        if judged && change.witness.is_none() {
            change.message.push_str(if probe.sent {
                " (no witness found: no generated instance is accepted by the old document and refused by the new one)"
            } else {
                " (no witness found: no generated instance is admitted by the new document and refused by the old one)"
            });
        }
    }
}
