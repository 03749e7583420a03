//! Every breaking change to what a schema accepts is proved: the diff
//! proposes instances (the documents' examples, values at each
//! constraint's edge), and the validator, which this binary sees beside
//! the diff, judges them under both documents. The first instance that
//! breaks clients becomes the change's witness. A breaking change none of
//! them shows is rated a warning that says so, but only when the search
//! was conclusive: some candidate fitted the schema clients rely on (the
//! old one for what they send, the new one for what they receive). Where
//! none did (a body whose constraints the generator cannot satisfy), the
//! change stays breaking, without a witness: a gate must not let a
//! breaking change through because its search failed.

use specgate_diff::{checks::Level, Change};
use specgate_spec::Document;
use specgate_validator::Validator;

/// Candidates tried per change: enough for every edge of one schema and
/// its parent, few enough that GitHub's diff stays fast.
const CANDIDATES: usize = 200;

/// Sets the witness of each breaking change that has a probe, and rates a
/// warning each one for which candidates fitted and none broke.
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
            change.level = Level::Warning;
            change.message.push_str(if probe.sent {
                " (rated a warning: no instance was found that the old document accepts and the new one refuses)"
            } else {
                " (rated a warning: no instance was found that the new document admits and the old one refused)"
            });
        }
    }
}
