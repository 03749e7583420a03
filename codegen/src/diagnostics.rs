//! The load warnings that shape generated code, as lines a person reads
//! (`file:line:column (at pointer): message`), for the command line and
//! build scripts. The loader finds them; this picks the ones a user of the
//! generated code must know about.

use specgate_spec::{Document, WarningKind};

/// Warnings whose schema or operation the generated code works around: a
/// contradictory schema (the type follows the values the document lists),
/// a renamed duplicate operationId, a path parameter the template and the
/// parameters disagree on, a `$dynamicRef` generated as its default, a
/// discriminator whose tag a body cannot carry (the union reads by shape).
pub fn code_warnings(document: &Document) -> Vec<String> {
    let relevant: Vec<_> = document
        .warnings
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::ContradictorySchema
                    | WarningKind::DuplicateOperationId
                    | WarningKind::UndeclaredPathParameter
                    | WarningKind::UnbalancedPathBraces
                    | WarningKind::DynamicReference
                    | WarningKind::DiscriminatorMismatch
            )
        })
        .collect();
    let mut locations = document
        .locations(relevant.iter().filter_map(|w| w.origin.as_ref()))
        .into_iter();
    relevant
        .iter()
        .map(|w| match w.origin.as_ref().and_then(|_| locations.next()) {
            Some(location) => format!("[{}] {location}: {}", w.kind, w.message),
            None => format!("[{}] {}", w.kind, w.message),
        })
        .collect()
}
