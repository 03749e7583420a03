//! Oddities that do not stop loading. A loaded model carries them, each with
//! a stable kebab-case id and the place it concerns.

use crate::provenance::Origin;

/// Something in the document that is probably a mistake but can be worked
/// around.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// What kind of oddity this is.
    pub kind: WarningKind,
    /// A sentence that says what is odd and what was done about it.
    pub message: String,
    /// Where it is, when it concerns one node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Warning {
    pub(crate) fn new(
        kind: WarningKind,
        message: impl Into<String>,
        origin: Option<Origin>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            origin,
        }
    }
}

/// The kinds of warning. Their ids (the kebab-case names) never change once
/// released, because users filter on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A `format` that neither OpenAPI nor JSON Schema defines.
    UnknownFormat,
    /// A component that nothing refers to.
    UnusedComponent,
    /// Two operations with the same operationId.
    DuplicateOperationId,
    /// A path template whose `{` and `}` do not pair up.
    UnbalancedPathBraces,
    /// Two path templates that differ only in their parameters' names
    /// (`/a/{id}` and `/a/{key}`), which OpenAPI says are the same path.
    EquivalentPaths,
    /// A `{name}` in a path template that no path parameter declares.
    UndeclaredPathParameter,
    /// A path parameter that the path template does not contain.
    UnusedPathParameter,
    /// A schema whose keywords contradict each other.
    ContradictorySchema,
    /// A keyword of an older version that this version no longer defines,
    /// such as `nullable` in a 3.1 document.
    ObsoleteKeyword,
    /// Something the Swagger 2.0 upgrade could only approximate.
    LossyUpgrade,
    /// A node of the wrong shape that was skipped.
    Ignored,
    /// A `pattern` that is not an ECMA-262 regular expression; dropped.
    InvalidPattern,
    /// A schema that reaches itself without descending into the value
    /// (`A: {allOf: [{$ref: A}]}`): it admits everything, or nothing.
    CyclicSchema,
    /// A discriminator `mapping` value whose schema cannot be found.
    DanglingMapping,
    /// A `$ref` inside a schema resource (an `$id`) that names nothing
    /// there, read as the document's own pointer.
    AmbiguousReference,
    /// A `$dynamicRef` whose target depends on the schema that uses it:
    /// readers that do not follow JSON Schema's dynamic scope (generated
    /// types, diff, examples) use its default.
    DynamicReference,
    /// A schema dialect (`$schema`, `jsonSchemaDialect`) specgate does not
    /// know; its schemas are read as 2020-12.
    UnknownDialect,
    /// A discriminator whose tag a body cannot carry as the document has
    /// it: a branch that does not declare the property, or a mapped value
    /// the branch's own `enum`/`const` excludes.
    DiscriminatorMismatch,
}

impl WarningKind {
    /// The stable id, as written in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Self::UnknownFormat => "unknown-format",
            Self::UnusedComponent => "unused-component",
            Self::DuplicateOperationId => "duplicate-operation-id",
            Self::UnbalancedPathBraces => "unbalanced-path-braces",
            Self::EquivalentPaths => "equivalent-paths",
            Self::UndeclaredPathParameter => "undeclared-path-parameter",
            Self::UnusedPathParameter => "unused-path-parameter",
            Self::ContradictorySchema => "contradictory-schema",
            Self::ObsoleteKeyword => "obsolete-keyword",
            Self::LossyUpgrade => "lossy-upgrade",
            Self::Ignored => "ignored",
            Self::InvalidPattern => "invalid-pattern",
            Self::CyclicSchema => "cyclic-schema",
            Self::DanglingMapping => "dangling-mapping",
            Self::AmbiguousReference => "ambiguous-reference",
            Self::UnknownDialect => "unknown-dialect",
            Self::DynamicReference => "dynamic-reference",
            Self::DiscriminatorMismatch => "discriminator-mismatch",
        }
    }
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_serialized_names() {
        for kind in [
            WarningKind::UnknownFormat,
            WarningKind::UnusedComponent,
            WarningKind::DuplicateOperationId,
            WarningKind::UnbalancedPathBraces,
            WarningKind::EquivalentPaths,
            WarningKind::UndeclaredPathParameter,
            WarningKind::UnusedPathParameter,
            WarningKind::ContradictorySchema,
            WarningKind::ObsoleteKeyword,
            WarningKind::LossyUpgrade,
            WarningKind::Ignored,
            WarningKind::InvalidPattern,
            WarningKind::CyclicSchema,
            WarningKind::DanglingMapping,
            WarningKind::AmbiguousReference,
            WarningKind::UnknownDialect,
            WarningKind::DynamicReference,
            WarningKind::DiscriminatorMismatch,
        ] {
            let json = serde_json::to_value(kind).ok();
            assert_eq!(json.as_ref().and_then(|v| v.as_str()), Some(kind.id()));
        }
    }
}
