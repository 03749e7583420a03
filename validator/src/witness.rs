//! Whether two versions of a schema disagree on an instance, and on which:
//! the witness of a breaking change. Candidates come in groups of a
//! control and its variants (`specgate_spec::instances::Around`); a variant
//! counts only beside a control that both versions accept, so what it
//! changes (one place of the instance) is what the two disagree on, not
//! another change elsewhere in the same body.

use serde_json::Value;
use specgate_spec::instances::Around;
use specgate_spec::SchemaPart;

use crate::Validator;

/// One version of a schema: a compiled document, the operation and the
/// part of it.
#[derive(Clone, Copy)]
pub struct Version<'v, 'd> {
    /// The document, compiled.
    pub validator: &'v Validator<'d>,
    /// The operation's id in that document.
    pub operation_id: &'v str,
    /// The part of the operation.
    pub part: &'v SchemaPart,
}

impl Version<'_, '_> {
    fn accepts(&self, value: &Value) -> Option<bool> {
        self.validator.accepts(self.operation_id, self.part, value)
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// An instance that breaks clients: the old version accepts it and
    /// the new refuses it (what clients send), or the new admits it and
    /// the old refused it (what they receive).
    Witness(Value),
    /// Controls both versions accept were found, and no variant of them
    /// breaks: the two agree on every instance tried at that place.
    NoneBreaks,
    /// No control both versions accept, but an instance that breaks:
    /// the body breaks, for this change and others of the same body (a
    /// redesign), which no single instance tells apart.
    Shared(Value),
    /// No control both versions accept, and nothing that breaks: the
    /// candidates say nothing.
    Inconclusive,
}

/// Searches the candidates for a witness. `sent`: the client sends the
/// instance (so a witness is accepted by the old version, refused by the
/// new); otherwise the client receives it (the reverse).
pub fn search(old: Version, new: Version, sent: bool, candidates: &[Around]) -> Verdict {
    let mut controlled = false;
    let mut shared = None;
    for around in candidates {
        // The place is the whole instance: nothing can stand beside it,
        // and a variant the version clients rely on accepts is control
        // enough.
        let whole = around.controls.is_empty();
        let fits = around
            .controls
            .iter()
            .any(|c| old.accepts(c) == Some(true) && new.accepts(c) == Some(true));
        if !whole && !fits {
            if shared.is_none() {
                shared = around
                    .controls
                    .iter()
                    .chain(&around.variants)
                    .find(|v| breaks(old.accepts(v), new.accepts(v), sent))
                    .cloned();
            }
            continue;
        }
        // A control itself may be the witness (the member a new version
        // requires, left out), beside another control both accept.
        for variant in around.controls.iter().chain(&around.variants) {
            let (before, after) = (old.accepts(variant), new.accepts(variant));
            let reference = if sent { before } else { after };
            controlled |= !whole || reference == Some(true);
            if breaks(before, after, sent) {
                return Verdict::Witness(variant.clone());
            }
        }
    }
    match (controlled, shared) {
        (true, _) => Verdict::NoneBreaks,
        (false, Some(value)) => Verdict::Shared(value),
        (false, None) => Verdict::Inconclusive,
    }
}

/// Whether an instance the two versions judged breaks clients.
fn breaks(before: Option<bool>, after: Option<bool>, sent: bool) -> bool {
    match (before, after) {
        (Some(before), Some(after)) if sent => before && !after,
        (Some(before), Some(after)) => after && !before,
        _ => false,
    }
}
