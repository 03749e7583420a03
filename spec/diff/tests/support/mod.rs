//! What the oracle tests share: the validator's verdict on a change's
//! candidate witnesses, and whether a breaking change explains a witness
//! found for another.

// Each test target uses what it needs of these.
#![allow(dead_code)]

use specgate_diff::{witness_candidates, Change, Level};
use specgate_spec::Document;
use specgate_validator::witness::{self, Verdict, Version};
use specgate_validator::Validator;

/// The validator's verdict on a change's candidates.
pub fn verdict(old: &Document, new: &Document, change: &Change) -> Verdict {
    let (Ok(old_validator), Ok(new_validator)) = (Validator::new(old), Validator::new(new)) else {
        return Verdict::Inconclusive;
    };
    let Some(probe) = &change.probe else {
        return Verdict::Inconclusive;
    };
    let old_id = change.old_operation_id.clone().unwrap_or_default();
    witness::search(
        Version {
            validator: &old_validator,
            operation_id: &old_id,
            part: &probe.old_part,
        },
        Version {
            validator: &new_validator,
            operation_id: &probe.new_operation_id,
            part: &probe.new_part,
        },
        probe.sent,
        &witness_candidates(old, new, change, 400),
    )
}

/// Whether a change rated breaking concerns the same place as `change`
/// or one holding it (the same parts, an instance path that `change`'s
/// starts with), and so explains a witness there: a witness is
/// attributed to a place.
pub fn explained(changes: &[Change], change: &Change) -> bool {
    let Some(probe) = &change.probe else {
        return false;
    };
    changes.iter().any(|other| {
        other.level == Level::Breaking
            && other.probe.as_ref().is_some_and(|o| {
                o.old_part == probe.old_part
                    && o.new_part == probe.new_part
                    && probe.at.starts_with(&o.at)
            })
    })
}
